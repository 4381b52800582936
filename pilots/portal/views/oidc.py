"""ID-porten sign-in: send the browser to ID-porten and receive its answer. The rules
are in pilots.portal.oidc; a refused sign-in gets a page saying why, never a 500."""

import logging

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from pilots.portal import oidc
from policy.oidc import SignInRefused

logger = logging.getLogger(__name__)


def _refused(request, refused):
    logger.warning("ID-porten sign-in refused: %s", refused)
    context = {"message": refused.message, "sign_in_url": reverse("pilots:sign_in"), "noindex": True}
    return render(request, "pilots/sign_in_refused.html", context, status=refused.status)


def idporten_start(request):
    if not oidc.is_enabled():
        raise Http404
    try:
        return redirect(oidc.begin(request, request.GET.get("neste")))
    except SignInRefused as refused:
        return _refused(request, refused)


def idporten_callback(request):
    if not oidc.is_enabled():
        raise Http404
    try:
        return redirect(oidc.finish(request))
    except SignInRefused as refused:
        return _refused(request, refused)


def continue_sign_out_at_provider(request, end_session_url):
    """After the local sign-out, go on to ID-porten's end-session address. A page that
    moves on by itself rather than a redirect: the sign-out is a form, and the strict
    CSP's form-action would block a redirect from it to another site."""
    response = render(request, "pilots/sign_out_provider.html", {"end_session_url": end_session_url, "noindex": True})
    add_never_cache_headers(response)  # the address carries the ID token
    response["Referrer-Policy"] = "no-referrer"
    return response
