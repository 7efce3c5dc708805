"""The bank's operations: importing records, creating and editing questions (with versions),
the review workflow (G2) and search. Every change is audited."""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from recruitment import audit, errors, labels
from recruitment.extensions import db
from recruitment.models import User
from recruitment.tabular import ImportRejected, RowError
from recruitment.vietnamese import fold

from . import bulk_insert, image_check, pool, sanitize
from .models import Question, QuestionImage, QuestionVersion, ReviewEvent
from .records import QuestionRecord, content_digest, fingerprint

SECTION_PREFIX = {"general": "KT", "language": "NN", "professional": "CM"}


class ReviewRefused(errors.Refused):
    """The workflow does not allow this step; the message says why."""


@dataclass(slots=True)  # one per question of the file
class PreviewRow:
    record: QuestionRecord
    duplicate_of: str | None = None  # the code of an existing question, or 'row N' of the same file


@dataclass
class ImportResult:
    rows: list[PreviewRow] = field(default_factory=list)
    created: list[str] = field(default_factory=list)  # codes
    skipped: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)


def _search_text(code: str, topic: str, stem: str, options: list[str]) -> str:
    return fold(" ".join([code, topic, sanitize.to_text(stem), *(sanitize.to_text(o) for o in options)]))


def _chunked(values, query):
    """query(chunk) for every 5,000 of `values`, rows chained: a 100,000-row file has more values
    than one statement may bind."""
    values = list(values)
    for start in range(0, len(values), 5_000):
        yield from db.session.execute(query(values[start:start + 5_000]))


def preview(records: list[QuestionRecord], prints: list[str] | None = None) -> list[PreviewRow]:
    """Flags near-duplicates of questions in the bank and within the file itself."""
    prints = prints or [fingerprint(r.stem, r.options) for r in records]
    existing = dict(_chunked(set(prints), lambda chunk: select(QuestionVersion.fingerprint, Question.code)
                             .join(Question, Question.current_version_id == QuestionVersion.id)
                             .where(QuestionVersion.fingerprint.in_(chunk))))
    seen: dict[str, int] = {}
    rows = []
    for record, print_ in zip(records, prints, strict=True):
        duplicate = existing.get(print_)
        if duplicate is None and print_ in seen:
            duplicate = _("row %(row)d", row=seen[print_])
        seen.setdefault(print_, record.ref)
        rows.append(PreviewRow(record, duplicate))
    return rows


def image_errors(records: list[QuestionRecord]) -> list[RowError]:
    """Every image a question carries decodes (image_check), and every image its HTML shows is
    either carried or already in the bank."""
    errors = []
    shown = {r.ref: {n for html in (r.stem, *r.options, r.explanation) for n in sanitize.image_names(html)}
             for r in records if r.images or "<img" in r.stem or "<img" in r.explanation
             or any("<img" in o for o in r.options)}  # only those that show one: most rows of a big file do not
    carried = {n for r in records for n in r.images}
    wanted = set().union(*shown.values()) - carried
    stored = set(db.session.scalars(select(QuestionImage.name).where(QuestionImage.name.in_(wanted)))) if wanted else set()
    # A carried image whose name the bank holds with other bytes is refused when written (_store_image): said
    # here, so that the preview does not promise an import that then fails without its reason.
    digests = dict(_chunked(carried, lambda chunk: select(QuestionImage.name, QuestionImage.sha256)
                            .where(QuestionImage.name.in_(chunk)))) if carried else {}
    for record in records:
        for name, data in record.images.items():
            try:
                image_check.check(name, data)
            except image_check.ImageRefused as refused:
                errors.append(RowError(record.ref, "image", str(refused)))
            else:
                if digests.get(name, digest := hashlib.sha256(data).hexdigest()) != digest:
                    errors.append(RowError(record.ref, "image", _("another image is already stored as %(name)s",
                                                                   name=name)))
        for name in sorted(shown.get(record.ref, set()) - set(record.images) - stored):
            errors.append(RowError(record.ref, "image", _("the image %(name)s is shown but is neither in the file "
                                                          "nor in the bank", name=name)))
    return errors


def next_codes(section: str, count: int) -> list[str]:
    prefix = SECTION_PREFIX.get(section, "Q")
    taken = db.session.scalars(select(Question.code).where(Question.code.like(f"{prefix}-%"))).all()
    # Only codes of this numbering count: str.isdigit takes "²" and Arabic-Indic digits, typed in an import.
    numbers = (c.split("-", 1)[1] for c in taken)
    last = max((int(n) for n in numbers if n.isascii() and n.isdigit()), default=0)
    return [f"{prefix}-{last + i:05d}" for i in range(1, count + 1)]


