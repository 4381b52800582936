"""The mail provider's tracking webhook: Mailgun posts its delivery events here.

anymail's view does the work: it checks Mailgun's signature (HMAC-SHA256 of the
call's timestamp and token with MAILGUN_WEBHOOK_SIGNING_KEY) and, when configured,
HTTP basic auth (ANYMAIL_WEBHOOK_SECRET); a call that fails either is answered 400 and
sends no signal. What a valid event changes is decided in bounces.py.

The provider is no browser and holds no CSRF token: the signature is its proof.
"""

from anymail.webhooks.mailgun import MailgunTrackingWebhookView
from django.conf import settings
from django.http import Http404
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def mailgun_tracking(request):
    # Without a signing key anymail would check signatures against an empty key (or
    # refuse to start); the address simply does not exist until the key is set.
    if not getattr(settings, "ANYMAIL", {}).get("MAILGUN_WEBHOOK_SIGNING_KEY"):
        raise Http404
    return MailgunTrackingWebhookView.as_view()(request)
