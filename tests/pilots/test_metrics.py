"""The portal's figures on /metrics: the outcome of every content check of an upload
(accepted, refused, or an error of the check itself), and the sign-in and upload
limits counted by scope where they refuse. Checks run through the database task
backend the way `db_worker` runs them (tests/tasks.py)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from pilots.models import Attachment
from pilots.portal import pdfcheck
from tests.factories.pdf import text_pdf
from tests.factories.pilots import CLASS_6, ApplicationFactory
from tests.metrics import TOKEN, scrape
from tests.tasks import run_stored_tasks

CHECKS = "kr_pdf_checks_total"
REFUSALS = "kr_rate_limit_refusals_total"


@pytest.fixture(autouse=True)
def metrics_access(settings):
    settings.METRICS_TOKEN = TOKEN
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "mail", "bulk", "uploads"]}
    }


@pytest.fixture
def upload(client, applicant, open_round, django_capture_on_commit_callbacks):
    application = ApplicationFactory(round=open_round, created_by=applicant, municipalities=[CLASS_6])
    url = reverse("pilots:attachments", args=[application.round_id, application.pk])
    uploader = Client()
    uploader.force_login(applicant)

    def upload(name, content):
        with django_capture_on_commit_callbacks(execute=True):
            return uploader.post(url, {"action": "upload", "kind": "other", "file": SimpleUploadedFile(name, content)})

    return upload


def test_each_content_check_is_counted_by_its_outcome(client, upload, monkeypatch):
    before = scrape(client)
    assert upload("vedtak.pdf", text_pdf("Vedtak", [["Kommunestyrets vedtak"]])).status_code == 302
    assert upload("skadet.pdf", text_pdf("Vedtak", [["Vedtak"]])[:300]).status_code == 302
    run_stored_tasks()

    # The check itself fails (the machine cannot start the checking process): an error,
    # and the file stays «Under kontroll» for the sweeper to check again.
    def cannot_fork(*args, **kwargs):
        raise OSError(11, "Resource temporarily unavailable")

    assert upload("senere.pdf", text_pdf("Budsjett", [["Budsjett"]])).status_code == 302
    monkeypatch.setattr(pdfcheck._context, "Process", cannot_fork)
    run_stored_tasks()

    after = scrape(client)
    assert after.delta(before, CHECKS, outcome="accepted") == 1
    assert after.delta(before, CHECKS, outcome="refused") == 1
    assert after.delta(before, CHECKS, outcome="error") == 1
    statuses = dict(Attachment.objects.values_list("original_name", "check_status"))
    assert statuses == {"vedtak.pdf": "approved", "skadet.pdf": "rejected", "senere.pdf": "pending"}


def test_an_upload_over_the_limit_is_counted_once(client, upload, settings):
    settings.PILOTS_UPLOADS_PER_USER = 1
    before = scrape(client)
    assert upload("en.pdf", text_pdf("En", [["En"]])).status_code == 302
    assert upload("to.pdf", text_pdf("To", [["To"]])).status_code == 429
    after = scrape(client)
    assert after.delta(before, REFUSALS, scope="upload:user") == 1
    assert after.delta(before, REFUSALS, scope="upload:ip") == 0


def test_a_refused_sign_in_link_is_counted_by_the_limit_that_refused_it(client, db):
    before = scrape(client)
    visitor = Client()
    answers = [
        visitor.post(reverse("pilots:sign_in"), {"email": "ola@kommune.example"}, REMOTE_ADDR="192.0.2.10").status_code
        for _ in range(6)
    ]
    assert answers == [302] * 5 + [429]
    after = scrape(client)
    assert after.delta(before, REFUSALS, scope="pilots-signin:email-ip") == 1
    assert after.delta(before, REFUSALS, scope="pilots-signin:ip") == 0