def import_records(records: list[QuestionRecord], author: User | None, *, filename: str, dry_run: bool = False,
                   status: str = "in_review", reviewer: User | None = None) -> ImportResult:
    """All-or-nothing: any error refuses the whole file and writes nothing. Built for 100,000
    questions: one query per check, never one per row, and the rows written set-based (bulk_insert)."""
    errors = image_errors(records)
    codes = [r.code for r in records if r.code]
    clashes = {code for (code,) in _chunked(codes, lambda chunk: select(Question.code).where(Question.code.in_(chunk)))}
    seen: dict[str, int] = {}
    for r in records:
        if r.code in clashes:
            errors.append(RowError(r.ref, "code", _("code %(code)s is already in the bank", code=r.code)))
        elif r.code and r.code in seen:
            errors.append(RowError(r.ref, "code", _("code %(code)s is already on row %(row)d", code=r.code, row=seen[r.code])))
        elif r.code:
            seen[r.code] = r.ref
    if errors:
        raise ImportRejected(errors)
    prints = [fingerprint(r.stem, r.options) for r in records]  # once: folding is the costly part of a big file
    result = ImportResult(rows=preview(records, prints))
    if dry_run:
        return result
    wanted = Counter(r.section for r in records if not r.code)
    by_section: dict[str, Iterator[str]] = {section: iter(next_codes(section, n)) for section, n in wanted.items()}
    result.created = [r.code or next(by_section[r.section]) for r in records]
    for r in records:
        for name, data in r.images.items():
            _store_image(name, data)
    bulk_insert.insert_questions(records, result.created, prints, lambda r, code: _search_text(code, r.topic, r.stem, r.options),
                                 author=author, status=status, reviewer=reviewer, filename=filename)
    audit.record("questions_imported", "question_bank", None,
                 after={"file": filename, "count": len(records), "codes": result.created[:50]})
    return result


def _new_question(r: QuestionRecord, code: str, author: User | None, status: str, print_: str | None = None) -> Question:
    question = Question(code=code, section=r.section, positions=bulk_insert.stored_positions(r.positions),
                        topic=r.topic, difficulty=r.difficulty, type=r.type, status=status,
                        author_id=author.id if author else None,
                        search_text=_search_text(code, r.topic, r.stem, r.options))
    version = QuestionVersion(number=1, type=r.type, stem_html=r.stem, options_json=json.dumps(r.options, ensure_ascii=False),
                              answer_json=json.dumps(r.answer, ensure_ascii=False), points=r.points,
                              explanation=r.explanation, keep_order=r.keep_order or r.type == "truefalse",
                              fingerprint=print_ or fingerprint(r.stem, r.options),
                              created_by_id=author.id if author else None)
    question.current = version
    version.question = question
    db.session.add_all([question, version])
    return question


def _store_image(name: str, data: bytes) -> None:
    digest = hashlib.sha256(data).hexdigest()
    existing = db.session.scalar(select(QuestionImage).filter_by(name=name))
    if existing is not None:
        if existing.sha256 != digest:
            raise ImportRejected([RowError(None, "image", _("another image is already stored as %(name)s", name=name))])
        return
    db.session.add(QuestionImage(name=name, mime=image_check.check(name, data), data=data, sha256=digest))


def record_of(question: Question) -> QuestionRecord:
    """The question's current version as a plain record (for the editor and the exports)."""
    v = question.current
    return QuestionRecord(ref=0, stem=v.stem_html, type=question.type, options=v.options, answer=v.answer,
                          section=question.section, positions=question.position_list, topic=question.topic,
                          difficulty=question.difficulty, points=Decimal(v.points), explanation=v.explanation,
                          code=question.code, keep_order=v.keep_order)


def snapshot(question: Question) -> dict:
    """The question as the audit log keeps it: no stem, option or key (G2), a digest of them instead."""
    v = question.current
    return {"status": question.status, "version": v.number if v else None, "topic": question.topic,
            "difficulty": question.difficulty, "section": question.section, "positions": question.positions,
            "digest": content_digest(v.type, v.stem_html, v.options, v.answer, v.points, v.explanation, v.keep_order)
            if v else None}


def create(record: QuestionRecord, author: User) -> Question:
    code = record.code or next_codes(record.section, 1)[0]
    question = _new_question(record, code, author, "draft")
    db.session.flush()
    question.current_version_id = question.current.id
    _event(question, author, "created")
    audit.record("question_created", "question", question.id, after=snapshot(question))
    return question


