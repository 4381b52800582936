"""The newsletter's rules in one place: signing up, confirming, leaving, erasure,
and sending an issue exactly once per subscriber.

Sending, in short (GOV.UK email-alert style, one delivery row per recipient):

1. `start_sending` – one transaction: lock the issue row, refuse if it was already
   sent, create the IssueDispatch, INSERT one Delivery per confirmed, non-suppressed
   subscriber (INSERT … SELECT … ON CONFLICT DO NOTHING), enqueue drains on commit.
2. `drain` – claims batches with SELECT … FOR UPDATE SKIP LOCKED, marks them
   "sending" and commits *before* talking to SMTP, then records each row's outcome
   right after its message is handed over. A crash therefore leaves at most the
   rows of one batch in "sending".
3. `sweep` – rows stuck in "sending" become "unknown" and are never resent
   automatically (a duplicate is worse than a gap; an editor can see them). Queued
   or due retry rows without a live drain get a new drain.
"""

import logging
import os
import secrets
import smtplib
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import mailers
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from . import addresses, emails, tokens
from .models import (
    ConsentEvent,
    Delivery,
    IssueDispatch,
    NewsletterIssuePage,
    NewsletterList,
    Subscriber,
    Subscription,
    Suppression,
)

logger = logging.getLogger(__name__)

STUCK_AFTER = timedelta(minutes=10)
DRAIN_IDLE_AFTER = timedelta(minutes=2)
MAX_ATTEMPTS = 5
RETRY_BASE_SECONDS = 60
RETRY_MAX_SECONDS = 3600
MAX_DRAINS_PER_SEND = 4


class SendingRefused(Exception):
    """The issue cannot be sent (not published, or already sent or sending)."""


def is_suppressed(address_or_hash, *, hashed=False):
    digest = address_or_hash if hashed else addresses.address_hash(address_or_hash)
    return Suppression.objects.filter(address_hash=digest).exists()


# --- Signing up --------------------------------------------------------------------


def handle_signup_request(email, list_id, consent_version, requested_at):
    """Run in a task on the "mail" queue, so the web response never shows (by its
    content or its timing) whether the address was new, subscribed or suppressed.

    New or unsubscribed address: a confirmation link. Already subscribed: a note with
    the manage link (only the mailbox owner learns it). Suppressed: nothing."""
    newsletter_list = NewsletterList.objects.filter(pk=list_id).first()
    if newsletter_list is None:
        return "no-list"
    email = addresses.normalise(email)
    digest = addresses.address_hash(email)
    if is_suppressed(digest, hashed=True):
        return "suppressed"
    subscription = (
        Subscription.objects.filter(
            subscriber__address_hash=digest, newsletter_list=newsletter_list, status=Subscription.CONFIRMED
        )
        .select_related("subscriber")
        .first()
    )
    if subscription:
        emails.already_subscribed_message(subscription.subscriber, newsletter_list).send()
        return "already-subscribed"
    if isinstance(requested_at, str):
        requested_at = datetime.fromisoformat(requested_at)
    token = tokens.make_confirm_token(email, newsletter_list.pk, consent_version, requested_at)
    emails.confirmation_message(email, newsletter_list, token).send()
    return "confirmation-sent"


def confirm(token_data, now=None):
    """Create the subscriber and subscription from a confirmation token. Confirming
    twice (double click, a mail scanner and then the person) changes nothing the
    second time. Returns the subscription, or None when the address is suppressed."""
    now = now or timezone.now()
    newsletter_list = NewsletterList.objects.filter(pk=token_data["l"]).first()
    if newsletter_list is None:
        raise tokens.InvalidToken("The list no longer exists.")
    email = addresses.normalise(token_data["e"])
    digest = addresses.address_hash(email)
    requested_at = datetime.fromisoformat(token_data["t"])
    with transaction.atomic():
        if is_suppressed(digest, hashed=True):
            return None
        subscriber, _ = Subscriber.objects.get_or_create(address_hash=digest, defaults={"email": email})
        subscription, created = Subscription.objects.get_or_create(
            subscriber=subscriber,
            newsletter_list=newsletter_list,
            defaults={"status": Subscription.CONFIRMED, "consent_version": token_data["v"], "confirmed_at": now},
        )
        if not created:
            subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
            if subscription.status == Subscription.CONFIRMED:
                return subscription
            subscription.status = Subscription.CONFIRMED
            subscription.consent_version = token_data["v"]
            subscription.confirmed_at = now
            subscription.save()
        for kind, when in ((ConsentEvent.REQUESTED, requested_at), (ConsentEvent.CONFIRMED, now)):
            ConsentEvent.objects.create(
                address_hash=digest,
                newsletter_list=newsletter_list,
                kind=kind,
                occurred_at=when,
                consent_version=token_data["v"],
            )
    return subscription


# --- Leaving and coming back ---------------------------------------------------------


def unsubscribe(subscriber_id, list_id, now=None):
    """Leave a list at once. True when the subscription exists (left now or before)."""
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update()
            .select_related("subscriber")
            .filter(subscriber_id=subscriber_id, newsletter_list_id=list_id)
            .first()
        )
        if subscription is None:
            return False
        if subscription.status == Subscription.CONFIRMED:
            subscription.status = Subscription.UNSUBSCRIBED
            subscription.save()
            ConsentEvent.objects.create(
                address_hash=subscription.subscriber.address_hash,
                newsletter_list_id=list_id,
                kind=ConsentEvent.UNSUBSCRIBED,
                occurred_at=now or timezone.now(),
                consent_version=subscription.consent_version,
            )
    return True


