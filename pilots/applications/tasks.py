"""The receipt e-mail, sent through the "mail" queue so a slow mail server never holds
up a submission (and a failed send can be retried by the worker)."""

from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string

from . import authority
from .answers import summary_rows
from .models import Application


def _proven_address(user):
    """The address the person proved at sign-in (none for staff or a sign-in without e-mail)."""
    identity = getattr(user, "applicant_identity", None)
    return identity.email.lower() if identity and identity.email else ""


def recipients(application):
    """Everyone with access to the application (its creator and its current members,
    at the addresses they signed in with) and its contact person. Removed members and
    invitations not accepted get nothing."""
    addresses = {_proven_address(application.created_by)}
    addresses.update(_proven_address(m.user) for m in application.members.all() if m.removed_at is None)
    contact = getattr(application, "contact", None)
    if contact and contact.email:
        addresses.add(contact.email.lower())
    return sorted(a for a in addresses if a)


@task(queue_name="mail")
def send_receipt(application_id):
    """The receipt with every answer, to everyone with access and the contact person."""
    application = (
        Application.objects.select_related("round", "created_by__applicant_identity", "contact")
        .prefetch_related(
            "municipality_links__municipality", "budget_lines", "attachments", "members__user__applicant_identity"
        )
        .get(pk=application_id)
    )
    body = render_to_string(
        "pilots/email/receipt.txt",
        {
            "application": application,
            "sections": summary_rows(application),
            "unconfirmed": authority.notice(application, application.created_by, ask_sources=False),
        },
    )
    send_mail(f"Kvittering: søknad {application.reference} er mottatt", body, None, recipients(application))
