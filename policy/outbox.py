"""The outbox: every transactional mail (sign-in links, invitations, receipts, decision
letters, newsletter confirmations) goes through here, so none can vanish.

`queue_mail` writes a row in the caller's transaction: a change that is rolled back
sends nothing, and one that commits always has its mail. The send task is enqueued on
commit on the "mail" queue; it claims the row (SELECT … FOR UPDATE SKIP LOCKED), sends
it with the default mailer and records the result in the same transaction. A failed
send is retried with backoff; a periodic sweep (`sweep`, run by `manage.py
run_scheduler`) enqueues every row that is due, so nothing depends on a task surviving
a worker restart. After MAX_ATTEMPTS failures the row is marked failed, logged as an
error and shown to staff on the admin home page with «Send igjen».

A personal link (sign-in, invitation) is never stored: the body holds LINK, and the
link maker registered for the key's prefix makes a fresh link when the mail is sent.

A crash after the mail server accepted a message but before the row's commit is the one
case that could send twice; a crash anywhere else leaves the row unsent for a retry.
"""

import datetime
import logging

from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from .outgoing_mail import OutgoingMail

logger = logging.getLogger(__name__)

#: Minutes to wait after the 1st, 2nd, … failure; the last value repeats.
BACKOFF_MINUTES = [1, 5, 15, 60]
MAX_ATTEMPTS = 5
#: A row due this long without a send is enqueued again by the sweep (and counts as stuck).
SWEEP_GRACE = datetime.timedelta(minutes=2)
STUCK_AFTER = datetime.timedelta(minutes=10)
#: Sent rows are kept this long, then deleted.
KEEP_SENT = datetime.timedelta(days=90)
#: Where a personal link goes in a body; see register_link_maker.
LINK = "[[lenke]]"
Pending = OutgoingMail.State.PENDING

_link_makers = {}
_on_sent = {}


def register_link_maker(prefix, make_link):
    """For mail whose key starts with `prefix` + ":", `make_link(mail)` is called at
    sending and its link replaces LINK in the body; it returns None when the link no
    longer applies (used, replaced, expired), and the mail is then not sent."""
    _link_makers[prefix] = make_link


def register_on_sent(prefix, record):
    """For mail whose key starts with `prefix` + ":", `record(mail)` is called in the
    transaction that marks it sent (e.g. to note when a decision reached the applicant)."""
    _on_sent[prefix] = record


def queue_mail(to, subject, body, key):
    """Queue one mail in the current transaction and send it once that commits.

    `key` names the event (e.g. "pilots.receipt:42:3"); queueing the same key again
    returns the existing row and sends nothing more. Returns the row."""
    recipients = sorted({address.strip() for address in to if address and address.strip()})
    now = timezone.now()
    with transaction.atomic():
        mail, created = OutgoingMail.objects.get_or_create(
            key=key,
            defaults={
                "to": recipients,
                "subject": subject[:300],
                "body": body,
                "next_attempt_at": now,
            },
        )
        if not created:
            return mail  # queued before under the same key
        if not recipients:
            _mark_failed(mail, "Ingen mottakere", now)
            mail.save()
            return mail
        _enqueue_on_commit(mail.pk)
    return mail


def _enqueue_on_commit(mail_id):
    transaction.on_commit(lambda: send_outgoing_mail.enqueue(mail_id))


@task(queue_name="mail")
def send_outgoing_mail(mail_id):
    return deliver(mail_id)


def deliver(mail_id, now=None):
    """Send the row `mail_id` if it is pending and due; True when this call sent it.

    The row stays locked until the result is committed, so a second task for the same
    row (a double enqueue, the sweep, another worker) skips it or finds it sent."""
    now = now or timezone.now()
    with transaction.atomic():
        mail = (
            OutgoingMail.objects.select_for_update(skip_locked=True)
            .filter(pk=mail_id, state=Pending, next_attempt_at__lte=now + datetime.timedelta(seconds=5))
            .first()
        )
        if mail is None:
            return False
        body = _with_link(mail)
        if body is None:
            mail.state = OutgoingMail.State.VOID
            mail.save()
            return False
        try:
            EmailMessage(subject=mail.subject, body=body, to=mail.to).send()
        except Exception as error:  # any failure of the mailer is a failed attempt
            _record_failure(mail, error, now)
            return False
        mail.state = OutgoingMail.State.SENT
        mail.sent_at = timezone.now()
        mail.attempts += 1
        mail.last_error = ""
        mail.save()
        if record := _on_sent.get(_prefix(mail)):
            record(mail)
    return True


