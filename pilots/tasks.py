"""Mail sent from the application portal, through the "mail" queue so a slow mail
server never holds up a request (and a failed send can be retried by the worker)."""

from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone


@task(queue_name="mail")
def send_sign_in_link(email, url):
    body = render_to_string("pilots/email/sign_in.txt", {"url": url})
    send_mail("Lenke for å logge inn – søknad om bygdevekstavtale", body, None, [email])


@task(queue_name="mail")
def send_invitation(email, application_id, url):
    from .models import Application

    application = Application.objects.select_related("round", "created_by").get(pk=application_id)
    body = render_to_string("pilots/email/invitation.txt", {"application": application, "url": url})
    send_mail("Du er invitert til å skrive en søknad om bygdevekstavtale", body, None, [email])


@task(queue_name="mail")
def send_receipt(application_id):
    """The receipt with every answer, to everyone with access and the contact person."""
    from .models import Application
    from .sections import summary_rows

    application = (
        Application.objects.select_related("round", "created_by", "contact")
        .prefetch_related("municipality_links__municipality", "budget_lines", "attachments", "invitations")
        .get(pk=application_id)
    )
    body = render_to_string(
        "pilots/email/receipt.txt", {"application": application, "sections": summary_rows(application)}
    )
    send_mail(f"Kvittering: søknad {application.reference} er mottatt", body, None, recipients(application))


def recipients(application):
    """Everyone with access to the application and its contact person."""
    addresses = {application.created_by.email}
    addresses.update(i.email for i in application.invitations.all())
    contact = getattr(application, "contact", None)
    if contact and contact.email:
        addresses.add(contact.email.lower())
    return sorted(a for a in addresses if a)


@task(queue_name="mail")
def send_decision_notice(notice_id):
    """Send one decision e-mail, exactly once.

    The notice row is claimed with SELECT … FOR UPDATE SKIP LOCKED WHERE sent_at IS
    NULL: a second run (a double release, a retry after a worker restart, two
    workers) finds it locked or already sent and does nothing. The mail is sent
    before the claim commits, so a crash in between leaves it unsent and a retry
    sends it; a crash after the SMTP hand-off but before the commit is the one case
    that could still send twice."""
    from .decisions import render_decision_email
    from .models import DecisionNotice

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
