"""Forms for the application flow, one per page; the answer forms of the question
pages are in answer_forms.py."""

from django import forms
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from policy.forms import DesignsystemetFormMixin

from . import pdfcheck


def _email_field(label, *, autocomplete="email", required_message=None, **kwargs):
    """An e-mail address as the portal asks for one: the message for a malformed
    address gives an example, and browsers do not spell-check it."""
    error_messages = {"invalid": _("Skriv inn en gyldig e-postadresse, for eksempel navn@kommune.no.")}
    if required_message:
        error_messages["required"] = required_message
    return forms.EmailField(
        label=label,
        max_length=254,
        error_messages=error_messages,
        widget=forms.EmailInput(attrs={"autocomplete": autocomplete, "spellcheck": "false"}),
        **kwargs,
    )


def _kroner_field(label, *, min_value, min_value_message, **kwargs):
    """An amount in whole kroner, typed in a text box with a numeric keypad."""
    return forms.IntegerField(
        label=label,
        min_value=min_value,
        error_messages={"invalid": _("Skriv beløpet i hele kroner, bare med tall."), "min_value": min_value_message},
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        **kwargs,
    )


class SignInForm(DesignsystemetFormMixin, forms.Form):
    email = _email_field(
        _("E-postadressen din"),
        required_message=_("Skriv inn e-postadressen din."),
        help_text=_("Vi sender deg en lenke du kan logge inn med. Lenken virker i 15 minutter."),
    )
    neste = forms.CharField(required=False, widget=forms.HiddenInput)


class ResendSignInForm(forms.Form):
    """The address a throttled sign-in asked for, carried to «Send siste lenke på nytt»."""

    email = forms.EmailField(max_length=254, widget=forms.HiddenInput)


class SignInLinkForm(forms.Form):
    """The token of an e-mail link, posted by its «Logg inn» button."""

    token = forms.CharField(max_length=100, widget=forms.HiddenInput)


class AttachmentForm(DesignsystemetFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Last opp en PDF-fil"),
        help_text=_("Bare PDF, høyst 20 MB per fil og 10 filer i alt."),
        error_messages={
            "required": _("Velg en fil å laste opp."),
            "empty": _("Filen er tom."),
            "invalid": _("Vi fikk ikke filen. Prøv igjen."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args, oversized=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.oversized = oversized

    def clean_file(self):
        """Only what costs nothing is checked here; the content check runs in the task
        worker after the file is stored (uploads.py)."""
        uploaded = self.cleaned_data["file"]
        uploaded.seek(0)
        problem = pdfcheck.quick_problem(uploaded.read(8), uploaded.size)
        uploaded.seek(0)
        if problem:
            raise forms.ValidationError(gettext(problem))
        return uploaded

    def full_clean(self):
        super().full_clean()
        if self.oversized:
            # The upload handler threw the file away unread; say why, at the field.
            self.errors.pop("file", None)
            self.add_error("file", gettext(pdfcheck.TOO_BIG))


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops reading a file once it passes the limit instead of spooling it to disk.

    Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not count files, so without this a
    25 MB PDF would be written to a temporary file before the form could refuse it."""

    def __init__(self, request=None, limit=pdfcheck.MAX_BYTES):
        super().__init__(request)
        self.limit = limit
        self.oversized = False

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.oversized = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


class StartForm(DesignsystemetFormMixin, forms.Form):
    """How to start: continue a draft in this round, copy an earlier application, or
    start an empty one. Without drafts or earlier applications, only "new" exists."""

    CONTINUE, COPY, NEW = "fortsett", "kopier", "ny"
    start = forms.ChoiceField(
        label=_("Hvordan vil du begynne?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Velg om du vil fortsette et utkast, kopiere en søknad eller starte på nytt.")},
    )

    def __init__(self, *args, drafts, earlier, **kwargs):
        super().__init__(*args, **kwargs)
        self.sources = {}
        choices = []
        for draft in drafts:
            self.sources[f"{self.CONTINUE}-{draft.pk}"] = draft
            label = gettext("Fortsett utkastet «%(name)s»") % {"name": draft.display_name()}
            choices.append((f"{self.CONTINUE}-{draft.pk}", label))
        for application in earlier:
            if application in drafts:
                continue
            self.sources[f"{self.COPY}-{application.pk}"] = application
            label = gettext("Kopier svarene fra «%(name)s» (%(described)s, %(round)s)") % {
                "name": application.display_name(),
                "described": application.reference or gettext("utkast"),
                "round": application.round.name,
            }
            choices.append((f"{self.COPY}-{application.pk}", label))
        choices.append((self.NEW, gettext("Start en tom søknad")))
        self.fields["start"].choices = choices
        self.offers_choice = len(choices) > 1
        if not self.offers_choice:
            self.fields["start"].required = False

    def chosen(self):
        """(CONTINUE, draft), (COPY, application) or (NEW, None)."""
        value = self.cleaned_data.get("start") or self.NEW
        if value == self.NEW:
            return self.NEW, None
        return value.split("-")[0], self.sources[value]


class DeclarationForm(DesignsystemetFormMixin, forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "Jeg bekrefter at opplysningene i søknaden er riktige, og at jeg kan sende søknaden på vegne av kommunene."
        ),
        error_messages={"required": _("Du må bekrefte erklæringen før du sender inn søknaden.")},
    )


class InviteForm(DesignsystemetFormMixin, forms.Form):
    email = _email_field(
        _("E-postadressen til kollegaen"),
        autocomplete="off",
        required_message=_("Skriv inn e-postadressen til kollegaen."),
    )
    can_invite = forms.BooleanField(
        label=_("Kollegaen kan også invitere og fjerne andre"),
        required=False,
        help_text=_("Bare den som opprettet søknaden, kan gi denne retten."),
    )

    def __init__(self, *args, days, may_appoint, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = ngettext(
            "Kollegaen får en e-post med en lenke. Lenken virker i %(days)s dag, og bare én gang.",
            "Kollegaen får en e-post med en lenke. Lenken virker i %(days)s dager, og bare én gang.",
            days,
        ) % {"days": days}
        if not may_appoint:
            del self.fields["can_invite"]
