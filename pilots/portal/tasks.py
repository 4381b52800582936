"""Mail from the portal (sign-in links, invitations), sent through the "mail" queue
so a slow mail server never holds up a request (and a failed send can be retried
by the worker)."""

from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string

from pilots.applications.models import Application


@task(queue_name="mail")
def send_sign_in_link(email, url):
    body = render_to_string("pilots/email/sign_in.txt", {"url": url})
    send_mail("Lenke for å logge inn – søknad om bygdevekstavtale", body, None, [email])


@task(queue_name="mail")
def send_invitation(email, application_id, url):
    application = Application.objects.select_related("round", "created_by").get(pk=application_id)
    body = render_to_string("pilots/email/invitation.txt", {"application": application, "url": url})
    send_mail("Du er invitert til å skrive en søknad om bygdevekstavtale", body, None, [email])
