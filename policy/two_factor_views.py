"""The two-factor pages in the admin (/admin/tofaktor/): set up an authenticator app,
give a code after the password, and see the recovery codes once. The rules are in
policy/two_factor.py; these views read the form, call it and render."""

from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from policy import two_factor
from policy.middleware import strict_csp


class CodeForm(forms.Form):
    """One code, from the app (six digits) or a recovery code."""

    code = forms.CharField(
        label="Kode",
        max_length=20,
        error_messages={"required": "Skriv inn koden."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
    )

    def __init__(self, *args, help_text="", numeric=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = help_text
        if numeric:
            self.fields["code"].widget.attrs["inputmode"] = "numeric"

    def refuse(self, check):
        """Say why the code was not accepted: wrong, or wait (after several wrong codes)."""
        if check.wait_seconds:
            seconds = check.wait_seconds
            unit = "sekund" if seconds == 1 else "sekunder"
            message = f"For mange feil koder. Vent {seconds} {unit} og prøv igjen."
        else:
            message = "Koden stemmer ikke. Sjekk at du skriver den nyeste koden fra appen."
        self.add_error("code", message)


def next_url(request):
    """Where the user was going before the second factor was asked for: a path on
    this site (an admin page, or a private page or document), else the dashboard."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return reverse("wagtailadmin_home")


@strict_csp
@never_cache
@login_required
@sensitive_post_parameters("code")
def setup(request):
    """Show the secret as a QR code and text, and confirm the app with its first code.
    Someone who already has an app must give its code instead: a password alone never
    registers a new app."""
    if two_factor.has_app(request.user):
        return redirect(next_url(request) if two_factor.is_verified(request) else _verify_url(request))
    device = two_factor.pending_app(request.user)
    form = CodeForm(request.POST or None, numeric=True, help_text="Seks sifre fra appen, for eksempel 123456.")
    if form.is_valid():
        check = two_factor.confirm_app(request, device, form.cleaned_data["code"])
        if check.device:
            return redirect(f"{reverse('two_factor_recovery_codes')}?{_next_query(request)}")
        form.refuse(check)
    context = {
        "form": form,
        "next": next_url(request),
        "qr_code": two_factor.qr_code_data_uri(device),
        "secret": two_factor.secret(device),
        "config_url": device.config_url,
    }
    return render(request, "policy/two_factor/setup.html", context)


@strict_csp
@never_cache
@login_required
@sensitive_post_parameters("code")
def verify(request):
    """Ask for a code from the app, or a recovery code, after the password."""
    if not two_factor.has_app(request.user):
        return redirect(f"{reverse('two_factor_setup')}?{_next_query(request)}")
    if two_factor.is_verified(request):
        return redirect(next_url(request))
    form = CodeForm(
        request.POST or None,
        help_text="Seks sifre fra autentiseringsappen, eller en av gjenopprettingskodene dine.",
    )
    if form.is_valid():
        check = two_factor.verify(request, form.cleaned_data["code"])
        if check.device:
            return redirect(next_url(request))
        form.refuse(check)
    return render(request, "policy/two_factor/verify.html", {"form": form, "next": next_url(request)})


@strict_csp
@never_cache
@login_required
def recovery_codes(request):
    """The new recovery codes, shown once, right after the app was set up."""
    if not two_factor.is_verified(request):
        return redirect(_verify_url(request))
    context = {"codes": two_factor.take_new_recovery_codes(request), "next": next_url(request)}
    return render(request, "policy/two_factor/recovery_codes.html", context)


def _next_query(request):
    return urlencode({"next": next_url(request)})


def _verify_url(request):
    return f"{reverse('two_factor_verify')}?{_next_query(request)}"


urlpatterns = [
    path("", verify, name="two_factor_verify"),
    path("oppsett/", setup, name="two_factor_setup"),
    path("gjenopprettingskoder/", recovery_codes, name="two_factor_recovery_codes"),
]
