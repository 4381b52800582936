"""Hard bounces and complaints reported by the mail provider.

The provider calls its tracking webhook (newsletter/webhooks.py) after a mail left;
anymail checks the signature and turns the call into a normalised tracking event,
which `record` keeps when it matters:

- a hard bounce: "bounced" (or "rejected") whose reason is that the address bounced.
  A soft bounce (the provider's temporary failure, which anymail reports as
  "deferred") or a permanent failure for another reason (the provider gave up after
  retries, policy blocks) changes nothing: the mailbox may still exist;
- a complaint: the recipient marked the mail as spam.

A newsletter mail carries its issue id as provider metadata (emails.py): its hard
bounce or complaint puts the address on the suppression list (keyed hash only), so
neither this sending nor any later one mails it again, and it counts for that issue.

A transactional mail (sign-in links, receipts, confirmations: the outbox) carries no
issue: its event is recorded without one and suppresses nothing. The suppression list
is permanent and also refuses a new sign-up; a person who asked for a link right then
is not a newsletter matter, and an address that is really gone bounces its first issue
and is suppressed then.

Each provider event id is recorded once: the provider repeats a call it did not see
answered, and a repeated call changes nothing.
"""

import hashlib
import logging

from anymail.signals import EventType, RejectReason
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from . import addresses, emails, subscriptions
from .audience import Suppression
from .pages import NewsletterIssuePage
from .provider_events import ProviderEvent

logger = logging.getLogger(__name__)

SUPPRESSION_REASONS = {ProviderEvent.HARD_BOUNCE: Suppression.BOUNCED, ProviderEvent.COMPLAINT: Suppression.COMPLAINT}


def kind_of(event):
    """HARD_BOUNCE, COMPLAINT or None for an anymail tracking event."""
    if event.event_type == EventType.COMPLAINED:
        return ProviderEvent.COMPLAINT
    if event.event_type in (EventType.BOUNCED, EventType.REJECTED) and event.reject_reason == RejectReason.BOUNCED:
        return ProviderEvent.HARD_BOUNCE
    return None


def issue_id_of(event):
    """The issue a newsletter mail belonged to, from the metadata it was sent with."""
    try:
        return int((event.metadata or {}).get(emails.ISSUE_METADATA))
    except (TypeError, ValueError):
        return None


def is_newsletter(event):
    return emails.PROVIDER_TAG in (event.tags or []) or issue_id_of(event) is not None


def _event_id(event, digest):
    """The provider's event id; without one, a stand-in from what the event says."""
    if event.event_id:
        return str(event.event_id)[:200]
    stand_in = f"{event.event_type}:{event.timestamp}:{event.message_id}:{digest}"
    return "sha256:" + hashlib.sha256(stand_in.encode()).hexdigest()


def record(event, provider):
    """Keep a hard bounce or complaint (suppressing a newsletter recipient). Returns
    the ProviderEvent, None when the event is of no interest or was recorded before."""
    kind = kind_of(event)
    if kind is None:
        return None
    if not event.recipient:
        logger.warning("%s reported a %s without a recipient; ignored", provider, kind)
        return None
    digest = addresses.address_hash(event.recipient)
    newsletter = is_newsletter(event)
    issue_id = issue_id_of(event) if newsletter else None
    if issue_id is not None and not NewsletterIssuePage.objects.filter(pk=issue_id).exists():
        issue_id = None
    occurred_at = event.timestamp or timezone.now()
    with transaction.atomic():
        row, created = ProviderEvent.objects.get_or_create(
            provider=provider.lower()[:40],
            event_id=_event_id(event, digest),
            defaults={
                "kind": kind,
                "source": ProviderEvent.NEWSLETTER if newsletter else ProviderEvent.TRANSACTIONAL,
                "address_hash": digest,
                "issue_id": issue_id,
                "reason": event.reject_reason or "",
                "occurred_at": occurred_at,
            },
        )
        if not created:
            return None
        if newsletter:
            subscriptions.suppress(event.recipient, reason=SUPPRESSION_REASONS[kind], now=occurred_at)
    return row


def on_tracking(sender, event, esp_name, **kwargs):
    """Receiver of anymail's `tracking` signal (connected in apps.py)."""
    record(event, esp_name)


def issue_counts(issue):
    """{kind: addresses} of an issue's hard bounces and complaints, every kind present."""
    counts = dict.fromkeys((value for value, _ in ProviderEvent.KIND_CHOICES), 0)
    rows = ProviderEvent.objects.filter(issue=issue).values("kind").annotate(n=Count("address_hash", distinct=True))
    for row in rows:
        counts[row["kind"]] = row["n"]
    return counts
