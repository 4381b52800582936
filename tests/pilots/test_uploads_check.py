"""The content check in the task worker: an upload waits «Under kontroll» until the
worker has read it, then the applicant sees «Godkjent» or why it was refused; the
application cannot be submitted before every file is approved; crafted files are
refused within the check's bounds; only PILOTS_PDF_CHECKS_AT_ONCE checks run at once;
and a check lost with its worker is queued again.

Tasks go through the database backend and run the way `db_worker` runs them
(tests/tasks.py), so each step is visible in between."""

import datetime
import time
import zlib

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pilots.models import Attachment
from pilots.portal import pdfcheck, uploads
from pilots.portal.tasks import CHECK_SLOTS_LOCK
from tests.conftest import load_register
from tests.factories.pdf import pdf_from_objects, text_pdf
from tests.factories.pilots import CLASS_6, ApplicationFactory
from tests.tasks import run_stored_tasks

TOO_COMPLEX = "PDF-filen er for stor eller sammensatt til at vi kan kontrollere den."


@pytest.fixture(autouse=True)
def database_tasks(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "mail", "bulk", "uploads"]}
    }


@pytest.fixture
def application(open_round, applicant):
    return ApplicationFactory(round=open_round, created_by=applicant, municipalities=[CLASS_6])


@pytest.fixture
def urls(application):
    args = [application.round_id, application.pk]
    return {
        "attachments": reverse("pilots:attachments", args=args),
        "declaration": reverse("pilots:declaration", args=args),
        "receipt": reverse("pilots:receipt", args=args),
    }


@pytest.fixture
def upload(client, applicant, urls, django_capture_on_commit_callbacks):
    client.force_login(applicant)

    def upload(name, content):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                urls["attachments"], {"action": "upload", "kind": "other", "file": SimpleUploadedFile(name, content)}
            )
        assert response.status_code == 302
        return Attachment.objects.get(original_name=name)

    return upload


def submit(client, urls):
    return client.post(urls["declaration"], {"confirm": "on"})


def bomb():
    """12 KB that inflate to 50 MB of drawing operators, compressed twice."""
    data = b"0 0 m 1 1 l S\n" * (50 * 1024 * 1024 // 14)
    for _ in range(2):
        data = zlib.compress(data, 9)
    stream = b"<< /Length %d /Filter [/FlateDecode /FlateDecode] >>\nstream\n" % len(data) + data + b"\nendstream"
    return pdf_from_objects(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            stream,
        ]
    )


def many_pages(count):
    kids = b" ".join(b"%d 0 R" % (number + 3) for number in range(count))
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"
    catalogue = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % count]
    return pdf_from_objects(catalogue + [page] * count)


def test_upload_waits_under_kontroll_until_the_worker_approves_it_and_only_then_submits(client, upload, urls):
    upload("vedtak.pdf", text_pdf("Vedtak", [["Kommunestyrets vedtak"]]))
    assert "Under kontroll" in client.get(urls["attachments"]).text

    refused = submit(client, urls)
    assert refused.status_code == 200
    assert "Vi kontrollerer fortsatt vedlegg: «vedtak.pdf»." in refused.text
    assert "ds-error-summary" in refused.text

    run_stored_tasks()
    page = client.get(urls["attachments"]).text
    assert "Godkjent" in page and "Under kontroll" not in page
    assert submit(client, urls)["Location"] == urls["receipt"]


def test_a_damaged_pdf_is_refused_by_the_worker_with_the_reason_and_blocks_submitting(client, upload, urls):
    attachment = upload("skadet.pdf", text_pdf("Vedtak", [["Vedtak"]])[:300])
    run_stored_tasks()
    page = client.get(urls["attachments"]).text
    assert "Avvist" in page
    assert "PDF-filen er skadet eller ufullstendig. Prøv å lagre den på nytt som PDF." in page
    refused = submit(client, urls)
    assert "Vedlegg ble avvist: «skadet.pdf». Slett dem under «Vedlegg»" in refused.text

    client.post(urls["attachments"], {"action": "delete", "attachment": attachment.pk})
    assert submit(client, urls)["Location"] == urls["receipt"]


@pytest.mark.parametrize(
    "content", [bomb(), many_pages(pdfcheck.MAX_PAGES + 1)], ids=["decompression bomb", "too many pages"]
)
def test_crafted_files_are_refused_within_the_bounds(client, upload, urls, content):
    assert len(content) < 250_000
    attachment = upload("laget.pdf", content)
    started = time.monotonic()
    run_stored_tasks()
    assert time.monotonic() - started < pdfcheck.CPU_SECONDS
    attachment.refresh_from_db()
    assert attachment.check_status == "rejected"
    assert TOO_COMPLEX in client.get(urls["attachments"]).text


