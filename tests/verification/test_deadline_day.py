"""F1: the dossier is due 15 days after the publication, counted in Vietnam's days. A publication at
06:00 in Hà Nội is 23:00 the day before in UTC, and the deadline was counted from that day: a day
short, after which F3 cancels the selection."""
from datetime import date, datetime

from recruitment.extensions import db
from tests.support.factories import round_with_applications
from verification import dossiers


def test_the_deadline_counts_from_the_day_of_publication_in_vietnam(app, tmp_path):
    round_, [application] = round_with_applications(tmp_path, "F1", ["Trần An"])
    application.selected_at = datetime(2026, 12, 9, 23, 0)  # 06:00 on 10/12 in Hà Nội
    db.session.commit()
    [(dossier, _code)] = dossiers.open_dossiers(round_)
    assert (dossier.deadline - date(2026, 12, 10)).days == round_.rules.dossier_days
