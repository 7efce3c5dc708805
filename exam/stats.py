"""Item analysis after a test (numpy): per question the p-value, the corrected point-biserial, how
often each option was chosen; per form KR-20. Each candidate sat their own form, so every statistic
is computed over the candidates who were shown the item (mask)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

EASY, HARD, LOW_DISCRIMINATION = 0.80, 0.20, 0.20


@dataclass(frozen=True)
class ItemStats:
    p_value: np.ndarray  # [items]
    discrimination: np.ndarray  # [items], corrected point-biserial; nan where undefined
    seen: np.ndarray  # [items]: how many candidates were shown it


def item_statistics(scores: np.ndarray, shown: np.ndarray | None = None) -> ItemStats:
    """scores: [candidates, items] of 0/1 (or points); shown: bool mask of the items each candidate sat."""
    x = np.asarray(scores, dtype=float)
    m = np.ones_like(x, dtype=bool) if shown is None else np.asarray(shown, dtype=bool)
    x = np.where(m, x, 0.0)
    n = m.sum(axis=0).astype(float)
    total = x.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = x.sum(axis=0) / n
        rest = total[:, None] - x  # the candidate's score without the item (corrected)
        rest_mean = np.where(m, rest, 0).sum(axis=0) / n
        dx = np.where(m, x - p, 0.0)
        dr = np.where(m, rest - rest_mean, 0.0)
        cov = (dx * dr).sum(axis=0)
        r = cov / np.sqrt((dx * dx).sum(axis=0) * (dr * dr).sum(axis=0))
    return ItemStats(p, r, n)


def kr20(scores: np.ndarray) -> float:
    """Kuder-Richardson 20 for one form's 0/1 matrix [candidates, items]."""
    x = np.asarray(scores, dtype=float)
    k = x.shape[1]
    if k < 2 or x.shape[0] < 2:
        return float("nan")
    p = x.mean(axis=0)
    variance = x.sum(axis=1).var(ddof=0)
    return float(k / (k - 1) * (1 - (p * (1 - p)).sum() / variance)) if variance else float("nan")


def option_frequencies(bank_choices: np.ndarray, n_options: int = 6) -> np.ndarray:
    """bank_choices: [responses] bank-order option chosen (-1 blank) -> counts [n_options + 1], blank last."""
    values = np.where(bank_choices < 0, n_options, bank_choices)
    return np.bincount(values.astype(np.int64), minlength=n_options + 1)[: n_options + 1]


def flag(p_value: float, discrimination: float) -> str | None:
    """Questions outside 0.20-0.80 or discriminating below 0.20 are flagged; a negative
    discrimination says 'check the key'."""
    if np.isfinite(discrimination) and discrimination < 0:
        return "check_key"
    if p_value > EASY:
        return "too_easy"
    if p_value < HARD:
        return "too_hard"
    if np.isfinite(discrimination) and discrimination < LOW_DISCRIMINATION:
        return "low_discrimination"
    return None


def kr20_forms(p_value: np.ndarray, form_items: np.ndarray, totals: np.ndarray) -> np.ndarray:
    """KR-20 of each candidate's form when every candidate sat their own parallel form of k items:
    k/(k-1) * (1 - sum of p*q over that form's items / variance of the totals across all forms).
    form_items: [candidates, k] item columns; with one shared form this is exactly kr20."""
    k = form_items.shape[1]
    variance = np.asarray(totals, dtype=float).var(ddof=0)
    if k < 2 or len(totals) < 2 or not variance:
        return np.full(len(form_items), np.nan)
    pq = (p_value * (1 - p_value))[form_items].sum(axis=1)
    return k / (k - 1) * (1 - pq / variance)