def edit(question: Question, record: QuestionRecord, user: User, comment: str = "", seen: str | None = None) -> Question:
    """A version an exam used never changes: editing it makes a new version. Nor does a version a reviewer
    approved (G2): the history keeps the text its approval was given to. An approved or retired question
    that changes goes back to review. seen: the seen_token of the page the edit was made on (None: no page)."""
    if seen is not None and seen != seen_token(question):  # another member saved since the page was opened
        raise ReviewRefused(_("the question was changed by someone else after you opened it: read it again, "
                              "then make your change"))
    before = snapshot(question)
    current = question.current
    approved = question.status in ("approved", "retired")
    content = dict(type=record.type, stem_html=record.stem, options_json=json.dumps(record.options, ensure_ascii=False),
                   answer_json=json.dumps(record.answer, ensure_ascii=False), points=record.points,
                   explanation=record.explanation, keep_order=record.keep_order or record.type == "truefalse",
                   fingerprint=fingerprint(record.stem, record.options))
    if not current.used and not approved and _edited_in_place(current, content):
        db.session.refresh(current)
    else:
        version = QuestionVersion(question_id=question.id, number=current.number + 1, created_by_id=user.id, **content)
        db.session.add(version)
        db.session.flush()
        question.current_version_id = version.id
        question.current = version
    question.section, question.topic, question.difficulty, question.type = (
        record.section, record.topic, record.difficulty, record.type)
    question.positions = bulk_insert.stored_positions(record.positions)
    question.search_text = _search_text(question.code, record.topic, record.stem, record.options)
    if approved:  # a retired one restored would skip the review (G2)
        question.status, question.reviewer_id = "in_review", None
    _event(question, user, "edited", comment)
    audit.record("question_edited", "question", question.id, before=before, after=snapshot(question), reason=comment or None)
    return question


def _edited_in_place(version: QuestionVersion, content: dict) -> bool:
    """A version no exam has used is edited in place, in one UPDATE made only while it is still unused:
    a draw that marked it used since this request read it wins, and the edit makes a new version as
    for a used one (the app servers keep a used version's contents as they read them once)."""
    return db.session.execute(update(QuestionVersion).where(QuestionVersion.id == version.id,
                                                             QuestionVersion.used.is_(False)).values(**content)
                              .execution_options(synchronize_session=False)).rowcount == 1


def _event(question: Question, user: User | None, action: str, comment: str = "") -> None:
    db.session.add(ReviewEvent(question_id=question.id, version_id=question.current_version_id,
                               user_id=user.id if user else None, action=action, comment=comment))


TRANSITIONS = {"submit": ("draft", "in_review"), "approve": ("in_review", "approved"),
               "return": ("in_review", "draft"), "retire": ("approved", "retired"), "restore": ("retired", "approved")}
# The steps as the question's page names them (its buttons), for a refusal that names one.
STEPS = labels.register("question_step", {
    "submit": _l("Send for review"), "approve": _l("Approve"), "return": _l("Return to the author"),
    "retire": _l("Retire"), "restore": _l("Restore"),
})


def wrote_current_version(question: Question, user: User) -> bool:
    """G2: the question's author, the creator of its current version, or anyone who edited that version
    in place (the history says who) wrote what is to be reviewed."""
    if user.id in (question.author_id, question.current.created_by_id):
        return True
    return db.session.scalar(select(ReviewEvent.id).where(
        ReviewEvent.question_id == question.id, ReviewEvent.version_id == question.current_version_id,
        ReviewEvent.action == "edited", ReviewEvent.user_id == user.id).limit(1)) is not None


def seen_token(question: Question) -> str:
    """What the reviewer's page showed (content, key, tags): the approval names it, so that an edit made
    in place after the page was opened (the author swapping the key) is not approved unread (G2)."""
    shown = {k: v for k, v in snapshot(question).items() if k != "status"}
    return hashlib.sha256(json.dumps(shown, sort_keys=True, default=str).encode()).hexdigest()[:16]


