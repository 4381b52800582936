"""Two-factor authentication for staff, with django-otp: who needs it, when a session
counts as verified, setting up an authenticator app (TOTP) with recovery codes, and
checking a code.

Superusers and the groups in `STAFF_TWO_FACTOR_GROUPS` (case handlers and decision
makers: they decide who gets public money) must give a code before any admin page;
so must anyone who has set up an app of their own accord. After the password the
sign-in is half done: `TwoFactorMiddleware` sends such a user to the set-up page (no
app yet) or the code page, and nowhere else in the admin.

Staff who sign in through the ministry's identity provider with a second factor
there are not asked again: the OIDC sign-in calls `mark_verified_by_provider(request)`
after `login()`.
"""

import base64
import math
from dataclasses import dataclass
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Autentiseringsapp"
RECOVERY_DEVICE_NAME = "Gjenopprettingskoder"
#: Session keys: who the identity provider verified, and recovery codes not yet shown.
PROVIDER_VERIFIED_KEY = "two_factor_provider_verified_user"
NEW_RECOVERY_CODES_KEY = "two_factor_new_recovery_codes"

#: Admin pages a half-signed-in user may still open: signing in and out, the two-factor
#: pages themselves and what every admin page loads (icons, translations).
OPEN_URL_NAMES = {
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_complete",
    "wagtailadmin_sprite",
    "wagtailadmin_javascript_catalog",
    "two_factor_setup",
    "two_factor_verify",
}


# --- Who must, and who has ------------------------------------------------------


def requires_two_factor(user):
    """Superusers, the deciding groups, and anyone who has an app set up."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.groups.filter(name__in=settings.STAFF_TWO_FACTOR_GROUPS).exists():
        return True
    return has_app(user)


def has_app(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_verified(request):
    """Whether this session gave a second factor: a code here (django-otp's device in
    the session) or at the identity provider."""
    user = request.user
    if getattr(user, "is_verified", None) and user.is_verified():
        return True
    return user.is_authenticated and request.session.get(PROVIDER_VERIFIED_KEY) == user.pk


def mark_verified_by_provider(request):
    """For the OIDC sign-in, after `login()`: the provider asserted a second factor
    (`amr` with mfa/otp, or a high `acr`), so this session needs no code here. Tied
    to the signed-in user, so it never carries over to another account."""
    request.session[PROVIDER_VERIFIED_KEY] = request.user.pk


# --- Setting up an app ---------------------------------------------------------------


def pending_app(user):
    """The app being set up: one unconfirmed TOTP device, kept until confirmed, so
    reloading the set-up page shows the same secret."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def secret(device):
    """The key as people type it into an app: base32 in groups of four."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_code_data_uri(device):
    """The otpauth URI as an SVG QR code in a data: URI, made on the server (no
    script, and the strict CSP allows data: images)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=4, dark="#000", light="#fff")


@dataclass
class CodeCheck:
    """The outcome of checking a code: the device that accepted it, or how many
    seconds to wait before the next try (0: the code was just wrong)."""

    device: object = None
    wait_seconds: int = 0


def confirm_app(request, device, code):
    """Confirm the app with its first code. On success the session is verified and
    new recovery codes wait in the session to be shown once."""
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=request.user)
        check = _check([locked], code)
        if check.device:
            locked.confirmed = True
            locked.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
    if check.device:
        otp_login(request, locked)
        request.session[NEW_RECOVERY_CODES_KEY] = new_recovery_codes(request.user)
    return check


def new_recovery_codes(user):
    """Replace the user's recovery codes with RECOVERY_CODE_COUNT new ones; each
    works once (django-otp deletes a static token when it is used)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = []
    while len(codes) < RECOVERY_CODE_COUNT:
        code = StaticToken.random_token()
        if not code.isdigit():  # digits alone would be read as an app code
            codes.append(code)
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def remove_devices(user):
    """Forget the user's app and recovery codes (`manage.py two_factor_reset`); returns
    how many devices there were."""
    apps, _ = TOTPDevice.objects.filter(user=user).delete()
    codes, _ = StaticDevice.objects.filter(user=user).delete()
    return apps + codes


def take_new_recovery_codes(request):
    """The recovery codes just made, once: they are removed from the session."""
    return request.session.pop(NEW_RECOVERY_CODES_KEY, None)


# --- Checking a code ---------------------------------------------------------------


def verify(request, code):
    """Check a code from the app or a recovery code; on success the session is verified."""
    with transaction.atomic():
        check = _check(list(devices_for_user(request.user, confirmed=True, for_verify=True)), code)
    if check.device:
        otp_login(request, check.device)
    return check


def _check(devices, code):
    """Try the code on the (row-locked) devices of its kind: digits are the app's,
    letters a recovery code's. While one of them is throttled after wrong codes
    (django-otp doubles the wait after each one), nothing is tried."""
    code = "".join(str(code).split()).lower()
    kind = TOTPDevice if code.isdigit() else StaticDevice
    devices = [device for device in devices if isinstance(device, kind)]
    waits = [_wait_seconds(device) for device in devices]
    if any(waits):
        return CodeCheck(wait_seconds=max(waits))
    for device in devices:
        if code and device.verify_token(code):
            return CodeCheck(device=device)
    return CodeCheck()


def _wait_seconds(device):
    allowed, info = device.verify_is_allowed()
    if allowed or not info or "locked_until" not in info:
        return 0
    return max(1, math.ceil((info["locked_until"] - timezone.now()).total_seconds()))


# --- Enforcing it -----------------------------------------------------------------


class TwoFactorMiddleware:
    """Until a user who needs a second factor has given one in this session, every
    admin page answers with a redirect to the set-up page (no app yet) or the code
    page, keeping where they were going in `next`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.path_info.startswith(reverse("wagtailadmin_home")):
            return None
        if request.resolver_match.url_name in OPEN_URL_NAMES:
            return None
        if not requires_two_factor(request.user) or is_verified(request):
            return None
        return redirect_to_verify(request)


def redirect_to_verify(request):
    """To the code page (or the set-up page, before there is an app), then back to
    this request's address."""
    target = "two_factor_verify" if has_app(request.user) else "two_factor_setup"
    return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
