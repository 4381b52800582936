"""An application's answers, grouped in the sections the applicant fills in, and when
each section is complete.

One definition serves the portal's task list and question pages, the check before
submitting, "Se over svarene", the receipt e-mail, the admin's inspect page and the
snapshot kept when the ministry asks for more information."""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pilots.formatting import kroner, oslo_date
from pilots.register import eligibility


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    is_complete: Callable
    is_started: Callable
    optional: bool = False


def _contact(application):
    return getattr(application, "contact", None) if application.pk else None


def municipalities_complete(application):
    municipalities = [link.municipality for link in application.municipality_links.all()]
    if not municipalities:
        return False
    return eligibility.check(application.round, municipalities, exclude_application=application).ok


def contact_complete(application):
    contact = _contact(application)
    return bool(contact and contact.name and contact.role and contact.email and contact.phone)


PROJECT_FIELDS = ["title", "summary", "challenges", "themes", "measures", "transfer_value", "organisation"]


def project_complete(application):
    if not all(getattr(application, name) for name in PROJECT_FIELDS) or not application.council_decision:
        return False
    planned = application.council_decision == application.CouncilDecision.PLANNED
    return bool(application.council_decision_date) or not planned


def budget_total(application):
    return sum(line.amount for line in application.budget_lines.all())


def budget_complete(application):
    if application.amount_applied is None or application.own_contribution is None:
        return False
    if application.amount_applied > application.round.max_amount or application.amount_applied == 0:
        return False
    lines = list(application.budget_lines.all())
    return bool(lines) and budget_total(application) == application.amount_applied + application.own_contribution


MUNICIPALITIES = Section(
    "kommuner", _("Kan kommunene søke?"), municipalities_complete, lambda a: a.municipality_links.exists()
)
CONTACT = Section("kontaktperson", _("Kontaktperson"), contact_complete, lambda a: _contact(a) is not None)
PROJECT = Section("prosjektet", _("Prosjektet"), project_complete, lambda a: bool(a.title or a.summary))
BUDGET = Section(
    "budsjett", _("Budsjett"), budget_complete, lambda a: a.amount_applied is not None or a.budget_lines.exists()
)
ATTACHMENTS = Section("vedlegg", _("Vedlegg"), lambda a: True, lambda a: a.attachments.exists(), optional=True)

SECTIONS = [MUNICIPALITIES, CONTACT, PROJECT, BUDGET, ATTACHMENTS]


def incomplete_sections(application):
    """The sections still missing answers. The municipalities are left out: submitting
    checks them itself, with a reason per municipality."""
    return [s for s in SECTIONS if s is not MUNICIPALITIES and not s.is_complete(application)]


def summary_rows(application):
    """Every answer, grouped by section, for "Se over svarene", the receipt and the admin."""
    contact = _contact(application)
    lead = application.lead
    partners = [municipality.display_name for municipality in application.partners]
    decision = application.get_council_decision_display() if application.council_decision else ""
    if application.council_decision_date:
        decision = f"{decision} ({oslo_date(application.council_decision_date)})"
    lines = [f"{line.description}: {kroner(line.amount)}" for line in application.budget_lines.all()]
    attachments = [a.original_name for a in application.attachments.all()]
    return [
        {
            "section": MUNICIPALITIES,
            "rows": [
                (_("Søkerkommune"), lead.display_name if lead else ""),
                (_("Samarbeidskommuner"), ", ".join(partners) or _("Ingen")),
            ],
        },
        {
            "section": CONTACT,
            "rows": [
                (_("Navn"), contact.name if contact else ""),
                (_("Stilling"), contact.role if contact else ""),
                (_("E-post"), contact.email if contact else ""),
                (_("Telefon"), contact.phone if contact else ""),
            ],
        },
        {
            "section": PROJECT,
            "rows": [
                (_("Prosjektets navn"), application.title),
                (_("Kort sammendrag"), application.summary),
                (_("Dokumenterte utfordringer"), application.challenges),
                (_("Tema"), application.themes),
                (_("Planlagte tiltak"), application.measures),
                (_("Overføringsverdi"), application.transfer_value),
                (_("Organisering og politisk forankring"), application.organisation),
                (_("Kommunestyrevedtak"), decision),
            ],
        },
        {
            "section": BUDGET,
            "rows": [
                (_("Søkt beløp"), kroner(application.amount_applied)),
                (_("Egeninnsats"), kroner(application.own_contribution)),
                (_("Budsjettposter"), "\n".join(lines) or _("Ingen")),
                (_("Sum budsjett"), kroner(budget_total(application))),
            ],
        },
        {"section": ATTACHMENTS, "rows": [(_("Vedlegg"), "\n".join(attachments) or _("Ingen"))]},
    ]


def answers_snapshot(application):
    """`summary_rows` as plain JSON (section titles and (question, answer) pairs), kept
    when the ministry asks for more information so the changes can be shown later.
    Always in bokmål, so versions compare alike whatever language their reader speaks."""
    with translation.override(settings.LANGUAGE_CODE):
        return [
            {
                "section": str(group["section"].title),
                "rows": [[str(label), str(value)] for label, value in group["rows"]],
            }
            for group in summary_rows(application)
        ]


def answer_changes(application, snapshot=None):
    """(section, question, before, after) for every answer that differs from the
    snapshot taken when more information was asked for (the latest one by default)."""
    snapshot = snapshot or application.snapshots.first()
    if snapshot is None:
        return []
    before = {(s["section"], label): value for s in snapshot.answers for label, value in s["rows"]}
    changes = []
    for section in answers_snapshot(application):
        for label, value in section["rows"]:
            old = before.get((section["section"], label), "")
            if old != value:
                # The snapshot's bokmål titles are the catalogue's message ids.
                changes.append((gettext(section["section"]), gettext(label), old, value))
    return changes


def version_history(application):
    """The changes between the submitted versions, newest first: for every kept
    snapshot (an earlier version), {"snapshot", "changes"} with the changes to the
    version that followed it (the next snapshot, or the answers as they are now).
    Pairs without changes are left out."""
    snapshots = list(application.snapshots.order_by("created_at", "pk"))
    history = []
    for index, snapshot in enumerate(snapshots):
        after = snapshots[index + 1].answers if index + 1 < len(snapshots) else answers_snapshot(application)
        changes = _diff(snapshot.answers, after)
        if changes:
            history.append({"snapshot": snapshot, "changes": changes})
    return list(reversed(history))


def _diff(before_answers, after_answers):
    before = {(s["section"], label): value for s in before_answers for label, value in s["rows"]}
    return [
        (section["section"], label, before.get((section["section"], label), ""), value)
        for section in after_answers
        for label, value in section["rows"]
        if before.get((section["section"], label), "") != value
    ]
