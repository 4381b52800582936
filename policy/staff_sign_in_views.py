"""Staff sign-in through the OpenID Provider: send the browser there and receive its
answer (the rules are in policy.staff_sign_in). A refusal goes back to the admin
sign-in page with the reason as a message, never a 500."""

import logging

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect

from . import staff_sign_in
from .oidc import SignInRefused

logger = logging.getLogger(__name__)


def _refused(request, refused):
    logger.warning("Staff sign-in refused: %s", refused)
    messages.error(request, refused.message)
    return redirect("wagtailadmin_login")


def staff_oidc_start(request):
    if not staff_sign_in.is_enabled():
        raise Http404
    try:
        return redirect(staff_sign_in.begin(request, request.GET.get("next")))
    except SignInRefused as refused:
        return _refused(request, refused)


def staff_oidc_callback(request):
    if not staff_sign_in.is_enabled():
        raise Http404
    try:
        return redirect(staff_sign_in.finish(request))
    except SignInRefused as refused:
        return _refused(request, refused)
