"""The bulk worker's side of sending: claim a batch of deliveries, send them over
one SMTP connection, record each outcome at once.

A claim is committed before any mail leaves, so a crash can only leave the rows of
one batch in "sending" (the sweeper in sending.py turns them "unknown"); a row is
never sent twice. Transient SMTP errors are retried with back-off, permanent
refusals (5xx) fail at once.
"""

import os
import secrets
import smtplib
import socket
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import mailers
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from . import emails
from .audience import Subscription, Suppression
from .deliveries import Delivery, IssueDispatch

MAX_ATTEMPTS = 5
RETRY_BASE_SECONDS = 60
RETRY_MAX_SECONDS = 3600


def claimable(issue_id, now):
    """Rows a drain may take now: queued, or due for another try. The sweeper asks
    the same question to decide whether an issue needs a new drain."""
    return Delivery.objects.filter(issue_id=issue_id).filter(
        Q(status=Delivery.QUEUED) | Q(status=Delivery.RETRY, next_attempt_at__lte=now)
    )


def claim_batch(issue_id, worker_id, size):
    """Claim up to `size` rows for this worker and commit the claim at once, so a
    crash after this point can only leave rows in "sending", never resend them."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            claimable(issue_id, now)
            .select_for_update(skip_locked=True)
            .order_by("id")
            .values_list("id", flat=True)[:size]
        )
        if ids:
            Delivery.objects.filter(id__in=ids).update(
                status=Delivery.SENDING, claimed_at=now, worker_id=worker_id, attempts=F("attempts") + 1
            )
            IssueDispatch.objects.filter(issue_id=issue_id).update(heartbeat_at=now)
    return ids


@dataclass
class _Outcome:
    status: str
    error: str = ""
    retry_in: int | None = None


def _still_wanted(delivery, list_id):
    """Checked again just before sending: the person may have left or been suppressed."""
    return (
        delivery.subscriber_id is not None
        and Subscription.objects.filter(
            subscriber_id=delivery.subscriber_id, newsletter_list_id=list_id, status=Subscription.CONFIRMED
        )
        .exclude(subscriber__address_hash__in=Suppression.objects.values("address_hash"))
        .exists()
    )


def _classify(error, attempts):
    """Permanent SMTP refusals (5xx) fail at once; everything else is retried with back-off."""
    code = getattr(error, "smtp_code", None)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [c for c, _ in error.recipients.values()]
        code = max(codes) if codes else None
    if (code and 500 <= code < 600) or attempts >= MAX_ATTEMPTS:
        return _Outcome(Delivery.FAILED, error=repr(error)[:500])
    delay = min(RETRY_BASE_SECONDS * 2 ** (attempts - 1), RETRY_MAX_SECONDS)
    return _Outcome(Delivery.RETRY, error=repr(error)[:500], retry_in=delay)


def _record(delivery, worker_id, outcome):
    now = timezone.now()
    fields = {"status": outcome.status, "last_error": outcome.error}
    if outcome.status == Delivery.SENT:
        fields["sent_at"] = now
    if outcome.retry_in is not None:
        fields["next_attempt_at"] = now + timedelta(seconds=outcome.retry_in)
    # Only the worker that claimed the row may record it; "unknown" may still be
    # corrected when the worker turns out to be alive after all.
    Delivery.objects.filter(
        pk=delivery.pk, worker_id=worker_id, status__in=[Delivery.SENDING, Delivery.UNKNOWN]
    ).update(**fields)


def send_batch(issue, ids, worker_id):
    """Send the claimed rows over one SMTP connection, recording each outcome at once."""
    newsletter_list = issue.newsletter_list
    template = emails.IssueTemplate(issue)
    deliveries = list(Delivery.objects.filter(id__in=ids).select_related("subscriber").order_by("id"))
    mailer = mailers["bulk"]
    try:
        mailer.open()
    except (smtplib.SMTPException, OSError) as error:
        for delivery in deliveries:
            _record(delivery, worker_id, _classify(error, 1))
        return
    try:
        for index, delivery in enumerate(deliveries):
            if not _still_wanted(delivery, newsletter_list.pk):
                _record(delivery, worker_id, _Outcome(Delivery.SKIPPED))
                continue
            message = template.message_for(delivery.subscriber, newsletter_list)
            try:
                mailer.send_messages([message])
            except (smtplib.SMTPException, OSError) as error:
                _record(delivery, worker_id, _classify(error, delivery.attempts))
                try:
                    mailer.close()
                    mailer.open()
                except (smtplib.SMTPException, OSError) as reopen_error:
                    for rest in deliveries[index + 1 :]:
                        _record(rest, worker_id, _classify(reopen_error, 1))
                    return
            else:
                _record(delivery, worker_id, _Outcome(Delivery.SENT))
    finally:
        mailer.close()


def new_worker_id():
    """Host, process and a random part: a restarted process never passes for the old one."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def drain(issue_id, worker_id=None):
    """Send claimable deliveries of one issue until none are left right now."""
    worker_id = worker_id or new_worker_id()
    issue = IssueDispatch.objects.select_related("issue").get(issue_id=issue_id).issue
    while ids := claim_batch(issue_id, worker_id, settings.NEWSLETTER_BATCH_SIZE):
        send_batch(issue, ids, worker_id)
    finish_if_done(issue_id)


def finish_if_done(issue_id):
    """Mark the sending done once no row can still be sent ("unknown" rows stay as they are)."""
    open_rows = Delivery.objects.filter(
        issue_id=issue_id, status__in=[Delivery.QUEUED, Delivery.SENDING, Delivery.RETRY]
    )
    if not open_rows.exists():
        IssueDispatch.objects.filter(issue_id=issue_id, status=IssueDispatch.SENDING).update(
            status=IssueDispatch.DONE, finished_at=timezone.now()
        )
