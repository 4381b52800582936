"""A small client for Altinn's list of the parties a person may act for.

Altinn 3 Access Management answers, for a service owner, which organisations a
person is authorised for ("authorized parties", Altinn 2's "reportees"):

    POST {ALTINN_AUTHORIZATION_URL}
         (e.g. https://platform.altinn.no/accessmanagement/api/v1/resourceowner/authorizedparties?includeAltinn2=true)
    Authorization: Bearer {ALTINN_TOKEN}            an Altinn token exchanged from Maskinporten with the
                                                    scope altinn:accessmanagement/authorizedparties.resourceowner
    Ocp-Apim-Subscription-Key: {ALTINN_SUBSCRIPTION_KEY}
    {"type": "urn:altinn:person:identifier-no", "value": "<the person's national identity number>"}

    -> [{"organizationNumber": "...", "type": "Organization", "isDeleted": false,
         "authorizedRoles": ["DAGL", ...], "subunits": [<party>, ...], ...}, ...]

Only what the authority check needs is read: the organisation numbers where the
person holds at least one role. Any failure (not configured, network, HTTP error,
an answer that is not that JSON) is logged and answered with None, so the caller
treats the person as not (yet) established rather than failing the request.
Answers are cached briefly, keyed by a hash of the identity number, because the
task list asks on every visit."""

import hashlib
import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

CACHE_SECONDS = 300


def configured():
    return bool(getattr(settings, "ALTINN_AUTHORIZATION_URL", ""))


def organisations_with_roles(pid):
    """The organisation numbers (a set) where the person `pid` holds a role in
    Altinn, or None when Altinn could not be asked."""
    if not configured() or not pid:
        return None
    key = "pilots-altinn:" + hashlib.sha256(pid.encode()).hexdigest()
    cached = cache.get(key)
    if cached is not None:
        return set(cached)
    parties = _post({"type": "urn:altinn:person:identifier-no", "value": pid})
    if parties is None:
        return None
    try:
        numbers = {party["organizationNumber"] for party in _flatten(parties) if _holds_role(party)}
    except (KeyError, TypeError, AttributeError):
        logger.warning("Altinn answered with parties in an unexpected shape")
        return None
    cache.set(key, sorted(numbers), CACHE_SECONDS)
    return numbers


def _flatten(parties):
    for party in parties:
        yield party
        yield from _flatten(party.get("subunits") or [])


def _holds_role(party):
    return bool(party.get("organizationNumber")) and not party.get("isDeleted") and bool(party.get("authorizedRoles"))


def _post(body):
    url = settings.ALTINN_AUTHORIZATION_URL
    if not url.startswith(("https://", "http://")):
        logger.warning("ALTINN_AUTHORIZATION_URL is not an http(s) URL")
        return None
    request = urllib.request.Request(  # noqa: S310 (the scheme is checked above)
        url,
        data=json.dumps(body).encode(),
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Accept": "application/json",
            "Authorization": f"Bearer {getattr(settings, 'ALTINN_TOKEN', '')}",
            "Ocp-Apim-Subscription-Key": getattr(settings, "ALTINN_SUBSCRIPTION_KEY", ""),
        },
    )
    timeout = getattr(settings, "ALTINN_TIMEOUT", 5)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (checked above)
            answer = json.loads(response.read())
    except urllib.error.HTTPError as error:
        logger.warning("Altinn authorized parties answered HTTP %s", error.code)
        return None
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
        logger.warning("Altinn authorized parties could not be asked: %s", error)
        return None
    if not isinstance(answer, list):
        logger.warning("Altinn authorized parties answered with something other than a list")
        return None
    return answer
