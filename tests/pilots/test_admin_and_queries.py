"""Staff manage rounds in the Wagtail admin; the applicant's pages stay cheap."""

import datetime

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pilots.models import Round
from tests.pilots.conftest import CLASS_4, CLASS_6, complete_application


def test_rounds_are_edited_in_the_wagtail_admin(client, open_round):
    admin = get_user_model().objects.create_superuser("redaktor", "redaktor@example.invalid", "passord-123")
    client.force_login(admin)
    listing = client.get(reverse("wagtailsnippets_pilots_round:list"))
    assert listing.status_code == 200 and "Testrunde" in listing.text
    edit = client.get(reverse("wagtailsnippets_pilots_round:edit", args=[open_round.pk]))
    assert edit.status_code == 200
    assert "Klasser som kan søke" in edit.text or "klasser som kan søke" in edit.text
    export = client.get(reverse("wagtailsnippets_pilots_round:list") + "?export=csv")
    assert export.status_code == 200
    assert "Testrunde" in b"".join(export.streaming_content).decode()


def test_round_state_follows_the_clock(open_round):
    from django.utils import timezone

    now = timezone.now()
    assert open_round.state(now) == Round.State.OPEN
    assert open_round.state(open_round.opens_at - datetime.timedelta(seconds=1)) == Round.State.UPCOMING
    assert open_round.state(open_round.closes_at + datetime.timedelta(seconds=1)) == Round.State.CLOSED


def test_page_query_counts(client, open_round, applicant):
    application = complete_application(open_round, applicant, lead=CLASS_6, partners=[CLASS_4])
    client.force_login(applicant)
    counts = {}
    for name in ("task_list", "check_answers"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(f"pilots:{name}", args=[open_round.pk, application.pk])).status_code == 200
        counts[name] = len(queries)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("pilots:section", args=[open_round.pk, application.pk, "kommuner"]))
    counts["kommuner"] = len(queries)
    print("query counts:", counts)
    assert counts["task_list"] <= 30
    assert counts["check_answers"] <= 30
    assert counts["kommuner"] <= 30
