"""The bulk worker's side of sending: claim a batch of deliveries, send it over one
connection (SMTP, or the mail provider's HTTP session through anymail), then record
the whole batch in one transaction.

Why this is still exactly once although outcomes are written per batch, not per row:

- The claim (SELECT … FOR UPDATE SKIP LOCKED, then status "sending" with this worker's
  id and the time) is committed *before* any mail leaves. No drain claims a row in
  "sending", so once a mail may have been handed to the mail server, nothing sends
  that row again until someone records an outcome for it.
- Outcomes are kept in memory while the batch is sent and written together at the end
  (one UPDATE for all "sent" rows, one for "skipped", one per kind of failure), and
  only for rows this worker still holds. A commit per row bought nothing for the
  guarantee: it only told a crash's "sending" rows apart a little sooner.
- A worker killed mid-batch leaves its whole batch in "sending": mails already accepted
  and mails never tried look alike, as they did before (rows claimed but not yet sent
  were "sending" too). The sweeper in sending.py turns such rows "unknown" and never
  resends them (a duplicate is worse than a gap; an editor can see them). So a crash
  costs at most NEWSLETTER_BATCH_SIZE "unknown" rows, never a second copy.
- A live worker whose batch outlasts the sweeper's patience still records its batch:
  recording accepts "unknown" as well as "sending" for rows carrying its worker id.

Transient errors are retried with back-off; permanent refusals (SMTP 5xx, or the
provider's API refusing the message itself) fail at once.
"""

import os
import secrets
import smtplib
import socket
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from anymail.exceptions import AnymailAPIError, AnymailError, AnymailInvalidAddress, AnymailRecipientsRefused
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
SEND_ERRORS = (smtplib.SMTPException, OSError, AnymailError)
# What a provider's API answers when the message itself is refused (a malformed or
# refused address); any other answer (401/403 keys, 429, 5xx) may pass with time.
PROVIDER_REFUSALS = {400, 413, 422}


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


@dataclass(frozen=True)
class _Outcome:
    status: str
    error: str = ""
    retry_in: int | None = None


SENT = _Outcome(Delivery.SENT)
SKIPPED = _Outcome(Delivery.SKIPPED)


def _still_wanted(deliveries, list_id):
    """The ids among `deliveries` whose person is still subscribed and not suppressed,
    in one query just before the batch is sent: they may have left since the rows were made."""
    subscriber_ids = [d.subscriber_id for d in deliveries if d.subscriber_id is not None]
    wanted = set(
        Subscription.objects.filter(
            subscriber_id__in=subscriber_ids, newsletter_list_id=list_id, status=Subscription.CONFIRMED
        )
        .exclude(subscriber__address_hash__in=Suppression.objects.values("address_hash"))
        .values_list("subscriber_id", flat=True)
    )
    return {d.pk for d in deliveries if d.subscriber_id in wanted}


def _refused_by_provider(error):
    if isinstance(error, AnymailRecipientsRefused | AnymailInvalidAddress):
        return True
    return isinstance(error, AnymailAPIError) and getattr(error, "status_code", None) in PROVIDER_REFUSALS


def _classify(error, attempts):
    """Permanent refusals (SMTP 5xx, the provider refusing the message) fail at once;
    everything else is retried with back-off."""
    code = getattr(error, "smtp_code", None)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [c for c, _ in error.recipients.values()]
        code = max(codes) if codes else None
    if (code and 500 <= code < 600) or _refused_by_provider(error) or attempts >= MAX_ATTEMPTS:
        return _Outcome(Delivery.FAILED, error=repr(error)[:500])
    delay = min(RETRY_BASE_SECONDS * 2 ** (attempts - 1), RETRY_MAX_SECONDS)
    return _Outcome(Delivery.RETRY, error=repr(error)[:500], retry_in=delay)


def _record(outcomes, worker_id):
    """Write a batch's outcomes ({delivery id: _Outcome}) in one transaction: one UPDATE
    per distinct outcome, so a batch that went well is a single statement."""
    now = timezone.now()
    by_outcome = defaultdict(list)
    for delivery_id, outcome in outcomes.items():
        by_outcome[outcome].append(delivery_id)
    with transaction.atomic():
        for outcome, ids in by_outcome.items():
            fields = {"status": outcome.status, "last_error": outcome.error}
            if outcome.status == Delivery.SENT:
                fields["sent_at"] = now
            if outcome.retry_in is not None:
                fields["next_attempt_at"] = now + timedelta(seconds=outcome.retry_in)
            # Only the worker that claimed the rows may record them; "unknown" may still
            # be corrected when the worker turns out to be alive after all.
            Delivery.objects.filter(
                pk__in=ids, worker_id=worker_id, status__in=[Delivery.SENDING, Delivery.UNKNOWN]
            ).update(**fields)


def _send_all(template, deliveries, newsletter_list):
    """Hand the messages to the bulk mailer over one connection (a new one only after
    an error broke it). Returns {delivery id: _Outcome}; records nothing itself."""
    mailer = mailers["bulk"]
    try:
        mailer.open()
    except SEND_ERRORS as error:
        return {delivery.pk: _classify(error, 1) for delivery in deliveries}
    outcomes = {}
    try:
        for index, delivery in enumerate(deliveries):
            message = template.message_for(delivery.subscriber, newsletter_list)
            try:
                mailer.send_messages([message])
            except SEND_ERRORS as error:
                outcomes[delivery.pk] = _classify(error, delivery.attempts)
                try:
                    mailer.close()
                    mailer.open()
                except SEND_ERRORS as reopen_error:
                    outcomes.update({rest.pk: _classify(reopen_error, 1) for rest in deliveries[index + 1 :]})
                    return outcomes
            else:
                outcomes[delivery.pk] = SENT
    finally:
        mailer.close()
    return outcomes


def send_batch(issue, ids, worker_id, template=None):
    """Send the claimed rows over one connection, then record them all at once.
    `template`: the issue already rendered (a drain renders it once for all its batches)."""
    newsletter_list = issue.newsletter_list
    deliveries = list(Delivery.objects.filter(id__in=ids).select_related("subscriber").order_by("id"))
    wanted = _still_wanted(deliveries, newsletter_list.pk)
    outcomes = {delivery.pk: SKIPPED for delivery in deliveries if delivery.pk not in wanted}
    to_send = [delivery for delivery in deliveries if delivery.pk in wanted]
    if to_send:
        template = template or emails.IssueTemplate(issue)
        outcomes.update(_send_all(template, to_send, newsletter_list))
    _record(outcomes, worker_id)


def new_worker_id():
    """Host, process and a random part: a restarted process never passes for the old one."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def drain(issue_id, worker_id=None):
    """Send claimable deliveries of one issue until none are left right now."""
    worker_id = worker_id or new_worker_id()
    issue = IssueDispatch.objects.select_related("issue").get(issue_id=issue_id).issue
    template = None
    while ids := claim_batch(issue_id, worker_id, settings.NEWSLETTER_BATCH_SIZE):
        template = template or emails.IssueTemplate(issue)
        send_batch(issue, ids, worker_id, template)
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
