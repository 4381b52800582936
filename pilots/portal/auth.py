"""Signing applicants in without passwords, and telling applicants from staff.

A *sign-in method* proves who a person is and then calls
`sign_in_applicant(request, method=..., subject=..., email=...)`. The method in use
today sends a single-use link by e-mail (`EmailLinkSignIn`); ID-porten (OpenID
Connect) calls the same function from its callback with the `pid` claim as subject.

Applicants are found only through their `ApplicantIdentity` (method, subject), never
by username or `User.email`: staff can edit those in the admin, so matching on them
would let a staff account sign in without its password or take over an applicant's
applications. Staff accounts never have applicant access (`applicant_identity`).

Each person signs in personally; access to an application comes from having
created it or being invited to it (see `access`), never from a shared
municipality login.
"""

import datetime
import secrets
from typing import Protocol
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.module_loading import import_string

from policy import ratelimit

from .models import ApplicantIdentity, SignInToken
from .tasks import queue_sign_in_link

LINK_VALIDITY = datetime.timedelta(minutes=15)
LIMIT_WINDOW = 3600
# Per address *and* IP: a stranger elsewhere cannot use up the owner's own quota.
LIMIT_PER_ADDRESS_AND_IP = 5
# Per address from anywhere: generous, it only stops mail-bombing one inbox.
LIMIT_PER_ADDRESS = 30
LIMIT_PER_IP = 20
RESEND_LIMIT_PER_ADDRESS_AND_IP = 3
RESEND_LIMIT_PER_ADDRESS = 10

# Sent after every applicant sign-in with `user`, `identity`, `claims` and `request`,
# so other parts (eligibility, claims) can react without the sign-in knowing them.
applicant_signed_in = Signal()


class SignInMethod(Protocol):
    name: str

    def start_url(self, next_path: str) -> str: ...


def safe_next_path(value, request=None):
    """Only paths inside the application portal are followed after sign-in."""
    default = reverse("pilots:my_applications")
    if not value or not value.startswith("/soknad/"):
        return default
    allowed_hosts = {request.get_host()} if request else set()
    if not url_has_allowed_host_and_scheme(value, allowed_hosts=allowed_hosts):
        return default
    return value


def normalise_email(email):
    return email.strip().lower()


def applicant_identity(user):
    """The identity an applicant signed in with, or None for anonymous visitors, staff
    and superusers (who therefore have no applicant access at all) and anyone else."""
    if not getattr(user, "is_authenticated", False) or user.is_staff or user.is_superuser:
        return None
    try:
        return user.applicant_identity
    except ApplicantIdentity.DoesNotExist:
        return None


def is_applicant(user):
    return applicant_identity(user) is not None


def _new_applicant(email):
    """A user that can only ever sign in through its identity: no password, no rights."""
    user = get_user_model()(username=f"applicant-{secrets.token_hex(8)}", email=email, is_staff=False)
    user.set_unusable_password()
    user.save()
    return user


@transaction.atomic
def _applicant_for(method, subject, email):
    identity = ApplicantIdentity.objects.select_for_update().filter(method=method, subject=subject).first()
    if identity is None:
        identity = ApplicantIdentity.objects.create(
            user=_new_applicant(email), method=method, subject=subject, email=email
        )
    user = identity.user
    # An applicant later given staff rights in the admin must sign in as staff.
    if user.is_staff or user.is_superuser or not user.is_active:
        raise PermissionDenied("Denne kontoen kan ikke logge inn her.")
    identity.last_sign_in_at = timezone.now()
    if email and email != identity.email:
        identity.email = email
    identity.save(update_fields=["last_sign_in_at", "email"])
    if email and user.email != email:
        # Shown on the pages and used for receipts; never used to decide access.
        user.email = email
        user.save(update_fields=["email"])
    return identity


