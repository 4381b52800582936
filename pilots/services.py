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

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.log_actions import log

from . import eligibility, permissions, sections
from .models import (
    Application,
    ApplicationMunicipality,
    ApplicationSnapshot,
    Attachment,
    BudgetLine,
    Contact,
    DecisionNotice,
    InternalNote,
    Invitation,
    Review,
    Round,
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
    """Answers can change while the application is a draft and the round is open, and
    again, after the deadline, while the ministry has asked for more information."""
    now = now or timezone.now()
    round = application.round
    if application.status == Application.Status.MORE_INFORMATION:
        return True
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
    if application.status == Application.Status.MORE_INFORMATION:
        return True
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
        if locked.status == Application.Status.MORE_INFORMATION:
            return _resubmit(locked, user, now)
        if locked.status not in (Application.Status.DRAFT, Application.Status.WITHDRAWN):
            return locked.reference  # a double click or a resent form: already done
        if locked.status != Application.Status.DRAFT:
            raise WorkflowError("Søknaden er trukket og kan ikke sendes inn.")
        if not can_submit_now(locked, now):
            raise WorkflowError(
                "Fristen for å sende inn søknaden er ute. Søknaden er lagret som utkast, men kan ikke sendes inn."
            )
        links = list(locked.municipality_links.select_related("municipality"))
        municipalities = [link.municipality for link in links]
        _check_complete(locked, municipalities)
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


def _check_complete(application, municipalities):
    if not municipalities:
        raise WorkflowError("Velg kommunene som søker før du sender inn.")
    result = eligibility.check(application.round, municipalities, exclude_application=application)
    if not result.ok:
        problems = "; ".join(f"{p.municipality.display_name}: {p.reason}" for p in result.problems)
        raise WorkflowError(f"Kommunene kan ikke søke. {problems}")
    missing = [
        s.title
        for s in sections.answer_sections()
        if s is not sections.MUNICIPALITIES and not s.is_complete(application)
    ]
    if missing:
        raise WorkflowError("Søknaden er ikke ferdig utfylt: " + ", ".join(missing) + ".")


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


# --- Case handling (issue 6) ----------------------------------------------------------
#
# Every status change goes through `change_status` (or, for the final outcomes, through
# `release_decisions`, which shares `_set_status`), so the allowed-transitions table,
# the permission check and the audit log entry cannot be bypassed.

S = Application.Status

#: Statuses in which an application is still being handled.
ACTIVE = (S.SUBMITTED, S.IN_ASSESSMENT, S.MORE_INFORMATION, S.SHORTLISTED)

#: (from, to) -> permission needed. Transitions to the outcomes are only made when
#: decisions are released (RELEASE_ONLY), never one by one.
TRANSITIONS = {
    (S.SUBMITTED, S.IN_ASSESSMENT): permissions.CHANGE_STATUS,
    (S.SUBMITTED, S.MORE_INFORMATION): permissions.CHANGE_STATUS,
    (S.SUBMITTED, S.WITHDRAWN): permissions.CHANGE_STATUS,
    (S.IN_ASSESSMENT, S.MORE_INFORMATION): permissions.CHANGE_STATUS,
    (S.IN_ASSESSMENT, S.SHORTLISTED): permissions.CHANGE_STATUS,
    (S.IN_ASSESSMENT, S.WITHDRAWN): permissions.CHANGE_STATUS,
    (S.MORE_INFORMATION, S.IN_ASSESSMENT): permissions.CHANGE_STATUS,
    (S.MORE_INFORMATION, S.WITHDRAWN): permissions.CHANGE_STATUS,
    (S.SHORTLISTED, S.IN_ASSESSMENT): permissions.CHANGE_STATUS,
    (S.SHORTLISTED, S.WITHDRAWN): permissions.CHANGE_STATUS,
    **{(status, S.NOT_SELECTED): permissions.DECIDE for status in ACTIVE},
    (S.SHORTLISTED, S.SELECTED): permissions.DECIDE,
}
RELEASE_ONLY = {S.SELECTED, S.NOT_SELECTED}


def allowed_transitions(application, user):
    """The statuses `user` may move `application` to by hand (for the admin form)."""
    return [
        new
        for (old, new), permission in TRANSITIONS.items()
        if old == application.status and new not in RELEASE_ONLY and user.has_perm(permission)
    ]


def _require(user, permission):
    if not user.has_perm(permission):
        raise PermissionDenied("Du har ikke tilgang til å gjøre dette.")


def change_status(application, new_status, user, note=""):
    """Move an application to `new_status` by hand, if the table and the user's
    permission allow it. Raises PermissionDenied or WorkflowError."""
    new_status = S(new_status)
    with transaction.atomic():
        locked = Application.objects.select_for_update().select_related("round").get(pk=application.pk)
        permission = TRANSITIONS.get((locked.status, new_status))
        if permission is None:
            raise WorkflowError(f"Søknaden kan ikke gå fra «{locked.get_status_display()}» til «{new_status.label}».")
        _require(user, permission)
        if new_status in RELEASE_ONLY:
            raise WorkflowError("Vedtak (valgt / ikke valgt) settes når vedtakene frigis samlet, fra porteføljen.")
        _set_status(locked, new_status, user, note)
    application.refresh_from_db()


def _set_status(locked, new_status, user, note="", **extra_data):
    """Write the status, its side effects and the audit log entry (inside the caller's
    transaction, on a locked row)."""
    old_status = locked.status
    if new_status == S.MORE_INFORMATION:
        ApplicationSnapshot.objects.create(
            application=locked, version=locked.version, answers=sections.answers_snapshot(locked)
        )
    if new_status == S.WITHDRAWN:
        RoundMunicipalityClaim.objects.filter(application=locked).delete()
        locked.withdrawn_at = timezone.now()
    data = {
        "from": old_status,
        "to": new_status.value,
        "from_label": S(old_status).label,
        "to_label": new_status.label,
        "note": note,
        **extra_data,
    }
    if locked.decision and new_status not in RELEASE_ONLY:
        data["decision_cleared"] = locked.decision
        locked.decision = Application.Decision.NONE
    locked.status = new_status
    locked.version += 1
    locked.save()
    log(instance=locked, action="pilots.status_changed", user=user, data=data)


def _resubmit(locked, user, now):
    """The applicant sends the application in again after "more information needed":
    checked like a first submission, municipalities claimed again (they may have
    changed), the same reference, and back to assessment."""
    municipalities = [link.municipality for link in locked.municipality_links.select_related("municipality")]
    _check_complete(locked, municipalities)
    RoundMunicipalityClaim.objects.filter(application=locked).delete()
    _claim(locked, municipalities)
    locked.resubmitted_at = now
    _set_status(locked, S.IN_ASSESSMENT, user, note="Sendt inn på nytt av søkeren.", resubmitted=True)
    from .tasks import send_receipt

    application_id = locked.pk
    transaction.on_commit(lambda: send_receipt.enqueue(application_id))
    return locked.reference


def answer_changes(application, snapshot=None):
    """(section, question, before, after) for every answer that differs from the
    snapshot taken when more information was asked for (the latest one by default)."""
    snapshot = snapshot or application.snapshots.first()
    if snapshot is None:
        return []
    before = {(s["section"], label): value for s in snapshot.answers for label, value in s["rows"]}
    changes = []
    for section in sections.answers_snapshot(application):
        for label, value in section["rows"]:
            old = before.get((section["section"], label), "")
            if old != value:
                changes.append((section["section"], label, old, value))
    return changes


def save_review(application, user, criterion, score, comment=""):
    """Score one criterion (1–5); a second save by the same person replaces the first."""
    _require(user, permissions.ASSESS)
    if application.status not in ACTIVE:
        raise WorkflowError("Søknaden er ferdig behandlet og kan ikke vurderes.")
    if criterion.round_id != application.round_id:
        raise WorkflowError("Kriteriet hører ikke til denne utlysingen.")
    if not 1 <= int(score) <= 5:
        raise WorkflowError("Poeng må være fra 1 til 5.")
    review, _ = Review.objects.update_or_create(
        application=application, reviewer=user, criterion=criterion, defaults={"score": score, "comment": comment}
    )
    log(
        instance=application,
        action="pilots.reviewed",
        user=user,
        data={"criterion": criterion.name, "score": int(score)},
    )
    return review


def add_note(application, user, text):
    _require(user, permissions.ASSESS)
    note = InternalNote.objects.create(application=application, author=user, text=text)
    log(instance=application, action="pilots.note_added", user=user, data={})
    return note


def _lock_round(round_id):
    """Serialise every decision in a round: two decision makers acting at once queue
    up here, so the second one counts the first one's selection."""
    return Round.objects.select_for_update().get(pk=round_id)


def selected_count(round, exclude=None):
    """Pilots chosen so far: released (selected) and prepared (decision "selected")."""
    chosen = Application.objects.filter(round=round).filter(
        Q(status=S.SELECTED) | Q(status__in=ACTIVE, decision=Application.Decision.SELECTED)
    )
    if exclude is not None:
        chosen = chosen.exclude(pk=exclude.pk)
    return chosen.count()


def set_decision(application, decision, user):
    """Prepare (or clear) the decision for one application; not visible to the
    applicant until `release_decisions`. Never more than the round's max_pilots."""
    _require(user, permissions.DECIDE)
    decision = Application.Decision(decision)
    with transaction.atomic():
        round = _lock_round(application.round_id)
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status not in ACTIVE:
            raise WorkflowError("Vedtaket for denne søknaden er allerede frigitt, eller søknaden er trukket.")
        if decision == Application.Decision.SELECTED:
            if locked.status != S.SHORTLISTED:
                raise WorkflowError("Bare søknader på kortlisten kan velges.")
            if selected_count(round, exclude=locked) >= round.max_pilots:
                raise WorkflowError(
                    f"Utlysingen kan ha høyst {round.max_pilots} piloter, og så mange er allerede valgt. "
                    "Fjern en annen søknad fra de valgte først."
                )
        previous = locked.decision
        locked.decision = decision
        locked.save(update_fields=["decision", "updated_at"])
        log(
            instance=locked,
            action="pilots.decision_prepared",
            user=user,
            data={"from": previous, "to": decision.value, "to_label": decision.label},
        )
    application.refresh_from_db()


def prepare_not_selected_for_rest(round, user):
    """Mark every active application without a prepared decision as not selected, so
    one release tells every applicant."""
    _require(user, permissions.DECIDE)
    count = 0
    for application in Application.objects.filter(round=round, status__in=ACTIVE, decision=""):
        set_decision(application, Application.Decision.NOT_SELECTED, user)
        count += 1
    return count


def release_decisions(round, user):
    """Release every prepared decision of the round in one transaction: final status,
    one DecisionNotice per application (unique, so a second release adds none) and a
    decision e-mail queued on commit for every notice not yet sent. Returns the
    number of applications released now."""
    _require(user, permissions.DECIDE)
    from .tasks import send_decision_notice

    now = timezone.now()
    with transaction.atomic():
        round = _lock_round(round.pk)
        pending = list(
            Application.objects.select_for_update()
            .select_related("round")
            .filter(round=round, status__in=ACTIVE)
            .exclude(decision="")
            .order_by("pk")
        )
        if selected_count(round) > round.max_pilots:
            raise WorkflowError(f"Flere enn {round.max_pilots} søknader er valgt. Rett dette før vedtakene frigis.")
        for application in pending:
            outcome = S(application.decision)
            if (application.status, outcome) not in TRANSITIONS:
                raise WorkflowError(
                    f"{application}: kan ikke gå fra «{application.get_status_display()}» til «{outcome.label}»."
                )
            _set_status(application, outcome, user, note="Vedtaket er frigitt.")
            DecisionNotice.objects.get_or_create(
                application=application, defaults={"outcome": outcome.value, "released_by": user, "released_at": now}
            )
        log(
            instance=round,
            action="pilots.decisions_released",
            user=user,
            data={"released": len(pending), "selected": sum(a.decision == "selected" for a in pending)},
        )
        unsent = list(
            DecisionNotice.objects.filter(application__round=round, sent_at__isnull=True).values_list("pk", flat=True)
        )
        transaction.on_commit(lambda: [send_decision_notice.enqueue(pk) for pk in unsent])
    return len(pending)