def resubscribe(subscriber, newsletter_list, now=None):
    """Come back from the manage page. The signed manage link proves the person holds
    the mailbox, so no new confirmation mail is needed; the current consent text applies."""
    now = now or timezone.now()
    consent = newsletter_list.current_consent()
    version = consent.version if consent else None
    with transaction.atomic():
        if is_suppressed(subscriber.address_hash, hashed=True):
            return None
        subscription, created = Subscription.objects.select_for_update().get_or_create(
            subscriber=subscriber,
            newsletter_list=newsletter_list,
            defaults={"status": Subscription.CONFIRMED, "consent_version": version, "confirmed_at": now},
        )
        if not created and subscription.status == Subscription.CONFIRMED:
            return subscription
        subscription.status = Subscription.CONFIRMED
        subscription.consent_version = version
        subscription.confirmed_at = now
        subscription.save()
        ConsentEvent.objects.create(
            address_hash=subscriber.address_hash,
            newsletter_list=newsletter_list,
            kind=ConsentEvent.RESUBSCRIBED,
            occurred_at=now,
            consent_version=version,
        )
    return subscription


def suppress(email, reason=Suppression.REQUESTED, now=None):
    """Never mail this address again (bounces, complaints, "never mail me")."""
    digest = addresses.address_hash(email)
    with transaction.atomic():
        _, created = Suppression.objects.get_or_create(address_hash=digest, defaults={"reason": reason})
        if created:
            ConsentEvent.objects.create(
                address_hash=digest, kind=ConsentEvent.SUPPRESSED, occurred_at=now or timezone.now()
            )
    return created


def erase(email, now=None):
    """Erasure on request: delete the subscriber and subscriptions, keep only the
    keyed hash on the suppression list so the person is never mailed again, and
    record an "erased" event (without the address). Returns True if a subscriber existed."""
    digest = addresses.address_hash(email)
    with transaction.atomic():
        deleted, _ = Subscriber.objects.filter(address_hash=digest).delete()
        Suppression.objects.get_or_create(address_hash=digest, defaults={"reason": Suppression.ERASED})
        ConsentEvent.objects.create(address_hash=digest, kind=ConsentEvent.ERASED, occurred_at=now or timezone.now())
    return bool(deleted)


# --- Sending -----------------------------------------------------------------------


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
    from .tasks import drain_deliveries

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


def _claimable(issue_id, now):
    return Delivery.objects.filter(issue_id=issue_id).filter(
        Q(status=Delivery.QUEUED) | Q(status=Delivery.RETRY, next_attempt_at__lte=now)
    )


def claim_batch(issue_id, worker_id, size):
    """Claim up to `size` rows for this worker and commit the claim at once, so a
    crash after this point can only leave rows in "sending", never resend them."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            _claimable(issue_id, now)
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
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def drain(issue_id, worker_id=None):
    """Send claimable deliveries of one issue until none are left right now."""
    worker_id = worker_id or new_worker_id()
    issue = NewsletterIssuePage.objects.get(pk=issue_id)
    while ids := claim_batch(issue_id, worker_id, settings.NEWSLETTER_BATCH_SIZE):
        send_batch(issue, ids, worker_id)
    finish_if_done(issue_id)


def finish_if_done(issue_id):
    open_rows = Delivery.objects.filter(
        issue_id=issue_id, status__in=[Delivery.QUEUED, Delivery.SENDING, Delivery.RETRY]
    )
    if not open_rows.exists():
        IssueDispatch.objects.filter(issue_id=issue_id, status=IssueDispatch.SENDING).update(
            status=IssueDispatch.DONE, finished_at=timezone.now()
        )


def sweep(*, stuck_after=STUCK_AFTER, idle_after=DRAIN_IDLE_AFTER, now=None):
    """The periodic sweeper. Returns (rows turned unknown, drains enqueued)."""
    from .tasks import drain_deliveries

    now = now or timezone.now()
    stuck = Delivery.objects.filter(status=Delivery.SENDING, claimed_at__lt=now - stuck_after).update(
        status=Delivery.UNKNOWN, last_error="Arbeidsprosessen stoppet under sending; ikke sendt på nytt."
    )
    enqueued = 0
    for dispatch in IssueDispatch.objects.filter(status=IssueDispatch.SENDING):
        in_flight = Delivery.objects.filter(issue_id=dispatch.issue_id, status=Delivery.SENDING).exists()
        idle = dispatch.heartbeat_at is None or dispatch.heartbeat_at <= now - idle_after
        if _claimable(dispatch.issue_id, now).exists() and not in_flight and idle:
            IssueDispatch.objects.filter(pk=dispatch.pk).update(heartbeat_at=now)
            drain_deliveries.enqueue(dispatch.issue_id)
            enqueued += 1
        else:
            finish_if_done(dispatch.issue_id)
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


def subscriber_counts():
    """Confirmed subscribers per list, for the admin dashboard."""
    return list(
        NewsletterList.objects.annotate(
            confirmed=Count("subscriptions", filter=Q(subscriptions__status=Subscription.CONFIRMED))
        ).values_list("name", "confirmed")
    )
