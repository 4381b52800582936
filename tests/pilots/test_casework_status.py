"""Status changes: the transitions table per group and status, refused ones, and the
audit log entry each writes (visible in the admin history); and what the applicant
is told about each status."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail.models import ModelLogEntry

from pilots.casework import services
from pilots.models import Application, RoundMunicipalityClaim
from tests.factories.casework import more_information
from tests.factories.pilots import CLASS_4, CLASS_6, staff, submitted_application
from tests.pilots.casework import assert_refused

S = Application.Status

ALLOWED_FOR_CASE_HANDLER = [
    (S.SUBMITTED, S.IN_ASSESSMENT),
    (S.SUBMITTED, S.MORE_INFORMATION),
    (S.SUBMITTED, S.WITHDRAWN),
    (S.IN_ASSESSMENT, S.SHORTLISTED),
    (S.IN_ASSESSMENT, S.MORE_INFORMATION),
    (S.IN_ASSESSMENT, S.WITHDRAWN),
    (S.MORE_INFORMATION, S.IN_ASSESSMENT),
    (S.SHORTLISTED, S.IN_ASSESSMENT),
    (S.SHORTLISTED, S.WITHDRAWN),
]
NOT_IN_TABLE = [
    (S.SUBMITTED, S.SHORTLISTED),
    (S.SUBMITTED, S.SELECTED),
    (S.WITHDRAWN, S.IN_ASSESSMENT),
    (S.SELECTED, S.IN_ASSESSMENT),
    (S.NOT_SELECTED, S.SHORTLISTED),
    (S.IN_ASSESSMENT, S.SELECTED),
]


@pytest.fixture
def application(open_round):
    return submitted_application(round=open_round, municipalities=[CLASS_6, CLASS_4])


@pytest.mark.parametrize("group", ["Saksbehandler", "Beslutter"])
@pytest.mark.parametrize(("old", "new"), ALLOWED_FOR_CASE_HANDLER)
def test_case_handling_transitions_are_allowed_and_logged(application, group, old, new):
    Application.objects.filter(pk=application.pk).update(status=old)
    user = staff(group)
    question = more_information() if new == S.MORE_INFORMATION else {}
    services.change_status(application, new, user, note="Sjekket", **question)
    application.refresh_from_db()
    assert application.status == new
    entry = ModelLogEntry.objects.get(object_id=str(application.pk), action="pilots.status_changed")
    assert entry.user == user
    assert entry.data["from"] == old and entry.data["to"] == new and entry.data["note"] == "Sjekket"
    assert entry.message == f"Status endret fra «{S(old).label}» til «{S(new).label}»: Sjekket"


@pytest.mark.parametrize(("old", "new"), NOT_IN_TABLE)
def test_transitions_outside_the_table_are_refused_for_everyone(application, old, new):
    Application.objects.filter(pk=application.pk).update(status=old)
    with pytest.raises(services.WorkflowError, match="kan ikke gå fra"):
        services.change_status(application, new, staff("Beslutter"))
    application.refresh_from_db()
    assert application.status == old
    assert not ModelLogEntry.objects.filter(action="pilots.status_changed").exists()


@pytest.mark.parametrize("outcome", [S.SELECTED, S.NOT_SELECTED])
def test_outcomes_need_the_decision_permission_and_the_release(application, outcome):
    Application.objects.filter(pk=application.pk).update(status=S.SHORTLISTED)
    with pytest.raises(PermissionDenied):
        services.change_status(application, outcome, staff("Saksbehandler"))
    with pytest.raises(services.WorkflowError, match="frigis samlet"):
        services.change_status(application, outcome, staff("Beslutter"))
    application.refresh_from_db()
    assert application.status == S.SHORTLISTED


@pytest.mark.parametrize("group", [None, "Editors"])
def test_people_outside_the_case_groups_cannot_change_status(application, group):
    with pytest.raises(PermissionDenied):
        services.change_status(application, S.IN_ASSESSMENT, staff(group))
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_allowed_transitions_offered_in_the_form_follow_the_table(application):
    case_handler = staff("Saksbehandler")
    assert services.allowed_transitions(application, case_handler) == [S.IN_ASSESSMENT, S.MORE_INFORMATION, S.WITHDRAWN]
    assert services.allowed_transitions(application, staff("Editors")) == []


def test_withdrawing_frees_the_municipalities(application):
    assert RoundMunicipalityClaim.objects.filter(application=application).count() == 2
    services.change_status(application, S.WITHDRAWN, staff("Saksbehandler"))
    assert not RoundMunicipalityClaim.objects.filter(application=application).exists()


def test_status_change_through_the_admin_shows_in_the_history(client, application):
    client.force_login(staff("Saksbehandler"))
    response = client.post(
        reverse("pilot_applications:change_status", args=[application.pk]),
        {"status": "in_assessment", "note": "Formelt i orden"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Status er endret til «Til vurdering»" in response.text
    history = client.get(reverse("pilot_applications:history", args=[application.pk]))
    assert history.status_code == 200
    assert "Status endret fra «Sendt inn» til «Til vurdering»: Formelt i orden" in history.text
    # Posting a transition that is not allowed gives a message, not a 500.
    refused = client.post(
        reverse("pilot_applications:change_status", args=[application.pk]), {"status": "selected"}, follow=True
    )
    assert refused.status_code == 200
    assert "Søknaden kan ikke gå fra «Til vurdering» til «Valgt»." in refused.text
    Application.objects.filter(pk=application.pk).update(status=S.SHORTLISTED)
    forbidden = client.post(reverse("pilot_applications:change_status", args=[application.pk]), {"status": "selected"})
    assert_refused(forbidden)
    application.refresh_from_db()
    assert application.status == S.SHORTLISTED


def test_editors_get_403_from_the_status_action(client, application):
    client.force_login(staff("Editors"))
    response = client.post(
        reverse("pilot_applications:change_status", args=[application.pk]), {"status": "in_assessment"}
    )
    assert_refused(response)
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


@pytest.mark.parametrize("status", [status for status in S if status != S.DRAFT])
def test_the_admin_quotes_what_the_applicant_sees(client, application, status):
    """«Søkeren ser» on the inspect page is exactly the status in «Mine søknader»."""
    Application.objects.filter(pk=application.pk).update(status=status)
    client.force_login(application.created_by)
    cells = re.findall(r"<td>(.*?)</td>", client.get(reverse("pilots:my_applications")).text, re.DOTALL)
    applicant_sees = cells[2].split("<br>")[0].strip()
    client.force_login(staff("Saksbehandler"))
    inspect = client.get(reverse("pilot_applications:inspect", args=[application.pk])).text
    admin_says = re.search(r"Søkeren ser: «(.*?)»\.", inspect).group(1)
    assert applicant_sees == admin_says == S(status).public_label
    if status == S.SUBMITTED:
        assert applicant_sees == "Sendt inn"
