"""The receipt e-mail, sent through the "mail" queue so a slow mail server never holds
up a submission (and a failed send can be retried by the worker)."""

from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string

from .answers import summary_rows
from .models import Application


def recipients(application):
    """Everyone with access to the application (its creator and those invited) and its contact person."""
    addresses = {application.created_by.email}
    addresses.update(i.email for i in application.invitations.all())
    contact = getattr(application, "contact", None)
    if contact and contact.email:
        addresses.add(contact.email.lower())
    return sorted(a for a in addresses if a)


@task(queue_name="mail")
def send_receipt(application_id):
    """The receipt with every answer, to everyone with access and the contact person."""
    application = (
        Application.objects.select_related("round", "created_by", "contact")
        .prefetch_related("municipality_links__municipality", "budget_lines", "attachments", "invitations")
        .get(pk=application_id)
    )
    body = render_to_string(
        "pilots/email/receipt.txt", {"application": application, "sections": summary_rows(application)}
    )
    send_mail(f"Kvittering: søknad {application.reference} er mottatt", body, None, recipients(application))
