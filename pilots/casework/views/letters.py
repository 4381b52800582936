"""Decision letters in the admin: the form page where staff write the grounds, the
amount and the contact person before release (a mistake is shown next to the field
with an error summary at the top, keeping what was typed), and the PDF copies of the
released letter and of the application as submitted."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from pilots.applications.models import Application
from pilots.applications.services import WorkflowError
from pilots.applications.status import ACTIVE, CASES, OUTCOMES, Decision
from pilots.casework import decisions, permissions
from pilots.formatting import kroner
from pilots.letters import pdf
from pilots.letters.content import letter_text
from pilots.letters.models import DecisionLetter

from .case_form import CaseFormView

LETTER_ANCHOR = "#vedtaksbrev"


class DecisionLetterForm(forms.ModelForm):
    class Meta:
        model = DecisionLetter
        fields = ["grounds", "amount_granted", "contact_name", "contact_email", "contact_phone"]
        widgets = {"grounds": forms.Textarea(attrs={"rows": 12})}
        error_messages = {
            "grounds": {"required": _("Skriv begrunnelsen for vedtaket.")},
            "amount_granted": {"invalid": _("Skriv beløpet i hele kroner, bare med tall, for eksempel 1500000.")},
            "contact_name": {"required": _("Skriv navnet på kontaktpersonen i departementet.")},
            "contact_email": {
                "required": _("Skriv e-postadressen til kontaktpersonen."),
                "invalid": _("Skriv en gyldig e-postadresse, for eksempel navn@kdd.dep.no."),
            },
            "contact_phone": {"required": _("Skriv telefonnummeret til kontaktpersonen.")},
        }

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        applied = kroner(application.amount_applied) or gettext("ikke oppgitt")
        self.fields["amount_granted"].help_text = gettext(
            "Påkrevd hvis søknaden blir valgt; brukes ikke ellers. Søkt beløp: %(applied)s."
        ) % {"applied": applied}
        self.fields["amount_granted"].error_messages["min_value"] = gettext("Beløpet kan ikke være negativt.")

    def clean_grounds(self):
        grounds = self.cleaned_data["grounds"].strip()
        if not grounds:
            raise forms.ValidationError(gettext("Skriv begrunnelsen for vedtaket."))
        if len(grounds) > decisions.GROUNDS_MAX:
            raise forms.ValidationError(
                gettext("Begrunnelsen kan ha høyst %(max)s tegn. Nå har den %(length)s.")
                % {"max": decisions.GROUNDS_MAX, "length": len(grounds)}
            )
        return grounds

    def clean_amount_granted(self):
        amount = self.cleaned_data["amount_granted"]
        if problem := decisions.amount_problem(self.application, amount):
            raise forms.ValidationError(problem)
        if amount is None and self.application.decision == Decision.SELECTED:
            raise forms.ValidationError(gettext("Skriv beløpet som tildeles, siden søknaden er forberedt som valgt."))
        return amount


class DecisionLetterView(CaseFormView):
    model = Application
    permission_required = permissions.ASSESS
    template_name = "pilots/admin/decision_letter_form.html"
    form_class = DecisionLetterForm
    header_icon = "doc-full"
    page_title = _("Vedtaksbrev")

    def get(self, request, *args, **kwargs):
        return self.refusal() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.refusal() or super().post(request, *args, **kwargs)

    def refusal(self):
        if self.object.status in ACTIVE:
            return None
        messages.error(self.request, gettext("Vedtaket er allerede frigitt, så vedtaksbrevet kan ikke endres."))
        return redirect(self.inspect_url() + LETTER_ANCHOR)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = decisions.letter_for(self.object, self.request.user)
        kwargs["application"] = self.object
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update({"application": self.object, "inspect_url": self.inspect_url()})
        return context

    def form_valid(self, form):
        try:
            decisions.save_letter(self.object, self.request.user, **form.cleaned_data)
        except WorkflowError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, gettext("Vedtaksbrevet er lagret. Det sendes når vedtakene frigis."))
        return redirect(self.inspect_url() + LETTER_ANCHOR)


class CasePdfView(PermissionCheckedMixin, View):
    """Staff download the PDF copies the applicant gets, for any case they may see."""

    model = Application
    permission_required = permissions.VIEW

    def case(self, pk):
        return get_object_or_404(Application.objects.filter(status__in=CASES).select_related("round"), pk=pk)


class DecisionLetterPdfView(CasePdfView):
    def get(self, request, pk):
        application = self.case(pk)
        letter = DecisionLetter.objects.filter(application=application, released_at__isnull=False).first()
        notice = getattr(application, "decision_notice", None)
        if letter is None or application.status not in OUTCOMES:
            raise Http404(gettext("Vedtaket er ikke frigitt."))
        return pdf.download(pdf.decision_letter_pdf(application, letter, notice), application, "vedtak")


class ApplicationPdfView(CasePdfView):
    def get(self, request, pk):
        application = self.case(pk)
        return pdf.download(pdf.application_pdf(application), application, "soknad")


def _letter_as_sent(application, letter, notice):
    """The letter as the applicant got it: in bokmål, whatever the admin's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return letter_text(application, letter, notice)


def letter_panel(application, user):
    """What the inspect page shows about the letter: the letter (or None), whether the
    person may write it, and the text the applicant gets."""
    letter = DecisionLetter.objects.filter(application=application).first()
    notice = getattr(application, "decision_notice", None)
    return {
        "letter": letter,
        "letter_text": _letter_as_sent(application, letter, notice) if letter and letter.released_at else "",
        "can_write_letter": application.status in ACTIVE
        and permissions.application_policy.user_has_permission_for_instance(user, permissions.ASSESS, application),
    }
