"""Staff sign-in with Ansattporten or any OpenID Provider (STAFF_OIDC_* settings),
offered on the admin sign-in page beside the password.

The provider decides who is staff and in which role: a person is found only through
`StaffIdentity(issuer, subject)`, never by username or e-mail; their Wagtail groups are
set at every sign-in from the groups claim through STAFF_OIDC_GROUP_MAP, and someone
whose groups map to none is refused and gets no account (an existing one loses its
groups). Accounts made here have no usable password. The protocol checks (PKCE, state,
nonce, the ID token against the JWKS) are in policy.oidc.
"""

import re
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from . import oidc, two_factor
from .links import absolute_url
from .models import StaffIdentity

REFUSED_NO_ROLE = (
    "Du har ingen rolle som gir tilgang til publiseringsløsningen. "
    "Be den som gir tilganger i departementet om å gi deg en rolle, og logg inn på nytt."
)
REFUSED_INACTIVE = "Brukeren din er deaktivert. Ta kontakt med den som gir tilganger i departementet."
# What counts as a second factor at the provider: ID-porten's levels from
# "substantial" up, or an `amr` saying so.
SECOND_FACTOR_ACR = set(oidc.ACR_LEVELS[1:])
SECOND_FACTOR_AMR = {"mfa", "otp", "hwk"}


def provider():
    return oidc.Provider(
        name="staff",
        discovery_url=settings.STAFF_OIDC_DISCOVERY_URL,
        client_id=settings.STAFF_OIDC_CLIENT_ID,
        client_secret=settings.STAFF_OIDC_CLIENT_SECRET,
        scope=settings.STAFF_OIDC_SCOPES,
        acr_values=settings.STAFF_OIDC_ACR_VALUES,
    )


def is_enabled():
    return provider().configured


def safe_admin_path(value):
    """Only admin paths on this site are followed after sign-in."""
    if value and value.startswith("/admin/") and url_has_allowed_host_and_scheme(value, allowed_hosts=set()):
        return value
    return reverse("wagtailadmin_home")


def begin(request, next_path):
    """The provider address to send the browser to (raises oidc.SignInRefused)."""
    redirect_uri = absolute_url(reverse("staff_oidc_callback"))
    return oidc.authorization_redirect(request, provider(), redirect_uri, safe_admin_path(next_path), ui_locales="nb")


def finish(request):
    """Sign the staff member in from the provider's answer and return the admin path to
    go on to; raises oidc.SignInRefused (nobody is signed in then)."""
    claims, id_token, next_path = oidc.complete(request, provider())
    user = staff_user_for(claims)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if has_second_factor(claims):
        two_factor.mark_verified_by_provider(request)
    oidc.remember_for_logout(request, provider(), id_token)
    return safe_admin_path(next_path)


def has_second_factor(claims):
    amr = claims.get("amr") or []
    return claims.get("acr") in SECOND_FACTOR_ACR or bool(SECOND_FACTOR_AMR.intersection(amr))


def mapped_groups(claims):
    """The Wagtail groups the provider's groups claim gives (a list, or a string of
    names separated by commas or spaces)."""
    value = claims.get(settings.STAFF_OIDC_GROUPS_CLAIM) or []
    if isinstance(value, str):
        value = re.split(r"[,\s]+", value)
    mapping = settings.STAFF_OIDC_GROUP_MAP
    names = {mapping[item] for item in value if isinstance(item, str) and item in mapping}
    return list(Group.objects.filter(name__in=names))


def staff_user_for(claims):
    """The staff user of this provider identity with its groups set from the claims,
    created on first sign-in; raises oidc.SignInRefused for someone without a role."""
    issuer, subject = claims["iss"], claims["sub"]
    groups = mapped_groups(claims)
    if not groups:
        # A role taken away at the provider is taken away here too.
        for identity in StaffIdentity.objects.filter(issuer=issuer, subject=subject).select_related("user"):
            identity.user.groups.clear()
        raise oidc.SignInRefused(REFUSED_NO_ROLE, f"staff {issuer} {subject}: no mapped group")
    identity = _identity(issuer, subject)
    user = identity.user
    if not user.is_active:
        raise oidc.SignInRefused(REFUSED_INACTIVE, f"staff {issuer} {subject}: inactive")
    user.is_staff = True
    for field, claim in (("first_name", "given_name"), ("last_name", "family_name"), ("email", "email")):
        if claims.get(claim):
            setattr(user, field, claims[claim])
    user.save()
    user.groups.set(groups)
    StaffIdentity.objects.filter(pk=identity.pk).update(last_sign_in_at=timezone.now())
    return user


def _identity(issuer, subject):
    """Find or create the identity; two first sign-ins at once end with one account."""
    identity = StaffIdentity.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
    if identity:
        return identity
    try:
        with transaction.atomic():
            user = get_user_model()(username=f"ansatt-{secrets.token_hex(8)}", is_staff=True)
            user.set_unusable_password()
            user.save()
            return StaffIdentity.objects.create(user=user, issuer=issuer, subject=subject)
    except IntegrityError:
        return StaffIdentity.objects.select_related("user").get(issuer=issuer, subject=subject)
