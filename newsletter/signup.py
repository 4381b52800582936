"""The sign-up form on NewsletterSignupPage: shown with the current consent text and
a proof-of-work challenge, and handled behind rate limits, a honeypot and the proof.

The visitor always gets the same answer, equally fast, whatever the address's state:
the decision to mail (a confirmation link, an "already subscribed" note, or nothing
for a suppressed address) is made in a task. This module stays below the page
models (it imports no models), so the page can hand its requests here.
"""

import json

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from policy import ratelimit
from policy.models import apply_public_cache_headers

from . import addresses, proof
from .forms import SignupForm
from .tasks import send_signup_mail

HOUR = 3600
# Sign-up attempts per IP address per hour.
IP_LIMIT = 20
# Without a proof-of-work solution (no JavaScript, or a bot) the limit is much lower.
NO_PROOF_IP_LIMIT = 3
# Confirmation mails to one address per hour: nobody can flood someone's inbox.
ADDRESS_LIMIT = 3


def signup_page_response(page, request, prefill=None):
    """The page's response: the form (prefilled from the topic-page block when
    `prefill` is given) or, for a POST to the page, the handled sign-up."""
    consent = page.newsletter_list.current_consent()
    if consent is None:
        raise Http404("No consent text for this list.")
    if request.method == "POST" and prefill is None:
        return _handle_signup(page, request, consent)
    form = SignupForm(initial={"email": (prefill or "").strip()[:254]})
    return _render_signup(page, request, form, consent)


def _handle_signup(page, request, consent):
    form = SignupForm(request.POST)
    ip = ratelimit.client_ip(request)
    if not ratelimit.hit("newsletter-signup-ip", ip, limit=IP_LIMIT, window=HOUR):
        return _render_plain(page, request, "newsletter/signup_too_many.html", status=429)
    if not form.is_valid():
        return _render_signup(page, request, form, consent)
    proven = proof.verify(form.cleaned_data["proof"])
    if not proven and not ratelimit.hit("newsletter-signup-noproof-ip", ip, limit=NO_PROOF_IP_LIMIT, window=HOUR):
        return _render_plain(page, request, "newsletter/signup_too_many.html", status=429)
    email = form.cleaned_data["email"]
    honeypot_filled = bool(form.cleaned_data["website"])
    if not honeypot_filled and ratelimit.hit(
        "newsletter-signup-address", addresses.identity(email), limit=ADDRESS_LIMIT, window=HOUR
    ):
        send_signup_mail.enqueue(
            addresses.normalise(email), page.newsletter_list.pk, consent.version, timezone.now().isoformat()
        )
    return _render_plain(page, request, "newsletter/signup_received.html")


def _render_signup(page, request, form, consent, status=200):
    context = page.get_context(request)
    context.update(
        {
            "form": form,
            "consent": consent,
            "pow_challenge": json.dumps(proof.create_challenge()),
            "noindex": False,
        }
    )
    response = render(request, page.get_template(request), context, status=status)
    return apply_public_cache_headers(request, response)


def _render_plain(page, request, template, status=200):
    """A response without a form: the same bytes whatever the address was."""
    response = render(request, template, {"page": page, "self": page, "noindex": True}, status=status)
    return apply_public_cache_headers(request, response)
