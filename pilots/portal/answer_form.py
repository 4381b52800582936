"""The applicant's answer in the thread with the ministry: a text, and PDF files with
what kind of files they are. Files get the same quick check as on the attachments page
before they are stored; the content check follows in the task worker."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pilots.applications.models import AttachmentKind
from pilots.applications.services import WorkflowError
from pilots.messages import services
from pilots.messages.models import MAX_TEXT_LENGTH
from policy.forms import DesignsystemetFormMixin

from . import pdfcheck

#: Files in one answer; the application's own limit on attachments applies as well.
MAX_FILES = 5


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files (a list; empty when none were chosen)."""

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class AnswerForm(DesignsystemetFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Svaret ditt"),
        help_text=format_lazy(_("Skriv svaret til departementet. Høyst {limit} tegn."), limit=MAX_TEXT_LENGTH),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Skriv svaret ditt.")},
    )
    files = MultipleFileField(
        label=_("Legg ved PDF-filer"),
        help_text=format_lazy(_("Bare PDF, høyst 20 MB per fil og {limit} filer med hvert svar."), limit=MAX_FILES),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={"empty": _("Filen er tom."), "invalid": _("Vi fikk ikke filen. Prøv igjen.")},
    )
    kind = forms.ChoiceField(
        label=_("Hva slags vedlegg er det?"),
        help_text=_("Gjelder alle filene i dette svaret. Velg «Annet» hvis de er ulike."),
        choices=AttachmentKind.choices,
        initial=AttachmentKind.OTHER,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Velg kommunestyrevedtak, budsjett eller annet.")},
    )

    def __init__(self, *args, oversized=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.oversized = oversized

    def clean_text(self):
        try:
            return services.check_text(self.cleaned_data["text"])
        except WorkflowError as error:
            raise forms.ValidationError(str(error)) from error

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                gettext("Du kan legge ved høyst %(limit)s filer med hvert svar.") % {"limit": MAX_FILES}
            )
        problems = []
        for uploaded in files:
            uploaded.seek(0)
            problem = pdfcheck.quick_problem(uploaded.read(8), uploaded.size)
            uploaded.seek(0)
            if problem:
                problems.append(
                    gettext("«%(name)s»: %(problem)s") % {"name": uploaded.name, "problem": gettext(problem)}
                )
        if problems:
            raise forms.ValidationError(problems)
        return files

    def clean_kind(self):
        return self.cleaned_data["kind"] or AttachmentKind.OTHER

    def full_clean(self):
        super().full_clean()
        if self.oversized:
            # The upload handler threw the file away unread; say why, at the field.
            self.errors.pop("files", None)
            self.add_error("files", gettext(pdfcheck.TOO_BIG))
