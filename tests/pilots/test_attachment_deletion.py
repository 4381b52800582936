"""Deleting attachments: only what the ministry has not received (a draft's files, files
added after the last submission and not yet delivered), as a soft delete that keeps
the file until retention; case handlers still see a submitted file the applicant
deleted; anything else is refused with a message, never a 500. Request bodies other
than uploads keep Django's default size limit."""

import datetime
import re
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from pilots.applications import services
from pilots.casework import services as casework
from pilots.casework.retention import DELETED_KEPT_FOR, apply_retention
from pilots.models import Application, Attachment
from tests.factories.casework import AttachmentFactory, more_information
from tests.factories.pdf import text_pdf
from tests.factories.pilots import CLASS_6B, ApplicationFactory, RoundFactory, staff, submitted_application
from tests.factories.policy import StaffClient, verified_staff_client
from tests.factories.portal import ApplicantFactory

S = Application.Status
REFUSED = "Vedlegget er sendt inn til departementet og kan ikke slettes."


def attachments_url(application):
    return reverse("pilots:attachments", args=[application.round_id, application.pk])


def delete(client, attachment, follow=True):
    return client.post(
        attachments_url(attachment.application), {"action": "delete", "attachment": attachment.pk}, follow=follow
    )


def delete_button(page, attachment):
    row = page.text.split(f'id="vedlegg-{attachment.pk}"')[1].split("</tr>")[0]
    return 'value="delete"' in row


def add(application, name="vedlegg.pdf", **fields):
    return AttachmentFactory(application=application, original_name=name, **fields)


def test_a_submitted_attachment_cannot_be_deleted_when_more_information_is_asked_for(client, open_round, applicant):
    """The regression: «Trenger mer informasjon» opens the answers again, and the
    attachment the ministry received used to be deletable for good."""
    application = ApplicationFactory(round=open_round, created_by=applicant, authorised=True)
    attachment = add(application, "Kommunestyrevedtak.pdf")
    services.submit(application, applicant)
    casework.change_status(application, S.MORE_INFORMATION, staff("Saksbehandler"), **more_information())
    client.force_login(applicant)
    page = client.get(attachments_url(application))
    assert page.status_code == 200
    assert not delete_button(page, attachment)

    response = delete(client, attachment)
    assert response.status_code == 200
    assert REFUSED in response.text
    attachment.refresh_from_db()
    assert attachment.deleted_at is None
    assert Path(attachment.file.path).exists()


def test_a_drafts_attachment_is_deleted_softly_and_hidden_from_the_applicant(client, open_round, applicant):
    application = ApplicationFactory(round=open_round, created_by=applicant)
    attachment = add(application, "Feil fil.pdf")
    client.force_login(applicant)
    assert delete_button(client.get(attachments_url(application)), attachment)

    response = delete(client, attachment)
    assert "Feil fil.pdf er slettet." in response.text
    assert f'id="vedlegg-{attachment.pk}"' not in response.text
    kept = Attachment.all_objects.get(pk=attachment.pk)
    assert kept.deleted_by == applicant and kept.deleted_at is not None
    assert Path(kept.file.path).exists()
    check = client.get(reverse("pilots:check_answers", args=[open_round.pk, application.pk]))
    assert "Feil fil.pdf" not in check.text
    download = reverse("pilots:download_attachment", args=[open_round.pk, application.pk, attachment.pk])
    assert client.get(download).status_code == 404
    assert ModelLogEntry.objects.filter(object_id=str(application.pk), action="pilots.attachment_deleted").exists()

    again = delete(client, attachment)  # a second click
    assert again.status_code == 200
    assert "Fant ikke vedlegget. Det kan være slettet allerede." in again.text


def test_deleted_files_do_not_count_for_submission_or_the_limit(open_round, applicant):
    application = ApplicationFactory(round=open_round, created_by=applicant, authorised=True)
    refused = add(application, "avvist.pdf", check_status="rejected", rejection_reason="Ikke en PDF")
    for number in range(services.MAX_ATTACHMENTS - 1):
        add(application, f"{number}.pdf")
    services.delete_attachment(refused, applicant)
    services.add_attachment(application, ContentFile(text_pdf("Ti", [["Ti"]]), name="ti.pdf"), applicant)
    Attachment.objects.filter(original_name="ti.pdf").update(check_status="approved")
    assert services.submit(application, applicant)  # the refused file no longer blocks it


def test_files_added_while_more_information_is_asked_for_can_be_deleted_until_resubmitted(
    client, open_round, applicant
):
    application = submitted_application(round=open_round, created_by=applicant)
    Application.objects.filter(pk=application.pk).update(status=S.MORE_INFORMATION)
    application.refresh_from_db()
    added = services.add_attachment(
        application, ContentFile(text_pdf("Ny", [["Ny"]]), name="ny.pdf"), applicant, kind="budget"
    )
    client.force_login(applicant)
    assert delete_button(client.get(attachments_url(application)), added)
    assert "ny.pdf er slettet." in delete(client, added).text

    kept = services.add_attachment(application, ContentFile(text_pdf("Ny", [["Ny"]]), name="beholdt.pdf"), applicant)
    Attachment.objects.filter(pk=kept.pk).update(check_status="approved")
    Application.objects.filter(pk=application.pk).update(resubmitted_at=timezone.now(), status=S.IN_ASSESSMENT)
    kept.refresh_from_db()
    assert REFUSED in delete(client, kept).text
    assert Attachment.objects.filter(pk=kept.pk).exists()


