"""The case handler's forms: a question with its reply deadline, and a plain message.
The services check the same rules again; these give the messages next to the fields."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pilots.applications.services import WorkflowError
from pilots.formatting import OSLO

from . import services
from .models import MAX_TEXT_LENGTH

#: What the reply deadline form suggests: two weeks, at the end of the working day.
DEFAULT_REPLY_DAYS = 14
DEFAULT_REPLY_TIME = datetime.time(15, 0)


def _text_field(label, required_message):
    return forms.CharField(
        label=label,
        # No maxlength attribute: a browser would cut a longer paste without saying so.
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": required_message},
    )


class MessageForm(forms.Form):
    text = _text_field(_("Melding til søkeren"), _("Skriv meldingen til søkeren."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].help_text = gettext(
            "Søkerne får meldingen på e-post og ser den under «Meldinger» i søknaden. Høyst %(max)s tegn."
        ) % {"max": MAX_TEXT_LENGTH}

    def clean_text(self):
        try:
            return services.check_text(self.cleaned_data["text"])
        except WorkflowError as error:
            raise forms.ValidationError(str(error)) from error


class QuestionForm(MessageForm):
    """«Trenger mer informasjon»: what the applicant must answer, and by when (Oslo time)."""

    reply_by_date = forms.DateField(
        label=_("Svarfrist (dato)"),
        help_text=_("Norsk tid. For eksempel 15.12.2026."),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Skriv datoen for svarfristen."),
            "invalid": _("Skriv en gyldig dato, for eksempel 15.12.2026."),
        },
    )
    reply_by_time = forms.TimeField(
        label=_("Svarfrist (klokkeslett)"),
        help_text=_("For eksempel 15:00."),
        input_formats=["%H:%M", "%H.%M", "%H:%M:%S"],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": _("Skriv klokkeslettet for svarfristen."),
            "invalid": _("Skriv et gyldig klokkeslett, for eksempel 15:00."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = gettext("Spørsmål til søkeren")
        self.fields["text"].help_text = gettext(
            "Skriv hva søkeren skal svare på eller sende inn. Søkerne får spørsmålet på e-post og svarer i "
            "søknadsportalen. Høyst %(max)s tegn."
        ) % {"max": MAX_TEXT_LENGTH}
        self.fields["text"].error_messages["required"] = gettext("Skriv spørsmålet til søkeren.")
        if not self.is_bound:
            default = timezone.localtime(timezone.now(), OSLO).date() + datetime.timedelta(days=DEFAULT_REPLY_DAYS)
            self.initial.setdefault("reply_by_date", default)
            self.initial.setdefault("reply_by_time", DEFAULT_REPLY_TIME)

    def clean(self):
        cleaned = super().clean()
        day, time = cleaned.get("reply_by_date"), cleaned.get("reply_by_time")
        if day is None or time is None:
            return cleaned
        reply_by = datetime.datetime.combine(day, time, tzinfo=OSLO)
        try:
            cleaned["reply_by"] = services.check_reply_by(reply_by)
        except WorkflowError as error:
            self.add_error("reply_by_date", str(error))
        return cleaned
