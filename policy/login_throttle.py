"""Throttling of password sign-in (the admin's /admin/login/ and any other form that
calls `authenticate()` with a password), built on django-axes.

Axes records every failed attempt (username, IP address, user agent, time) in
`AccessAttempt` and keeps the audit in the Django admin's lists and in
`manage.py axes_reset`. It compares the largest count over its lock-out parameters
with one limit; here a username and an IP address have limits of their own:

- `AXES_FAILURE_LIMIT` wrong passwords for one username (from any address) lock that
  username out, so guessing one account's password is slow wherever it comes from;
- `STAFF_LOGIN_IP_FAILURE_LIMIT` wrong passwords from one address (for any usernames)
  lock that address out, so trying one password on many accounts is slow too, while a
  colleague behind the same office address still signs in after someone else's
  lock-out.

A lock-out lasts `AXES_COOLOFF_TIME` from the last failure that counted; attempts
made while locked out are refused, the right password included, without extending it.
"""

import math
from datetime import timedelta

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpResponse
from django.utils import timezone

from .ratelimit import REFUSALS

#: Set on the request by the login form once it has told the user about the lock-out.
SHOWN_ATTRIBUTE = "lockout_message_shown"


class StaffLoginHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit per username and a higher one per IP address.

    Expects `AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]`, so
    `get_user_attempts` returns the attempts of the username, then of the address."""

    def is_locked(self, request, credentials=None):
        return bool(self.locked_attempts(request, credentials))

    def locked_attempts(self, request, credentials=None):
        """The attempt sets (by username, by address) that are over their limit."""
        if not settings.AXES_LOCK_OUT_AT_FAILURE:
            return []
        by_username, by_ip = self.get_user_attempts(request, credentials)
        limits = ((by_username, settings.AXES_FAILURE_LIMIT), (by_ip, settings.STAFF_LOGIN_IP_FAILURE_LIMIT))
        return [
            attempts
            for attempts, limit in limits
            if (attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0) >= limit
        ]

    def lockout_ends(self, request, credentials=None):
        """When the lock-out of this request's username or address ends (None: not locked)."""
        locked = self.locked_attempts(request, credentials)
        if not locked:
            return None
        last = max(attempts.aggregate(last=Max("attempt_time"))["last"] for attempts in locked)
        return last + (get_cool_off(request) or timedelta(0))


class StaffLoginBackend(AxesStandaloneBackend):
    """Axes' backend (first in AUTHENTICATION_BACKENDS), except that a password check
    without a request (a management command, a test) passes on to the model backend
    instead of failing: there is no sign-in form and no address to throttle then."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def lockout_message(request, credentials=None):
    """What the login form says during a lock-out: why, and how long to wait."""
    ends = StaffLoginHandler().lockout_ends(request, credentials)
    cool_off = get_cool_off(request) or timedelta(0)
    remaining = (ends - timezone.now()) if ends else cool_off
    minutes = max(1, math.ceil(remaining.total_seconds() / 60))
    unit = "minutt" if minutes == 1 else "minutter"
    return (
        "For mange mislykkede innlogginger. Innloggingen er sperret en stund for å hindre at "
        f"noen gjetter passord. Vent {minutes} {unit} og prøv igjen. Spør en administrator "
        "hvis du har glemt passordet."
    )


def lockout_response(request, original_response, credentials=None):
    """Axes' answer to a locked-out attempt (`AXES_LOCKOUT_CALLABLE`): the form as it
    was rendered, with the Norwegian message in it, when the form said it (the admin's
    login form); otherwise a short page with the same message. Status 429 either way."""
    REFUSALS.labels("staff-sign-in").inc()
    if original_response is not None and getattr(request, SHOWN_ATTRIBUTE, False):
        original_response.status_code = 429
        return original_response
    return HttpResponse(lockout_message(request, credentials), status=429, content_type="text/plain; charset=utf-8")
