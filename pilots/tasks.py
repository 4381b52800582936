"""Mail sent from the application portal, through the "mail" queue so a slow mail
server never holds up a request (and a failed send can be retried by the worker)."""

from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string


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
    recipients = {application.created_by.email}
    recipients.update(i.email for i in application.invitations.all())
    contact = getattr(application, "contact", None)
    if contact and contact.email:
        recipients.add(contact.email.lower())
    body = render_to_string(
        "pilots/email/receipt.txt", {"application": application, "sections": summary_rows(application)}
    )
    send_mail(
        f"Kvittering: søknad {application.reference} er mottatt",
        body,
        None,
        sorted(r for r in recipients if r),
    )
