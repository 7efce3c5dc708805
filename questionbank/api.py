"""What the question bank offers other packages (the exam draws and grades through this).
Plain values only; the bank's tables stay private to questionbank/."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .records import LETTERS

MAX_OPTIONS = len(LETTERS)  # A to F: an option's index in the bank is below it


@dataclass(frozen=True)
class PoolQuestion:
    """An approved question version as the draw sees it."""
    version_id: int
    question_id: int
    topic: str
    difficulty: int  # 1 easy, 2 medium, 3 hard
    type: str  # single | truefalse | fill
    n_options: int  # 0 for fill
    keep_order: bool  # true/false and questions whose options must not be shuffled
    points: float
    p_value: float | None  # observed difficulty from item analysis, when known


@dataclass(frozen=True)
class QuestionContent:
    """One version's content, for showing (without the key) and for grading (with it)."""
    version_id: int
    type: str
    stem_html: str  # sanitised
    options_html: tuple[str, ...]  # in the bank's order
    key: tuple[int, ...]  # the right options: indices into options_html
    accepted: tuple[str, ...]  # fill-in answers
    diacritics_sensitive: bool  # fill-in: diacritics must match unless the question says otherwise
    points: float


def approved_pool(section: str, position_code: str | None = None, common: bool = False) -> list[PoolQuestion]:
    """Approved questions of a section that serve the position; with no position, all of them, or with
    common (a paper every position sits, round 1) only those set for every position."""
    from .pool import approved_pool as impl

    return impl(section, position_code, common)


def analysis_viewed(test_id: int, count: int, stems: bool) -> None:
    """G2: an exam's item analysis showed these questions (read_log.analysed)."""
    from .read_log import analysed

    analysed(test_id, count, stems)


def contents(version_ids: list[int]) -> dict[int, QuestionContent]:
    from .pool import contents as impl

    return impl(version_ids)


@dataclass(frozen=True)
class ItemStatistic:
    """Item analysis of one question version after a test (fed back into the bank)."""
    version_id: int
    p_value: float | None
    discrimination: float | None
    flag: str | None  # too_easy | too_hard | low_discrimination | check_key | None


def create_approved_questions(records: list[dict], author_id: int, reviewer_id: int) -> list[int]:
    """Bulk creation of approved questions (tests, benchmarks, demos of other packages). Each record
    uses the spreadsheet's field names: section, positions (list), topic, difficulty, type, stem,
    options (list), answer (option indices, or accepted texts for fill), points, explanation."""
    from .bank import create_approved

    return create_approved(records, author_id, reviewer_id)


def mark_versions_used(version_ids: list[int]) -> None:
    """The exam drew these versions: from now on an edit makes a new version."""
    from .pool import mark_versions_used as impl

    impl(version_ids)


def record_item_statistics(stats: list[ItemStatistic]) -> None:
    from .pool import record_item_statistics as impl

    impl(stats)


def register_demand_provider(app, provider) -> None:
    """provider(section, position_code) -> {(topic, difficulty): count}: what the blueprints draw,
    held against the bank in the coverage matrix (G1)."""
    app.extensions.setdefault("questionbank.demand", []).append(provider)


def image_data(name: str) -> tuple[str, bytes] | None:
    """(mime, bytes) of a bank image, for the exam to serve to a candidate sitting a question that shows it."""
    from recruitment.extensions import db

    from .models import QuestionImage

    image = db.session.scalar(db.select(QuestionImage).filter_by(name=name))
    return (image.mime, image.data) if image else None


CANDIDATE_IMAGE_SECONDS = 6 * 3600


def candidate_html(markup: str) -> str:
    """The question's HTML for a candidate's paper: each bank image becomes a signed, expiring link,
    so a candidate sees the images of their own questions and nothing else of the bank."""
    cleaned = _cleaned(markup)
    if "<img" not in cleaned:  # most stems and options: a paper has some seventy, each asked per candidate
        return cleaned
    from .images import candidate_links

    return candidate_links(cleaned)


@lru_cache(maxsize=8192)
def _cleaned(markup: str) -> str:
    """Cleaning is a pure function of the markup, and a whole sitting fetches the same few hundred
    questions at the same minute: each worker cleans each one once (the links, per session, are not kept)."""
    from .sanitize import clean

    return clean(markup)
