"""Staff manage rounds in the Wagtail admin; the applicant's pages stay cheap."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pilots.models import Round
from tests.factories.pilots import CLASS_4, CLASS_6, ApplicationFactory, RoundFactory
from tests.factories.policy import StaffUserFactory


def test_rounds_are_edited_in_the_wagtail_admin(client, db):
    round = RoundFactory(name="Bygdevekst i fjellet 2026")
    client.force_login(StaffUserFactory(is_superuser=True))
    listing = client.get(reverse("wagtailsnippets_pilots_round:list"))
    assert listing.status_code == 200 and "Bygdevekst i fjellet 2026" in listing.text
    edit = client.get(reverse("wagtailsnippets_pilots_round:edit", args=[round.pk]))
    assert edit.status_code == 200
    assert "Klasser som kan søke" in edit.text or "klasser som kan søke" in edit.text
    export = client.get(reverse("wagtailsnippets_pilots_round:list") + "?export=csv")
    assert export.status_code == 200
    assert "Bygdevekst i fjellet 2026" in b"".join(export.streaming_content).decode()


def test_round_state_follows_the_clock(db):
    now = timezone.now()
    round = RoundFactory(opens_at=now - datetime.timedelta(days=1), closes_at=now + datetime.timedelta(days=1))
    assert round.state(now) == Round.State.OPEN
    assert round.state(round.opens_at - datetime.timedelta(seconds=1)) == Round.State.UPCOMING
    assert round.state(round.closes_at + datetime.timedelta(seconds=1)) == Round.State.CLOSED


def test_page_query_counts(client, open_round, applicant):
    application = ApplicationFactory(round=open_round, created_by=applicant, municipalities=[CLASS_6, CLASS_4])
    client.force_login(applicant)
    # The first request of a site creates its settings and purge generation: count the steady state.
    client.get(reverse("pilots:task_list", args=[open_round.pk, application.pk]))
    counts = {}
    for name in ("task_list", "check_answers"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(f"pilots:{name}", args=[open_round.pk, application.pk])).status_code == 200
        counts[name] = len(queries)
    with CaptureQueriesContext(connection) as queries:
        assert (
            client.get(reverse("pilots:section", args=[open_round.pk, application.pk, "kommuner"])).status_code == 200
        )
    counts["kommuner"] = len(queries)
    print("query counts:", counts)
    assert counts["task_list"] <= 30
    assert counts["check_answers"] <= 30
    assert counts["kommuner"] <= 30
