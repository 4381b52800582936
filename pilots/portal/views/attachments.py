"""Attachments: uploading typed PDFs (stored at once as «Under kontroll», checked by
content in the task worker, see uploads.py), late ones after submission until the
supplement deadline, deleting what the ministry has not received, and downloading."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from pilots.applications import answers, deadlines, services, supplements
from pilots.applications.status import ACTIVE, EDITABLE, AttachmentCheck
from pilots.applications.views import private_download
from pilots.portal import access, uploads
from pilots.portal.attachment_form import TypedAttachmentForm
from pilots.portal.forms import SizeLimitUploadHandler
from policy.ratelimit import client_ip

from .base import applicant_required, application_context


@csrf_exempt
def attachments(request, round_pk, pk):
    """The upload handler must be in place before anything reads request.POST, which
    the CSRF check does; so CSRF is checked in the inner view instead."""
    request.upload_handlers.insert(0, SizeLimitUploadHandler(request))
    return _attachments(request, round_pk, pk)


@csrf_protect
@applicant_required
def _attachments(request, round_pk, pk):
    application = access.get_application(request.user, pk, round_pk)
    now = timezone.now()
    if request.method == "POST" and request.POST.get("action") == "delete":
        return _delete(request, application)
    form, status = TypedAttachmentForm(), 200
    if request.method == "POST":
        oversized = any(getattr(h, "oversized", False) for h in request.upload_handlers)
        form = TypedAttachmentForm(request.POST, request.FILES, oversized=oversized)
        if form.is_valid():
            data = form.cleaned_data
            try:
                attachment = uploads.store(
                    application, data["file"], request.user, client_ip(request), now, kind=data["kind"]
                )
            except uploads.TooManyUploads as error:
                form.add_error("file", str(error))
                status = 429
            except services.WorkflowError as error:
                form.add_error("file", str(error))
            else:
                messages.success(
                    request,
                    gettext("%(name)s er lastet opp. Nå kontrollerer vi filen.") % {"name": attachment.original_name},
                )
                return redirect("pilots:attachments", round_pk=round_pk, pk=pk)
    return render(request, "pilots/attachments.html", _context(application, form, now), status=status)


def _delete(request, application):
    raw = request.POST.get("attachment", "")
    number = int(raw) if raw.isdigit() and len(raw) <= 9 else 0  # never past the database's integer
    try:
        attachment = access.get_attachment(request.user, application.pk, number)
    except Http404:
        # Deleted already (a double click), or never one of this application's files.
        messages.error(request, gettext("Fant ikke vedlegget. Det kan være slettet allerede."))
    else:
        try:
            services.delete_attachment(attachment, request.user)
            messages.success(request, gettext("%(name)s er slettet.") % {"name": attachment.original_name})
        except services.WorkflowError as error:
            messages.error(request, str(error))
    return redirect("pilots:attachments", round_pk=application.round_id, pk=application.pk)


def _context(application, form, now):
    answers_open = deadlines.is_open_for_answers(application, now)
    attachment_list = list(application.attachments.all())
    for attachment in attachment_list:
        attachment.application = application  # one query for the page, not one per row
        attachment.can_delete = supplements.can_delete(attachment)
    return application_context(
        application,
        form=form,
        can_upload=answers_open or deadlines.can_add_supplement(application, now),
        # Late attachments go to the ministry one by one; while the answers are open
        # (a draft, or more information asked for) files go with the next submission.
        supplementary=not answers_open and application.status in ACTIVE,
        attachment_list=attachment_list,
        editable_statuses=EDITABLE,
        checking=any(a.check_status == AttachmentCheck.PENDING for a in attachment_list),
        AttachmentCheck=AttachmentCheck,
        section=answers.ATTACHMENTS,
        max_attachments=services.MAX_ATTACHMENTS,
    )


@applicant_required
def download_attachment(request, round_pk, pk, attachment_pk):
    access.get_application(request.user, pk, round_pk)
    return private_download(access.get_attachment(request.user, pk, attachment_pk))
