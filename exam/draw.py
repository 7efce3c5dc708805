"""The draw: one form per candidate from the approved pool, cell by cell without replacement, with
question and option order shuffled, from a numpy Generator seeded by the round's secret seed and the
application, so that any form can be rebuilt for an audit. Plain numpy; no Flask, no database."""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

import numpy as np

MAX_OPTIONS = 6
MAX_ATTEMPTS = 50
EXPECTED_P = {1: 0.8, 2: 0.6, 3: 0.4}  # p-value a level is written for, until item analysis says otherwise


@dataclass(frozen=True)
class Cell:
    topic: str
    difficulty: int
    count: int
    points: float = 1.0


@dataclass(frozen=True)
class Pool:
    """The approved questions as arrays, one entry per question version."""
    version_ids: np.ndarray  # int64
    cell: np.ndarray  # int: index of the blueprint cell it belongs to, -1 if none
    n_options: np.ndarray  # int: 0 for fill-in
    keep_order: np.ndarray  # bool
    difficulty: np.ndarray  # float: the observed p-value where known, else the level's expected one

    @classmethod
    def build(cls, items, cells: list[Cell], weighed: bool = False) -> Pool:
        """items: objects with version_id, topic, difficulty, n_options, keep_order, p_value (and points).
        weighed (a test scored on points, C2): a question counts in its cell only if it is worth the
        cell's points, so that every form has the same points per question in a group (C2); one worth
        more or less would make one candidate's paper weigh otherwise than their neighbour's."""
        index = {(c.topic, c.difficulty): i for i, c in enumerate(cells)}

        def cell_of(item) -> int:
            i = index.get((item.topic, item.difficulty), -1)
            if i >= 0 and weighed and not math.isclose(float(item.points), cells[i].points):
                return -1
            return i

        items = sorted(items, key=lambda i: i.version_id)  # the draw must not depend on the bank's query order
        return cls(
            version_ids=np.array([i.version_id for i in items], dtype=np.int64),
            cell=np.array([cell_of(i) for i in items], dtype=np.int64),
            n_options=np.array([i.n_options for i in items], dtype=np.int64),
            keep_order=np.array([i.keep_order for i in items], dtype=bool),
            difficulty=np.array([i.p_value if i.p_value is not None else EXPECTED_P.get(i.difficulty, 0.6)
                                 for i in items], dtype=float))


def without(pool: Pool, cells: list[Cell], seen: set[int]) -> Pool:
    """The pool less the versions in `seen`, in every cell that keeps enough for its count (a cell that
    would not keeps them all: its form is whole, and the draw avoids them at their old slots)."""
    drop = np.isin(pool.version_ids, np.array(sorted(seen), dtype=np.int64))
    for i, cell in enumerate(cells):
        mine = pool.cell == i
        if np.count_nonzero(mine & ~drop) < cell.count:
            drop &= ~mine
    keep = ~drop
    return Pool(pool.version_ids[keep], pool.cell[keep], pool.n_options[keep], pool.keep_order[keep],
                pool.difficulty[keep])


@dataclass(frozen=True)
class DrawnForm:
    positions: np.ndarray  # indices into the pool, in slot order
    perms: np.ndarray  # int8 [slots, MAX_OPTIONS]: displayed option -> bank option, -1 padding
    attempt: int  # the redraw that was kept (reproducible: part of the seed)

    def version_ids(self, pool: Pool) -> np.ndarray:
        return pool.version_ids[self.positions]


def snapshot(pool: Pool, cells: list[Cell]) -> list[list[list[int]]]:
    """Per cell, [version id, options, keep order] of every pool entry it draws from."""
    return [[[int(pool.version_ids[j]), int(pool.n_options[j]), int(pool.keep_order[j])]
             for j in np.flatnonzero(pool.cell == i)] for i in range(len(cells))]


def from_snapshot(members: list[list[list[int]]], cells: list[Cell]) -> Pool:
    """The pool a snapshot describes (difficulty is not needed to rebuild a kept draw)."""
    rows = sorted((v, i, n, k) for i, cell in enumerate(members) for v, n, k in cell)
    return Pool(version_ids=np.array([r[0] for r in rows], dtype=np.int64), cell=np.array([r[1] for r in rows], dtype=np.int64),
                n_options=np.array([r[2] for r in rows], dtype=np.int64), keep_order=np.array([bool(r[3]) for r in rows]),
                difficulty=np.zeros(len(rows)))


def seed_for(round_seed: str, test_id: int, application_id: int, retake: int = 0) -> int:
    key = f"{round_seed}:{test_id}:{application_id}" + (f":retake{retake}" if retake else "")
    digest = hashlib.sha256(key.encode()).digest()
    return int.from_bytes(digest[:8], "big")


def shortfalls(pool: Pool, cells: list[Cell], multiple: int) -> list[tuple[Cell, int]]:
    """G1: cells with fewer than multiple x count approved questions, with what they have."""
    have = np.bincount(pool.cell[pool.cell >= 0], minlength=len(cells))
    return [(c, int(have[i])) for i, c in enumerate(cells) if have[i] < multiple * c.count]


def target_difficulty(pool: Pool, cells: list[Cell]) -> float:
    """The mean difficulty a form would have if every cell drew its average question. A cell the pool
    no longer holds (its questions retired since the draw: the fairness report asks) counts at its
    level's expected value, not as NaN, which the report would show as the target."""
    total = sum(c.count for c in cells)

    def mean(i: int, cell: Cell) -> float:
        mine = pool.difficulty[pool.cell == i]
        return float(mine.mean()) if len(mine) else EXPECTED_P.get(cell.difficulty, 0.6)

    return sum(c.count * mean(i, c) for i, c in enumerate(cells) if c.count) / total


