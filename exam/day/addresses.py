"""Lab address ranges (issue "Exam day you can trust", item 8; Moodle's "subnet", TCExam's test IP
range): a room may name the networks of its computers, and a candidate seated there logs in only
from one of them. The request's address is request.remote_addr (behind a proxy, ProxyFix sets it)."""
from __future__ import annotations

import ipaddress

from flask_babel import gettext as _

from recruitment import audit
from recruitment.tabular import length_of

from .models import Room


class BadRange(ValueError):
    pass


def parse(text: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """'10.1.2.0/24, 10.1.3.5' -> networks; a bare address is a network of one. Host bits are allowed
    (10.1.2.7/24 means 10.1.2.0/24): a technician copies what the computer shows."""
    networks = []
    for part in filter(None, (p.strip() for p in (text or "").replace(";", ",").split(","))):
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError as error:
            raise BadRange(_("%(part)s is not an address or a network (e.g. 10.1.2.0/24)", part=part)) from error
    return networks


def allowed(room: Room, address: str | None) -> bool:
    if not room.address_range:
        return True  # no range set: any computer
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in network for network in parse(room.address_range))


def set_range(room: Room, text: str) -> None:
    """Stored in a canonical form; empty clears it (any computer). Audited with before and after."""
    networks = parse(text)
    # A lab listed computer by computer is kept as the fewest networks that hold the same addresses.
    collapsed = [*ipaddress.collapse_addresses(n for n in networks if n.version == 4),
                 *ipaddress.collapse_addresses(n for n in networks if n.version == 6)]
    canonical = ", ".join(str(n) for n in collapsed)
    if len(canonical) > length_of(Room.address_range):
        raise BadRange(_("These addresses are too many to keep apart (%(n)d characters at most): give the lab's "
                         "network instead (e.g. 10.1.2.0/24)", n=length_of(Room.address_range)))
    before = room.address_range
    room.address_range = canonical or None
    audit.record("room_address_range_set", "exam_room", room.id, before={"address_range": before},
                 after={"address_range": room.address_range})
