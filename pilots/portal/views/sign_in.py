"""Sign-in pages: ask for an e-mail address, confirm the link, sign out. The sign-in
method itself (today a single-use e-mail link) is in pilots.portal.auth."""

from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from pilots.portal.auth import safe_next_path, sign_in_applicant, sign_in_method
from pilots.portal.forms import SignInForm


def sign_in(request):
    method = sign_in_method()
    next_path = safe_next_path(request.GET.get("neste") or request.POST.get("neste"), request)
    if request.user.is_authenticated and request.method == "GET":
        return redirect(next_path)
    if request.method == "POST":
        form = SignInForm(request.POST)
        if form.is_valid():
            if not method.request_link(request, form.cleaned_data["email"], next_path):
                return render(
                    request,
                    "pilots/sign_in.html",
                    {"form": SignInForm(initial={"neste": next_path}), "too_many": True, "noindex": True},
                    status=429,
                )
            return redirect("pilots:sign_in_sent")
    else:
        form = SignInForm(initial={"neste": next_path})
    return render(request, "pilots/sign_in.html", {"form": form, "noindex": True})


def sign_in_sent(request):
    return render(request, "pilots/sign_in_sent.html", {"noindex": True})


def sign_in_link(request, token):
    """GET shows a button; only the POST uses the link. Mail scanners that follow
    links (GET) therefore cannot use up a person's single-use link."""
    method = sign_in_method()
    if request.method == "POST":
        used = method.redeem(token)
        if used is not None:
            sign_in_applicant(request, used.email)
            return redirect(safe_next_path(used.next_path, request))
        valid = False
    else:
        valid = method.is_valid(token)
    response = render(
        request,
        "pilots/sign_in_link.html",
        {"valid": valid, "noindex": True, "sign_in_url": reverse("pilots:sign_in")},
        status=200 if valid else 410,
    )
    # Keep the token out of Referer headers sent to other sites ("no-referrer" would
    # make browsers send "Origin: null" on the form post, which CSRF rejects).
    response["Referrer-Policy"] = "same-origin"
    return response


@require_POST
def sign_out(request):
    logout(request)
    return redirect("pilots:signed_out")


def signed_out(request):
    return render(request, "pilots/signed_out.html", {"noindex": True})
