"""«Meldinger»: the thread between the applicant and the ministry about one
application, with the open question first and the form to answer it.

Everyone with access to the application may answer (access.py: every person with
access writes in it); someone else's thread is not found (404)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from pilots.applications.services import WorkflowError
from pilots.applications.status import OUTCOMES, Status
from pilots.messages import services as thread
from pilots.portal import access, uploads
from pilots.portal.answer_form import AnswerForm
from pilots.portal.forms import SizeLimitUploadHandler
from policy.ratelimit import client_ip

from .base import applicant_required, application_context


@csrf_exempt
def thread_page(request, round_pk, pk):
    """The upload handler must be in place before anything reads request.POST, which
    the CSRF check does; so CSRF is checked in the inner view instead."""
    request.upload_handlers.insert(0, SizeLimitUploadHandler(request))
    return _thread_page(request, round_pk, pk)


@csrf_protect
@applicant_required
def _thread_page(request, round_pk, pk):
    application = access.get_application(request.user, pk, round_pk)
    if application.status == Status.DRAFT:
        return redirect("pilots:task_list", round_pk=round_pk, pk=pk)
    form = AnswerForm()
    if request.method == "POST":
        oversized = any(getattr(h, "oversized", False) for h in request.upload_handlers)
        form = AnswerForm(request.POST, request.FILES, oversized=oversized)
        if not thread.may_answer(application):
            form.add_error(None, gettext("Saken er ferdig behandlet eller trukket, så du kan ikke svare her lenger."))
        elif form.is_valid() and _answer(request, application, form):
            return redirect("pilots:messages", round_pk=round_pk, pk=pk)
    return render(request, "pilots/messages.html", _context(application, form))


def _answer(request, application, form):
    """Send the answer; True when it was saved, else the reason is put on the form."""
    ip, kind = client_ip(request), form.cleaned_data["kind"]

    def store(uploaded):
        return uploads.store(application, uploaded, request.user, ip, kind=kind)

    try:
        thread.answer(application, request.user, form.cleaned_data["text"], form.cleaned_data["files"], store)
    except thread.AttachmentRefused as error:
        form.add_error("files", str(error))
        return False
    except WorkflowError as error:
        form.add_error(None, str(error))
        return False
    files = len(form.cleaned_data["files"])
    if files:
        messages.success(request, gettext("Svaret er sendt til departementet. Nå kontrollerer vi vedleggene."))
    else:
        messages.success(request, gettext("Svaret er sendt til departementet."))
    return True


def _context(application, form):
    question = thread.open_question(application)
    return application_context(
        application,
        form=form,
        thread=thread.thread(application),
        question=question,
        deadline_passed=question is not None and thread.reply_deadline_passed(question),
        can_answer=thread.may_answer(application),
        decided=application.status in OUTCOMES,
    )