def test_a_check_past_its_time_is_stopped_and_refused(tmp_path):
    path = tmp_path / "treg.pdf"
    path.write_bytes(text_pdf("Vedtak", [["Vedtak"]] * 200))
    started = time.monotonic()
    assert pdfcheck.inspect(path, wall_seconds=0) == pdfcheck.TOO_COMPLEX
    assert time.monotonic() - started < 1


def test_no_more_checks_run_at_once_than_the_cap_allows(settings, client, upload, urls):
    """Another worker holds every slot: the check is queued again a second later
    instead of running, and runs once a slot is free."""
    settings.PILOTS_PDF_CHECKS_AT_ONCE = 2
    attachment = upload("vedtak.pdf", text_pdf("Vedtak", [["Vedtak"]]))
    params = connection.get_connection_params()
    with psycopg.connect(**params, autocommit=True) as other_worker:
        for slot in range(2):
            other_worker.execute("SELECT pg_advisory_lock(%s, %s)", [CHECK_SLOTS_LOCK, slot])
        run_stored_tasks()
        attachment.refresh_from_db()
        assert attachment.check_status == "pending"
        waiting = DBTaskResult.objects.filter(status="READY")
        assert waiting.count() == 1 and waiting.get().run_after > timezone.now()
    time.sleep(1.1)
    run_stored_tasks()
    attachment.refresh_from_db()
    assert attachment.check_status == "approved"


def test_a_check_lost_with_its_worker_is_queued_again_by_the_sweeper(upload):
    attachment = upload("vedtak.pdf", text_pdf("Vedtak", [["Vedtak"]]))
    DBTaskResult.objects.all().delete()  # the worker died with the task claimed
    assert uploads.sweep_pending() == 0  # too recent: its worker may still be at it
    Attachment.objects.filter(pk=attachment.pk).update(uploaded_at=timezone.now() - datetime.timedelta(minutes=6))
    assert uploads.sweep_pending() == 1
    run_stored_tasks()
    attachment.refresh_from_db()
    assert attachment.check_status == "approved"


@pytest.fixture
def committed_register(transactional_db):
    """This test commits for real, so the flush after an earlier such test emptied the register."""
    load_register()


@pytest.mark.django_db(transaction=True)
def test_a_check_that_loses_its_database_connection_is_queued_again_at_once(
    committed_register, client, upload, urls, monkeypatch
):
    """PostgreSQL restarts while the worker reads the file: the verdict cannot be
    written, so the check queues itself again and the applicant sees «Godkjent» after
    the worker's next round, not after the sweeper's five minutes."""
    upload("vedtak.pdf", text_pdf("Vedtak", [["Vedtak"]]))
    inspect = pdfcheck.inspect

    def inspect_then_lose_the_connection(path):
        monkeypatch.setattr(pdfcheck, "inspect", inspect)  # only the first check
        end_backend(connection)
        return inspect(path)

    monkeypatch.setattr(pdfcheck, "inspect", inspect_then_lose_the_connection)
    run_stored_tasks()
    assert "Under kontroll" in client.get(urls["attachments"]).text
    assert DBTaskResult.objects.filter(status="READY", task_path="pilots.portal.tasks.check_attachment").count() == 1

    run_stored_tasks()
    page = client.get(urls["attachments"]).text
    assert "Godkjent" in page and "Under kontroll" not in page


def test_a_check_that_fails_on_a_working_connection_is_left_to_the_sweeper(upload, monkeypatch):
    attachment = upload("vedtak.pdf", text_pdf("Vedtak", [["Vedtak"]]))

    def time_out(path):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 1")
            cursor.execute("SELECT pg_sleep(1)")

    monkeypatch.setattr(pdfcheck, "inspect", time_out)
    run_stored_tasks()
    checks = DBTaskResult.objects.filter(task_path="pilots.portal.tasks.check_attachment")
    assert list(checks.values_list("status", flat=True)) == ["FAILED"]  # not queued again and again
    attachment.refresh_from_db()
    assert attachment.check_status == "pending"


def end_backend(conn):
    """End `conn`'s PostgreSQL backend from another connection, as a restart would."""
    with conn.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    with psycopg.connect(**conn.get_connection_params(), autocommit=True) as operator:
        operator.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
