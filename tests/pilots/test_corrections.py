"""Corrections and drafts over real HTTP: reopening a submitted application before the
deadline, resubmitting it with the same reference as a new version, the differences
shown to the case handler, the deadline passing while it is reopened (the submitted
version stands), deleting drafts, and starting a new application from an earlier one."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from pilots.applications import corrections, services
from pilots.applications.status import Status
from pilots.models import Application, ApplicationSnapshot
from tests.factories.pilots import (
    CLASS_5,
    CLASS_6,
    ApplicationFactory,
    RoundFactory,
    municipality,
    staff,
    submitted_application,
)
from tests.factories.portal import ApplicantFactory, MemberFactory

OLD_MEASURES = "Felles boligprogram og næringshage."
NEW_MEASURES = "Felles boligprogram, næringshage og bedre pendlertilbud."


def url(name, application, *extra):
    return reverse(f"pilots:{name}", args=[application.round_id, application.pk, *extra])


def project_form(application, **changes):
    fields = {
        "version": application.version,
        "title": application.title,
        "summary": application.summary,
        "challenges": application.challenges,
        "themes": application.themes,
        "measures": application.measures,
        "transfer_value": application.transfer_value,
        "organisation": application.organisation,
        "council_decision": application.council_decision,
        "council_decision_date": "",
        "action": "continue",
    }
    return {**fields, **changes}


def reopen(client, application):
    response = client.post(url("reopen", application))
    assert response.status_code == 302, response.text[:1000]
    draft = Application.objects.get(revision_of=application)
    assert response["Location"] == url("task_list", draft)
    return draft


@pytest.fixture
def submitted(db):
    return submitted_application()


def test_reopen_and_resubmit_keeps_the_reference_and_every_version(
    client, submitted, mailoutbox, django_capture_on_commit_callbacks
):
    applicant = submitted.created_by
    client.force_login(applicant)
    receipt = client.get(url("receipt", submitted))
    assert "Endre søknaden" in receipt.text
    confirm = client.get(url("reopen", submitted))
    assert "gjelder helt til du sender inn endringene" in confirm.text

    draft = reopen(client, submitted)
    assert draft.measures == OLD_MEASURES and draft.contact.name == "Ola Nordmann"
    assert [link.municipality.number for link in draft.municipality_links.all()] == [CLASS_6]
    # Reopening again leads to the same draft.
    assert client.get(url("reopen", submitted))["Location"] == url("task_list", draft)

    response = client.post(url("section", draft, "prosjektet"), project_form(draft, measures=NEW_MEASURES))
    assert response.status_code == 302, response.text[:2000]
    submitted.refresh_from_db()
    assert submitted.measures == OLD_MEASURES  # the submitted version is untouched while reopened

    check = client.get(url("check_answers", draft))
    assert "Endringer siden forrige innsending" in check.text and NEW_MEASURES in check.text

    version_before = submitted.version
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("declaration", draft), {"confirm": "on"})
    assert response["Location"] == url("receipt", submitted)
    submitted_again = Application.objects.get(pk=submitted.pk)
    assert submitted_again.reference == submitted.reference
    assert submitted_again.version > version_before
    assert submitted_again.measures == NEW_MEASURES
    assert submitted_again.resubmitted_at is not None and submitted_again.status == Status.SUBMITTED
    assert not Application.objects.filter(pk=draft.pk).exists()
    (receipt_mail,) = mailoutbox  # a receipt for the new version, with the new answers
    assert submitted.reference in receipt_mail.subject and NEW_MEASURES in receipt_mail.body
    kept = ApplicationSnapshot.objects.get(application=submitted)
    assert ["Planlagte tiltak", OLD_MEASURES] in next(s["rows"] for s in kept.answers if s["section"] == "Prosjektet")
    actions = list(
        ModelLogEntry.objects.filter(object_id=str(submitted.pk)).order_by("pk").values_list("action", flat=True)
    )
    assert actions[-2:] == ["pilots.reopened", "pilots.resubmitted"]

    # The case handler sees the difference, field by field, and the history in words.
    client.force_login(staff("Saksbehandler"))
    inspect = client.get(reverse("pilot_applications:inspect", args=[submitted.pk]))
    assert "Endringer mellom innsendte versjoner" in inspect.text
    assert f'<th scope="row">Planlagte tiltak</th><td><del>{OLD_MEASURES}</del></td><td><ins>{NEW_MEASURES}</ins>' in (
        inspect.text
    )
    assert "Søkeren åpnet søknaden for å endre den før fristen" in inspect.text
    assert "Søkeren sendte inn en endret søknad" in inspect.text


def test_deadline_passing_while_reopened_keeps_the_submitted_version(client, submitted):
    client.force_login(submitted.created_by)
    draft = reopen(client, submitted)
    client.post(url("section", draft, "prosjektet"), project_form(draft, measures=NEW_MEASURES))

    Application.objects.filter(pk=submitted.pk)  # the round closes
    round = submitted.round
    round.opens_at = timezone.now() - datetime.timedelta(days=30)
    round.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    round.save()

    declaration = client.post(url("declaration", draft), {"confirm": "on"})
    assert declaration.status_code == 200 and "Søknaden kan ikke sendes inn" in declaration.text
    with pytest.raises(services.WorkflowError, match="gjelder fortsatt"):
        corrections.submit_revision(draft, submitted.created_by)
    submitted.refresh_from_db()
    assert submitted.measures == OLD_MEASURES and submitted.status == Status.SUBMITTED
    assert not submitted.snapshots.exists()
    # The draft can no longer be edited either, and the case handler sees the submitted answers.
    assert client.get(url("section", draft, "prosjektet"))["Location"] == url("check_answers", draft)
    assert not client.get(url("reopen", submitted)).text.count('type="submit">Endre søknaden')
    client.force_login(staff("Saksbehandler"))
    inspect = client.get(reverse("pilot_applications:inspect", args=[submitted.pk]))
    assert OLD_MEASURES in inspect.text and NEW_MEASURES not in inspect.text


def test_members_can_write_in_the_reopened_draft_and_others_cannot_see_it(client, submitted):
    member = MemberFactory(application=submitted).user
    client.force_login(member)
    draft = reopen(client, submitted)
    client.force_login(submitted.created_by)
    assert client.get(url("task_list", draft)).status_code == 200
    client.force_login(ApplicantFactory(email="fremmed@annen.example"))
    assert client.get(url("task_list", draft)).status_code == 404
    assert client.post(url("reopen", submitted)).status_code == 404


def test_a_submitted_application_cannot_be_reopened_after_the_deadline(client, submitted):
    Application.objects.filter(pk=submitted.pk).update(status=Status.NOT_SELECTED)
    client.force_login(submitted.created_by)
    response = client.post(url("reopen", submitted))
    assert response.status_code == 200 and "ble ikke åpnet for endring" in response.text
    assert not Application.objects.filter(revision_of=submitted).exists()


def test_creator_deletes_a_draft_after_confirming(client, applicant, open_round):
    draft = ApplicationFactory(round=open_round, created_by=applicant, title="Utkast som skal bort")
    keep = ApplicationFactory(round=open_round, created_by=applicant, title="Utkast som blir")
    client.force_login(applicant)
    assert "Slett utkastet" in client.get(url("task_list", draft)).text
    confirm = client.get(url("delete_draft", draft))
    assert "Vil du slette utkastet «Utkast som skal bort»?" in confirm.text
    response = client.post(url("delete_draft", draft))
    assert response["Location"] == reverse("pilots:my_applications")
    assert not Application.objects.filter(pk=draft.pk).exists()
    assert Application.objects.filter(pk=keep.pk).exists()
    assert "Utkastet «Utkast som skal bort» er slettet." in client.get(response["Location"]).text


def test_only_the_creator_deletes_and_never_a_submitted_application(client, submitted, open_round):
    member = MemberFactory(application=ApplicationFactory(round=open_round)).user
    draft = member.application_memberships.get().application
    client.force_login(member)
    assert client.post(url("delete_draft", draft)).status_code == 403
    assert Application.objects.filter(pk=draft.pk).exists()
    client.force_login(submitted.created_by)
    response = client.post(url("delete_draft", submitted))
    assert response.status_code == 403 and "kan trekkes" in response.text
    assert Application.objects.filter(pk=submitted.pk).exists()


def test_discarding_corrections_keeps_the_submitted_application(client, submitted):
    client.force_login(submitted.created_by)
    draft = reopen(client, submitted)
    assert "Vil du forkaste endringene?" in client.get(url("delete_draft", draft)).text
    response = client.post(url("delete_draft", draft))
    assert response["Location"] == url("receipt", submitted)
    assert Application.objects.filter(pk=submitted.pk, status=Status.SUBMITTED).exists()
    assert not Application.objects.filter(revision_of=submitted).exists()


def test_start_offers_to_continue_a_draft_instead_of_making_another(client, applicant, open_round):
    draft = ApplicationFactory(round=open_round, created_by=applicant, title="Mitt utkast")
    client.force_login(applicant)
    page = client.get(reverse("pilots:start", args=[open_round.pk]))
    assert "Fortsett utkastet «Mitt utkast»" in page.text
    refused = client.post(reverse("pilots:start", args=[open_round.pk]), {})
    assert refused.status_code == 200 and "Velg om du vil fortsette et utkast" in refused.text
    assert 'class="ds-error-summary"' in refused.text
    response = client.post(reverse("pilots:start", args=[open_round.pk]), {"start": f"fortsett-{draft.pk}"})
    assert response["Location"] == url("task_list", draft)
    assert Application.objects.filter(created_by=applicant).count() == 1
    response = client.post(reverse("pilots:start", args=[open_round.pk]), {"start": "ny"})
    assert Application.objects.filter(created_by=applicant).count() == 2


def test_first_application_needs_no_choice(client, applicant, open_round):
    client.force_login(applicant)
    page = client.get(reverse("pilots:start", args=[open_round.pk]))
    assert "Hvordan vil du begynne?" not in page.text
    response = client.post(reverse("pilots:start", args=[open_round.pk]), {"start": "ny"})
    application = Application.objects.get(created_by=applicant)
    assert response["Location"] == url("task_list", application)


def test_copy_an_earlier_application_without_attachments_members_or_reference(client, applicant):
    old_round = RoundFactory(
        opens_at=timezone.now() - datetime.timedelta(days=400), closes_at=timezone.now() - datetime.timedelta(days=300)
    )
    earlier = ApplicationFactory(
        round=old_round, created_by=applicant, title="Fjellbygd 2025", municipalities=[CLASS_6, CLASS_5]
    )
    Application.objects.filter(pk=earlier.pk).update(status=Status.NOT_SELECTED, reference="BVA-25-ABCDEF")
    MemberFactory(application=earlier)
    new_round = RoundFactory()
    client.force_login(applicant)
    page = client.get(reverse("pilots:start", args=[new_round.pk]))
    assert "Kopier svarene fra «Fjellbygd 2025» (BVA-25-ABCDEF" in page.text
    response = client.post(reverse("pilots:start", args=[new_round.pk]), {"start": f"kopier-{earlier.pk}"})
    copy = Application.objects.get(round=new_round)
    assert response["Location"] == url("task_list", copy)
    assert copy.title == "Fjellbygd 2025" and copy.measures == OLD_MEASURES
    assert copy.status == Status.DRAFT and copy.reference is None
    assert copy.contact.name == "Ola Nordmann"
    assert [(line.description, line.amount) for line in copy.budget_lines.all()] == [
        ("Prosjektleder", 1_200_000),
        ("Tiltak", 800_000),
    ]
    assert [link.municipality.number for link in copy.municipality_links.all()] == [CLASS_6, CLASS_5]
    assert not copy.members.exists() and not copy.attachments.exists()
    assert "Svarene fra «Fjellbygd 2025» er kopiert" in client.get(response["Location"]).text


def test_copy_keeps_municipalities_still_in_the_new_rounds_register(applicant):
    old_round = RoundFactory(
        opens_at=datetime.datetime(2022, 6, 1, tzinfo=datetime.UTC),
        closes_at=datetime.datetime(2022, 9, 30, 21, 59, 59, tzinfo=datetime.UTC),
    )
    earlier = ApplicationFactory(round=old_round, created_by=applicant)
    in_2022 = datetime.date(2022, 1, 1)
    # Tana had number 5441 in 2022 and 5628 after Troms og Finnmark was split; Utsira kept 1151.
    services.set_municipalities(earlier, municipality("5441", on=in_2022), [municipality(CLASS_6, on=in_2022)])
    copy = corrections.start_copy(earlier, RoundFactory(), applicant)
    assert copy.lead is None
    assert copy.partners == [municipality(CLASS_6)]
