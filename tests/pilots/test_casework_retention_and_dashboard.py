"""Retention of old rounds, and the statistics panel on the admin dashboard."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import ModelLogEntry

from pilots import services
from pilots.models import Application, Attachment, Contact, InternalNote
from tests.pilots.casework import criteria, staff, submitted
from tests.pilots.conftest import CLASS_4, CLASS_5, CLASS_6, complete_application, make_round, make_user, pdf_bytes


def old_round_with_cases():
    now = timezone.now()
    round = make_round(name="Gammel runde")
    application = submitted(round, "ola@kommune.example", CLASS_6, [CLASS_4])
    draft = complete_application(round, make_user("kari@kommune.example"), lead=CLASS_5)
    attachment = Attachment.objects.create(
        application=application,
        file=ContentFile(pdf_bytes(), name="v.pdf"),
        original_name="vedtak.pdf",
        size=10,
        uploaded_by=application.created_by,
    )
    handler = staff("saksbehandler", "Saksbehandler")
    services.add_note(application, handler, "Notat om kontaktpersonen")
    services.save_review(application, handler, criteria(round)[0], 4, "Kommentar")
    type(round).objects.filter(pk=round.pk).update(
        opens_at=now - datetime.timedelta(days=6 * 365 + 30), closes_at=now - datetime.timedelta(days=6 * 365)
    )
    return application, draft, attachment


def test_retention_dry_run_changes_nothing(register, django_capture_on_commit_callbacks):
    application, draft, attachment = old_round_with_cases()
    out = StringIO()
    call_command("pilots_retention", "--dry-run", stdout=out)
    assert "1 søknader ville blitt anonymisert, 1 utkast ville blitt slettet, 1 vedlegg ville blitt slettet" in (
        out.getvalue()
    )
    assert Application.objects.filter(pk=draft.pk).exists()
    assert Path(attachment.file.path).exists()


def test_retention_anonymises_old_rounds_and_deletes_files(register, django_capture_on_commit_callbacks):
    application, draft, attachment = old_round_with_cases()
    recent = submitted(make_round(name="Ny runde"), "per@kommune.example", "1111")
    path = Path(attachment.file.path)
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("pilots_retention", "--years", "5", stdout=out)
    assert "1 søknader ble anonymisert, 1 utkast ble slettet, 1 vedlegg ble slettet" in out.getvalue()
    assert not path.exists()
    assert not Application.objects.filter(pk=draft.pk).exists()
    application.refresh_from_db()
    assert application.reference and application.created_by.username == "anonymisert-soker"
    assert not Contact.objects.filter(application=application).exists()
    assert not InternalNote.objects.filter(application=application).exists()
    assert application.reviews.get().comment == ""
    entry = ModelLogEntry.objects.get(action="pilots.retention")
    assert entry.data["applications"] == 1 and entry.data["attachments"] == 1
    # The recent round is untouched; a second run finds nothing more to do.
    assert Contact.objects.filter(application=recent).exists()
    out = StringIO()
    call_command("pilots_retention", "--years", "5", stdout=out)
    assert "0 søknader ble anonymisert" in out.getvalue()
    # With a longer retention period nothing is old enough.
    out = StringIO()
    call_command("pilots_retention", "--years", "10", "--dry-run", stdout=out)
    assert "Utlysinger som stengte for mer enn 10 år siden: 0." in out.getvalue()


def test_retention_default_comes_from_the_setting(register, settings):
    settings.PILOTS_RETENTION_YEARS = 7
    out = StringIO()
    call_command("pilots_retention", "--dry-run", stdout=out)
    assert "mer enn 7 år siden" in out.getvalue()


@pytest.fixture
def current_round_cases(open_round):
    submitted(open_round, "a@kommune.example", CLASS_6, [CLASS_4])
    submitted(open_round, "b@kommune.example", CLASS_5, status=Application.Status.SHORTLISTED)
    complete_application(open_round, make_user("c@kommune.example"), lead="1133")  # a draft: not counted
    return open_round


def test_dashboard_statistics_for_case_handlers(client, current_round_cases):
    client.force_login(staff("saksbehandler", "Saksbehandler"))
    text = client.get("/admin/").text
    assert f"Søknader om bygdevekstavtale: {current_round_cases.name}" in text
    assert "<strong>2</strong> søknader fra <strong>3</strong> kommuner" in text
    assert '<th scope="row">Sendt inn</th><td>1</td>' in text
    assert '<th scope="row">Aktuell (kortliste)</th><td>1</td>' in text
    assert '<th scope="row">Rogaland</th><td>2</td>' in text


def test_dashboard_statistics_hidden_from_editors(client, current_round_cases):
    client.force_login(staff("redaktor", "Editors"))
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "Søknader om bygdevekstavtale" not in response.text
