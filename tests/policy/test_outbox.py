"""The outbox: a mail is queued in the transaction of the change that causes it, sent
once, retried with backoff while the mail server is down, and shown to staff with
«Send igjen» when it failed for good.

The SMTP tests use Django's real SMTP backend against an SMTP sink (aiosmtpd) on a
free local port; "down" is the same port with nothing listening."""

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from policy import outbox
from policy.models import OutgoingMail
from tests.factories.pilots import staff
from tests.factories.policy import StaffUserFactory
from tests.smtp_sink import serve

pytestmark = pytest.mark.django_db

TO = "postmottak@fjellbygd.kommune.example"


@pytest.fixture
def smtp(settings):
    yield from serve(settings)


def let_backoff_pass(row):
    """As if the wait before the next attempt had passed."""
    OutgoingMail.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now() - datetime.timedelta(seconds=1))


def queue(django_capture_on_commit_callbacks, key="test.event:1", **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return outbox.queue_mail(
            to=kwargs.pop("to", [TO]),
            subject=kwargs.pop("subject", "Kvittering for søknaden"),
            body=kwargs.pop("body", "Søknaden er mottatt."),
            key=key,
            **kwargs,
        )


def test_a_queued_mail_is_sent_once_the_change_commits(django_capture_on_commit_callbacks):
    row = queue(django_capture_on_commit_callbacks, subject="Kvittering 17", body="Takk for søknaden.")
    (message,) = mail.outbox
    assert (message.subject, message.body, message.to) == ("Kvittering 17", "Takk for søknaden.", [TO])
    row.refresh_from_db()
    assert row.state == OutgoingMail.State.SENT and row.sent_at is not None and row.attempts == 1


def test_a_rolled_back_change_sends_nothing(django_capture_on_commit_callbacks):
    class Refused(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Refused), transaction.atomic():
        outbox.queue_mail(to=[TO], subject="Aldri", body="Aldri sendt.", key="test.rolled-back:1")
        raise Refused
    assert not OutgoingMail.objects.filter(key="test.rolled-back:1").exists()
    assert mail.outbox == []


def test_the_same_key_twice_sends_one_mail(django_capture_on_commit_callbacks):
    first = queue(django_capture_on_commit_callbacks, key="test.receipt:42")
    second = queue(django_capture_on_commit_callbacks, key="test.receipt:42", subject="Annen tekst")
    assert first.pk == second.pk
    assert [m.subject for m in mail.outbox] == ["Kvittering for søknaden"]
    assert OutgoingMail.objects.filter(key="test.receipt:42").count() == 1


def test_smtp_down_retries_with_backoff_and_sends_exactly_once_when_it_is_back(
    smtp, django_capture_on_commit_callbacks, caplog
):
    row = queue(django_capture_on_commit_callbacks, key="test.smtp:1", subject="Lenke for å logge inn")
    row.refresh_from_db()
    assert row.state == OutgoingMail.State.PENDING and row.attempts == 1
    assert "Connection refused" in row.last_error or "ConnectionRefused" in row.last_error
    assert row.next_attempt_at - timezone.now() > datetime.timedelta(seconds=50)  # one minute

    # Not due yet: the sweep and a stray task leave it alone.
    assert outbox.sweep() == 0
    assert outbox.deliver(row.pk) is False
    let_backoff_pass(row)
    assert outbox.deliver(row.pk) is False  # still down: the second failure
    row.refresh_from_db()
    assert row.attempts == 2
    assert datetime.timedelta(minutes=4) < row.next_attempt_at - timezone.now() <= datetime.timedelta(minutes=5)

    smtp.up()
    # The sweep enqueues what has been due for a while; the retry is not due yet.
    assert outbox.sweep(now=row.next_attempt_at) == 0
    let_backoff_pass(row)
    assert outbox.sweep(now=timezone.now() + outbox.SWEEP_GRACE) == 1
    row.refresh_from_db()
    assert row.state == OutgoingMail.State.SENT and row.attempts == 3
    # Another sweep, a stray task and a second deliver send nothing more.
    assert outbox.sweep(now=timezone.now() + outbox.SWEEP_GRACE * 3) == 0
    assert outbox.send_outgoing_mail.call(row.pk) is False
    assert smtp.counts == {TO: 1}


def test_after_five_failures_the_mail_is_marked_failed_and_logged(smtp, django_capture_on_commit_callbacks, caplog):
    row = queue(django_capture_on_commit_callbacks, key="test.smtp:2", subject="Vedtak i saken")
    for _ in range(outbox.MAX_ATTEMPTS - 1):
        let_backoff_pass(row)
        outbox.deliver(row.pk)
    row.refresh_from_db()
    assert row.state == OutgoingMail.State.FAILED and row.attempts == outbox.MAX_ATTEMPTS
    assert any(r.levelname == "ERROR" and "test.smtp:2" in r.getMessage() for r in caplog.records)
    assert list(outbox.needs_attention()) == [row]


def test_a_worker_crash_between_claim_and_send_leaves_the_mail_for_the_sweep(
    django_capture_on_commit_callbacks, monkeypatch
):
    """The worker dies after claiming the row: its transaction rolls back, the row is
    pending as before, and the sweep sends it, once."""
    with django_capture_on_commit_callbacks(execute=False):  # the worker takes the task…
        row = outbox.queue_mail(to=[TO], subject="Vedtak", body="Vedtaket.", key="test.crash:1")

    def crash(*args, **kwargs):
        raise SystemExit("worker killed")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", crash)
    with pytest.raises(SystemExit):  # …claims the row and dies before the mail server has it
        outbox.deliver(row.pk)
    monkeypatch.undo()
    row.refresh_from_db()
    assert row.state == OutgoingMail.State.PENDING and row.attempts == 0 and mail.outbox == []

    assert outbox.sweep() == 0  # just queued: its own task may still come
    assert outbox.sweep(now=timezone.now() + outbox.SWEEP_GRACE) == 1
    assert outbox.sweep(now=timezone.now() + outbox.SWEEP_GRACE) == 0
    assert [m.subject for m in mail.outbox] == ["Vedtak"]


@pytest.mark.django_db(transaction=True)
def test_a_row_claimed_by_one_worker_is_skipped_by_another():
    row = outbox.queue_mail(to=[TO], subject="Kvittering", body="Mottatt.", key="test.claim:1")
    mail.outbox.clear()  # sent at once in autocommit; make it due again as a fresh row
    OutgoingMail.objects.filter(pk=row.pk).update(state=OutgoingMail.State.PENDING, attempts=0)
    claimed, release = threading.Event(), threading.Event()

    def first_worker():
        try:
            with transaction.atomic():
                OutgoingMail.objects.select_for_update().get(pk=row.pk)
                claimed.set()
                release.wait(10)
        finally:
            connection.close()

    worker = threading.Thread(target=first_worker)
    worker.start()
    assert claimed.wait(10)
    assert outbox.deliver(row.pk) is False
    release.set()
    worker.join()
    assert outbox.deliver(row.pk) is True
    assert outbox.deliver(row.pk) is False
    assert len(mail.outbox) == 1


def test_a_personal_link_is_made_at_sending_and_never_stored(django_capture_on_commit_callbacks):
    links = iter(["https://x.example/lenke/abc"])
    outbox.register_link_maker("test.link", lambda mail: next(links, None))
    body = f"Logg inn her: {outbox.LINK}"
    row = queue(django_capture_on_commit_callbacks, key="test.link:1", body=body)
    assert mail.outbox[0].body == "Logg inn her: https://x.example/lenke/abc"
    row.refresh_from_db()
    assert "lenke/abc" not in repr(list(OutgoingMail.objects.values()))

    # A link that no longer applies (used, replaced, expired): nothing is sent.
    void = queue(django_capture_on_commit_callbacks, key="test.link:2", body=body)
    void.refresh_from_db()
    assert void.state == OutgoingMail.State.VOID and len(mail.outbox) == 1


def test_staff_see_a_failed_mail_and_send_it_again(smtp, client, django_capture_on_commit_callbacks):
    row = queue(django_capture_on_commit_callbacks, key="test.smtp:3", subject="Kvittering 2026-0042")
    OutgoingMail.objects.filter(pk=row.pk).update(
        state=OutgoingMail.State.FAILED, attempts=5, failed_at=timezone.now(), last_error="SMTP nede"
    )
    client.force_login(StaffUserFactory(is_superuser=True))
    home = client.get(reverse("wagtailadmin_home"))
    assert home.status_code == 200
    assert "E-post som ikke er sendt (1)" in home.text
    assert "Kvittering 2026-0042" in home.text and "SMTP nede" in home.text and "Send igjen" in home.text

    smtp.up()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("wagtailadmin_outbox:outbox_send_again", args=[row.pk]))
    assert response.status_code == 302
    assert smtp.counts == {TO: 1}
    row.refresh_from_db()
    assert row.state == OutgoingMail.State.SENT
    assert "E-post som ikke er sendt" not in client.get(reverse("wagtailadmin_home")).text


def test_only_staff_with_the_permission_see_or_resend(client, django_capture_on_commit_callbacks):
    row = queue(django_capture_on_commit_callbacks, key="test.perm:1", subject="Kvittering 2026-0043")
    OutgoingMail.objects.filter(pk=row.pk).update(state=OutgoingMail.State.FAILED, failed_at=timezone.now())
    client.force_login(staff("Editors"))
    assert "Kvittering 2026-0043" not in client.get(reverse("wagtailadmin_home")).text
    refused = client.post(reverse("wagtailadmin_outbox:outbox_send_again", args=[row.pk]))
    assert refused.status_code == 302 and refused["Location"] == reverse("wagtailadmin_home")  # Wagtail's refusal
    row.refresh_from_db()
    assert row.state == OutgoingMail.State.FAILED