def sign_in_applicant(request, *, method, subject, email="", claims=None):
    """Log in the applicant with this identity, creating their user on first visit,
    with the shorter applicant session (APPLICANT_SESSION_SECONDS). Returns the user."""
    email = normalise_email(email or "")
    identity = _applicant_for(method, subject, email)
    login(request, identity.user, backend="django.contrib.auth.backends.ModelBackend")
    request.session.set_expiry(settings.APPLICANT_SESSION_SECONDS)
    applicant_signed_in.send(
        sender=sign_in_applicant, user=identity.user, identity=identity, claims=claims or {}, request=request
    )
    return identity.user


class EmailLinkSignIn:
    """A link valid for 15 minutes that works once, sent to any address asked for."""

    name = ApplicantIdentity.Method.EMAIL_LINK

    def start_url(self, next_path):
        return reverse("pilots:sign_in") + "?" + urlencode({"neste": next_path})

    def request_link(self, request, email, next_path):
        """Send a new link unless a rate limit is hit; returns False when one is (the
        page then says so and offers to send the latest link again). The answer is the
        same whether or not the address has an account or applications."""
        email = normalise_email(email)
        ip = ratelimit.client_ip(request)
        if not _within_limits(
            ("pilots-signin:ip", ip, LIMIT_PER_IP),
            ("pilots-signin:email-ip", f"{email} {ip}", LIMIT_PER_ADDRESS_AND_IP),
            ("pilots-signin:email", email, LIMIT_PER_ADDRESS),
        ):
            return False
        with transaction.atomic():
            # A newer link voids the older unused ones.
            SignInToken.objects.filter(email=email, used_at__isnull=True).delete()
            link = SignInToken.objects.create(
                email=email, next_path=next_path, expires_at=timezone.now() + LINK_VALIDITY
            )
            # Queued with the link, so the page can only say "sent" once the mail is in the outbox.
            queue_sign_in_link(link)
        return True

    def resend(self, request, email):
        """Send the latest still-usable link to `email` again (with a fresh token).
        Returns False when the resend itself is over its limit."""
        email = normalise_email(email)
        ip = ratelimit.client_ip(request)
        if not _within_limits(
            ("pilots-signin-resend:ip", ip, LIMIT_PER_IP),
            ("pilots-signin-resend:email-ip", f"{email} {ip}", RESEND_LIMIT_PER_ADDRESS_AND_IP),
            ("pilots-signin-resend:email", email, RESEND_LIMIT_PER_ADDRESS),
        ):
            return False
        latest = SignInToken.usable().filter(email=email).order_by("-created_at").first()
        if latest is not None:
            queue_sign_in_link(latest)
        return True

    def redeem(self, token):
        """Mark the token used and return it, or None if unknown, expired or already used.

        One UPDATE ... WHERE used_at IS NULL decides: two clicks at once cannot both win."""
        token_hash = SignInToken.hash(token)
        if SignInToken.usable().filter(token_hash=token_hash).update(used_at=timezone.now()) != 1:
            return None
        return SignInToken.objects.get(token_hash=token_hash)

    def is_valid(self, token):
        return SignInToken.usable().filter(token_hash=SignInToken.hash(token)).exists()

    def sign_in(self, request, link):
        """Sign in the person who used `link` (proof that they read mail to its address)."""
        return sign_in_applicant(request, method=self.name, subject=link.email, email=link.email)


def _within_limits(*limits):
    """Count a hit on each (scope, value, limit) in turn; False at the first one over."""
    return all(ratelimit.hit(scope, value, limit=limit, window=LIMIT_WINDOW) for scope, value, limit in limits)


def sign_in_method():
    """The method in use; the PILOTS_SIGN_IN_METHOD setting (a dotted path) can swap in another."""
    path = getattr(settings, "PILOTS_SIGN_IN_METHOD", "pilots.portal.auth.EmailLinkSignIn")
    return import_string(path)()


def prune_sign_in_tokens(now=None):
    """Delete sign-in links that expired more than a day ago: the address someone typed
    is kept no longer than the link could be used. Returns how many were deleted."""
    now = now or timezone.now()
    deleted, _ = SignInToken.objects.filter(expires_at__lt=now - datetime.timedelta(days=1)).delete()
    return deleted
