"""Item 10: an import's errors are shown sorted by row then column, whichever pass of the importer
found them (a cell it could not read, a duplicate, an unknown position), on the page and at the CLI."""
from __future__ import annotations

import io
import re

from recruitment import importing, tabular
from tests.support.factories import make_round
from tests.support.importfiles import APPLICATION_HEADERS, POSITION_HEADERS, POSITIONS, application_row, write_xlsx

# Row 3: a national ID already on row 2 (second pass), a wrong gender (first pass) and an unknown
# position (second pass); row 4: an unreadable date (first pass). Found in the order 3, 4, 3, 3.
ROWS = [application_row("031000000001", "Trần Văn Bình"),
        application_row("031000000001", "Lê Thị Mai", position="XX-99"),
        application_row("031000000003", "Hồ Văn Cường", born="1995-13-01")]
ROWS[1][3] = "khác"
EXPECTED = [(3, "national_id"), (3, "gender"), (3, "position_code"), (4, "date_of_birth")]


def _round(tmp_path):
    round_ = make_round()
    importing.import_positions(round_, "p.xlsx", write_xlsx(tmp_path / "p.xlsx", POSITION_HEADERS, POSITIONS).read_bytes())
    return round_


def test_the_rejection_sorts_its_errors_by_row_then_column():
    errors = [tabular.RowError(4, "b", "x"), tabular.RowError(2, "b", "y"), tabular.RowError(None, None, "file"),
              tabular.RowError(2, "a", "z"), tabular.RowError(2, None, "row")]
    rejected = tabular.ImportRejected(errors, {"a": 0, "b": 1})
    assert [(e.row, e.column) for e in rejected.errors] == [(None, None), (2, None), (2, "a"), (2, "b"), (4, "b")]


def test_the_page_lists_the_errors_by_row_then_column(app, client, make_user, login, tmp_path):
    round_ = _round(tmp_path)
    login(make_user("hr", "hr"))
    data = write_xlsx(tmp_path / "a.xlsx", APPLICATION_HEADERS, ROWS).read_bytes()
    response = client.post(f"/hr/rounds/{round_.id}/import/applications",
                           data={"file": (io.BytesIO(data), "a.xlsx")}, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    shown = re.findall(r'<tr><td class="num">(\d+)</td><td>([^<]*)</td>', page)
    assert response.status_code == 422 and [(int(r), c) for r, c in shown] == EXPECTED


def test_the_command_prints_the_errors_by_row_then_column(app, tmp_path):
    _round(tmp_path)
    path = write_xlsx(tmp_path / "a.xlsx", APPLICATION_HEADERS, ROWS)
    result = app.test_cli_runner().invoke(
        args=["applications", "import", "--round", "R1", str(path), "--lang", "en"])
    lines = [line for line in result.stderr.splitlines() if re.match(r"a\.xlsx: row \d", line)]
    found = [(int(m.group(1)), m.group(2)) for m in (re.match(r"a\.xlsx: row (\d+), column (\w+)", line) for line in lines)]
    assert result.exit_code == 2 and found == EXPECTED
