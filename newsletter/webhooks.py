"""The mail provider's tracking webhook: Mailgun posts its delivery events here.

anymail's view checks Mailgun's signature (HMAC-SHA256 of the call's timestamp and
token with MAILGUN_WEBHOOK_SIGNING_KEY) and, when configured, HTTP basic auth
(ANYMAIL_WEBHOOK_SECRET). The signature covers the timestamp and token only, not the
event, so, as Mailgun advises, a signature is also refused when it is old and when its
token already came with another body: a captured signature cannot carry a made-up
bounce or complaint. A call that fails any check is answered 400 and sends no signal.
What a valid event changes is decided in bounces.py.

The provider is no browser and holds no CSRF token: the signature is its proof.
"""

import hashlib
import json
import time

from anymail.exceptions import AnymailWebhookValidationFailure
from anymail.webhooks.mailgun import MailgunTrackingWebhookView
from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.views.decorators.csrf import csrf_exempt

# Mailgun retries a call that failed for 8 hours; a day leaves room for that.
SIGNATURE_LIFETIME = 24 * 60 * 60
CLOCK_SKEW = 5 * 60  # a timestamp this far ahead of our clock is still believed
USED_TOKEN_KEY = "newsletter:mailgun-token:{}"  # noqa: S105 - a cache key, not a secret


def _signature_block(request):
    """(timestamp, token) as Mailgun sent them; the parent class has checked they exist."""
    if request.content_type == "application/json":
        block = json.loads(request.body.decode("utf-8"))["signature"]
        return block["timestamp"], block["token"]
    return request.POST["timestamp"], request.POST["token"]


class MailgunTracking(MailgunTrackingWebhookView):
    def validate_request(self, request):
        super().validate_request(request)
        timestamp, token = _signature_block(request)
        try:
            age = time.time() - int(timestamp)
        except ValueError as error:
            raise AnymailWebhookValidationFailure("Mailgun webhook timestamp is not a number") from error
        if age > SIGNATURE_LIFETIME or age < -CLOCK_SKEW:
            raise AnymailWebhookValidationFailure("Mailgun webhook signature is too old or from the future")
        # The same call again (a retry) is fine, the events are recorded once; the same
        # token with anything else is a replayed signature.
        body = hashlib.sha256(request.body).hexdigest()
        key = USED_TOKEN_KEY.format(hashlib.sha256(token.encode()).hexdigest())
        if not cache.add(key, body, timeout=SIGNATURE_LIFETIME + CLOCK_SKEW) and cache.get(key) != body:
            raise AnymailWebhookValidationFailure("Mailgun webhook token was already used for another event")


@csrf_exempt
def mailgun_tracking(request):
    # Without a signing key anymail would check signatures against an empty key (or
    # refuse to start); the address simply does not exist until the key is set.
    if not getattr(settings, "ANYMAIL", {}).get("MAILGUN_WEBHOOK_SIGNING_KEY"):
        raise Http404
    return MailgunTracking.as_view()(request)
