"""The ministry's side of the thread with the applicant: asking for more information
(a question with a reply deadline, which also sets the status), sending a message,
and marking the applicant's answers as read.

The question and the message are form pages of their own, so a mistake is shown
next to the field with an error summary at the top, keeping what was typed."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from pilots.applications.models import Application
from pilots.applications.services import WorkflowError
from pilots.applications.status import Status
from pilots.casework import permissions, services
from pilots.messages import services as thread
from pilots.messages.forms import MessageForm, QuestionForm

from .actions import ActionView
from .case_form import CaseFormView

THREAD_ANCHOR = "#meldinger"


class ThreadFormView(CaseFormView):
    """A form about one case; `send(form)` calls the service and returns the success message."""

    model = Application
    permission_required = permissions.CHANGE_STATUS
    template_name = "pilots/messages_admin_form.html"
    header_icon = "mail"
    submit_label = ""
    intro = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "application": self.object,
                "thread": thread.thread(self.object),
                "inspect_url": self.inspect_url(),
                "submit_label": self.submit_label,
                "intro": self.intro,
            }
        )
        return context

    def form_valid(self, form):
        try:
            message = self.send(form)
        except WorkflowError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(self.inspect_url() + THREAD_ANCHOR)


class AskQuestionView(ThreadFormView):
    form_class = QuestionForm
    page_title = _("Be om mer informasjon")
    submit_label = _("Send spørsmålet og sett status «Trenger mer informasjon»")
    intro = _(
        "Søkerne får spørsmålet og svarfristen på e-post og kan endre søknaden og svare i søknadsportalen. "
        "Søknaden får status «Trenger mer informasjon»."
    )

    def get(self, request, *args, **kwargs):
        return self.refusal() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.refusal() or super().post(request, *args, **kwargs)

    def refusal(self):
        """Back to the case when its status cannot become «Trenger mer informasjon»."""
        if Status.MORE_INFORMATION in services.allowed_transitions(self.object, self.request.user):
            return None
        status = self.object.get_status_display()
        messages.error(
            self.request,
            gettext("Søknaden har status «%(status)s», så du kan ikke be om mer informasjon nå.") % {"status": status},
        )
        return redirect(self.inspect_url())

    def send(self, form):
        services.change_status(
            self.object,
            Status.MORE_INFORMATION,
            self.request.user,
            question=form.cleaned_data["text"],
            reply_by=form.cleaned_data["reply_by"],
        )
        return gettext("Spørsmålet er sendt til søkerne, og søknaden har status «Trenger mer informasjon».")


class SendMessageView(ThreadFormView):
    form_class = MessageForm
    page_title = _("Send melding til søkeren")
    submit_label = _("Send meldingen")
    intro = _("Søkerne får meldingen på e-post og ser den under «Meldinger» i søknadsportalen.")

    def send(self, form):
        services.send_message(self.object, self.request.user, form.cleaned_data["text"])
        return gettext("Meldingen er sendt til søkerne.")


class MarkAnswersReadView(ActionView):
    permission_required = permissions.CHANGE_STATUS
    anchor = THREAD_ANCHOR

    def perform_operation(self):
        count = services.mark_answers_read(self.object, self.request.user)
        return ngettext("Svaret er markert som lest.", "%(count)d svar er markert som lest.", count) % {"count": count}
