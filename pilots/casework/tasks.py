"""The decision e-mail, sent through the "mail" queue, exactly once per notice."""

from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from pilots.applications.tasks import recipients

from .decisions import render_decision_email
from .models import DecisionNotice


@task(queue_name="mail")
def send_decision_notice(notice_id):
    """Send one decision e-mail, exactly once.

    The notice row is claimed with SELECT … FOR UPDATE SKIP LOCKED WHERE sent_at IS
    NULL: a second run (a double release, a retry after a worker restart, two
    workers) finds it locked or already sent and does nothing. The mail is sent
    before the claim commits, so a crash in between leaves it unsent and a retry
    sends it; a crash after the SMTP hand-off but before the commit is the one case
    that could still send twice."""
    with transaction.atomic():
        notice = (
            DecisionNotice.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("application__round", "application__created_by", "application__contact")
            .filter(pk=notice_id, sent_at__isnull=True)
            .first()
        )
        if notice is None:
            return False
        subject, body = render_decision_email(notice)
        to = recipients(notice.application)
        send_mail(subject, body, None, to)
        notice.sent_at = timezone.now()
        notice.recipients = ", ".join(to)
        notice.save(update_fields=["sent_at", "recipients"])
    return True
