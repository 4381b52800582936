"""The workflow rules of an application, and the only place its state changes.

- Deadlines are judged by the server's clock against the round's aware datetimes.
  The deadline second itself is on time (a round closing 23:59:59 accepts
  23:59:59.999 and refuses 00:00:00). A submission started (the declaration page
  reached) before the deadline may finish within the round's grace period.
- Saving answers checks the version the form was loaded with, so two people
  editing at once never silently overwrite each other.
- Submitting is one transaction: row lock, deadline, completeness, eligibility,
  municipality claims (a unique constraint settles races), reference number, and a
  receipt mail queued on commit. Submitting again returns the same reference.
"""

import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import eligibility, sections
from .models import (
    Application,
    ApplicationMunicipality,
    Attachment,
    BudgetLine,
    Contact,
    Invitation,
    RoundMunicipalityClaim,
)

REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_LENGTH = 6
MAX_ATTACHMENTS = 10


class WorkflowError(Exception):
    """A rule stopped the action; `str(error)` is a message for the applicant."""


class StaleVersion(WorkflowError):
    def __init__(self, current_version):
        super().__init__(
            "Noen andre har endret søknaden etter at du åpnet denne siden. Det du skrev, er ikke lagret ennå – "
            "se over feltene og lagre på nytt for å beholde dine endringer."
        )
        self.current_version = current_version


# --- Time rules ---------------------------------------------------------------------


def _on_time(now, deadline):
    return now.replace(microsecond=0) <= deadline


def is_open_for_answers(application, now=None):
    """Answers can change while the application is a draft and the round is open."""
    now = now or timezone.now()
    round = application.round
    return application.status == Application.Status.DRAFT and now >= round.opens_at and _on_time(now, round.closes_at)


def submission_deadline(application):
    """The deadline that applies to this application's submission, including grace."""
    round = application.round
    started = application.submission_started_at
    if started is not None and _on_time(started, round.closes_at):
        return round.closes_at + round.grace_period
    return round.closes_at


def can_submit_now(application, now=None):
    now = now or timezone.now()
    return application.status == Application.Status.DRAFT and _on_time(now, submission_deadline(application))


def can_add_supplement(application, now=None):
    """After submission, extra attachments (such as a council decision) until the supplement deadline."""
    now = now or timezone.now()
    deadline = application.round.supplement_deadline or application.round.closes_at
    return application.status == Application.Status.SUBMITTED and _on_time(now, deadline)


def can_withdraw(application, now=None):
    now = now or timezone.now()
    return application.status == Application.Status.SUBMITTED and _on_time(now, application.round.closes_at)


# --- Drafts -------------------------------------------------------------------------


def start_application(round, user, now=None):
    now = now or timezone.now()
    if round.state(now) != round.State.OPEN:
        raise WorkflowError("Utlysingen er ikke åpen for søknader nå.")
    return Application.objects.create(round=round, created_by=user)


def save_answers(application, version, apply, now=None):
    """Run `apply(locked_application)` if `version` is still current; returns the new version.

    `apply` changes the application and its related rows; it runs inside the
    transaction, after the row lock, so concurrent saves queue up and the second one
    sees the first one's version."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Application.objects.select_for_update().select_related("round").get(pk=application.pk)
        if not is_open_for_answers(locked, now):
            raise WorkflowError("Søknaden kan ikke endres lenger: fristen er ute eller søknaden er sendt inn.")
        if version != locked.version:
            raise StaleVersion(locked.version)
        apply(locked)
        locked.version += 1
        locked.save()
    application.version = locked.version
    return locked.version


def set_municipalities(application, lead, partners):
    """Replace the application's municipalities (lead first)."""
    application.municipality_links.all().delete()
    links = []
    if lead is not None:
        links.append(ApplicationMunicipality(application=application, municipality=lead, role="lead"))
    links += [ApplicationMunicipality(application=application, municipality=m, role="partner") for m in partners]
    ApplicationMunicipality.objects.bulk_create(links)


def set_contact(application, **fields):
    Contact.objects.update_or_create(application=application, defaults=fields)


def set_budget_lines(application, lines):
    """Replace all budget lines: (description, amount) pairs. Replacing rather than
    updating means an autosave and a later full save can never duplicate a line."""
    application.budget_lines.all().delete()
    BudgetLine.objects.bulk_create(
        BudgetLine(application=application, description=description, amount=amount) for description, amount in lines
    )


def invite(application, email, invited_by):
    email = email.strip().lower()
    if email == (application.created_by.email or "").lower():
        raise WorkflowError("Denne adressen har allerede tilgang til søknaden.")
    invitation, created = Invitation.objects.get_or_create(
        application=application, email=email, defaults={"invited_by": invited_by}
    )
    return invitation, created


