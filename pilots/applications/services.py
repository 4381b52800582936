"""The only place an application's state changes, for the applicant's steps and for
the status writes case handling shares (casework.services builds on `set_status`).

- Saving answers checks the version the form was loaded with, so two people
  editing at once never silently overwrite each other.
- Submitting is one transaction: row lock, deadline, completeness, eligibility,
  municipality claims (a unique constraint settles races), reference number, and a
  receipt mail queued on commit. Submitting again returns the same reference.
  A municipality is claimed only when the applicant's authority to act for it is
  established (authority.py); otherwise the application is submitted unconfirmed
  for it, and a case handler's confirmation claims it later (`claim`).
- Every status change writes an audit log entry (`set_status`).

Reopening a submitted application, submitting the corrections, copying and deleting
drafts are in corrections.py. The time rules are in deadlines.py, the statuses in
status.py."""

import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from wagtail.log_actions import log

from pilots.register import eligibility

from . import authority, supplements
from .answers import answers_snapshot, incomplete_sections
from .deadlines import can_add_supplement, can_submit_now, can_withdraw, is_open_for_answers
from .models import (
    Application,
    ApplicationMunicipality,
    ApplicationSnapshot,
    Attachment,
    BudgetLine,
    Contact,
    RoundMunicipalityClaim,
)
from .status import OUTCOMES, AttachmentCheck, Decision, Status
from .storage import clean_pdf_name
from .tasks import queue_receipt

REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_LENGTH = 6
MAX_ATTACHMENTS = 10


class WorkflowError(Exception):
    """A rule stopped the action; `str(error)` is a message for the person who tried."""


class StaleVersion(WorkflowError):
    def __init__(self, current_version):
        super().__init__(
            gettext(
                "Noen andre har endret søknaden etter at du åpnet denne siden. Det du skrev, er ikke lagret ennå – "
                "se over feltene og lagre på nytt for å beholde dine endringer."
            )
        )
        self.current_version = current_version


def applicant_name(user):
    """How the history names an applicant: the address they signed in with (their user
    name is a random handle)."""
    identity = getattr(user, "applicant_identity", None)
    return (identity.email if identity else "") or user.email or "søkeren"


def lock(application):
    """The application's row, locked until the transaction ends, so concurrent changes queue up."""
    return Application.objects.select_for_update().select_related("round").get(pk=application.pk)


# --- Drafts -------------------------------------------------------------------------


def start_application(round, user, now=None):
    if not round.is_open(now):
        raise WorkflowError(gettext("Utlysingen er ikke åpen for søknader nå."))
    return Application.objects.create(round=round, created_by=user)


def save_answers(application, version, apply, now=None):
    """Run `apply(locked_application)` if `version` is still current; returns the new version.

    `apply` changes the application and its related rows; it runs inside the
    transaction, after the row lock, so concurrent saves queue up and the second one
    sees the first one's version."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = lock(application)
        if not is_open_for_answers(locked, now):
            raise WorkflowError(gettext("Søknaden kan ikke endres lenger: fristen er ute eller søknaden er sendt inn."))
        if version != locked.version:
            raise StaleVersion(locked.version)
        apply(locked)
        locked.version += 1
        locked.save()
    application.version = locked.version
    return locked.version


def set_municipalities(application, lead, partners):
    """Replace the application's municipalities (lead first)."""
    Role = ApplicationMunicipality.Role
    application.municipality_links.all().delete()
    links = []
    if lead is not None:
        links.append(ApplicationMunicipality(application=application, municipality=lead, role=Role.LEAD))
    links += [ApplicationMunicipality(application=application, municipality=m, role=Role.PARTNER) for m in partners]
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


