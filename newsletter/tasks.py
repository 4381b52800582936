"""Background work. Sign-up mail runs on the "mail" queue, beside sign-in links;
issue sending on "bulk", so a large send never delays a confirmation mail."""

from django.tasks import task

from . import subscriptions, worker


@task(queue_name="mail")
def send_signup_mail(email, list_id, consent_version, requested_at):
    return subscriptions.handle_signup_request(email, list_id, consent_version, requested_at)


@task(queue_name="bulk")
def drain_deliveries(issue_id):
    worker.drain(issue_id)