@dataclass(frozen=True)
class Plan:
    """What every form of a blueprint draws from, laid out once: the pool entries of each cell side
    by side (`flat`, with their cell in `group`) and which sorted places a form takes (`take`)."""
    flat: np.ndarray
    group: np.ndarray
    take: np.ndarray

    @classmethod
    def build(cls, pool: Pool, cells: list[Cell]) -> Plan:
        members = [np.flatnonzero(pool.cell == i) for i in range(len(cells))]
        sizes = np.array([len(m) for m in members], dtype=np.int64)
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        take = [np.arange(starts[i], starts[i] + min(c.count, sizes[i])) for i, c in enumerate(cells)]
        return cls(np.concatenate(members) if members else np.zeros(0, dtype=np.int64),
                   np.repeat(np.arange(len(cells)), sizes).astype(float),
                   np.concatenate(take) if take else np.zeros(0, dtype=np.int64))


def _one(plan: Plan, rng: np.random.Generator) -> np.ndarray:
    # A uniform sample without replacement in every cell at once: one random key per pool entry,
    # sorted within its cell (cell index + key in [0, 1)), the first `count` of each cell kept.
    order = np.argsort(plan.group + rng.random(len(plan.flat)), kind="stable")
    chosen = plan.flat[order[plan.take]]
    return chosen[rng.permutation(len(chosen))]


def draw(pool: Pool, cells: list[Cell], seed: int, *, tolerance: float | None = None,
         avoid: np.ndarray | None = None, plan: Plan | None = None, target: float | None = None) -> DrawnForm:
    """A form whose mean difficulty is within tolerance of the target (redrawn otherwise) and, where
    the bank allows, with no question at the same slot as in `avoid` (the neighbouring seat's form)."""
    plan = plan if plan is not None else Plan.build(pool, cells)
    if tolerance is not None and target is None:
        target = target_difficulty(pool, cells)
    best = None
    for attempt in range(MAX_ATTEMPTS):
        rng = np.random.default_rng([seed, attempt])
        positions = _one(plan, rng)
        clashes = int(np.count_nonzero(positions == avoid)) if avoid is not None and len(avoid) == len(positions) else 0
        off = abs(float(pool.difficulty[positions].mean()) - target) if tolerance is not None else 0.0
        score = (tolerance is not None and off > tolerance, clashes, off)
        if best is None or score < best[0]:
            best = (score, positions, attempt, rng)
        if not score[0] and not score[1]:
            break
    _, positions, attempt, rng = best
    return DrawnForm(positions, _perms(pool, positions, rng), attempt)


def _perms(pool: Pool, positions: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Every slot's option order at once: random keys sorted per row; options marked "keep order"
    (true/false among them) keep ascending keys; the padding beyond a question's options sorts last."""
    n = pool.n_options[positions][:, None]
    column = np.arange(MAX_OPTIONS)[None, :]
    keys = rng.random((len(positions), MAX_OPTIONS))
    keys = np.where(pool.keep_order[positions][:, None], column / MAX_OPTIONS, keys)
    keys = np.where(column >= n, 2.0 + column, keys)
    perms = np.argsort(keys, axis=1).astype(np.int8)
    perms[np.broadcast_to(column >= n, perms.shape)] = -1
    return perms


def rebuild(pool: Pool, cells: list[Cell], seed: int, attempt: int) -> DrawnForm:
    """The form of a given seed and kept attempt, exactly as drawn (for the audit)."""
    rng = np.random.default_rng([seed, attempt])
    positions = _one(Plan.build(pool, cells), rng)
    return DrawnForm(positions, _perms(pool, positions, rng), attempt)


# How a form is stored (Form.version_ids, Form.option_perms): this module alone knows the packing.
VERSION_DTYPE = "<i4"  # one little-endian int32 version id per slot
VERSION_BYTES = 4
PERM_DTYPE = np.int8  # MAX_OPTIONS bank options per slot, -1 padding


def pack(version_ids: np.ndarray, perms: np.ndarray) -> tuple[bytes, bytes]:
    """Compact storage: int32 version ids and int8 permutations, a few hundred bytes per form."""
    return version_ids.astype(VERSION_DTYPE).tobytes(), perms.astype(PERM_DTYPE).tobytes()


def unpack(version_bytes: bytes, perm_bytes: bytes) -> tuple[np.ndarray, np.ndarray]:
    ids = unpack_versions(version_bytes)
    return ids, unpack_perms(perm_bytes)


def unpack_versions(version_bytes: bytes) -> np.ndarray:
    return np.frombuffer(version_bytes, dtype=VERSION_DTYPE).astype(np.int64)


def unpack_perms(perm_bytes: bytes) -> np.ndarray:
    """[slots, MAX_OPTIONS] displayed option -> bank option."""
    return np.frombuffer(perm_bytes, dtype=PERM_DTYPE).reshape(-1, MAX_OPTIONS)


def slot_count(version_bytes: bytes) -> int:
    """How many questions a stored form has."""
    return len(version_bytes) // VERSION_BYTES


def version_matrix(forms: list[bytes]) -> np.ndarray:
    """[forms, slots] version ids of forms of one test (they have the same number of slots)."""
    return np.frombuffer(b"".join(forms), dtype=VERSION_DTYPE).reshape(len(forms), -1).astype(np.int64)


def perm_matrix(forms: list[bytes]) -> np.ndarray:
    """[forms, slots, MAX_OPTIONS] permutations of forms of one test."""
    return np.frombuffer(b"".join(forms), dtype=PERM_DTYPE).reshape(len(forms), -1, MAX_OPTIONS).astype(np.int64)


def digest(version_bytes: bytes, perm_bytes: bytes) -> str:
    return hashlib.sha256(version_bytes + b"|" + perm_bytes).hexdigest()
