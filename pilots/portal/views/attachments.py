"""Attachments: uploading PDFs (checked by content, in a separate process), deleting
them from a draft, and downloading them again."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from pilots.applications import answers, deadlines, services
from pilots.applications.status import Status
from pilots.applications.views import private_download
from pilots.portal import access
from pilots.portal.forms import AttachmentForm, SizeLimitUploadHandler

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
    can_upload = deadlines.is_open_for_answers(application, now) or deadlines.can_add_supplement(application, now)
    form = AttachmentForm()
    if request.method == "POST" and request.POST.get("action") == "delete":
        attachment = access.get_attachment(request.user, pk, request.POST.get("attachment"))
        try:
            services.delete_attachment(attachment)
            messages.success(request, f"{attachment.original_name} er slettet.")
        except services.WorkflowError as error:
            messages.error(request, str(error))
        return redirect("pilots:attachments", round_pk=round_pk, pk=pk)
    if request.method == "POST":
        oversized = any(getattr(h, "oversized", False) for h in request.upload_handlers)
        form = AttachmentForm(request.POST, request.FILES, oversized=oversized)
        if form.is_valid():
            try:
                attachment = services.add_attachment(application, form.cleaned_data["file"], request.user, now)
            except services.WorkflowError as error:
                form.add_error("file", str(error))
            else:
                messages.success(request, f"{attachment.original_name} er lastet opp.")
                return redirect("pilots:attachments", round_pk=round_pk, pk=pk)
    return render(
        request,
        "pilots/attachments.html",
        application_context(
            application,
            form=form,
            can_upload=can_upload,
            supplementary=application.status == Status.SUBMITTED,
            attachment_list=application.attachments.all(),
            section=answers.ATTACHMENTS,
            max_attachments=services.MAX_ATTACHMENTS,
        ),
    )


@applicant_required
def download_attachment(request, round_pk, pk, attachment_pk):
    access.get_application(request.user, pk, round_pk)
    return private_download(access.get_attachment(request.user, pk, attachment_pk))
