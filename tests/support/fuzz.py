"""Mutations of valid import files for the property every importer keeps (issue "Files in", item 3):
whatever the file, a clean ImportRejected or a clean import, never another exception, and a refused
file writes nothing. Kept to a few seconds per importer: few examples, no deadline."""
from __future__ import annotations

import csv
import io

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from recruitment import tabular
from recruitment.extensions import db

FUZZ = settings(max_examples=30, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

HOSTILE_CELLS = st.sampled_from([
    "", " ", "1e23", "100000000000000000000000", "1e999999", "-1", "0", "NaN", "inf", "-0", "1e-999999", "99,5",
    "=1+1", "\x00", "x" * 40_000, "<script>alert(1)</script>", "javascript:alert(1)", "31/02/2020", "2020-13-45",
    "yes", "không", "head", "general", "fraud", "verified", "031000000001", "1", "2", "3", "A", "Đúng",
]) | st.text(max_size=30)


def to_csv(rows: list[list]) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


@st.composite
def tabular_mutant(draw, headers: list[str], rows: list[list]) -> tuple[str, bytes]:
    """A valid table with some cells replaced by hostile values, rows duplicated or dropped, then
    written as .csv or .xlsx and, sometimes, damaged at the byte level."""
    table = [list(headers)] + [list(r) for r in rows]
    for _ in range(draw(st.integers(0, 4))):
        r = draw(st.integers(0, len(table) - 1))
        c = draw(st.integers(0, len(headers)))
        while len(table[r]) <= c:
            table[r].append("")
        table[r][c] = draw(HOSTILE_CELLS)
    action = draw(st.sampled_from(["none", "duplicate", "drop", "blank"]))
    if action == "duplicate" and len(table) > 1:
        table.append(list(table[1]))
    elif action == "drop" and len(table) > 2:
        table.pop(draw(st.integers(1, len(table) - 1)))
    elif action == "blank":
        table.insert(draw(st.integers(0, len(table))), [])
    fmt = draw(st.sampled_from(["csv", "xlsx"]))
    width = max(len(row) for row in table)
    table = [row + [""] * (width - len(row)) for row in table]
    if fmt == "xlsx":  # openpyxl refuses to write control characters; a producer could, but they are stripped here
        table = [[ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row] for row in table]
    data = to_csv(table) if fmt == "csv" else tabular.xlsx_bytes([("data", table[0], table[1:])])
    return f"fuzz.{fmt}", damaged(draw, data)


def damaged(draw, data: bytes) -> bytes:
    """Positions are drawn as fractions of the length: an .xlsx's length varies with its timestamp,
    and hypothesis needs the same draws to replay an example."""
    kind = draw(st.sampled_from(["none", "none", "truncate", "flip", "insert"]))
    at = draw(st.integers(0, 10_000)) * len(data) // 10_001
    if kind == "truncate":
        return data[:at]
    if kind == "flip":
        return data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1:]
    if kind == "insert":
        return data[:at] + draw(st.binary(min_size=1, max_size=20)) + data[at:]
    return data


@st.composite
def text_mutant(draw, text: str) -> bytes:
    """A valid text file (XML, GIFT, Aiken) with characters inserted, deleted or replaced."""
    chars = list(text)
    for _ in range(draw(st.integers(0, 5))):
        at = draw(st.integers(0, max(len(chars) - 1, 0)))
        op = draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = draw(st.sampled_from(["<", ">", "&", "{", "}", "=", "~", "#", ":", "\\", "\n", "1e999999", "ANSWER: Z",
                                      "<img src=\"x.png\">", "javascript:", "\x00", "A)", "]]>"]) | st.text(max_size=5))
        if op == "insert":
            chars[at:at] = list(piece)
        elif op == "delete" and chars:
            del chars[at:at + draw(st.integers(1, 20))]
        elif chars:
            chars[at:at + 1] = list(piece)
    return damaged(draw, "".join(chars).encode("utf-8", "surrogatepass"))


def counts() -> dict[str, int]:
    """Rows in every table: what a refused file must leave exactly as it was."""
    with db.session.no_autoflush:
        return {t.name: db.session.execute(db.select(db.func.count()).select_from(t)).scalar_one()
                for t in db.metadata.sorted_tables}


def check_import(run) -> str:
    """Runs an import; a refusal must leave every table as it was. Anything else propagates."""
    before = counts()
    try:
        run()
    except tabular.ImportRejected as rejected:
        db.session.rollback()
        assert rejected.errors, "a refusal names at least one error"
        assert counts() == before, "a refused file wrote something"
        return "rejected"
    db.session.commit()
    return "imported"
