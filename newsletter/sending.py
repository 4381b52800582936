"""Sending an issue exactly once per subscriber, as the admin starts and follows it.

In short (GOV.UK email-alert style, one delivery row per recipient):

1. `start_sending` – one transaction: lock the issue row, refuse if it was already
   sent, create the IssueDispatch, INSERT one Delivery per confirmed, non-suppressed
   subscriber (INSERT … SELECT … ON CONFLICT DO NOTHING), enqueue drains on commit.
2. `worker.drain` – claims batches with SELECT … FOR UPDATE SKIP LOCKED, marks them
   "sending" (with its worker id and the time) and commits *before* talking to the
   mail server, sends the batch over one connection (SMTP, or the mail provider's
   HTTP session), then records the whole batch in one
   transaction (worker.py explains why that keeps "exactly once"). A crash therefore
   leaves at most the rows of one batch in "sending".
3. `sweep` – rows stuck in "sending" become "unknown" and are never resent
   automatically (a duplicate is worse than a gap; an editor can see them). Queued
   or due retry rows without a live drain get a new drain.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from . import emails, worker
from .audience import Subscriber, Subscription, Suppression
from .deliveries import Delivery, IssueDispatch
from .pages import NewsletterIssuePage
from .tasks import drain_deliveries

logger = logging.getLogger(__name__)

STUCK_AFTER = timedelta(minutes=10)
DRAIN_IDLE_AFTER = timedelta(minutes=2)
MAX_DRAINS_PER_SEND = 4


class SendingRefused(Exception):
    """The issue cannot be sent (not published, or already sent or sending)."""


def eligible_recipients(newsletter_list):
    """Confirmed subscribers of the list who are not suppressed."""
    return Subscriber.objects.filter(
        subscriptions__newsletter_list=newsletter_list, subscriptions__status=Subscription.CONFIRMED
    ).exclude(address_hash__in=Suppression.objects.values("address_hash"))


INSERT_DELIVERIES = """
    INSERT INTO newsletter_delivery
        (issue_id, subscriber_id, status, attempts, worker_id, last_error, created_at)
    SELECT %(issue)s, s.id, 'queued', 0, '', '', now()
    FROM newsletter_subscriber s
    JOIN newsletter_subscription sub ON sub.subscriber_id = s.id
    WHERE sub.newsletter_list_id = %(list)s
      AND sub.status = 'confirmed'
      AND NOT EXISTS (SELECT 1 FROM newsletter_suppression x WHERE x.address_hash = s.address_hash)
    ON CONFLICT (issue_id, subscriber_id) DO NOTHING
"""


def start_sending(issue, user=None):
    """Mark the issue as sending and create its deliveries, all in one transaction.
    Returns the number of deliveries created. Raises SendingRefused on a second press."""
    with transaction.atomic():
        locked = NewsletterIssuePage.objects.select_for_update().get(pk=issue.pk)
        if not locked.live:
            raise SendingRefused("Utgaven må være publisert før den kan sendes.")
        if IssueDispatch.objects.filter(issue=locked).exists():
            raise SendingRefused("Utgaven er allerede sendt eller sendes nå.")
        newsletter_list = locked.newsletter_list
        IssueDispatch.objects.create(issue=locked, started_by=user, heartbeat_at=timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(INSERT_DELIVERIES, {"issue": locked.pk, "list": newsletter_list.pk})
            created = cursor.rowcount
        drains = max(1, min(MAX_DRAINS_PER_SEND, -(-created // settings.NEWSLETTER_BATCH_SIZE)))
        issue_id = locked.pk
        transaction.on_commit(lambda: [drain_deliveries.enqueue(issue_id) for _ in range(drains)])
    return created


def sweep(*, stuck_after=STUCK_AFTER, idle_after=DRAIN_IDLE_AFTER, now=None):
    """The periodic sweeper. Returns (rows turned unknown, drains enqueued)."""
    now = now or timezone.now()
    stuck = Delivery.objects.filter(status=Delivery.SENDING, claimed_at__lt=now - stuck_after).update(
        status=Delivery.UNKNOWN, last_error="Arbeidsprosessen stoppet under sending; ikke sendt på nytt."
    )
    enqueued = 0
    for dispatch in IssueDispatch.objects.filter(status=IssueDispatch.SENDING):
        in_flight = Delivery.objects.filter(issue_id=dispatch.issue_id, status=Delivery.SENDING).exists()
        idle = dispatch.heartbeat_at is None or dispatch.heartbeat_at <= now - idle_after
        if worker.claimable(dispatch.issue_id, now).exists() and not in_flight and idle:
            IssueDispatch.objects.filter(pk=dispatch.pk).update(heartbeat_at=now)
            drain_deliveries.enqueue(dispatch.issue_id)
            enqueued += 1
        else:
            worker.finish_if_done(dispatch.issue_id)
    if stuck:
        logger.warning("Newsletter sweeper marked %s deliveries as unknown", stuck)
    return stuck, enqueued


def delivery_counts(issue):
    """{status: count} for the admin's progress view, every status present."""
    counts = dict.fromkeys((value for value, _ in Delivery.STATUS_CHOICES), 0)
    for row in Delivery.objects.filter(issue=issue).values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    return counts


def send_test(issue, user):
    """Send the issue to the editor only. Never creates a Delivery."""
    if not user.email:
        raise SendingRefused("Brukeren din har ingen e-postadresse.")
    emails.test_message(issue, user.email).send()
