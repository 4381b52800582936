"""Reminders about council decisions: the application said its decision is planned
(«Vedtak er planlagt») and no approved council decision has arrived. A case handler
reminds one application from its inspect page, or every one the listing's filter
shows, after a confirmation page that lists them.

A reminder goes to everyone with access and the contact person through the outbox
and is logged in the application's history. The outbox key names the application and
the day (Oslo), so a double click or a second bulk send on the same day mails once,
and a reminder a week later is a new mail."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from wagtail.log_actions import log

from pilots.applications import deadlines, supplements
from pilots.applications.models import Application
from pilots.applications.services import lock
from pilots.applications.tasks import recipients
from pilots.formatting import oslo_date, oslo_datetime
from policy.links import absolute_url
from policy.outbox import queue_mail
from policy.outgoing_mail import OutgoingMail

from .permissions import CHANGE_STATUS, require


def awaiting_council_decision(queryset=None):
    """Cases (active or not) whose planned council decision has not been received."""
    queryset = Application.objects.cases() if queryset is None else queryset
    return supplements.council_decision_missing(queryset)


def can_remind(application, now=None):
    """A reminder makes sense while the applicant can still upload the decision."""
    return deadlines.can_add_supplement(application, now) and (
        awaiting_council_decision(Application.objects.filter(pk=application.pk)).exists()
    )


def send_reminder(application, user, now=None):
    """Remind the applicant of one application; True if a reminder was queued now,
    False if it was reminded already today. Raises PermissionDenied, or ValueError
    when no reminder applies (see `can_remind`)."""
    now = now or timezone.now()
    require(user, CHANGE_STATUS, application)
    with transaction.atomic():
        locked = lock(application)
        if not can_remind(locked, now):
            raise ValueError(
                gettext("%(reference)s: kommunestyrevedtaket er mottatt, eller fristen er ute.")
                % {"reference": locked.reference}
            )
        day = timezone.localtime(now).date()
        key = f"pilots.council-decision-reminder:{locked.pk}:{day.isoformat()}"
        if OutgoingMail.objects.filter(key=key).exists():
            return False  # reminded already today (the row lock makes this check safe)
        context = {
            "application": locked,
            "decision_date": oslo_date(locked.council_decision_date),
            "supplement_deadline": oslo_datetime(deadlines.supplement_deadline(locked.round)),
            "url": absolute_url(reverse("pilots:attachments", args=[locked.round_id, locked.pk])),
        }
        # The applicant's mail is in bokmål whatever language the case handler's admin speaks.
        with translation.override(settings.LANGUAGE_CODE):
            body = render_to_string("pilots/email/reminder_council_decision.txt", context)
        mail = queue_mail(
            to=recipients(locked),
            subject=f"Påminnelse: kommunestyrevedtak til søknad {locked.reference}",
            body=body,
            key=key,
        )
        log(
            instance=locked,
            action="pilots.council_decision_reminder",
            user=user,
            data={"recipients": len(mail.to), "supplement_deadline": context["supplement_deadline"]},
        )
    return True


def send_reminders(applications, user, now=None):
    """Remind each of `applications` that still needs it. Returns (sent, skipped), the
    applications reminded now and those reminded already today or no longer waiting."""
    sent, skipped = [], []
    for application in applications:
        try:
            queued = send_reminder(application, user, now)
        except (ValueError, PermissionDenied):  # received meanwhile, or the person is disqualified in it
            queued = False
        (sent if queued else skipped).append(application)
    return sent, skipped
