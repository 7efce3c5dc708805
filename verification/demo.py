"""The verification demo step: dossiers for the candidates selected in version 1, the issuing
records of the demo universities (imported by verifier2), diplomas with their scans, an exact match, a near match (the
register writes the name without diacritics) and one diploma with no record, ready for the verifier
to reject and for verifier2 to confirm (F3), which cancels the selection and promotes the next
candidate in version 2 (F4)."""
from __future__ import annotations

import io

from PIL import Image, ImageDraw

from recruitment.database import utcnow
from recruitment.extensions import db
from recruitment.vietnamese import fold

from . import dossiers, uploads
from .models import Document, IssuingRecord

UNIVERSITIES = {"dai_hoc": "Trường Đại học Hàng hải Việt Nam", "thac_si": "Trường Đại học Kinh tế Quốc dân",
                "cao_dang": "Trường Cao đẳng Kinh tế Kỹ thuật Hải Phòng", "trung_cap": "Trường Trung cấp Nghề Hải Phòng"}


def _scan(name: str, number: str) -> bytes:
    image = Image.new("RGB", (620, 420), (250, 246, 232))
    draw = ImageDraw.Draw(image)
    draw.rectangle([10, 10, 610, 410], outline=(150, 30, 30), width=4)
    draw.text((40, 60), "BANG TOT NGHIEP", fill=(150, 30, 30))
    draw.text((40, 140), fold(name).upper(), fill="black")
    draw.text((40, 200), f"So hieu: {number}", fill="black")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def load(ctx: dict) -> None:
    round_, users = ctx["round"], ctx["users"]
    opened = dossiers.open_dossiers(round_)
    for index, (dossier, code) in enumerate(opened):
        a = dossier.application
        institution = UNIVERSITIES.get(a.degree_level, UNIVERSITIES["dai_hoc"])
        number = f"{a.degree_level[:2].upper()}-2019-{a.candidate_number:05d}"
        register_name = fold(a.full_name).title() if index == 1 else a.full_name  # a near match
        if index != 2:  # the third has no record at all
            db.session.add(IssuingRecord(institution=institution, number=number, holder=register_name,
                                         date_of_birth=a.date_of_birth, level=a.degree_level, major=a.major,
                                         source_file="so-goc-cac-truong.xlsx", imported_by_id=users["verifier2"].id,
                                         imported_at=utcnow()))
        data = _scan(a.full_name, number)
        doc = Document(dossier_id=dossier.id, kind="diploma", number=number, holder_name=a.full_name,
                       date_of_birth=a.date_of_birth, institution=institution, level=a.degree_level, major=a.major,
                       stored_name=uploads.store(data, "image/png"), original_name="bang.png", mime="image/png",
                       size=len(data), uploaded_by_id=users["hr"].id)
        db.session.add(doc)
        db.session.flush()
        if index >= 3:
            dossiers.decide(doc, "verified", "", users["verifier"])
        if index == 0:
            ctx["passwords"][f"dossier of candidate {a.number_label} (born {a.date_of_birth:%d/%m/%Y})"] = code
    db.session.commit()
    ctx["echo"](f"verification: {len(opened)} dossiers opened; one diploma has no issuing record, for the verifier "
                f"to reject and verifier2 to confirm")
