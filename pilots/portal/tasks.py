"""The portal's mail (sign-in links, invitations), queued in the outbox in the
transaction that asks for it, and its background work: the content check of uploaded
attachments through the "uploads" queue (see uploads.py)."""

import datetime

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from pilots.applications import services
from pilots.applications.models import Attachment
from pilots.applications.status import AttachmentCheck
from policy import metrics, outbox, reconnect
from policy.links import absolute_url
from policy.outbox import queue_mail

from . import pdfcheck
from .models import Invitation, SignInToken

# The advisory-lock namespace of the check slots, and how long a check that found
# every slot taken waits before it tries again.
CHECK_SLOTS_LOCK = 52_017
SLOT_RETRY_SECONDS = 1
# What the content checks found, for /metrics: refused means the applicant is told
# why; error means the check itself failed (the task fails and the sweeper retries).
PDF_CHECKS = metrics.counter(
    "kr_pdf_checks",
    "Content checks of uploaded attachments, by outcome: accepted, refused or error.",
    ["outcome"],
    initial=[("accepted",), ("refused",), ("error",)],
)
# Outbox key prefixes of the mail whose link is made at sending (see pilots.apps).
SIGN_IN_KEY = "pilots.sign-in"
INVITATION_KEY = "pilots.invitation"


def queue_sign_in_link(link):
    """Queue the mail with the sign-in link `link` in the current transaction. Its
    token is made when the mail is sent (sign_in_url), so no token is stored anywhere;
    nothing is sent when the link was used, expired or replaced meanwhile."""
    body = render_to_string("pilots/email/sign_in.txt", {"url": outbox.LINK})
    queue_mail(
        to=[link.email],
        subject=gettext("Lenke for å logge inn – søknad om bygdevekstavtale"),
        body=body,
        key=f"{SIGN_IN_KEY}:{link.pk}:{_moment()}",
    )


def sign_in_url(mail):
    token = SignInToken.issue(_object_id(mail))
    return token and absolute_url(reverse("pilots:sign_in_link", args=[token]))


def queue_invitation(invitation):
    """Queue the invitation mail in the current transaction; its link token is made
    when the mail is sent (invitation_url). Nothing is sent when the invitation was
    accepted, withdrawn or has expired meanwhile."""
    invitation = Invitation.objects.select_related("application__round", "invited_by__applicant_identity").get(
        pk=invitation.pk
    )
    identity = getattr(invitation.invited_by, "applicant_identity", None)
    context = {
        "invitation": invitation,
        "application": invitation.application,
        "inviter": (identity.email if identity else "") or gettext("En kollega"),
        "url": outbox.LINK,
    }
    queue_mail(
        to=[invitation.email],
        subject=gettext("Du er invitert til å skrive en søknad om bygdevekstavtale"),
        body=render_to_string("pilots/email/invitation.txt", context),
        key=f"{INVITATION_KEY}:{invitation.pk}:{_moment()}",
    )


def invitation_url(mail):
    token = Invitation.issue(_object_id(mail))
    return token and absolute_url(reverse("pilots:invitation_link", args=[token]))


def _moment():
    # Each request for a link is its own mail (a new link replaces the one sent before).
    return timezone.now().strftime("%Y%m%dT%H%M%S.%f")


def _object_id(mail):
    return int(mail.key.split(":")[1])


@task(queue_name="uploads")
def check_attachment(attachment_id):
    """Check an uploaded file's content and record the verdict. At most
    PILOTS_PDF_CHECKS_AT_ONCE checks run at once across every worker (each holds a
    PostgreSQL advisory lock for its slot), so a burst of uploads cannot take every
    CPU from the web servers; a check that finds no free slot is queued again.

    A check whose database connection broke (a restart or a fail-over) is queued again
    as soon as the database answers, rather than leaving the file «Under kontroll»
    until the sweeper's next round; a statement that failed on a working connection
    still fails the task."""
    try:
        return _check(attachment_id)
    except OperationalError as error:
        if not reconnect.lost_connection(error):
            raise
        connection.close()
        reconnect.wait_for_database()
        check_attachment.enqueue(attachment_id)
        return "connection lost, queued again"


def _check(attachment_id):
    attachment = Attachment.objects.filter(pk=attachment_id, check_status=AttachmentCheck.PENDING).first()
    if attachment is None:
        return "gone"  # deleted, or checked already by an earlier run
    with transaction.atomic():
        if _take_check_slot():
            try:
                reason = pdfcheck.inspect(attachment.file.path)
            except Exception:
                PDF_CHECKS.labels("error").inc()
                raise
            PDF_CHECKS.labels("refused" if reason else "accepted").inc()
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
