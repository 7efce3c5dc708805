"""Grading a whole test at once over its answer matrix (numpy): single choice and true/false by the
option key through each form's permutation, fill-in by normalised text, points, scaling to 100
(C2), the pass check (B2) on the sanctioned, unrounded count (B6). No Flask, no database."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from recruitment.rulesets import RuleSet
from recruitment.vietnamese import clean_spaces, fold

from .draw import MAX_OPTIONS


@dataclass(frozen=True)
class Keys:
    """Per question version (rows), aligned with a version-id -> row index."""
    index: dict[int, int]
    key_matrix: np.ndarray  # bool [versions, MAX_OPTIONS]: every option that earns the point (B7: may be several)
    points: np.ndarray  # float [versions]
    accepted: list[tuple[str, ...]]  # fill-in: normalised accepted answers, () otherwise
    diacritics_sensitive: np.ndarray  # bool
    neutralised: np.ndarray  # bool: B7, everyone who sat it gets its point

    @classmethod
    def build(cls, contents: dict, neutralised: set[int] = frozenset(), extra_keys: dict[int, list[int]] | None = None):
        ids = sorted(contents)
        key_matrix = np.zeros((len(ids), MAX_OPTIONS), dtype=bool)
        accepted, sensitive = [], []
        for row, vid in enumerate(ids):
            c = contents[vid]
            for option in list(c.key) + list((extra_keys or {}).get(vid, [])):
                key_matrix[row, option] = True
            accepted.append(tuple(normalise(a, c.diacritics_sensitive) for a in c.accepted))
            sensitive.append(c.diacritics_sensitive)
        return cls({v: i for i, v in enumerate(ids)}, key_matrix, np.array([contents[v].points for v in ids], dtype=float),
                   accepted, np.array(sensitive, dtype=bool), np.array([v in neutralised for v in ids], dtype=bool))


def normalise(text: str, diacritics_sensitive: bool = True) -> str:
    """Case, spaces and Unicode form never matter; diacritics do unless the question says otherwise."""
    text = clean_spaces(unicodedata.normalize("NFC", text or "")).lower()
    return text if diacritics_sensitive else fold(text)


@dataclass
class Graded:
    right: np.ndarray  # bool [attempts, slots]: the slot earns its point
    right_count: np.ndarray  # float [attempts]
    points: np.ndarray  # float [attempts]
    max_points: np.ndarray  # float [attempts]


def grade(rows: np.ndarray, perms: np.ndarray, choices: np.ndarray, texts: dict[tuple[int, int], str],
          keys: Keys) -> Graded:
    """rows: [attempts, slots] key rows of each slot's version; perms: [attempts, slots, MAX_OPTIONS];
    choices: [attempts, slots] displayed option chosen, -1 when blank; texts: (attempt, slot) -> fill-in."""
    # A choice off the displayed options (stored before saves were checked) is wrong, not a crash.
    answered = (choices >= 0) & (choices < perms.shape[-1])
    displayed = np.where(answered, choices, 0)
    bank_option = np.take_along_axis(perms, displayed[..., None].astype(np.int64), axis=2)[..., 0]
    valid = answered & (bank_option >= 0)
    right = valid & keys.key_matrix[rows, np.where(valid, bank_option, 0)]
    for (a, s), text in texts.items():
        row = rows[a, s]
        if keys.accepted[row]:
            right[a, s] = normalise(text, bool(keys.diacritics_sensitive[row])) in keys.accepted[row]
    right |= keys.neutralised[rows]  # B7
    slot_points = keys.points[rows]
    return Graded(right, right.sum(axis=1).astype(float), (right * slot_points).sum(axis=1),
                  slot_points.sum(axis=1))


def outcome(right_count: float, total: int, points: float, max_points: float, rules: RuleSet, *, sanction: str | None,
            scale_to_100: bool, pass_fraction: Decimal | None) -> tuple[Decimal, Decimal | None, bool | None]:
    """(correct count, score, passed) for one attempt. Round 1 passes on the correct count reduced
    by the sanction, unrounded (B2, B6); round 2 is scaled to 100 and rounded (C2, C6)."""
    if sanction == rules.voiding_sanction:
        return Decimal(str(right_count)), None, False
    factor = 1 - rules.sanction_fractions.get(sanction or "", Decimal(0))
    count = Decimal(str(right_count))
    score = rules.round_score(Decimal(str(points)) / Decimal(str(max_points)) * 100 * factor) if scale_to_100 else None
    # The rule set's one pass check (B2, B6), with the test's own pass mark (B8).
    passed = rules.part_passed(count, total, sanction, pass_fraction) if pass_fraction is not None else None
    return count, score, passed
