"""Attachments: uploading PDFs (stored at once as «Under kontroll», checked by content
in the task worker, see uploads.py), deleting them, and downloading them again."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from pilots.applications import answers, deadlines, services
from pilots.applications.status import AttachmentCheck, Status
from pilots.applications.views import private_download
from pilots.portal import access, uploads
from pilots.portal.forms import AttachmentForm, SizeLimitUploadHandler
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
    form, status = AttachmentForm(), 200
    if request.method == "POST":
        oversized = any(getattr(h, "oversized", False) for h in request.upload_handlers)
        form = AttachmentForm(request.POST, request.FILES, oversized=oversized)
        if form.is_valid():
            try:
                attachment = uploads.store(
                    application, form.cleaned_data["file"], request.user, client_ip(request), now
                )
            except uploads.TooManyUploads as error:
                form.add_error("file", str(error))
                status = 429
            except services.WorkflowError as error:
                form.add_error("file", str(error))
            else:
                messages.success(request, f"{attachment.original_name} er lastet opp. Nå kontrollerer vi filen.")
                return redirect("pilots:attachments", round_pk=round_pk, pk=pk)
    return render(request, "pilots/attachments.html", _context(application, form, now), status=status)


def _delete(request, application):
    attachment = access.get_attachment(request.user, application.pk, request.POST.get("attachment"))
    try:
        services.delete_attachment(attachment)
        messages.success(request, f"{attachment.original_name} er slettet.")
    except services.WorkflowError as error:
        messages.error(request, str(error))
    return redirect("pilots:attachments", round_pk=application.round_id, pk=application.pk)


def _context(application, form, now):
    can_upload = deadlines.is_open_for_answers(application, now) or deadlines.can_add_supplement(application, now)
    attachment_list = list(application.attachments.all())
    return application_context(
        application,
        form=form,
        can_upload=can_upload,
        can_delete_all=application.status == Status.DRAFT and can_upload,
        supplementary=application.status == Status.SUBMITTED,
        attachment_list=attachment_list,
        checking=any(a.check_status == AttachmentCheck.PENDING for a in attachment_list),
        AttachmentCheck=AttachmentCheck,
        section=answers.ATTACHMENTS,
        max_attachments=services.MAX_ATTACHMENTS,
    )


@applicant_required
def download_attachment(request, round_pk, pk, attachment_pk):
    access.get_application(request.user, pk, round_pk)
    return private_download(access.get_attachment(request.user, pk, attachment_pk))