def transition(question: Question, action: str, user: User, comment: str = "", seen: str | None = None) -> None:
    """seen: the seen_token of the page the step was taken on; an approval or a return of anything else
    is refused (None: a caller with no page, as the tests and the command line)."""
    source, target = TRANSITIONS[action]
    if question.status != source:
        raise ReviewRefused(_("the question is %(status)s: \"%(step)s\" is not possible",
                              status=labels.label(question.status, "question_status"), step=STEPS[action]))
    if action in ("approve", "return") and seen is not None and seen != seen_token(question):
        raise ReviewRefused(_("the question was changed after you opened it: read it again before \"%(step)s\"",
                              step=STEPS[action]))
    if action == "approve" and question.author_id == user.id:  # G2
        raise ReviewRefused(_("a question is approved by someone other than its author (G2)"))
    if action in ("approve", "return") and wrote_current_version(question, user):  # G2
        raise ReviewRefused(_("you wrote or edited this version: another member of the board reviews it (G2)"))
    if action == "return" and not comment.strip():
        raise ReviewRefused(_("say what must change when returning a question"))
    before = snapshot(question)
    question.status = target
    if action == "approve":
        question.reviewer_id = user.id
    _event(question, user, action, comment)
    audit.record(f"question_{action}", "question", question.id, before=before, after=snapshot(question),
                 reason=comment or None)


def approve_many(questions: list[Question], user: User, seen: dict[int, str] | None = None,
                 ) -> tuple[list[Question], list[tuple[Question, str]]]:
    """The review queue's bulk approval: each question approved exactly as one approval is (its history,
    its audit entry); one the approver wrote (G2), no longer in review or changed since the confirmation
    showed it (seen, by question id) is refused with its reason, and the others are approved all the same."""
    approved, refused = [], []
    for question in questions:
        try:
            transition(question, "approve", user, seen=(seen or {}).get(question.id))
        except ReviewRefused as exc:
            refused.append((question, str(exc)))
        else:
            approved.append(question)
    return approved, refused


FILTER_CHECKS = {"difficulty": lambda v: v in ("1", "2", "3"), "author": lambda v: v.isascii() and v.isdigit() and len(v) <= 9}


def clean_filters(filters: dict) -> tuple[dict, list[str]]:
    """The browse filters with impossible values (typed into the address) left out, and their names,
    for the page to say they were ignored."""
    ignored = [key for key, ok in FILTER_CHECKS.items() if filters.get(key) and not ok(filters[key])]
    return {k: ("" if k in ignored else v) for k, v in filters.items()}, ignored


def search(filters: dict):
    """The browse query: section, position, topic, difficulty, status, author, and text that
    matches with or without diacritics."""
    query = select(Question).order_by(Question.code)
    if filters.get("q"):
        for word in fold(filters["q"]).split():
            query = query.where(Question.search_text.like(f"%{word}%"))
    for key in ("section", "status", "type"):
        if filters.get(key):
            query = query.where(getattr(Question, key) == filters[key])
    if filters.get("topic"):
        query = query.where(Question.topic == filters["topic"])
    if filters.get("difficulty"):
        query = query.where(Question.difficulty == int(filters["difficulty"]))
    if filters.get("author"):
        query = query.where(Question.author_id == int(filters["author"]))
    if filters.get("position"):
        query = query.where(pool.serves(filters["position"]))
    return query


def topics() -> list[str]:
    return list(db.session.scalars(select(Question.topic).distinct().order_by(Question.topic)))


def counts_by_status() -> dict[str, int]:
    return dict(db.session.execute(select(Question.status, func.count()).group_by(Question.status)).all())


def create_approved(records: list[dict], author_id: int, reviewer_id: int) -> list[int]:
    """Approved questions straight into the bank (demos, tests, benchmarks); returns version ids."""
    from .record_checks import validate
    from .records import TRUE_FALSE, normalise_html

    plain = []
    for i, r in enumerate(records, start=1):
        kind = r.get("type", "single")
        options = [normalise_html(o) for o in r.get("options", [])] or (list(TRUE_FALSE) if kind == "truefalse" else [])
        record = QuestionRecord(ref=i, stem=normalise_html(r["stem"]), type=kind, options=options,
                                answer=list(r["answer"]), section=r.get("section", "general"),
                                positions=list(r.get("positions", [])), topic=r.get("topic", ""),
                                difficulty=int(r.get("difficulty", 2)), points=Decimal(str(r.get("points", 1))),
                                explanation=normalise_html(r.get("explanation", "")), code=r.get("code", ""),
                                keep_order=bool(r.get("keep_order", False)))
        errors = validate(record)
        if errors:
            raise ImportRejected(errors)
        plain.append(record)
    author, reviewer = db.session.get(User, author_id), db.session.get(User, reviewer_id)
    result = import_records(plain, author, filename="(created)", status="approved", reviewer=reviewer)
    return list(db.session.scalars(
        select(Question.current_version_id).where(Question.code.in_(result.created)).order_by(Question.id)))
