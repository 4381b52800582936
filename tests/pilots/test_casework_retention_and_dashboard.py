"""Retention of old rounds, and the statistics panel on the admin dashboard."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import ModelLogEntry

from pilots.models import Application, Contact, InternalNote, Round
from tests.factories.casework import AttachmentFactory, InternalNoteFactory, ReviewFactory
from tests.factories.pilots import (
    CLASS_4,
    CLASS_5,
    CLASS_6,
    ApplicationFactory,
    RoundFactory,
    staff,
    submitted_application,
)


def old_round_with_cases():
    """A round that closed six years ago with one submitted application (a note, a
    commented review, an attachment) and one draft."""
    now = timezone.now()
    round = RoundFactory(name="Gammel runde")
    application = submitted_application(round=round, municipalities=[CLASS_6, CLASS_4])
    draft = ApplicationFactory(round=round, municipalities=[CLASS_5])
    attachment = AttachmentFactory(application=application, original_name="vedtak.pdf")
    InternalNoteFactory(application=application, text="Notat om kontaktpersonen")
    ReviewFactory(application=application, score=4, comment="Kommentar")
    # Submitted while open; the round's dates are moved back afterwards.
    Round.objects.filter(pk=round.pk).update(
        opens_at=now - datetime.timedelta(days=6 * 365 + 30), closes_at=now - datetime.timedelta(days=6 * 365)
    )
    return application, draft, attachment


def test_retention_dry_run_changes_nothing(db):
    application, draft, attachment = old_round_with_cases()
    out = StringIO()
    call_command("pilots_retention", "--dry-run", stdout=out)
    assert "1 søknader ville blitt anonymisert, 1 utkast ville blitt slettet, 1 vedlegg ville blitt slettet" in (
        out.getvalue()
    )
    assert Application.objects.filter(pk=draft.pk).exists()
    assert Path(attachment.file.path).exists()


def test_retention_anonymises_old_rounds_and_deletes_files(db, django_capture_on_commit_callbacks):
    application, draft, attachment = old_round_with_cases()
    recent = submitted_application(round=RoundFactory(name="Ny runde"), municipalities=["1111"])
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


def test_retention_default_comes_from_the_setting(db, settings):
    settings.PILOTS_RETENTION_YEARS = 7
    out = StringIO()
    call_command("pilots_retention", "--dry-run", stdout=out)
    assert "mer enn 7 år siden" in out.getvalue()


@pytest.fixture
def current_round_cases(db):
    """Two applications (three municipalities, all in Rogaland) and a draft."""
    round = RoundFactory(name="Bygdevekst 2026")
    submitted_application(round=round, municipalities=[CLASS_6, CLASS_4])
    submitted_application(round=round, municipalities=[CLASS_5], status=Application.Status.SHORTLISTED)
    ApplicationFactory(round=round, municipalities=["1133"])  # a draft: not counted
    return round


def test_dashboard_statistics_for_case_handlers(client, current_round_cases):
    client.force_login(staff("Saksbehandler"))
    text = client.get("/admin/").text
    assert "Søknader om bygdevekstavtale: Bygdevekst 2026" in text
    assert "<strong>2</strong> søknader fra <strong>3</strong> kommuner" in text
    assert '<th scope="row">Sendt inn</th><td>1</td>' in text
    assert '<th scope="row">Aktuell (kortliste)</th><td>1</td>' in text
    assert '<th scope="row">Rogaland</th><td>2</td>' in text


def test_withdrawn_applications_are_not_counted(client, current_round_cases):
    submitted_application(
        round=current_round_cases, municipalities=["1134", "1144"], status=Application.Status.WITHDRAWN
    )
    client.force_login(staff("Saksbehandler"))
    text = client.get("/admin/").text
    assert "<strong>2</strong> søknader fra <strong>3</strong> kommuner (1 trukket søknad er ikke med)" in text
    assert '<th scope="row">Trukket</th>' not in text
    assert '<th scope="row">Rogaland</th><td>2</td>' in text


def test_dashboard_statistics_hidden_from_editors(client, current_round_cases):
    client.force_login(staff("Editors"))
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "Søknader om bygdevekstavtale" not in response.text
