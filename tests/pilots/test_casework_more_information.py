"""More information needed: the applicant edits and resubmits after the deadline;
the earlier version is kept and the changes are shown to both sides."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from pilots.applications import services
from pilots.casework import services as casework
from pilots.models import Application, ApplicationSnapshot
from tests.factories.casework import more_information
from tests.factories.pilots import CLASS_4, CLASS_6, staff, submitted_application

S = Application.Status
MEASURES = "Felles boligprogram og næringshage."


@pytest.fixture
def closed_case(open_round):
    application = submitted_application(round=open_round, municipalities=[CLASS_6, CLASS_4], measures=MEASURES)
    # The deadline has passed: answers are normally locked now.
    type(open_round).objects.filter(pk=open_round.pk).update(closes_at=timezone.now() - datetime.timedelta(days=1))
    application.refresh_from_db()
    return application


def test_more_information_loop_keeps_the_earlier_version_and_shows_changes(
    client, closed_case, django_capture_on_commit_callbacks
):
    application = closed_case
    project_url = reverse("pilots:section", args=[application.round_id, application.pk, "prosjektet"])
    client.force_login(application.created_by)
    assert client.get(project_url)["Location"].endswith("/se-over/")  # locked after the deadline

    case_handler = staff("Saksbehandler")
    casework.change_status(application, S.MORE_INFORMATION, case_handler, note="Utdyp tiltakene", **more_information())
    snapshot = ApplicationSnapshot.objects.get(application=application)
    assert ["Planlagte tiltak", MEASURES] in next(s["rows"] for s in snapshot.answers if s["section"] == "Prosjektet")

    mine = client.get(reverse("pilots:my_applications"))
    assert "Vi trenger mer informasjon" in mine.text
    task_list = client.get(reverse("pilots:task_list", args=[application.round_id, application.pk]))
    assert task_list.status_code == 200 and "Departementet trenger mer informasjon" in task_list.text

    application.refresh_from_db()
    form = {
        "version": application.version,
        "title": application.title,
        "summary": application.summary,
        "challenges": application.challenges,
        "themes": application.themes,
        "measures": "Felles boligprogram, næringshage og et nytt pendlertilbud.",
        "transfer_value": application.transfer_value,
        "organisation": application.organisation,
        "council_decision": "made",
        "council_decision_date": "",
        "action": "continue",
    }
    response = client.post(project_url, form)
    assert response.status_code == 302, response.text[:2000]

    check = client.get(reverse("pilots:check_answers", args=[application.round_id, application.pk]))
    assert "Endringer siden forrige innsending" in check.text
    assert MEASURES in check.text
    assert "et nytt pendlertilbud" in check.text

    declaration = reverse("pilots:declaration", args=[application.round_id, application.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(declaration, {"confirm": "on"})
    assert response["Location"] == reverse("pilots:receipt", args=[application.round_id, application.pk])
    application.refresh_from_db()
    assert application.status == S.IN_ASSESSMENT
    assert application.reference == closed_case.reference
    assert application.resubmitted_at is not None
    entry = ModelLogEntry.objects.filter(object_id=str(application.pk), action="pilots.status_changed").latest("pk")
    assert entry.data["resubmitted"] is True and entry.user == application.created_by

    # Locked again, and the case handler sees what changed.
    assert client.get(project_url)["Location"].endswith("/se-over/")
    client.force_login(case_handler)
    inspect = client.get(reverse("pilot_applications:inspect", args=[application.pk]))
    assert "Endringer mellom innsendte versjoner" in inspect.text
    assert f"<del>{MEASURES}</del>" in inspect.text
    assert "et nytt pendlertilbud" in inspect.text


def test_a_second_submit_of_the_resubmission_changes_nothing(closed_case):
    application = closed_case
    casework.change_status(application, S.MORE_INFORMATION, staff("Saksbehandler"), **more_information())
    reference = services.submit(application, application.created_by)
    assert services.submit(application, application.created_by) == reference
    assert ModelLogEntry.objects.filter(object_id=str(application.pk), data__resubmitted=True).count() == 1
