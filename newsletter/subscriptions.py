"""The one place that changes a person's state: signing up, confirming, leaving,
coming back, suppression and erasure. Every change is recorded as a ConsentEvent.

The sign-up request itself runs in a task (tasks.send_signup_mail), so the web
response never shows whether an address was new, subscribed or suppressed.
"""

from datetime import datetime

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from policy.outbox import queue_mail

from . import addresses, emails, tokens
from .audience import ConsentEvent, NewsletterList, Subscriber, Subscription, Suppression


def is_suppressed(address_or_hash, *, hashed=False):
    """Checked before every mail and every (re)subscription; `hashed` when the caller has the hash."""
    digest = address_or_hash if hashed else addresses.address_hash(address_or_hash)
    return Suppression.objects.filter(address_hash=digest).exists()


# --- Signing up --------------------------------------------------------------------

#: Outbox key prefix of the confirmation and "already subscribed" mail (pruned early, jobs.py).
SIGNUP_MAIL_KEY = "newsletter.signup"


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
    if isinstance(requested_at, str):
        requested_at = datetime.fromisoformat(requested_at)
    key = f"{SIGNUP_MAIL_KEY}:{newsletter_list.pk}:{digest[:20]}:{requested_at.isoformat()}"
    if subscription:
        _queue(emails.already_subscribed_message(subscription.subscriber, newsletter_list), key)
        return "already-subscribed"
    token = tokens.make_confirm_token(email, newsletter_list.pk, consent_version, requested_at)
    _queue(emails.confirmation_message(email, newsletter_list, token), key)
    return "confirmation-sent"


def _queue(message, key):
    """Through the outbox, so a mail server that is down delays the mail, never loses it."""
    queue_mail(to=message.to, subject=message.subject, body=message.body, key=key)


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
    return _erase(addresses.address_hash(email), now)


def erase_subscriber(subscriber, now=None):
    """Erasure the person asks for on the manage page, whose signed link names them."""
    return _erase(subscriber.address_hash, now)


def _erase(digest, now):
    with transaction.atomic():
        deleted, _ = Subscriber.objects.filter(address_hash=digest).delete()
        Suppression.objects.get_or_create(address_hash=digest, defaults={"reason": Suppression.ERASED})
        ConsentEvent.objects.create(address_hash=digest, kind=ConsentEvent.ERASED, occurred_at=now or timezone.now())
    return bool(deleted)


# --- For the admin ------------------------------------------------------------------


def subscriber_counts():
    """Confirmed subscribers per list, for the admin dashboard."""
    return list(
        NewsletterList.objects.annotate(
            confirmed=Count("subscriptions", filter=Q(subscriptions__status=Subscription.CONFIRMED))
        ).values_list("name", "confirmed")
    )
