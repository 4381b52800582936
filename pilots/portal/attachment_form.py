"""The upload form of the attachments page: what the file is (a required choice, so a
council decision can be found by case handlers) and the file itself."""

from django import forms
from django.utils.translation import gettext_lazy as _

from pilots.applications.models import AttachmentKind

from .forms import AttachmentForm


class TypedAttachmentForm(AttachmentForm):
    kind = forms.ChoiceField(
        label=_("Hva slags vedlegg er det?"),
        choices=AttachmentKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Velg hva slags vedlegg du laster opp."),
            "invalid_choice": _("Velg kommunestyrevedtak, budsjett eller annet."),
        },
    )
    field_order = ["kind", "file"]
