"""State changes the portal makes besides the application's own (those are in
pilots.applications.services): giving a colleague access."""

from django.db import transaction

from pilots.applications.services import WorkflowError

from .models import Invitation
from .tasks import send_invitation


def invite(application, email, invited_by, url):
    """Give `email` access to the application and tell them by e-mail (once: inviting
    the same address again changes nothing). `url` is the task list they land on."""
    email = email.strip().lower()
    if email == (application.created_by.email or "").lower():
        raise WorkflowError("Denne adressen har allerede tilgang til søknaden.")
    invitation, created = Invitation.objects.get_or_create(
        application=application, email=email, defaults={"invited_by": invited_by}
    )
    if created:
        application_id = application.pk
        transaction.on_commit(lambda: send_invitation.enqueue(email, application_id, url))
    return invitation
