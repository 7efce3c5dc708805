"""Every HR and score importer, fed mutations of a valid file: a clean error or a clean import, never
a traceback, never a partial write (issue "Files in", item 3)."""
from __future__ import annotations

import pytest
from hypothesis import given

from interviews.importing import import_interview
from marking.importing import import_written
from recruitment import importing
from results.importing import import_round1
from tests.support.factories import make_round
from tests.support.fuzz import FUZZ, check_import, tabular_mutant
from tests.support.importfiles import APPLICATION_HEADERS, POSITION_HEADERS, POSITIONS, application_row, write_xlsx

APPLICATIONS = [application_row("031000000001", "Trần An"), application_row("031000000002", "Lê Bình", priority="martyr_child"),
                application_row("031000000003", "Võ Cường", position="VT-02", degree="cao_dang")]
SCORE_FILES = {
    "round1": (import_round1, ["candidate_number", "part", "correct", "total", "absent", "sanction"],
               [[1, "general", 42, 60, "no", ""], [2, "general", 30, 60, "no", ""], [3, "", "", "", "yes", ""]]),
    # A paper written test names its markers (C3, docs/marking.md); candidates 1 and 2 passed round 1.
    "written": (import_written, ["candidate_number", "first_marker", "first_mark", "second_marker", "second_mark", "absent"],
                [[1, "gk1", "72,5", "gk2", 74, "no"], [2, "gk1", 40, "gk2", 41, "no"]]),
    "interview": (import_interview, ["candidate_number", "interviewer", "score", "absent"],
                  [[1, "a", 70, "no"], [1, "b", 75, "no"], [2, "a", 60, "no"], [2, "b", 64, "no"]]),
}


@pytest.fixture
def round_(app, tmp_path):
    round_ = make_round()
    importing.import_positions(round_, "p.xlsx", write_xlsx(tmp_path / "p.xlsx", POSITION_HEADERS, POSITIONS).read_bytes())
    return round_


def test_positions_never_crash_nor_half_import(round_):
    @FUZZ
    @given(tabular_mutant(POSITION_HEADERS, POSITIONS))
    def run(mutant):
        check_import(lambda: importing.import_positions(round_, *mutant))

    run()


def test_applications_never_crash_nor_half_import(round_):
    @FUZZ
    @given(tabular_mutant(APPLICATION_HEADERS, APPLICATIONS))
    def run(mutant):
        check_import(lambda: importing.import_applications(round_, *mutant))

    run()


@pytest.mark.parametrize("kind", sorted(SCORE_FILES))
def test_score_files_never_crash_nor_half_import(round_, kind, make_user):
    importing.import_applications(round_, "a.xlsx", write_xlsx_bytes(APPLICATION_HEADERS, APPLICATIONS))
    if kind in ("written", "interview"):  # admitted to round 2 (C1): round 1 passed
        round1, headers, rows = SCORE_FILES["round1"]
        round1(round_, "r1.csv", write_xlsx_bytes(headers, rows, "csv"))
    if kind == "written":  # a paper written test's markers are known
        make_user("gk1", "marker"), make_user("gk2", "marker")
    if kind == "interview":  # its interviewers are users (formats.md)
        make_user("a", "interviewer"), make_user("b", "interviewer")
    importer, headers, rows = SCORE_FILES[kind]
    assert check_import(lambda: importer(round_, "valid.csv", write_xlsx_bytes(headers, rows, "csv"))) == "imported"

    @FUZZ
    @given(tabular_mutant(headers, rows))
    def run(mutant):
        check_import(lambda: importer(round_, *mutant))

    run()


def write_xlsx_bytes(headers, rows, fmt="xlsx") -> bytes:
    from recruitment import tabular

    return tabular.xlsx_bytes([("d", headers, rows)]) if fmt == "xlsx" else tabular.csv_bytes(headers, rows)
