"""Sending in batches: one SMTP connection per claimed batch, the batch's outcomes
written together, and a worker dying mid-batch never leads to a second copy.

The connection tests send to a real SMTP server (aiosmtpd on loopback) that notes the
client connection each message arrived on."""

import socket
import threading
from collections import Counter
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsletter import emails, sending, worker
from newsletter.models import Delivery, IssueDispatch

pytestmark = pytest.mark.django_db


class ConnectionCountingHandler:
    """Notes, per message, the client address and port it came from: one per connection."""

    def __init__(self):
        self.per_connection = Counter()
        self.received = Counter()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        with self.lock:
            self.per_connection[session.peer] += 1
            for recipient in envelope.rcpt_tos:
                self.received[recipient] += 1
        return "250 Message accepted"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback, set as the bulk mailer."""
    handler = ConnectionCountingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.MAILERS = {
        **settings.MAILERS,
        "bulk": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 5},
        },
    }
    yield handler
    controller.stop()


def subscribe_many(subscribe, count):
    addresses = [f"person{n:02d}@example.no" for n in range(count)]
    for address in addresses:
        subscribe(address)
    return addresses


@pytest.mark.parametrize(("batch_size", "messages_per_connection"), [(5, [5, 5, 2]), (50, [12])])
def test_each_batch_goes_over_one_smtp_connection(
    issue, subscribe, smtp_server, settings, batch_size, messages_per_connection, django_capture_on_commit_callbacks
):
    settings.NEWSLETTER_BATCH_SIZE = batch_size
    addresses = subscribe_many(subscribe, 12)

    with django_capture_on_commit_callbacks(execute=True):
        assert sending.start_sending(issue) == 12

    assert sorted(smtp_server.per_connection.values(), reverse=True) == messages_per_connection
    assert smtp_server.received == dict.fromkeys(addresses, 1)
    rows = Delivery.objects.values_list("status", "sent_at")
    assert {status for status, _ in rows} == {"sent"} and all(sent_at for _, sent_at in rows)
    assert IssueDispatch.objects.get().status == "done"


def claimed_batch(issue, subscribe, count):
    """`count` subscribers, their deliveries made and claimed as one batch by "w1"."""
    for n in range(count):
        subscribe(f"batch{count}-{n}@example.no")
    sending.start_sending(issue)  # on-commit drains never run inside the test transaction
    return worker.claim_batch(issue.pk, "w1", count)


def test_a_batch_is_recorded_in_one_statement_whatever_its_size(issue, subscribe):
    for n in range(23):
        subscribe(f"person{n:02d}@example.no")
    sending.start_sending(issue)  # on-commit drains never run inside the test transaction
    template = emails.IssueTemplate(issue)
    statements = {}
    for size in (3, 20):
        ids = worker.claim_batch(issue.pk, "w1", size)
        with CaptureQueriesContext(connection) as queries:
            worker.send_batch(issue, ids, "w1", template)
        statements[size] = [q["sql"] for q in queries.captured_queries]

    assert len(mail.outbox) == 23
    assert Delivery.objects.filter(status="sent", sent_at__isnull=False).count() == 23
    for sql in statements.values():
        assert len([s for s in sql if s.startswith('UPDATE "newsletter_delivery"')]) == 1, sql
    assert len(statements[3]) == len(statements[20]), "the same few queries for 3 rows as for 20"


class DiesOnThirdMessage(LocmemBackend):
    """Accepts two messages, then the process "dies" (SystemExit is no SMTP error, so
    nothing in the worker catches it), as a SIGKILL would stop it mid-batch."""

    def send_messages(self, messages):
        if len(mail.outbox) == 2:
            raise SystemExit("killed")
        return super().send_messages(messages)


def test_a_worker_dying_mid_batch_leaves_the_batch_unknown_and_sends_nothing_twice(
    issue, subscribe, settings, django_capture_on_commit_callbacks
):
    ids = claimed_batch(issue, subscribe, 5)
    settings.MAILERS = {**settings.MAILERS, "bulk": {"BACKEND": f"{__name__}.DiesOnThirdMessage"}}

    with pytest.raises(SystemExit):
        worker.send_batch(issue, ids, "w1")

    assert len(mail.outbox) == 2, "two mails left before the worker died"
    assert Delivery.objects.filter(status="sending", worker_id="w1").count() == 5, "nothing recorded for the batch"

    settings.MAILERS = {**settings.MAILERS, "bulk": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        stuck, _ = sending.sweep(now=timezone.now() + timedelta(minutes=30))
    worker.drain(issue.pk)

    assert stuck == 5
    assert len(mail.outbox) == 2, "no mail of the dead worker's batch is sent again"
    assert Counter(Delivery.objects.values_list("status", flat=True)) == {"unknown": 5}