def _prefix(mail):
    return mail.key.split(":", 1)[0]


def _with_link(mail):
    make_link = _link_makers.get(_prefix(mail))
    if make_link is None:
        return mail.body
    link = make_link(mail)
    return None if link is None else mail.body.replace(LINK, link)


def _record_failure(mail, error, now):
    mail.attempts += 1
    mail.last_error = f"{type(error).__name__}: {error}"[:2000]
    if mail.attempts >= MAX_ATTEMPTS:
        _mark_failed(mail, mail.last_error, now)
    else:
        delay = BACKOFF_MINUTES[min(mail.attempts, len(BACKOFF_MINUTES)) - 1]
        mail.next_attempt_at = now + datetime.timedelta(minutes=delay)
        logger.warning(
            "Mail %s (%s) failed on attempt %s, retrying at %s: %s",
            mail.pk,
            mail.key,
            mail.attempts,
            mail.next_attempt_at,
            mail.last_error,
        )
        _enqueue_retry_on_commit(mail.pk, mail.next_attempt_at)
    mail.save()


def _mark_failed(mail, reason, now):
    mail.state = OutgoingMail.State.FAILED
    mail.failed_at = now
    mail.last_error = reason
    logger.error(
        "Mail %s (%s) to %s failed for good after %s attempts: %s", mail.pk, mail.key, mail.to, mail.attempts, reason
    )


def _enqueue_retry_on_commit(mail_id, when):
    # A backend that cannot defer (the tests' immediate one) leaves the retry to the sweep.
    if send_outgoing_mail.get_backend().supports_defer:
        transaction.on_commit(lambda: send_outgoing_mail.using(run_after=when).enqueue(mail_id))


def sweep(now=None):
    """Enqueue every pending row that has been due for a while without being sent: the
    first send's task was lost, or a retry's. Returns how many were enqueued."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            OutgoingMail.objects.select_for_update(skip_locked=True)
            .filter(state=Pending, next_attempt_at__lte=now - SWEEP_GRACE)
            .filter(Q(swept_at__isnull=True) | Q(swept_at__lte=now - SWEEP_GRACE))
            .values_list("pk", flat=True)
        )
        OutgoingMail.objects.filter(pk__in=due).update(swept_at=now)
    for mail_id in due:
        send_outgoing_mail.enqueue(mail_id)
    return len(due)


def needs_attention(now=None):
    """Failed mail, and pending mail due so long ago that no worker seems to send it."""
    now = now or timezone.now()
    return OutgoingMail.objects.filter(
        Q(state=OutgoingMail.State.FAILED) | Q(state=Pending, next_attempt_at__lte=now - STUCK_AFTER)
    ).order_by("created_at")


def send_again(mail_id):
    """Staff's «Send igjen»: a failed or stuck row gets a fresh set of attempts, now.
    Returns False when the row was sent meanwhile (or is gone)."""
    with transaction.atomic():
        mail = (
            OutgoingMail.objects.select_for_update()
            .filter(pk=mail_id, state__in=[Pending, OutgoingMail.State.FAILED])
            .first()
        )
        if mail is None:
            return False
        mail.state = Pending
        mail.attempts = 0
        mail.failed_at = None
        mail.next_attempt_at = timezone.now()
        mail.save()
        _enqueue_on_commit(mail.pk)
    return True


def prune(now=None):
    """Delete sent mail after KEEP_SENT. Returns how many rows were deleted."""
    now = now or timezone.now()
    finished = [OutgoingMail.State.SENT, OutgoingMail.State.VOID]
    deleted, _ = OutgoingMail.objects.filter(state__in=finished, created_at__lte=now - KEEP_SENT).delete()
    return deleted
