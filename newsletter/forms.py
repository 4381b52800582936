from django import forms
from django.utils.translation import gettext_lazy as _

from policy.forms import DesignsystemetFormMixin


class SignupForm(DesignsystemetFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("E-postadresse"),
        max_length=254,
        error_messages={
            "required": _("Skriv inn e-postadressen din."),
            "invalid": _("Skriv inn en gyldig e-postadresse, for eksempel navn@eksempel.no."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent = forms.BooleanField(
        label=_("Jeg har lest samtykketeksten og vil ha nyhetsbrevet"),
        error_messages={"required": _("Du må samtykke for å melde deg på.")},
    )
    # Honeypot: hidden from people (CSS and aria-hidden), filled in by naive bots.
    website = forms.CharField(required=False, label=_("Nettsted (ikke fyll ut dette feltet)"))
    # Proof-of-work solution written by static/newsletter/signup.js.
    proof = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["consent"].widget.attrs["class"] = "ds-input"
