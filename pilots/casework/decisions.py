"""The decision e-mail: the staff-edited template for the outcome (a snippet), or the
default text below when staff have not written one yet."""

from pilots.applications.status import Status
from pilots.formatting import kroner

from .models import DecisionEmailTemplate

DEFAULTS = {
    Status.SELECTED: (
        "Vedtak: {reference} er valgt som pilotområde",
        "Søknaden «{title}» ({reference}) i {round} er valgt som ett av pilotområdene for bygdevekstavtaler.\n\n"
        "Kommuner: {municipalities}\nSøkt beløp: {amount}\n\n"
        "Departementet tar kontakt om det videre arbeidet.\n\n"
        "Vennlig hilsen\nKommunal- og distriktsdepartementet",
    ),
    Status.NOT_SELECTED: (
        "Vedtak: {reference} er ikke valgt som pilotområde",
        "Søknaden «{title}» ({reference}) i {round} er dessverre ikke valgt som pilotområde for "
        "bygdevekstavtaler.\n\nKommuner: {municipalities}\n\nTakk for søknaden.\n\n"
        "Vennlig hilsen\nKommunal- og distriktsdepartementet",
    ),
}


def placeholders(application):
    return {
        "reference": application.reference or "",
        "title": application.display_name(),
        "round": application.round.name,
        "municipalities": application.municipality_names(),
        "amount": kroner(application.amount_applied),
    }


def render_decision_email(notice):
    """(subject, body) for a DecisionNotice."""
    template = DecisionEmailTemplate.objects.filter(outcome=notice.outcome).first()
    subject, body = (template.subject, template.body) if template else DEFAULTS[notice.outcome]
    values = placeholders(notice.application)
    try:
        return subject.format(**values), body.format(**values)
    except (KeyError, IndexError, ValueError):
        # A template saved past validation (e.g. in the shell): fall back rather than never tell the applicant.
        default_subject, default_body = DEFAULTS[notice.outcome]
        return default_subject.format(**values), default_body.format(**values)