def add_attachment(application, uploaded_file, user, now=None, kind=Attachment.Kind.OTHER):
    """Store a PDF of type `kind` at once, as pending: its content check runs in the
    task worker (pilots.portal.uploads). Drafts take attachments while the round is
    open; submitted applications take late ones until the supplement deadline, each
    logged in the history (its receipt follows the approval, see supplements)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = lock(application)
        if is_open_for_answers(locked, now):
            supplementary = False
        elif can_add_supplement(locked, now):
            supplementary = True
        elif locked.status == Status.WITHDRAWN or locked.status in OUTCOMES:
            raise WorkflowError(gettext("Søknaden er avgjort eller trukket. Du kan ikke laste opp flere vedlegg."))
        else:
            raise WorkflowError(gettext("Fristen for å laste opp vedlegg er ute."))
        if locked.attachments.count() >= MAX_ATTACHMENTS:
            raise WorkflowError(
                gettext("Søknaden har allerede %(limit)s vedlegg, som er det meste som er lov.")
                % {"limit": MAX_ATTACHMENTS}
            )
        attachment = Attachment.objects.create(
            application=locked,
            kind=kind,
            file=uploaded_file,
            original_name=clean_pdf_name(uploaded_file.name),
            size=uploaded_file.size,
            supplementary=supplementary,
            uploaded_by=user,
        )
        if supplementary:
            supplements.record_received(attachment)
        return attachment


def record_check(attachment_id, reason, now=None):
    """The content check's verdict: approved, or rejected with `reason` for the
    applicant. Only a pending attachment changes, so a check that runs twice, or
    after the file was deleted, changes nothing."""
    verdict = AttachmentCheck.REJECTED if reason else AttachmentCheck.APPROVED
    with transaction.atomic():
        changed = Attachment.objects.filter(pk=attachment_id, check_status=AttachmentCheck.PENDING).update(
            check_status=verdict, rejection_reason=reason or "", checked_at=now or timezone.now()
        )
        if changed and verdict == AttachmentCheck.APPROVED:
            attachment = Attachment.objects.get(pk=attachment_id)
            if attachment.supplementary:
                supplements.queue_receipt(attachment)


def delete_attachment(attachment, user, now=None):
    """Remove an attachment the ministry has not received (supplements.can_delete) from
    the application; the row and its file stay until retention removes them."""
    with transaction.atomic():
        lock(attachment.application)
        attachment = Attachment.all_objects.select_related("application").get(pk=attachment.pk)
        if attachment.deleted_at is not None:
            return  # a double click: deleted already
        if not supplements.can_delete(attachment):
            raise WorkflowError(
                gettext(
                    "Vedlegget er sendt inn til departementet og kan ikke slettes. "
                    "Last opp en ny fil hvis noe skal rettes, og forklar det i filen."
                )
            )
        supplements.soft_delete(attachment, user, now)


def mark_submission_started(application, now=None):
    """Reaching the declaration page before the deadline starts the submission (grace applies)."""
    now = now or timezone.now()
    if is_open_for_answers(application, now):
        Application.objects.filter(pk=application.pk, status=Status.DRAFT).update(submission_started_at=now)
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
    found = _look_up_authority(application, user)
    with transaction.atomic():
        locked = lock(application)
        if locked.status == Status.MORE_INFORMATION:
            return _resubmit(locked, user, now, found)
        if locked.revision_of_id:
            raise WorkflowError("Endringer i en innsendt søknad sendes inn med corrections.submit_revision.")
        if locked.status not in (Status.DRAFT, Status.WITHDRAWN):
            return locked.reference  # a double click or a resent form: already done
        if locked.status != Status.DRAFT:
            raise WorkflowError(gettext("Søknaden er trukket og kan ikke sendes inn."))
        if not can_submit_now(locked, now):
            raise WorkflowError(
                gettext(
                    "Fristen for å sende inn søknaden er ute. Søknaden er lagret som utkast, men kan ikke sendes inn."
                )
            )
        municipalities = [link.municipality for link in locked.municipality_links.select_related("municipality")]
        established = authority.record(locked, user, found, municipalities)
        _check_complete(locked, municipalities, established)
        _claim(locked, [m for m in municipalities if m.pk in established])
        for _attempt in range(5):
            reference = _new_reference(locked)
            try:
                with transaction.atomic():
                    Application.objects.filter(pk=locked.pk).update(
                        reference=reference,
                        status=Status.SUBMITTED,
                        submitted_at=now,
                        submitted_by=user,
                        declaration_accepted_at=now,
                        version=locked.version + 1,
                    )
                break
            except IntegrityError:
                continue  # the same code was drawn twice: draw again
        else:
            raise WorkflowError(gettext("Vi klarte ikke å lage et referansenummer. Prøv igjen."))
        log(instance=locked, action="pilots.submitted", user=user, data={"author": applicant_name(user)})
        _send_receipt_on_commit(locked)
    application.refresh_from_db()
    return reference


def _send_receipt_on_commit(application):
    # Queued in the outbox in this transaction; it is sent once the submission commits.
    queue_receipt(application)


def _look_up_authority(application, user):
    """Ask the authority sources before any row lock: one of them may call Altinn."""
    links = application.municipality_links.select_related("municipality")
    return authority.look_up(user, [link.municipality for link in links])


def _check_complete(application, municipalities, established):
    if not municipalities:
        raise WorkflowError(gettext("Velg kommunene som søker før du sender inn."))
    result = eligibility.check(
        application.round, municipalities, exclude_application=application, authorised_for=established
    )
    if not result.ok:
        problems = "; ".join(f"{p.municipality.display_name}: {p.reason}" for p in result.problems)
        raise WorkflowError(gettext("Kommunene kan ikke søke. %(problems)s") % {"problems": problems})
    missing = [str(section.title) for section in incomplete_sections(application)]
    if missing:
        raise WorkflowError(gettext("Søknaden er ikke ferdig utfylt: %(sections)s.") % {"sections": ", ".join(missing)})
    _check_attachments(application)


def _check_attachments(application):
    """Every file the ministry gets has passed the content check."""
    unapproved = list(application.attachments.exclude(check_status=AttachmentCheck.APPROVED))
    if pending := _names(unapproved, AttachmentCheck.PENDING):
        raise WorkflowError(
            gettext(
                "Vi kontrollerer fortsatt vedlegg: %(files)s. Det tar vanligvis noen sekunder. "
                "Last inn siden på nytt og send inn når vedleggene er godkjent."
            )
            % {"files": pending}
        )
    if rejected := _names(unapproved, AttachmentCheck.REJECTED):
        raise WorkflowError(
            gettext(
                "Vedlegg ble avvist: %(files)s. Slett dem under «Vedlegg», last opp nye PDF-filer og send inn igjen."
            )
            % {"files": rejected}
        )


def _names(attachments, check):
    return ", ".join(f"«{a.original_name}»" for a in attachments if a.check_status == check)


def claim(application, municipality):
    """Claim `municipality` for `application`'s round; the first application to commit
    wins. Returns None, or the application that holds the claim already. Call it only
    for municipalities whose authority is established for `application`."""
    try:
        with transaction.atomic():
            RoundMunicipalityClaim.objects.create(
                round=application.round, municipality=municipality, application=application
            )
    except IntegrityError as error:
        holder = RoundMunicipalityClaim.objects.filter(round=application.round_id, municipality=municipality).first()
        if holder is None:  # withdrawn between our insert and this look-up
            raise WorkflowError(gettext("Noen andre endret søknadene akkurat nå. Prøv igjen.")) from error
        return holder.application
    return None


def _claim(application, municipalities):
    for municipality in municipalities:
        if claim(application, municipality) is not None:
            raise WorkflowError(
                gettext("%(name)s er allerede med i en annen søknad som er sendt inn i denne utlysingen.")
                % {"name": municipality.display_name}
            )


def _resubmit(locked, user, now, found):
    """The applicant sends the application in again after "more information needed":
    checked like a first submission, municipalities claimed again (they may have
    changed), the same reference, and back to assessment."""
    municipalities = [link.municipality for link in locked.municipality_links.select_related("municipality")]
    established = authority.record(locked, user, found, municipalities)
    _check_complete(locked, municipalities, established)
    RoundMunicipalityClaim.objects.filter(application=locked).delete()
    _claim(locked, [m for m in municipalities if m.pk in established])
    locked.resubmitted_at = now
    locked.submitted_by = user
    set_status(locked, Status.IN_ASSESSMENT, user, note="Sendt inn på nytt av søkeren.", resubmitted=True)
    _send_receipt_on_commit(locked)
    return locked.reference


def withdraw(application, user, now=None):
    """Withdraw a submitted application before the deadline; its municipalities are free again."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = lock(application)
        if locked.status == Status.WITHDRAWN:
            return
        if not can_withdraw(locked, now):
            raise WorkflowError(gettext("Søknaden kan ikke trekkes etter at vedtaket er gjort."))
        RoundMunicipalityClaim.objects.filter(application=locked).delete()
        locked.status = Status.WITHDRAWN
        locked.withdrawn_at = now
        locked.version += 1
        locked.save()
        log(instance=locked, action="pilots.withdrawn", user=user, data={"author": applicant_name(user)})
    application.refresh_from_db()


# --- Status ---------------------------------------------------------------------------


def set_status(locked, new_status, user, note="", **extra_data):
    """Write a status with its side effects and the audit log entry, on a row the
    caller has locked (inside its transaction). Which moves are allowed, and for
    whom, is the caller's check (casework.services)."""
    new_status = Status(new_status)
    old_status = locked.status
    if new_status == Status.MORE_INFORMATION:
        ApplicationSnapshot.objects.create(application=locked, version=locked.version, answers=answers_snapshot(locked))
    if new_status == Status.WITHDRAWN:
        RoundMunicipalityClaim.objects.filter(application=locked).delete()
        locked.withdrawn_at = timezone.now()
    data = {
        "from": old_status,
        "to": new_status.value,
        "from_label": Status(old_status).label,
        "to_label": new_status.label,
        "note": note,
        **extra_data,
    }
    if locked.decision and new_status not in OUTCOMES:
        data["decision_cleared"] = locked.decision
        locked.decision = Decision.NONE
    locked.status = new_status
    locked.version += 1
    locked.save()
    log(instance=locked, action="pilots.status_changed", user=user, data=data)
