"""Property tests: export then import gives the same bank (spreadsheet and Moodle XML)."""
from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from questionbank import bank, exporters, importers
from questionbank.records import QuestionRecord, normalise_html

words = st.text(alphabet="abcdefghiklmnopqrstuvxyàáảãạăắằâấầđèéêếềìíòóôốồơớờùúưứừỳýĐĂÂÊÔƠƯ0123456789 ,.?",
                min_size=1, max_size=40).map(lambda s: " ".join(s.split())).filter(lambda s: s and not s.startswith(("=", "-", "+", "@")))


@st.composite
def records(draw, index):
    kind = draw(st.sampled_from(["single", "truefalse", "fill"]))
    if kind == "single":
        options = draw(st.lists(words, min_size=2, max_size=6, unique_by=lambda w: w.lower()))
        answer = [draw(st.integers(0, len(options) - 1))]
    elif kind == "truefalse":
        options, answer = ["Đúng", "Sai"], [draw(st.integers(0, 1))]
    else:
        options, answer = [], draw(st.lists(words.filter(lambda w: ";" not in w), min_size=1, max_size=3, unique=True))
    return QuestionRecord(
        ref=index, stem=normalise_html(draw(words)), type=kind, options=[normalise_html(o) for o in options],
        answer=answer, section=draw(st.sampled_from(["general", "language", "professional"])),
        positions=draw(st.lists(st.sampled_from(["TC-01", "TP-02", "VT-03"]), unique=True, max_size=2)),
        topic=draw(words), difficulty=draw(st.integers(1, 3)),
        points=Decimal(draw(st.sampled_from(["1", "2", "0.5", "1.25"]))), explanation=draw(st.one_of(st.just(""), words)),
        code=f"RT-{index:04d}", keep_order=kind == "truefalse")


banks = st.integers(1, 6).flatmap(lambda n: st.tuples(*[records(i + 1) for i in range(n)]))
KEYS = ("code", "stem", "type", "options", "answer", "section", "positions", "topic", "difficulty", "points", "explanation")


def _comparable(r: QuestionRecord) -> tuple:
    return tuple(Decimal(r.points) if k == "points" else getattr(r, k) for k in KEYS)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bank_records=banks)
def test_xlsx_export_then_import_gives_the_same_records(app, bank_records):
    parsed = importers.parse("bank.xlsx", exporters.to_xlsx(list(bank_records)))
    assert [_comparable(r) for r in parsed.records] == [_comparable(r) for r in bank_records]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bank_records=banks)
def test_moodle_xml_export_then_import_keeps_content(app, bank_records):
    parsed = importers.parse("bank.xml", exporters.to_moodle_xml(list(bank_records)))
    same = ("stem", "type", "options", "answer", "topic", "points", "explanation")
    assert [tuple(getattr(r, k) for k in same) for r in parsed.records] == \
        [tuple(getattr(r, k) for k in same) for r in bank_records]


def test_a_whole_bank_exported_and_imported_into_an_empty_bank_is_the_same(app_factory, make_user):
    from recruitment.extensions import db

    first = app_factory()
    with first.app_context():
        author = make_user("a", "question_setter")
        originals = [QuestionRecord(ref=1, stem="<b>Đậm</b> và <i>nghiêng</i>?", options=["Có", "Không"], answer=[0],
                                    topic="Định dạng", code="KT-00009"),
                     QuestionRecord(ref=2, stem="Thủ đô?", type="fill", answer=["Hà Nội", "Ha Noi"], topic="Địa lý",
                                    section="professional", positions=["TC-01"], difficulty=3, points=Decimal("2.5"))]
        bank.import_records(originals, author, filename="x")
        db.session.commit()
        exported = exporters.to_xlsx([bank.record_of(q) for q in db.session.scalars(bank.search({}))])
        before = sorted(_comparable(bank.record_of(q)) for q in db.session.scalars(bank.search({})))
        from questionbank.models import Question, QuestionVersion, ReviewEvent
        db.session.execute(db.update(Question).values(current_version_id=None))
        for model in (ReviewEvent, QuestionVersion, Question):
            db.session.execute(db.delete(model))
        db.session.commit()
        bank.import_records(importers.parse("bank.xlsx", exported).records, author, filename="bank.xlsx")
        db.session.commit()
        after = sorted(_comparable(bank.record_of(q)) for q in db.session.scalars(bank.search({})))
    assert after == before
