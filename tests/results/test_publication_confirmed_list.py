"""E5: the chair's confirmation names version N; the second post published whatever list stood then
under that number. A tie decision, a re-mark or a score recorded between the two posts changed the list,
not the number, and a list the chair never confirmed was frozen as version N. The confirmation sends back
the digest of the list it showed, and another list is refused in words."""
from __future__ import annotations

from recruitment.extensions import db
from recruitment.models import Application
from results import service
from tests.support.client import through_confirmation


def test_the_list_published_is_the_one_the_chair_confirmed(demo_round, client, make_user, login):
    tied = [r.candidate.application_id for r in service.compute(demo_round).rows if r.status == "tie_pending"]
    for application_id, decision in zip(tied, ("selected", "not_selected"), strict=True):
        service.decide(db.session.get(Application, application_id), decision, "Kinh nghiệm công tác", None)
    db.session.commit()
    login(make_user("chair", "council_chair", locale="en"))
    url = f"/results/{demo_round.id}/publish"
    page = client.post(url, data={"note": "Quyết định"}).get_data(as_text=True)
    digest = page.split('name="digest" value="', 1)[1].split('"', 1)[0]
    for application_id, decision in zip(tied, ("not_selected", "selected"), strict=True):  # meanwhile
        service.decide(db.session.get(Application, application_id), decision, "Xem xét lại", None)
    db.session.commit()
    answer = client.post(url, data={"note": "Quyết định", "confirmed": "1", "version": "2", "digest": digest},
                         follow_redirects=True).get_data(as_text=True)
    assert [v.number for v in service.versions(demo_round)] == [1], "a list the chair never saw was published"
    assert "changed after the confirmation" in answer
    through_confirmation(client, url, {"note": "Quyết định"})  # the list as it stands now, confirmed
    assert [v.number for v in service.versions(demo_round)] == [1, 2]
