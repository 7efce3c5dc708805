"""`flask exam draw|grade|verify --test T`. Defects found in review: `--test 0` named no test and so
acted on every active test of the round, and a number beyond the database's keys died in an
SQLite OverflowError traceback. Both are now refused as a usage error, nothing drawn."""
import pytest
from sqlalchemy import select

from exam import blueprints
from exam.models import Form
from recruitment.extensions import db
from tests.support.factories import small_test


@pytest.mark.parametrize("test_option", ["0", "-1", "99999999999999999999"])
def test_a_test_number_that_names_no_test_acts_on_none(app, exam_round, test_option):
    test = small_test(exam_round)
    blueprints.activate(test)
    db.session.commit()
    for command in ("draw", "grade", "verify"):
        result = app.test_cli_runner().invoke(args=["exam", command, "--round", exam_round.code, "--test", test_option])
        assert result.exit_code != 0 and (result.exception is None or isinstance(result.exception, SystemExit)), \
            result.output
    assert db.session.scalar(select(db.func.count()).select_from(Form)) == 0
