"""Applications import (recruitment/importing.py APPLICATION_COLUMNS): a cell the web form would
refuse, or that no real person has, refuses the file naming its row; invisible characters are dropped."""
from __future__ import annotations

import pytest

from recruitment import importing
from recruitment.extensions import db
from recruitment.models import Application
from recruitment.tabular import ImportRejected
from tests.support.factories import make_round
from tests.support.importfiles import APPLICATION_HEADERS, POSITION_HEADERS, POSITIONS, application_row, write_xlsx


@pytest.fixture
def round_(app, tmp_path):
    r = make_round()  # deadline 01/10/2026
    p = write_xlsx(tmp_path / "p.xlsx", POSITION_HEADERS, POSITIONS)
    importing.import_positions(r, p.name, p.read_bytes())
    return r


def _import(r, tmp_path, rows):
    p = write_xlsx(tmp_path / "a.xlsx", APPLICATION_HEADERS, rows)
    return importing.import_applications(r, p.name, p.read_bytes())


def _refused_on(r, tmp_path, rows, column):
    with pytest.raises(ImportRejected) as excinfo:
        _import(r, tmp_path, rows)
    db.session.rollback()
    assert (2, column) in [(e.row, e.column) for e in excinfo.value.errors]
    assert db.session.scalar(db.select(db.func.count()).select_from(Application)) == 0


def test_import_refuses_an_email_the_form_refuses(round_, tmp_path):
    row = application_row("031000000001", "Trần Văn Bình")
    row[4] = "not an e-mail <x@y>"
    _refused_on(round_, tmp_path, [row], "email")


@pytest.mark.parametrize("born", ["01/02/0095", "0095-02-01", "01/01/1800"])
def test_import_refuses_an_impossible_year_of_birth(round_, tmp_path, born):
    # A two-digit year typed into a DD/MM/YYYY cell: the person is 1,931 years old and is admitted.
    _refused_on(round_, tmp_path, [application_row("031000000001", "Trần Văn Bình", born=born)], "date_of_birth")


def test_import_refuses_a_date_of_birth_after_the_deadline(round_, tmp_path):
    # Not "rejected: under 18 (age -4)", a negative age told to the candidate: a typing error, named.
    _refused_on(round_, tmp_path, [application_row("031000000001", "Trần Văn Bình", born="01/01/2030")],
                "date_of_birth")


@pytest.mark.parametrize("name", ["\u200b", "\u200c\u200d", "\u0301\u0301", "\u2060\ufeff"],
                         ids=["zwsp", "zwnj-zwj", "combining-only", "word-joiner-bom"])
def test_import_refuses_a_name_with_no_visible_letter(round_, tmp_path, name):
    # Never admitted and numbered under a name that shows nothing.
    _refused_on(round_, tmp_path, [application_row("031000000001", name)], "full_name")


@pytest.mark.parametrize("name", ["Nguyễn\u200b Văn An", "Nguyễn Văn\u00ad An", "Nguyễn \u202eVăn An"],
                         ids=["zwsp", "soft-hyphen", "rtl-override"])
def test_an_invisible_character_in_a_name_does_not_hide_the_person_from_search(round_, tmp_path, client, make_user,
                                                                              login, name):
    """The name is stored without the invisible character, so that HR's search (name_key) finds
    'nguyen van an' and the name reads as typed."""
    _import(round_, tmp_path, [application_row("031000000001", name)])
    assert db.session.scalar(db.select(Application.full_name)) == "Nguyễn Văn An"
    login(make_user("hr", "hr"))
    page = client.get(f"/hr/rounds/{round_.id}/applications?q=nguyen van an").get_data(as_text=True)
    assert "031000000001" in page


@pytest.mark.parametrize("cell", [12345, True], ids=["number", "boolean"])
def test_a_full_name_cell_holding_a_number_or_boolean_is_refused(round_, tmp_path, cell):
    """A shifted column (the ID or the exempt flag pasted under ho_ten): the cell is read as the text
    '12345' or 'True' and the 'person' is admitted and numbered under that name."""
    _refused_on(round_, tmp_path, [application_row("031000000001", cell)], "full_name")


def test_a_full_name_cell_holding_a_date_is_refused(round_, tmp_path):
    from datetime import date
    _refused_on(round_, tmp_path, [application_row("031000000001", date(1995, 2, 1))], "full_name")
