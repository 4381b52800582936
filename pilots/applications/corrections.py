"""Corrections and drafts: reopening a submitted application before the deadline,
submitting the corrections, copying an earlier application into a new draft, and
deleting a draft.

The rule that nothing submitted is lost: reopening never touches the submitted
application. The corrections go into a separate draft (`revision_of` points to the
submitted application) that the applicant edits with the ordinary question pages.
Submitting the corrections copies them into the submitted application in one
transaction, after keeping its answers as an `ApplicationSnapshot` (the earlier
version) and checking everything a first submission checks; the reference stays the
same. If the deadline passes before the corrections are submitted, the draft can no
longer be submitted, and the submitted application, which case handling has seen all
along, stands exactly as it was. Nothing needs restoring.

Reopening and resubmitting are written to the application's history."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from wagtail.log_actions import log

from . import authority, services
from .answers import PROJECT_FIELDS, answers_snapshot
from .deadlines import can_submit_now, on_time
from .models import Application, ApplicationSnapshot, Attachment, Contact, RoundMunicipalityClaim
from .status import Status

#: A submitted application can be reopened from these statuses (before the deadline).
#: «Trenger mer informasjon» has its own way to change the answers (services._resubmit).
REOPENABLE = (Status.SUBMITTED, Status.IN_ASSESSMENT)

#: The answer fields on the application row that copying carries over.
ANSWER_FIELDS = [*PROJECT_FIELDS, "council_decision", "council_decision_date", "amount_applied", "own_contribution"]


def can_reopen(application, now=None):
    now = now or timezone.now()
    return (
        application.revision_of_id is None
        and application.status in REOPENABLE
        and on_time(now, application.round.closes_at)
    )


def revision(application):
    """The draft with the applicant's corrections to `application`, if there is one."""
    return Application.objects.filter(revision_of=application).first()


def copy_answers(source, target):
    """Replace `target`'s answers, contact, budget lines and municipalities with
    `source`'s. Municipalities not in `target`'s round's register are left out; the
    attachments, members, reference and status are never copied."""
    for name in ANSWER_FIELDS:
        setattr(target, name, getattr(source, name))
    target.save()
    contact = getattr(source, "contact", None)
    if contact is not None:
        services.set_contact(target, name=contact.name, role=contact.role, email=contact.email, phone=contact.phone)
    else:
        Contact.objects.filter(application=target).delete()
    services.set_budget_lines(target, [(line.description, line.amount) for line in source.budget_lines.all()])
    # A municipality is still valid when its number is in the target round's register
    # (numbers change when municipalities merge or split; those are left out).
    links = list(source.municipality_links.select_related("municipality"))
    numbers = [link.municipality.number for link in links]
    register = {m.number: m for m in target.round.municipalities().filter(number__in=numbers)}
    lead = next((register.get(link.municipality.number) for link in links if link.role == link.Role.LEAD), None)
    partners = [
        register[link.municipality.number]
        for link in links
        if link.role == link.Role.PARTNER and link.municipality.number in register
    ]
    services.set_municipalities(target, lead, partners)


def start_copy(source, round, user, now=None):
    """A new draft in `round` with `source`'s answers (see copy_answers)."""
    with transaction.atomic():
        draft = services.start_application(round, user, now)
        copy_answers(source, draft)
    return draft


def reopen(application, user, now=None):
    """The draft for correcting `application`, made now with the submitted answers, or
    the one made earlier (two people reopening at once get the same draft)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = services.lock(application)
        existing = revision(locked)
        if existing is not None:
            return existing
        if not can_reopen(locked, now):
            raise services.WorkflowError(
                gettext("Søknaden kan ikke endres lenger: fristen er ute eller saken er avgjort.")
            )
        draft = Application.objects.create(round=locked.round, created_by=user, revision_of=locked)
        copy_answers(locked, draft)
        log(instance=locked, action="pilots.reopened", user=user, data={"version": locked.version})
    return draft


def submit_revision(draft, user, now=None):
    """Submit the corrections in `draft` to the application it revises; returns the
    (unchanged) reference. Refused after the deadline: then the submitted version stands."""
    now = now or timezone.now()
    links = list(draft.municipality_links.select_related("municipality"))
    found = authority.look_up(user, [link.municipality for link in links])  # before any row lock: may call Altinn
    with transaction.atomic():
        original = services.lock(draft.revision_of)
        locked_draft = services.lock(draft)
        if original.status not in REOPENABLE:
            raise services.WorkflowError(
                gettext("Søknaden kan ikke endres lenger fordi saken er avgjort eller trukket.")
            )
        if not can_submit_now(locked_draft, now):
            raise services.WorkflowError(
                gettext(
                    "Fristen er ute, så endringene kan ikke sendes inn. Søknaden du sendte inn før, gjelder fortsatt."
                )
            )
        ApplicationSnapshot.objects.create(
            application=original, version=original.version, answers=answers_snapshot(original)
        )
        copy_answers(locked_draft, original)
        Attachment.objects.filter(application=locked_draft).update(application=original)
        original = services.lock(original)  # fresh related rows for the checks below
        municipalities = [link.municipality for link in original.municipality_links.select_related("municipality")]
        established = authority.record(original, user, found, municipalities)
        services._check_complete(original, municipalities, established)
        RoundMunicipalityClaim.objects.filter(application=original).delete()
        services._claim(original, [m for m in municipalities if m.pk in established])
        original.resubmitted_at = now
        original.submitted_by = user
        original.declaration_accepted_at = now
        original.version += 1
        original.save()
        log(instance=original, action="pilots.resubmitted", user=user, data={"version": original.version})
        locked_draft.delete()
        services._send_receipt_on_commit(original)
    return original.reference


def can_delete(application, user):
    """Only a draft, and only by the person who created it."""
    return application.status == Status.DRAFT and application.created_by_id == user.pk


def delete_draft(application, user):
    """Delete a draft with its own files. A submitted application is never deleted
    (it can be withdrawn); a draft of corrections is deleted as "discard the changes"."""
    with transaction.atomic():
        locked = services.lock(application)
        if not can_delete(locked, user):
            raise services.WorkflowError(
                gettext("Bare den som opprettet et utkast, kan slette det, og bare før det er sendt inn.")
            )
        # Files the applicant deleted (soft) go too: a discarded draft keeps nothing.
        files = [attachment.file for attachment in Attachment.all_objects.filter(application=locked)]
        if locked.revision_of_id:
            log(instance=locked.revision_of, action="pilots.revision_discarded", user=user, data={})
        locked.delete()
        transaction.on_commit(lambda: [file.delete(save=False) for file in files])
