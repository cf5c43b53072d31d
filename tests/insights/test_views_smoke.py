import pytest
from datetime import timedelta
from tests.journal.course_factories import course, session, entry, checkin, days_ago, stranger
from afterglow.journal.models import Capture

pytestmark = pytest.mark.django_db

def test_smoke(client, patient):
    c = course(patient, days_ago(40))
    s1 = session(patient, c, days_ago(30)); s2 = session(patient, c, days_ago(20))
    for n in range(35):
        checkin(patient, days_ago(n), mood=3 + n % 5, anxiety=4, energy=5)
    Capture.objects.create(owner=patient, session=s1, sensations={"nausea": 2, "headache": 1}, dissociation=2, slept=True, emotions=["calm"], first_impression="Waves")
    for n in range(5):
        entry(patient, f"The lighthouse keeper returned again {n}", session=s1)
    r = client.get("/course/review")
    assert r.status_code == 200, r.content[:2000]
    print(r.content.decode()[-6000:])
    for u in ["/course/review/mood.svg", "/course/review/mood.svg?size=phone", "/course/review/curve.svg", "/course/review/curve.svg?size=phone"]:
        assert client.get(u).status_code == 200
    r = client.get(f"/course/compare?s={s1.pk}&s={s2.pk}")
    assert r.status_code == 200
    assert client.get(f"/course/compare?s={s1.pk}").status_code == 400
