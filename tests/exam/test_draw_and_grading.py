"""Property tests of the draw and the grading (hypothesis), item statistics against a slow reference."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from exam import draw as drawing
from exam import grading, stats
from recruitment.rulesets import VN_2025


@dataclass(frozen=True)
class Item:
    version_id: int
    topic: str
    difficulty: int
    n_options: int
    keep_order: bool
    p_value: float | None = None


@dataclass(frozen=True)
class Content:
    type: str
    key: tuple
    accepted: tuple = ()
    diacritics_sensitive: bool = True
    points: float = 1.0


CELLS = [drawing.Cell("Hiến pháp", 1, 3), drawing.Cell("Hiến pháp", 2, 4), drawing.Cell("Tin học", 3, 2)]


@st.composite
def pools(draw):
    items = []
    for cell in CELLS:
        for _ in range(draw(st.integers(cell.count * 3, cell.count * 5))):
            n = draw(st.sampled_from([2, 4, 4, 5, 6]))
            items.append(Item(len(items) + 1, cell.topic, cell.difficulty, n, n == 2,
                              draw(st.one_of(st.none(), st.floats(0.05, 0.95)))))
    items.append(Item(len(items) + 1, "Khác", 1, 4, False))  # outside the blueprint: never drawn
    return items


@settings(max_examples=60, deadline=None)
@given(pools(), st.integers(0, 2**63 - 1))
def test_every_form_satisfies_its_blueprint_and_rebuilds_from_its_seed(items, seed):
    pool = drawing.Pool.build(items, CELLS)
    form = drawing.draw(pool, CELLS, seed, tolerance=0.15)
    chosen = [items[i] for i in form.positions]
    assert len({i.version_id for i in chosen}) == len(chosen) == sum(c.count for c in CELLS)  # without replacement
    for cell in CELLS:
        assert sum(1 for i in chosen if (i.topic, i.difficulty) == (cell.topic, cell.difficulty)) == cell.count
    again = drawing.rebuild(pool, CELLS, seed, form.attempt)
    assert np.array_equal(again.positions, form.positions) and np.array_equal(again.perms, form.perms)
    for slot, index in enumerate(form.positions):
        perm = form.perms[slot][form.perms[slot] >= 0]
        assert sorted(perm.tolist()) == list(range(items[index].n_options))  # a permutation of its options
        if items[index].keep_order:
            assert perm.tolist() == list(range(items[index].n_options))  # true/false stays in place


@settings(max_examples=60, deadline=None)
@given(pools(), st.integers(0, 2**63 - 1), st.data())
def test_shuffling_never_changes_which_option_is_right_and_grading_equals_marking_by_hand(items, seed, data):
    pool = drawing.Pool.build(items, CELLS)
    form = drawing.draw(pool, CELLS, seed)
    keys_by_version = {i.version_id: data.draw(st.integers(0, i.n_options - 1)) for i in items}
    contents = {v: Content("single", (k,)) for v, k in keys_by_version.items()}
    keys = grading.Keys.build(contents)
    versions = form.version_ids(pool)
    choices = np.array([[data.draw(st.integers(-1, items[i].n_options - 1)) for i in form.positions]])
    graded = grading.grade(np.array([[keys.index[int(v)] for v in versions]]), form.perms[None].astype(np.int64),
                           choices, {}, keys)
    by_hand = 0
    for slot, v in enumerate(versions):
        shown = choices[0, slot]
        if shown >= 0 and form.perms[slot][shown] == keys_by_version[int(v)]:  # the bank option behind the click
            by_hand += 1
    assert graded.right_count[0] == by_hand


def test_neutralised_questions_give_their_point_to_everyone_who_sat_them():
    contents = {1: Content("single", (0,)), 2: Content("single", (2,)), 3: Content("single", (1,))}
    keys = grading.Keys.build(contents, neutralised={2}, extra_keys={3: [0]})
    rows = np.array([[keys.index[1], keys.index[2], keys.index[3]]] * 3)
    perms = np.tile(np.array([0, 1, 2, 3, -1, -1]), (3, 3, 1))
    choices = np.array([[0, -1, 0], [1, 0, 1], [-1, 3, 2]])
    graded = grading.grade(rows, perms, choices, {}, keys)
    assert graded.right[:, 1].all()  # B7: blank or wrong, everyone who sat it has the point
    assert graded.right_count.tolist() == [3.0, 2.0, 1.0]  # option A of question 3 now also earns it


def test_fill_in_answers_ignore_case_spaces_and_unicode_form_but_not_diacritics_unless_told():
    contents = {1: Content("fill", (), ("Hà Nội",)), 2: Content("fill", (), ("Hà Nội",), diacritics_sensitive=False)}
    keys = grading.Keys.build(contents)
    rows = np.array([[0, 1]] * 3)
    perms = np.full((3, 2, 6), -1)
    texts = {(0, 0): "  hà   nội ", (0, 1): "ha noi", (1, 0): "Ha Noi", (1, 1): "HÀ NỘI",
             (2, 0): "Ha\u0300 No\u0302\u0323i"}  # decomposed marks: the same text in NFC
    graded = grading.grade(rows, perms, np.full((3, 2), -1), texts, keys)
    assert graded.right.tolist() == [[True, True], [False, True], [True, False]]


def test_b2_and_b6_on_the_attempt():
    count, score, passed = grading.outcome(31, 60, 31, 60, VN_2025, sanction="reprimand", scale_to_100=False,
                                           pass_fraction=Decimal("0.5"))
    assert (count, score, passed) == (Decimal(31), None, False)  # 23.25 < 30
    _c, score, _p = grading.outcome(45, 60, 45, 60, VN_2025, sanction=None, scale_to_100=True, pass_fraction=None)
    assert score == Decimal("75.00")  # C2: scaled to 100


def _slow_point_biserial(x, shown, j):
    rows = [i for i in range(x.shape[0]) if shown[i, j]]
    item = np.array([x[i, j] for i in rows])
    rest = np.array([sum(x[i, k] for k in range(x.shape[1]) if shown[i, k]) - x[i, j] for i in rows])
    with np.errstate(invalid="ignore", divide="ignore"):  # a constant column has no correlation
        return float(np.corrcoef(item, rest)[0, 1])


@settings(max_examples=40, deadline=None)
@given(st.integers(5, 40), st.integers(3, 12), st.integers(0, 10**6))
def test_item_statistics_match_a_slow_reference(n, k, seed):
    rng = np.random.default_rng(seed)
    ability = rng.random(n)
    x = (rng.random((n, k)) < ability[:, None]).astype(float)
    shown = rng.random((n, k)) < 0.8
    result = stats.item_statistics(x, shown)
    for j in range(k):
        seen = [x[i, j] for i in range(n) if shown[i, j]]
        if not seen:
            continue
        assert np.isclose(result.p_value[j], sum(seen) / len(seen))
        reference = _slow_point_biserial(x, shown, j) if len(seen) > 1 else np.nan
        if np.isfinite(reference):
            assert np.isclose(result.discrimination[j], reference)


def test_kr20_and_flags():
    x = np.array([[1, 1, 1, 0], [1, 1, 0, 0], [1, 0, 0, 0], [1, 1, 1, 1], [0, 0, 0, 0]], dtype=float)
    p = x.mean(0)
    expected = 4 / 3 * (1 - (p * (1 - p)).sum() / x.sum(1).var())
    assert np.isclose(stats.kr20(x), expected)
    assert stats.flag(0.9, 0.3) == "too_easy" and stats.flag(0.1, 0.3) == "too_hard"
    assert stats.flag(0.5, 0.1) == "low_discrimination" and stats.flag(0.5, -0.2) == "check_key"
    assert stats.flag(0.5, 0.4) is None


def test_neighbouring_forms_avoid_the_same_question_in_the_same_place():
    items = [Item(i + 1, "T", 1, 4, False) for i in range(30)]
    cells = [drawing.Cell("T", 1, 10)]
    pool = drawing.Pool.build(items, cells)
    previous = None
    for candidate in range(50):
        form = drawing.draw(pool, cells, drawing.seed_for("secret", 1, candidate), avoid=previous)
        if previous is not None:
            assert not np.any(form.positions == previous)
        previous = form.positions


def test_kr20_of_parallel_forms_is_kr20_when_everyone_sat_the_same_form():
    rng = np.random.default_rng(3)
    x = (rng.random((50, 8)) < rng.random(50)[:, None]).astype(float)
    columns = np.tile(np.arange(8), (50, 1))
    per_form = stats.kr20_forms(x.mean(axis=0), columns, x.sum(axis=1))
    assert np.allclose(per_form, stats.kr20(x))


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**63 - 1), st.floats(0.01, 0.05))
def test_a_form_beyond_the_tolerance_is_redrawn(seed, tolerance):
    rng = np.random.default_rng(seed % 1000)
    items = [Item(i + 1, "T", 2, 4, False, float(rng.uniform(0.1, 0.95))) for i in range(120)]
    cells = [drawing.Cell("T", 2, 30)]
    pool = drawing.Pool.build(items, cells)
    form = drawing.draw(pool, cells, seed, tolerance=tolerance)
    target = drawing.target_difficulty(pool, cells)
    assert abs(pool.difficulty[form.positions].mean() - target) <= tolerance
    again = drawing.rebuild(pool, cells, seed, form.attempt)
    assert np.array_equal(again.positions, form.positions)
