"""Applicant sign-in with ID-porten (OpenID Connect), beside the e-mail link.

ID-porten's profile: the authorization code flow with PKCE, `acr_values` from
IDPORTEN_ACR_VALUES and the returned `acr` checked against it, `ui_locales` the portal's language, the
ID token verified against the JWKS in the discovery document (policy.oidc does the
protocol). The person is identified by `pid` (the national identity number), or `sub`
when the provider gives no `pid`, through `sign_in_applicant`: an applicant account,
never a staff one. Signing out also ends the session at ID-porten.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from policy import oidc
from policy.links import absolute_url

from .auth import safe_next_path, sign_in_applicant
from .models import ApplicantIdentity


def idporten():
    return oidc.Provider(
        name="idporten",
        discovery_url=settings.IDPORTEN_DISCOVERY_URL,
        client_id=settings.IDPORTEN_CLIENT_ID,
        client_secret=settings.IDPORTEN_CLIENT_SECRET,
        scope=settings.IDPORTEN_SCOPES,
        acr_values=settings.IDPORTEN_ACR_VALUES,
    )


def is_enabled():
    """ID-porten is offered only when configured; the e-mail link is always there."""
    return idporten().configured


def _ui_locale():
    """ID-porten's own pages in the language the portal speaks (it offers nb, nn and en)."""
    language = translation.get_language()
    return language if language in ("nb", "nn", "en") else "nb"


def start_url(next_path):
    return reverse("pilots:idporten_start") + "?" + urlencode({"neste": next_path})


def begin(request, next_path):
    """The provider address to send the browser to; raises oidc.SignInRefused when the
    provider cannot be reached."""
    redirect_uri = absolute_url(reverse("pilots:idporten_callback"))
    return oidc.authorization_redirect(
        request, idporten(), redirect_uri, safe_next_path(next_path, request), ui_locales=_ui_locale()
    )


def finish(request):
    """Sign the applicant in from the provider's answer and return the path to go on to;
    raises oidc.SignInRefused (nobody is signed in then)."""
    provider = idporten()
    claims, id_token, next_path = oidc.complete(request, provider)
    sign_in_applicant(
        request,
        method=ApplicantIdentity.Method.IDPORTEN,
        subject=claims.get("pid") or claims["sub"],
        email=claims.get("email", ""),
        claims=claims,
    )
    oidc.remember_for_logout(request, provider, id_token)
    return safe_next_path(next_path, request)


def end_session_url(request):
    """Where signing out continues for a session that came from ID-porten, else None.
    Read it before `logout()` empties the session."""
    return oidc.end_session_url(request, idporten(), absolute_url(reverse("pilots:signed_out")))
