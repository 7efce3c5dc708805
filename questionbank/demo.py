"""The question bank's demo step: an approved general bank deep enough for a 60-question round-1
test (3 times every cell, G1), professional questions for some positions, a question with an
image, and questions waiting for review."""
from __future__ import annotations

import io
import random
from pathlib import Path

from PIL import Image, ImageDraw

from recruitment.extensions import db

from . import bank
from .demo_questions import GENERAL_TOPICS, PROFESSIONAL, general_bank
from .records import QuestionRecord, normalise_html

PER_CELL = {1: 18, 2: 25, 3: 12}
# Two banks as question-setting boards write them in Word (tests/fixtures/make_word_banks.py).
WORD_BANKS = Path(__file__).resolve().parents[1] / "tests" / "fixtures"  # approved per topic; a 60-question blueprint draws 5/7/3 per topic


def _chart_png() -> bytes:
    image = Image.new("RGB", (360, 200), "white")
    draw = ImageDraw.Draw(image)
    for i, (label, value) in enumerate([("2022", 60), ("2023", 95), ("2024", 130), ("2025", 170)]):
        draw.rectangle([30 + i * 80, 180 - value, 80 + i * 80, 180], fill=(11, 92, 173))
        draw.text((40 + i * 80, 184), label, fill="black")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def load(ctx: dict) -> None:
    rng = random.Random(20)
    author, reviewer = ctx["users"]["question_setter"], ctx["users"]["question_setter2"]
    records = [dict(r, section="general") for r in general_bank(rng, PER_CELL)]
    records += [{"section": "professional", "positions": [code], "topic": topic, "difficulty": d, "stem": s,
                 "options": o, "answer": [a]} for code, topic, d, s, o, a in PROFESSIONAL]
    ids = bank.create_approved(records, author.id, reviewer.id)

    chart = QuestionRecord(ref=1, stem=normalise_html(
        '<p>Biểu đồ dưới đây thể hiện số thủ tục hành chính được giải quyết trực tuyến của một sở qua các năm.</p>'
        '<img src="bieu-do-dvc.png" alt="Biểu đồ"><p>Năm nào có số thủ tục nhiều nhất?</p>'),
        options=["2022", "2023", "2024", "2025"], answer=[3], section="general", topic=GENERAL_TOPICS[3],
        difficulty=2, images={"bieu-do-dvc.png": _chart_png()})
    drafts = [
        QuestionRecord(ref=2, stem="Theo Hiến pháp năm 2013, Chủ tịch nước do cơ quan nào bầu?",
                       options=["Nhân dân", "Quốc hội", "Chính phủ", "Ủy ban Thường vụ Quốc hội"], answer=[1],
                       section="general", topic=GENERAL_TOPICS[0], difficulty=2),
        QuestionRecord(ref=3, stem="Trong Word, tổ hợp phím Ctrl + B dùng để in đậm chữ đã chọn.", type="truefalse",
                       options=["Đúng", "Sai"], answer=[0], section="general", topic=GENERAL_TOPICS[3], difficulty=1,
                       keep_order=True),
        QuestionRecord(ref=4, stem="Cơ quan nào thẩm định dự toán ngân sách của các sở, ngành ở thành phố?",
                       options=["Sở Tài chính", "Sở Nội vụ", "Văn phòng UBND", "Thanh tra thành phố"], answer=[0],
                       section="professional", positions=["CV-TC-01"], topic="Ngân sách nhà nước", difficulty=2),
    ]
    # Written by question_setter2 and waiting for review, so the demo's question_setter can approve them (G2).
    bank.import_records([chart, *drafts], reviewer, filename="demo", status="in_review")
    db.session.commit()
    ctx["echo"](f"question bank: {len(ids)} approved questions, {len(drafts) + 1} waiting for review")
    _import_word_banks(ctx, reviewer)


def _import_word_banks(ctx: dict, author) -> None:
    from . import importers

    for path in sorted(WORD_BANKS.glob("ngan-hang-*.docx")):
        parsed = importers.parse(path.name, path.read_bytes(), {})
        bank.import_records(parsed.records, author, filename=path.name, status="in_review")
        db.session.commit()
        ctx["echo"](f"question bank: {len(parsed.records)} questions imported from the Word bank {path.name}, "
                    "waiting for review")
