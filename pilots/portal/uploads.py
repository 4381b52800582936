"""Attachments on their way in: stored at once, checked later.

- An upload is counted against two rate limits (per applicant and per IP address, in
  ten-minute windows), stored in private storage as «Under kontroll», and its content
  check is queued on the "uploads" queue once the row is committed. The request never
  waits on the parser, so a deadline rush or a crafted file cannot hold a web worker.
- The task worker runs the check (tasks.check_attachment) and records «Godkjent» or
  the reason it was refused; submitting waits for every file to be approved
  (pilots.applications.services).
- A check whose worker died is queued again by the sweeper (a periodic job), so no
  file stays «Under kontroll» for ever; one that lost its database connection queues
  itself again once the database answers.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from pilots.applications import services
from pilots.applications.models import Attachment
from pilots.applications.status import AttachmentCheck
from policy import ratelimit

from .tasks import check_attachment

WINDOW_SECONDS = 600
STUCK_AFTER = datetime.timedelta(minutes=5)


class TooManyUploads(services.WorkflowError):
    def __init__(self):
        super().__init__(gettext("Du har lastet opp mange filer på kort tid. Vent ti minutter og prøv igjen."))


def store(application, uploaded_file, user, ip, now=None, kind=Attachment.Kind.OTHER):
    """Store `uploaded_file` (already past pdfcheck.quick_problem) as pending, of type
    `kind`, and queue its check. Raises TooManyUploads or the WorkflowError of add_attachment."""
    within_limits = ratelimit.hit(
        "upload:user", user.pk, limit=settings.PILOTS_UPLOADS_PER_USER, window=WINDOW_SECONDS
    ) and ratelimit.hit("upload:ip", ip, limit=settings.PILOTS_UPLOADS_PER_IP, window=WINDOW_SECONDS)
    if not within_limits:
        raise TooManyUploads
    attachment = services.add_attachment(application, uploaded_file, user, now, kind=kind)
    transaction.on_commit(lambda: check_attachment.enqueue(attachment.pk))
    return attachment


def sweep_pending(now=None):
    """Queue the check again for files pending longer than STUCK_AFTER (a worker was
    killed mid-check, or the queue row was lost). Returns how many."""
    cutoff = (now or timezone.now()) - STUCK_AFTER
    stuck = list(
        Attachment.objects.filter(check_status=AttachmentCheck.PENDING, uploaded_at__lt=cutoff).values_list(
            "pk", flat=True
        )
    )
    for attachment_id in stuck:
        check_attachment.enqueue(attachment_id)
    return len(stuck)
