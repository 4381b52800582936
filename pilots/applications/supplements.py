"""Attachments after submission: late ones (a council decision, a budget) until the
supplement deadline, their receipts and history, which files the applicant may still
delete, and the case handlers' look-up of council decisions that are planned but not
received.

- A late attachment is logged in the application's history when it arrives, and its
  receipt mail is queued when the content check has approved it: the receipt then
  says the file was received and can be opened, and a refused file (which the
  applicant must replace) never gets a receipt that would suggest otherwise. The
  outbox key names the attachment, so a check that runs twice mails once.
- Deleting is a soft delete (the file stays until casework.retention removes it), and
  only for what the ministry has not received: a draft's files, and files added after
  the last submission that are not late attachments already delivered."""

from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from wagtail.log_actions import log

from pilots.formatting import oslo_datetime
from policy.links import absolute_url
from policy.outbox import queue_mail

from . import deadlines
from .models import Application, Attachment, AttachmentKind
from .status import OUTCOMES, AttachmentCheck, Status
from .tasks import recipients


def last_submission(application):
    """When the ministry last received the application (None for a draft never sent)."""
    return application.resubmitted_at or application.submitted_at


def is_delivered(attachment):
    """Part of what the ministry has received: there at the last submission, or a late
    attachment (those are delivered one by one) that the content check did not refuse."""
    submitted = last_submission(attachment.application)
    if submitted is None:
        return False
    if attachment.supplementary:
        return attachment.check_status != AttachmentCheck.REJECTED
    return attachment.uploaded_at <= submitted


def can_delete(attachment):
    """The applicant may delete what the ministry has not received, while the case is
    still open (not withdrawn or decided)."""
    status = attachment.application.status
    if attachment.deleted_at is not None or status == Status.WITHDRAWN or status in OUTCOMES:
        return False
    return not is_delivered(attachment)


def soft_delete(attachment, user, now=None):
    attachment.deleted_at = now or timezone.now()
    attachment.deleted_by = user
    attachment.save(update_fields=["deleted_at", "deleted_by"])
    log(
        instance=attachment.application,
        action="pilots.attachment_deleted",
        user=user,
        data={"attachment": attachment.pk, "name": attachment.original_name},
    )


def record_received(attachment):
    """The history entry of a late attachment, written with the upload."""
    log(
        instance=attachment.application,
        action="pilots.supplement_received",
        user=attachment.uploaded_by,
        data={"attachment": attachment.pk, "name": attachment.original_name, "kind": attachment.get_kind_display()},
    )


def queue_receipt(attachment):
    """The receipt of one approved late attachment, to everyone with access and the
    contact person. Call it in the transaction that records the approval."""
    application = Application.objects.select_related("round", "created_by__applicant_identity", "contact").get(
        pk=attachment.application_id
    )
    context = {
        "application": application,
        "attachment": attachment,
        "received": oslo_datetime(attachment.uploaded_at),
        "supplement_deadline": oslo_datetime(deadlines.supplement_deadline(application.round)),
        "url": absolute_url(reverse("pilots:attachments", args=[application.round_id, application.pk])),
    }
    return queue_mail(
        to=recipients(application),
        subject=gettext("Kvittering: vedlegg til søknad %(reference)s er mottatt")
        % {"reference": application.reference},
        body=render_to_string("pilots/email/supplement_receipt.txt", context),
        key=f"pilots.supplement-receipt:{attachment.pk}",
    )


def council_decision_missing(queryset):
    """Applications that said their council decision is planned and have no approved
    council decision among their attachments (deleted ones do not count)."""
    approved = Attachment.objects.filter(
        application=OuterRef("pk"), kind=AttachmentKind.COUNCIL_DECISION, check_status=AttachmentCheck.APPROVED
    )
    return queryset.filter(council_decision=Application.CouncilDecision.PLANNED).exclude(Exists(approved))


def attachments_for_case_handlers(application):
    """The files case handlers see: those present, and those the applicant deleted after
    the ministry had received them (shown as «slettet av søker»)."""
    shown = []
    for attachment in Attachment.all_objects.filter(application=application).order_by("uploaded_at", "pk"):
        attachment.application = application
        if attachment.deleted_at is None or is_delivered(attachment):
            shown.append(attachment)
    return shown