def test_a_delivered_late_attachment_stays_but_a_refused_one_can_go(client, open_round, applicant):
    application = submitted_application(round=open_round, created_by=applicant)
    delivered = add(application, "vedtak.pdf", supplementary=True, kind="council_decision")
    refused = add(application, "skadet.pdf", supplementary=True, check_status="rejected", rejection_reason="Skadet")
    client.force_login(applicant)
    page = client.get(attachments_url(application))
    assert not delete_button(page, delivered)
    assert delete_button(page, refused)
    assert REFUSED in delete(client, delivered).text
    assert "skadet.pdf er slettet." in delete(client, refused).text


@pytest.mark.parametrize("value", ["abc", "", "99999999", "9" * 30, "-1"])
def test_a_malformed_or_unknown_attachment_is_a_message_not_an_error(client, open_round, applicant, value):
    application = ApplicationFactory(round=open_round, created_by=applicant)
    client.force_login(applicant)
    response = client.post(attachments_url(application), {"action": "delete", "attachment": value}, follow=True)
    assert response.status_code == 200
    assert "Fant ikke vedlegget." in response.text


def test_someone_elses_attachment_cannot_be_deleted(client, open_round, applicant):
    theirs = add(ApplicationFactory(round=open_round, created_by=ApplicantFactory(email="per@annen.example")))
    mine = ApplicationFactory(round=open_round, created_by=applicant, municipalities=[CLASS_6B])
    client.force_login(applicant)
    response = client.post(attachments_url(mine), {"action": "delete", "attachment": theirs.pk}, follow=True)
    assert "Fant ikke vedlegget." in response.text
    theirs.refresh_from_db()
    assert theirs.deleted_at is None


def test_case_handlers_see_a_submitted_file_the_applicant_deleted(open_round, applicant):
    application = ApplicationFactory(round=open_round, created_by=applicant, authorised=True)
    sent = add(application, "sendt.pdf")
    services.submit(application, applicant)
    never_sent = add(application, "aldri-sendt.pdf", supplementary=True, check_status="rejected")
    now = timezone.now()
    # A file that was part of the submission and later removed (as an earlier rule or a
    # correction could leave it), and one that never reached the ministry.
    Attachment.objects.filter(pk__in=[sent.pk, never_sent.pk]).update(deleted_at=now, deleted_by=applicant)
    client = verified_staff_client(staff("Saksbehandler"))
    page = client.get(reverse("pilot_applications:inspect", args=[application.pk]))
    assert "sendt.pdf" in page.text and "slettet av søker" in page.text
    assert "aldri-sendt.pdf" not in page.text
    download = reverse("pilot_applications:download_attachment", args=[application.pk, sent.pk])
    assert client.get(download).status_code == 200


def test_retention_removes_deleted_files_the_ministry_never_received(
    open_round, applicant, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(round=open_round, created_by=applicant)
    old = add(application, "gammel.pdf")
    recent = add(application, "ny.pdf")
    services.delete_attachment(old, applicant)
    services.delete_attachment(recent, applicant)
    Attachment.all_objects.filter(pk=old.pk).update(
        deleted_at=timezone.now() - DELETED_KEPT_FOR - datetime.timedelta(hours=1)
    )
    old_path, recent_path = Path(old.file.path), Path(recent.file.path)

    assert apply_retention(5, dry_run=True).deleted_attachments == 1
    assert old_path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        result = apply_retention(5)
    assert result.deleted_attachments == 1
    assert not Attachment.all_objects.filter(pk=old.pk).exists()
    assert not old_path.exists()
    assert Attachment.all_objects.filter(pk=recent.pk).exists() and recent_path.exists()


def test_a_rounds_retention_also_removes_deleted_files(applicant, django_capture_on_commit_callbacks):
    round = RoundFactory()
    application = submitted_application(round=round, created_by=applicant)
    removed = add(application, "fjernet.pdf")
    Attachment.objects.filter(pk=removed.pk).update(deleted_at=timezone.now(), deleted_by=applicant)
    path = Path(removed.file.path)
    long_ago = timezone.now() - datetime.timedelta(days=7 * 365)
    type(round).objects.filter(pk=round.pk).update(opens_at=long_ago - datetime.timedelta(days=30), closes_at=long_ago)
    with django_capture_on_commit_callbacks(execute=True):
        apply_retention(5)
    assert not Attachment.all_objects.filter(application=application).exists()
    assert not path.exists()


def test_form_bodies_other_than_uploads_keep_djangos_default_limit(open_round, applicant):
    """3 MB of form text to the delete action of the attachments page (the one view that
    lifts the limit for files) and to the withdraw form, from a client that sends the
    CSRF token as a browser does: a 400 page that says what happened, never a 500."""
    application = submitted_application(round=open_round, created_by=applicant)
    client = StaffClient(enforce_csrf_checks=True)
    client.force_login(applicant)
    big = "x" * (3 * 1024 * 1024)
    for url, data in (
        (attachments_url(application), {"action": "delete", "attachment": big}),
        (reverse("pilots:withdraw", args=[open_round.pk, application.pk]), {"note": big}),
    ):
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(url).text).group(1)
        response = client.post(url, {**data, "csrfmiddlewaretoken": token})
        assert response.status_code == 400, url
        assert "Skjemaet inneholdt mer tekst enn vi kan ta imot" in response.text
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_a_multipart_form_body_over_the_limit_is_refused_too(client, open_round, applicant):
    application = ApplicationFactory(round=open_round, created_by=applicant)
    client.force_login(applicant)
    response = client.post(
        attachments_url(application),
        {"action": "upload", "kind": "x" * (3 * 1024 * 1024), "file": SimpleUploadedFile("a.pdf", b"%PDF-1.7")},
    )
    assert response.status_code == 400
    assert not Attachment.all_objects.exists()
