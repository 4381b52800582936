"""The portal's background work: mail (sign-in links, invitations) through the "mail"
queue, so a slow mail server never holds up a request, and the content check of
uploaded attachments through the "uploads" queue (see uploads.py)."""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from pilots.applications import services
from pilots.applications.models import Attachment
from pilots.applications.status import AttachmentCheck
from policy.links import absolute_url

from . import pdfcheck
from .models import Invitation, SignInToken

# The advisory-lock namespace of the check slots, and how long a check that found
# every slot taken waits before it tries again.
CHECK_SLOTS_LOCK = 52_017
SLOT_RETRY_SECONDS = 1


@task(queue_name="mail")
def send_sign_in_link(link_id):
    """Mail the sign-in link `link_id` with a token made here, so the token is in no
    task argument or result (the task table keeps both). Nothing is sent when the
    link was used, expired or replaced by a newer one meanwhile."""
    link = SignInToken.objects.filter(pk=link_id).first()
    token = link and SignInToken.issue(link.pk)
    if token is None:
        return
    url = absolute_url(reverse("pilots:sign_in_link", args=[token]))
    body = render_to_string("pilots/email/sign_in.txt", {"url": url})
    send_mail("Lenke for å logge inn – søknad om bygdevekstavtale", body, None, [link.email])


@task(queue_name="mail")
def send_invitation(invitation_id):
    """Mail the invitation `invitation_id` with a link token made here (only its hash
    is stored), so no token is in the task table. Nothing is sent when the invitation
    was accepted, withdrawn or has expired meanwhile."""
    token = Invitation.issue(invitation_id)
    if token is None:
        return
    invitation = Invitation.objects.select_related("application__round", "invited_by__applicant_identity").get(
        pk=invitation_id
    )
    identity = getattr(invitation.invited_by, "applicant_identity", None)
    context = {
        "invitation": invitation,
        "application": invitation.application,
        "inviter": (identity.email if identity else "") or "En kollega",
        "url": absolute_url(reverse("pilots:invitation_link", args=[token])),
    }
    body = render_to_string("pilots/email/invitation.txt", context)
    send_mail("Du er invitert til å skrive en søknad om bygdevekstavtale", body, None, [invitation.email])


@task(queue_name="uploads")
def check_attachment(attachment_id):
    """Check an uploaded file's content and record the verdict. At most
    PILOTS_PDF_CHECKS_AT_ONCE checks run at once across every worker (each holds a
    PostgreSQL advisory lock for its slot), so a burst of uploads cannot take every
    CPU from the web servers; a check that finds no free slot is queued again."""
    attachment = Attachment.objects.filter(pk=attachment_id, check_status=AttachmentCheck.PENDING).first()
    if attachment is None:
        return "gone"  # deleted, or checked already by an earlier run
    with transaction.atomic():
        if _take_check_slot():
            reason = pdfcheck.inspect(attachment.file.path)
            services.record_check(attachment_id, reason)
            return "rejected" if reason else "approved"
    later = timezone.now() + datetime.timedelta(seconds=SLOT_RETRY_SECONDS)
    check_attachment.using(run_after=later).enqueue(attachment_id)
    return "waiting"


def _take_check_slot():
    """One of the slots, held until the transaction ends (also if the worker dies)."""
    with connection.cursor() as cursor:
        for slot in range(settings.PILOTS_PDF_CHECKS_AT_ONCE):
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [CHECK_SLOTS_LOCK, slot])
            if cursor.fetchone()[0]:
                return True
    return False
