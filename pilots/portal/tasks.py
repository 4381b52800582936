"""Mail from the portal (sign-in links, invitations), sent through the "mail" queue
so a slow mail server never holds up a request (and a failed send can be retried
by the worker)."""

from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse

from policy.links import absolute_url

from .models import Invitation, SignInToken


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
