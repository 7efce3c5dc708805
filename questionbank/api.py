"""What the question bank offers other packages (the exam draws and grades through this).
Plain values only; the bank's tables stay private to questionbank/."""
from __future__ import annotations

from dataclasses import dataclass


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
    correct: tuple[int, ...]  # indices into options_html (several when neutralised per B7)
    accepted: tuple[str, ...]  # fill-in answers
    diacritics_sensitive: bool  # fill-in: diacritics must match unless the question says otherwise
    points: float


def approved_pool(section: str, position_code: str | None = None) -> list[PoolQuestion]:
    """Approved questions of a section that serve the position (or every position)."""
    from .pool import approved_pool as impl

    return impl(section, position_code)


def contents(version_ids: list[int]) -> dict[int, QuestionContent]:
    from .pool import contents as impl

    return impl(version_ids)