def add_attachment(application, uploaded_file, user, now=None):
    """Store a checked PDF. Drafts take attachments while the round is open; submitted
    applications take supplementary ones until the supplement deadline."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Application.objects.select_for_update().select_related("round").get(pk=application.pk)
        if is_open_for_answers(locked, now):
            supplementary = False
        elif can_add_supplement(locked, now):
            supplementary = True
        else:
            raise WorkflowError("Fristen for å laste opp vedlegg er ute.")
        if locked.attachments.count() >= MAX_ATTACHMENTS:
            raise WorkflowError(f"Søknaden har allerede {MAX_ATTACHMENTS} vedlegg, som er det meste som er lov.")
        return Attachment.objects.create(
            application=locked,
            file=uploaded_file,
            original_name=uploaded_file.name[-255:],
            size=uploaded_file.size,
            supplementary=supplementary,
            uploaded_by=user,
        )


def delete_attachment(attachment, now=None):
    """Drafts may remove attachments; submitted ones may not (the ministry has them)."""
    if not is_open_for_answers(attachment.application, now):
        raise WorkflowError("Vedlegg i en innsendt søknad kan ikke slettes.")
    attachment.file.delete(save=False)
    attachment.delete()


def mark_submission_started(application, now=None):
    """Reaching the declaration page before the deadline starts the submission (grace applies)."""
    now = now or timezone.now()
    if is_open_for_answers(application, now):
        Application.objects.filter(pk=application.pk, status=Application.Status.DRAFT).update(submission_started_at=now)
        application.submission_started_at = now


# --- Submitting ---------------------------------------------------------------------


def _new_reference(application):
    year = timezone.localtime(application.round.closes_at).strftime("%y")
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
    return f"{application.round.reference_prefix}-{year}-{code}"


def submit(application, user, now=None):
    """Submit once, on time, with every municipality claimed for this round.

    Returns the reference. Raises WorkflowError with a message for the applicant."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Application.objects.select_for_update().select_related("round").get(pk=application.pk)
        if locked.status == Application.Status.SUBMITTED:
            return locked.reference  # a double click or a resent form: already done
        if locked.status != Application.Status.DRAFT:
            raise WorkflowError("Søknaden er trukket og kan ikke sendes inn.")
        if not can_submit_now(locked, now):
            raise WorkflowError(
                "Fristen for å sende inn søknaden er ute. Søknaden er lagret som utkast, men kan ikke sendes inn."
            )
        links = list(locked.municipality_links.select_related("municipality"))
        municipalities = [link.municipality for link in links]
        if not municipalities:
            raise WorkflowError("Velg kommunene som søker før du sender inn.")
        result = eligibility.check(locked.round, municipalities, exclude_application=locked)
        if not result.ok:
            problems = "; ".join(f"{p.municipality.display_name}: {p.reason}" for p in result.problems)
            raise WorkflowError(f"Kommunene kan ikke søke. {problems}")
        missing = [
            s.title
            for s in sections.answer_sections()
            if s is not sections.MUNICIPALITIES and not s.is_complete(locked)
        ]
        if missing:
            raise WorkflowError("Søknaden er ikke ferdig utfylt: " + ", ".join(missing) + ".")
        _claim(locked, municipalities)
        for _attempt in range(5):
            reference = _new_reference(locked)
            try:
                with transaction.atomic():
                    Application.objects.filter(pk=locked.pk).update(
                        reference=reference,
                        status=Application.Status.SUBMITTED,
                        submitted_at=now,
                        declaration_accepted_at=now,
                        version=locked.version + 1,
                    )
                break
            except IntegrityError:
                continue  # the same code was drawn twice: draw again
        else:
            raise WorkflowError("Vi klarte ikke å lage et referansenummer. Prøv igjen.")
        from .tasks import send_receipt

        application_id = locked.pk
        transaction.on_commit(lambda: send_receipt.enqueue(application_id))
    application.refresh_from_db()
    return reference


def _claim(application, municipalities):
    """Insert one claim per municipality; the first application to commit wins."""
    for municipality in municipalities:
        try:
            with transaction.atomic():
                RoundMunicipalityClaim.objects.create(
                    round=application.round, municipality=municipality, application=application
                )
        except IntegrityError as error:
            raise WorkflowError(
                f"{municipality.display_name} er allerede med i en annen søknad som er sendt inn i denne utlysingen."
            ) from error


def withdraw(application, user, now=None):
    """Withdraw a submitted application before the deadline; its municipalities are free again."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Application.objects.select_for_update().select_related("round").get(pk=application.pk)
        if locked.status == Application.Status.WITHDRAWN:
            return
        if not can_withdraw(locked, now):
            raise WorkflowError("Søknaden kan bare trekkes før fristen.")
        RoundMunicipalityClaim.objects.filter(application=locked).delete()
        locked.status = Application.Status.WITHDRAWN
        locked.withdrawn_at = now
        locked.version += 1
        locked.save()
    application.refresh_from_db()
