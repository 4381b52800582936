"""What a decision letter says. The decision is an individual decision (forvaltningsloven
§§ 24–27): the outcome, the grounds, the amount granted, the right to complain, the
complaint deadline and where to send a complaint, and whom to contact. The same
context fills the mail (plain text), the portal page and the PDF."""

import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from pilots.applications.status import Status
from pilots.formatting import kroner

#: fvl. § 29: three weeks from the day the decision reached the party.
COMPLAINT_PERIOD = datetime.timedelta(weeks=3)
#: fvl. § 32: a complaint is sent to the body that made the decision.
COMPLAINT_RECIPIENT = "Kommunal- og distriktsdepartementet"
COMPLAINT_ADDRESS = "Postboks 8112 Dep, 0032 Oslo"
COMPLAINT_EMAIL = "postmottak@kdd.dep.no"

OUTCOME_SENTENCES = {
    Status.SELECTED: _("Søknaden er valgt som pilotområde for bygdevekstavtaler."),
    Status.NOT_SELECTED: _("Søknaden er ikke valgt som pilotområde for bygdevekstavtaler."),
}


def complaint_deadline(received_at):
    """The last day to complain about a decision that reached the applicant at
    `received_at`: three weeks later, moved to the Monday when that is a Saturday or
    Sunday (domstolloven § 149, which fvl. § 30 refers to; public holidays are not
    counted here, so the date given is never later than the true one)."""
    day = timezone.localdate(received_at) + COMPLAINT_PERIOD
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def received_at(notice):
    """When the decision reached the applicant: when its mail was sent, else (not sent
    yet) none: the letter then states the rule without a date."""
    return notice.sent_at if notice is not None else None


def letter_context(application, letter, notice=None):
    """Everything a letter shows, for the templates below and the portal page."""
    outcome = Status(application.status) if application.status in OUTCOME_SENTENCES else None
    received = received_at(notice)
    return {
        "application": application,
        "letter": letter,
        "notice": notice,
        "outcome_sentence": OUTCOME_SENTENCES.get(outcome, ""),
        "selected": outcome == Status.SELECTED,
        "amount_granted": kroner(letter.amount_granted) if letter.amount_granted is not None else "",
        "decided_on": timezone.localdate(letter.released_at) if letter.released_at else None,
        "received_on": timezone.localdate(received) if received else None,
        "complaint_deadline": complaint_deadline(received) if received else None,
        "complaint_recipient": COMPLAINT_RECIPIENT,
        "complaint_address": COMPLAINT_ADDRESS,
        "complaint_email": COMPLAINT_EMAIL,
    }


def letter_text(application, letter, notice=None):
    """The full letter as plain text: the body of the decision mail. The decision is
    made in bokmål, whatever language the admin of the case handler sending it speaks."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string("pilots/letters/decision_letter.txt", letter_context(application, letter, notice))
