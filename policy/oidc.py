"""OpenID Connect sign-in through Authlib, shared by the applicants' provider (ID-porten,
in pilots.portal.oidc) and the staff provider (Ansattporten or any OIDC provider, in
policy.staff_sign_in).

Every provider gets the same checks: the authorization code flow with PKCE (S256),
`state` and `nonce` bound to the browser's session, the ID token's signature verified
against the provider's JWKS from its discovery document, its issuer, audience and expiry
checked, and, when levels are asked for, the returned `acr` at or above the one asked.
Whatever fails, the person sees a Norwegian message and is not signed in.
"""

import functools
import logging
from dataclasses import dataclass

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.django_client import OAuth
from django.conf import settings
from joserfc.errors import JoseError

logger = logging.getLogger(__name__)

# ID-porten's levels of assurance, lowest first: a login at a higher level than the one
# asked for is accepted, a lower one never.
ACR_LEVELS = ["idporten-loa-low", "idporten-loa-substantial", "idporten-loa-high"]

SESSION_LOGOUT_KEY = "oidc_logout"

REFUSED = "Innloggingen kunne ikke fullføres. Prøv å logge inn på nytt."
REFUSED_STATE = (
    "Innloggingen kunne ikke fullføres fordi svaret ikke hørte til denne nettleserøkten. "
    "Det skjer når innloggingen tar for lang tid eller startes i en annen fane. Prøv å logge inn på nytt."
)
REFUSED_ACR = "Du logget inn med et for lavt sikkerhetsnivå. Logg inn på nytt med MinID, BankID eller Buypass."
REFUSED_CANCELLED = "Innloggingen ble avbrutt. Du er ikke logget inn."
UNAVAILABLE = "Innloggingstjenesten svarer ikke akkurat nå. Prøv igjen om litt."


class SignInRefused(Exception):
    """A sign-in that must not go through; `message` is shown to the person."""

    def __init__(self, message, reason=""):
        super().__init__(reason or message)
        self.message = message
        self.status = 503 if message == UNAVAILABLE else 400


@dataclass(frozen=True)
class Provider:
    """One OpenID Provider as the site uses it, all from the environment."""

    name: str
    discovery_url: str
    client_id: str
    client_secret: str
    scope: str = "openid profile"
    acr_values: str = ""

    @property
    def configured(self):
        return bool(self.discovery_url and self.client_id)


@functools.lru_cache(maxsize=8)
def _client(provider):
    """One Authlib client per provider configuration, so the discovery document and the
    JWKS are fetched once per process (Authlib fetches the JWKS again on an unknown key id)."""
    oauth = OAuth()
    oauth.register(
        provider.name,
        client_id=provider.client_id,
        client_secret=provider.client_secret,
        server_metadata_url=provider.discovery_url,
        client_kwargs={
            "scope": provider.scope,
            "code_challenge_method": "S256",
            "default_timeout": settings.OIDC_TIMEOUT_SECONDS,
        },
    )
    return oauth.create_client(provider.name)


def authorization_redirect(request, provider, redirect_uri, next_path, **params):
    """Send the browser to the provider. Authlib keeps state, nonce and the PKCE verifier
    in the session under the state; the path to return to is kept beside them."""
    client = _client(provider)
    if provider.acr_values:
        params["acr_values"] = provider.acr_values
    try:
        data = client.create_authorization_url(redirect_uri, **params)
    except (requests.RequestException, ValueError) as error:
        raise SignInRefused(UNAVAILABLE, f"{provider.name}: discovery failed: {error}") from error
    client.save_authorize_data(request, redirect_uri=redirect_uri, next_path=next_path, **data)
    return data["url"]


def complete(request, provider):
    """Redeem the code in the callback request and return `(claims, id_token, next_path)`,
    or raise SignInRefused. The claims come only from a verified ID token."""
    client = _client(provider)
    if request.GET.get("error"):
        raise SignInRefused(REFUSED_CANCELLED, f"{provider.name}: {request.GET.get('error')}")
    state = request.GET.get("state") or ""
    state_data = client.framework.get_state_data(request.session, state)
    if not state_data or "nonce" not in state_data:
        raise SignInRefused(REFUSED_STATE, f"{provider.name}: unknown state")
    try:
        token = client.authorize_access_token(request, leeway=settings.OIDC_CLOCK_SKEW_SECONDS)
    except requests.RequestException as error:
        raise SignInRefused(UNAVAILABLE, f"{provider.name}: {error}") from error
    except (AuthlibBaseError, JoseError, ValueError) as error:
        raise SignInRefused(REFUSED, f"{provider.name}: {error!r}") from error
    claims = token.get("userinfo")
    if not claims or not claims.get("sub"):
        raise SignInRefused(REFUSED, f"{provider.name}: no verified ID token")
    check_acr(provider, claims.get("acr"))
    return dict(claims), token["id_token"], state_data.get("next_path") or ""


def check_acr(provider, acr):
    """The returned level must be one of those asked for or above them (ID-porten may
    sign someone in at a higher level than asked, never a lower one)."""
    asked = provider.acr_values.split()
    if not asked:
        return
    accepted = set(asked)
    known = [ACR_LEVELS.index(value) for value in asked if value in ACR_LEVELS]
    if known:
        accepted.update(ACR_LEVELS[min(known) :])
    if acr not in accepted:
        raise SignInRefused(REFUSED_ACR, f"{provider.name}: acr {acr!r} below {provider.acr_values!r}")


def remember_for_logout(request, provider, id_token):
    """Keep the ID token after the login (which may have cycled the session) so that
    signing out can also end the session at the provider."""
    request.session[SESSION_LOGOUT_KEY] = {"provider": provider.name, "id_token": id_token}


def end_session_url(request, provider, post_logout_redirect_uri):
    """The provider's end-session address for this session's OIDC sign-in, or None
    when the session did not come from `provider` (read it before logging out)."""
    stored = request.session.get(SESSION_LOGOUT_KEY)
    if not stored or stored.get("provider") != provider.name or not provider.configured:
        return None
    try:
        return _client(provider).create_logout_url(
            post_logout_redirect_uri=post_logout_redirect_uri, id_token_hint=stored["id_token"]
        )["url"]
    except (requests.RequestException, ValueError, RuntimeError) as error:
        # No end-session endpoint or the provider is down: the local session still ends.
        logger.warning("%s: no end-session address: %s", provider.name, error)
        return None
