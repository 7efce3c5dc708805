"""Builders of real import files and a small round, shared by the hub's tests."""
from __future__ import annotations

import secrets
from datetime import date
from pathlib import Path

from recruitment import tabular
from recruitment.extensions import db
from recruitment.importing import APPLICATION_COLUMNS, POSITION_COLUMNS
from recruitment.models import Round

POSITION_HEADERS = [c.name for c in POSITION_COLUMNS]
APPLICATION_HEADERS = [c.name for c in APPLICATION_COLUMNS]
POSITIONS = [
    ["TC-01", "Chuyên viên ngân sách", "Sở Tài chính", "chuyen_vien", 2, "written_interview", "dai_hoc", "Tài chính; Kế toán"],
    ["VT-02", "Cán sự văn thư", "UBND quận Ngô Quyền", "can_su", 1, "written", "cao_dang", ""],
]


def application_row(nid: str, name: str, born: str = "01/02/1995", position: str = "TC-01", degree: str = "dai_hoc",
                    major: str = "Tài chính", priority: str = "") -> list:
    return [nid, name, born, "nam", "", "", position, degree, major, priority, "no"]


OPEN_UNTIL = date(2099, 12, 31)


def make_round(code: str = "R1", rules: str = "vn-2025", deadline: date = date(2026, 10, 1),
               open_until: date | None = OPEN_UNTIL, **fields) -> Round:
    """A round whose deadline (A2 counts age on it) is fixed; its applications stay open through a
    recorded extension unless `open_until` is None, so that tests of other rules can import any day."""
    round_ = Round(code=code, name=f"Round {code}", rules_code=rules, application_deadline=deadline,
                   draw_seed=secrets.token_hex(8), applications_extended_until=open_until,
                   extension_reason="test round kept open" if open_until else None, **fields)
    db.session.add(round_)
    db.session.commit()
    return round_


def write_xlsx(path: Path, headers: list[str], rows: list[list]) -> Path:
    path.write_bytes(tabular.xlsx_bytes([("data", headers, rows)]))
    return path


def write_csv(path: Path, headers: list[str], rows: list[list], delimiter: str = ",", bom: bool = True) -> Path:
    lines = [delimiter.join(headers)] + [delimiter.join(str(v) for v in r) for r in rows]
    path.write_bytes((("\ufeff" if bom else "") + "\n".join(lines) + "\n").encode())
    return path


def round_with_applications(tmp_path: Path, code: str, names: list[str]) -> tuple[Round, list]:
    """A round with the standard positions and one admitted application per name for TC-01, imported
    through the real importers, in the order given."""
    from recruitment import importing
    from recruitment.models import Application

    round_ = make_round(code)
    importing.import_positions(round_, "p.xlsx", write_xlsx(tmp_path / "p.xlsx", POSITION_HEADERS, POSITIONS).read_bytes())
    rows = [application_row(f"03100000{i:04d}", name) for i, name in enumerate(names, 1)]
    importing.import_applications(round_, "a.xlsx", write_xlsx(tmp_path / "a.xlsx", APPLICATION_HEADERS, rows).read_bytes())
    return round_, db.session.scalars(db.select(Application).filter_by(round_id=round_.id).order_by(Application.id)).all()
