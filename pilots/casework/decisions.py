"""Decision letters on the staff side: writing the grounds, the amount and the contact
person before release, checking at release that every letter is complete, and the
decision e-mail (the staff-edited introduction, a snippet, followed by the letter).

What the letter says is in pilots.letters.content."""

from django.db import transaction
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from pilots.applications.services import WorkflowError, lock
from pilots.applications.status import ACTIVE, Decision, Status
from pilots.formatting import kroner
from pilots.letters.models import DecisionLetter

from .models import DecisionEmailTemplate
from .permissions import ASSESS, require

#: The introduction when staff have not written a template for the outcome yet.
DEFAULTS = {
    Status.SELECTED: (
        "Vedtak: {reference} er valgt som pilotområde",
        "Søknaden «{title}» ({reference}) i {round} er valgt som ett av pilotområdene for bygdevekstavtaler.\n\n"
        "Departementet tar kontakt om det videre arbeidet.",
    ),
    Status.NOT_SELECTED: (
        "Vedtak: {reference} er ikke valgt som pilotområde",
        "Søknaden «{title}» ({reference}) i {round} er dessverre ikke valgt som pilotområde for "
        "bygdevekstavtaler.\n\nTakk for søknaden.",
    ),
}

GROUNDS_MAX = 10_000


def placeholders(application):
    return {
        "reference": application.reference or "",
        "title": application.display_name(),
        "round": application.round.name,
        "municipalities": application.municipality_names(),
        "amount": kroner(application.amount_applied),
    }


def render_introduction(application, outcome):
    """(subject, introduction) for `outcome`: the staff-edited template, else the default."""
    template = DecisionEmailTemplate.objects.filter(outcome=outcome).first()
    subject, body = (template.subject, template.body) if template else DEFAULTS[outcome]
    values = placeholders(application)
    try:
        return subject.format(**values), body.format(**values)
    except (KeyError, IndexError, ValueError):
        # A template saved past validation (e.g. in the shell): fall back rather than never tell the applicant.
        default_subject, default_body = DEFAULTS[outcome]
        return default_subject.format(**values), default_body.format(**values)


# --- Writing the letter before release -----------------------------------------------


def letter_for(application, user=None):
    """The application's letter, or an unsaved one to start from: the contact person of
    the round's latest letter, else the person writing."""
    letter = DecisionLetter.objects.filter(application=application).first()
    if letter is not None:
        return letter
    latest = DecisionLetter.objects.filter(application__round=application.round_id).order_by("-updated_at").first()
    if latest is not None:
        contact = (latest.contact_name, latest.contact_email, latest.contact_phone)
    elif user is not None:
        contact = (user.get_full_name() or "", user.email or "", "")
    else:
        contact = ("", "", "")
    name, email, phone = contact
    return DecisionLetter(application=application, contact_name=name, contact_email=email, contact_phone=phone)


def save_letter(application, user, *, grounds, amount_granted, contact_name, contact_email, contact_phone):
    """Write or change the letter's grounds, amount and contact person. Case handlers
    write, decision makers approve by releasing; nobody changes a released letter.
    Raises WorkflowError with a message per problem (field name → message)."""
    require(user, ASSESS, application)
    with transaction.atomic():
        locked = lock(application)
        if locked.status not in ACTIVE:
            raise WorkflowError(_("Vedtaket er allerede frigitt, så vedtaksbrevet kan ikke endres."))
        letter = letter_for(locked, user)
        letter.grounds = grounds.strip()
        letter.amount_granted = amount_granted
        letter.contact_name = contact_name.strip()
        letter.contact_email = contact_email.strip()
        letter.contact_phone = contact_phone.strip()
        letter.written_by = user
        letter.save()
    return letter


def amount_problem(application, amount_granted):
    """Why `amount_granted` cannot be granted, or ""."""
    if amount_granted is None:
        return ""
    if amount_granted > application.round.max_amount:
        return _("Beløpet kan ikke være høyere enn %(max_amount)s, som er maks per pilot.") % {
            "max_amount": kroner(application.round.max_amount)
        }
    return ""


def incomplete_letters(applications):
    """(application, what is missing) for every application whose letter cannot be
    released: no grounds, no contact person, or (selected) no amount granted."""
    letters = {letter.application_id: letter for letter in DecisionLetter.objects.filter(application__in=applications)}
    problems = []
    for application in applications:
        letter = letters.get(application.pk)
        missing = []
        if letter is None or not letter.grounds:
            missing.append(_("begrunnelse"))
        if letter is None or not (letter.contact_name and letter.contact_email and letter.contact_phone):
            missing.append(_("kontaktperson"))
        if application.decision == Decision.SELECTED and (letter is None or letter.amount_granted is None):
            missing.append(_("tildelt beløp"))
        if missing:
            problems.append((application, missing))
    return problems


def refuse_incomplete(applications):
    """Release refuses while any prepared letter lacks grounds, contact or amount."""
    problems = incomplete_letters(applications)
    if problems:
        listed = "; ".join(
            _("%(reference)s: mangler %(missing)s")
            % {"reference": a.reference, "missing": get_text_list(missing, _("og"))}
            for a, missing in problems
        )
        raise WorkflowError(
            _(
                "Vedtakene kan ikke frigis før hvert vedtaksbrev har begrunnelse, kontaktperson og "
                "(for valgte søknader) tildelt beløp. %(listed)s."
            )
            % {"listed": listed}
        )


def freeze_letter(application, outcome, now=None):
    """At release: fix the letter's introduction and subject as the applicant gets
    them, and clear the amount of a rejected application. Returns the letter."""
    letter = DecisionLetter.objects.select_for_update().get(application=application)
    letter.subject, letter.introduction = render_introduction(application, outcome)
    if outcome != Status.SELECTED:
        letter.amount_granted = None
    letter.released_at = now or timezone.now()
    letter.save()
    return letter
