"""Signing applicants in without passwords.

A *sign-in method* proves that a person controls an e-mail address and then calls
`sign_in_applicant(request, email)`. The method in use today sends a single-use
link by e-mail (`EmailLinkSignIn`). ID-porten or Ansattporten (OpenID Connect)
can replace it by implementing the same small interface:

    class SignInMethod(Protocol):
        name: str                                  # shown nowhere; for logs
        def start_url(self, next_path: str) -> str  # where "Logg inn" sends the user

An OIDC method's callback view would verify the ID token and call
`sign_in_applicant(request, claims["email"])` — everything after that (user
record, access to applications through invitations) stays the same.

Each person signs in personally; access to an application comes from having
created it or being invited to it (see `access`), never from a shared
municipality login.
"""

import datetime
import hashlib
import secrets
from typing import Protocol
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.module_loading import import_string

from policy import ratelimit
from policy.links import absolute_url

from .models import SignInToken
from .tasks import send_sign_in_link

LINK_VALIDITY = datetime.timedelta(minutes=15)
LIMIT_PER_ADDRESS = 5
LIMIT_PER_IP = 20
LIMIT_WINDOW = 3600


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


def sign_in_applicant(request, email):
    """Log in the person who proved control of `email`, creating their user on first visit.

    Applicants never get a password or staff rights."""
    email = normalise_email(email)
    User = get_user_model()
    user = User.objects.filter(username=email).first()
    if user is None:
        user = User(username=email, email=email, is_staff=False)
        user.set_unusable_password()
        user.save()
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return user


def _hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


class EmailLinkSignIn:
    """A link valid for 15 minutes that works once, sent to any address asked for."""

    name = "email-link"

    def start_url(self, next_path):
        return reverse("pilots:sign_in") + "?" + urlencode({"neste": next_path})

    def request_link(self, request, email, next_path):
        """Send a link unless a rate limit is hit. Returns False when the IP is over its
        limit (the only case the user is told about: it says nothing about the address)."""
        if not ratelimit.hit("pilots-signin:ip", ratelimit.client_ip(request), limit=LIMIT_PER_IP, window=LIMIT_WINDOW):
            return False
        email = normalise_email(email)
        if not ratelimit.hit("pilots-signin:email", email, limit=LIMIT_PER_ADDRESS, window=LIMIT_WINDOW):
            return True  # Same answer as a sent link, so an address's state cannot be probed.
        token = secrets.token_urlsafe(24)  # 192 bits
        now = timezone.now()
        SignInToken.objects.create(
            token_hash=_hash(token), email=email, next_path=next_path, expires_at=now + LINK_VALIDITY
        )
        url = absolute_url(reverse("pilots:sign_in_link", args=[token]))
        transaction.on_commit(lambda: send_sign_in_link.enqueue(email, url))
        return True

    def redeem(self, token):
        """Mark the token used and return it, or None if unknown, expired or already used.

        One UPDATE ... WHERE used_at IS NULL decides: two clicks at once cannot both win."""
        now = timezone.now()
        token_hash = _hash(token)
        used = SignInToken.objects.filter(token_hash=token_hash, used_at__isnull=True, expires_at__gt=now).update(
            used_at=now
        )
        if used != 1:
            return None
        return SignInToken.objects.get(token_hash=token_hash)

    def is_valid(self, token):
        return SignInToken.objects.filter(
            token_hash=_hash(token), used_at__isnull=True, expires_at__gt=timezone.now()
        ).exists()


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
