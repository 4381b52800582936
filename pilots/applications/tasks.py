"""The receipt e-mail, queued in the outbox in the transaction that submits, so it is
sent once the submission commits and retried until it arrives; and who gets the
application's mail."""

from django.template.loader import render_to_string
from django.utils.translation import gettext

from policy.outbox import queue_mail

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


def queue_receipt(application):
    """Queue the receipt with every answer, to everyone with access and the contact
    person, in the transaction that submits: one receipt per submitted version."""
    application = (
        Application.objects.select_related("round", "created_by__applicant_identity", "contact")
        .prefetch_related(
            "municipality_links__municipality", "budget_lines", "attachments", "members__user__applicant_identity"
        )
        .get(pk=application.pk)
    )
    body = render_to_string(
        "pilots/email/receipt.txt",
        {
            "application": application,
            "sections": summary_rows(application),
            "unconfirmed": authority.notice(application, application.created_by, ask_sources=False),
        },
    )
    return queue_mail(
        to=recipients(application),
        subject=gettext("Kvittering: søknad %(reference)s er mottatt") % {"reference": application.reference},
        body=body,
        key=f"pilots.receipt:{application.pk}:v{application.version}",
    )
