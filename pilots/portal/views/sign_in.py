"""Sign-in pages: ask for an e-mail address, confirm the link, sign out. The sign-in
method itself (today a single-use e-mail link) is in pilots.portal.auth."""

from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST, require_safe

from pilots.portal import oidc
from pilots.portal.auth import safe_next_path, sign_in_method
from pilots.portal.forms import ResendSignInForm, SignInForm, SignInLinkForm
from pilots.portal.views.oidc import continue_sign_out_at_provider


def _too_many(request, next_path, email):
    """Say that the request was throttled, and offer to send the latest link again."""
    context = {
        "form": SignInForm(initial={"neste": next_path, "email": email}),
        "resend_form": ResendSignInForm(initial={"email": email}),
        "too_many": True,
        "noindex": True,
    }
    return render(request, "pilots/sign_in.html", context, status=429)


def sign_in(request):
    method = sign_in_method()
    next_path = safe_next_path(request.GET.get("neste") or request.POST.get("neste"), request)
    if request.user.is_authenticated and request.method == "GET":
        return redirect(next_path)
    if request.method == "POST":
        form = SignInForm(request.POST)
        if form.is_valid():
            email = form.cleaned_data["email"]
            if not method.request_link(request, email, next_path):
                return _too_many(request, next_path, email)
            return redirect("pilots:sign_in_sent")
    else:
        form = SignInForm(initial={"neste": next_path})
    return render(request, "pilots/sign_in.html", {"form": form, "noindex": True})


@require_POST
def resend_sign_in_link(request):
    """«Send siste lenke på nytt» from a throttled sign-in; the same answer whether or
    not the address had a link."""
    form = ResendSignInForm(request.POST)
    if not form.is_valid():
        return redirect("pilots:sign_in")
    if not sign_in_method().resend(request, form.cleaned_data["email"]):
        return render(request, "pilots/sign_in_resend_limited.html", {"noindex": True}, status=429)
    return redirect(reverse("pilots:sign_in_sent") + "?igjen=1")


def sign_in_sent(request):
    return render(request, "pilots/sign_in_sent.html", {"noindex": True, "resent": "igjen" in request.GET})


@sensitive_variables("token")
@require_safe
def sign_in_link(request, token):
    """The link in the mail shows a «Logg inn» button; only its POST uses the link, so
    mail scanners that follow links cannot use up a person's single-use link."""
    return _link_page(request, sign_in_method().is_valid(token), token)


@sensitive_post_parameters("token")
@require_POST
def use_sign_in_link(request):
    """Use the link. The token comes in the body, not the path: anything that records
    the path of a sign-in (request logs, the staff login audit) never sees it."""
    form = SignInLinkForm(request.POST)
    method = sign_in_method()
    used = method.redeem(form.cleaned_data["token"]) if form.is_valid() else None
    if used is None:
        return _link_page(request, False)
    method.sign_in(request, used)
    return redirect(safe_next_path(used.next_path, request))


def _link_page(request, valid, token=""):
    """The button, or a page that explains why the link no longer works (410)."""
    context = {
        "form": SignInLinkForm(initial={"token": token}) if valid else None,
        "valid": valid,
        "noindex": True,
        "sign_in_url": reverse("pilots:sign_in"),
    }
    response = render(request, "pilots/sign_in_link.html", context, status=200 if valid else 410)
    # Keep the token out of Referer headers sent to other sites ("no-referrer" would
    # make browsers send "Origin: null" on the form post, which CSRF rejects).
    response["Referrer-Policy"] = "same-origin"
    return response


@require_POST
def sign_out(request):
    # Read before logout() empties the session: an ID-porten session ends there too.
    provider_sign_out = oidc.end_session_url(request)
    logout(request)
    if provider_sign_out:
        return continue_sign_out_at_provider(request, provider_sign_out)
    return redirect("pilots:signed_out")


def signed_out(request):
    return render(request, "pilots/signed_out.html", {"noindex": True})
