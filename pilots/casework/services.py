"""The state changes of case handling: status changes by hand, scores, notes, and
preparing and releasing decisions.

Every status change goes through `change_status` or `release_decisions`, which check
the transitions table (applications.status) and the person's permission and then
write through `applications.services.set_status`, so the audit log entry cannot be
skipped. Raises PermissionDenied or WorkflowError (a message for the person)."""

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from pilots.applications.authority import AuthoritySource, MunicipalityAuthority
from pilots.applications.models import Application, Round
from pilots.applications.services import WorkflowError, claim, lock, set_status
from pilots.applications.status import ACTIVE, OUTCOMES, Decision, Status
from pilots.messages import services as thread

from . import decisions
from .models import DecisionNotice, Disqualification, InternalNote, Review
from .permissions import ASSESS, CHANGE_STATUS, DECIDE, application_policy, require
from .tasks import queue_decision_notice


def permission_for(new_status):
    """The outcomes are decisions, for decision makers; every other move is case handling."""
    return DECIDE if new_status in OUTCOMES else CHANGE_STATUS


def _require(user, action, application=None):
    """The permission, and for one case also that the person is not disqualified in it."""
    require(user, action, application)


def allowed_transitions(application, user):
    """The statuses `user` may move `application` to by hand (for the admin form);
    the outcomes are left out, since they are set only by releasing decisions."""
    return [
        new
        for new in Status(application.status).next_statuses
        if new not in OUTCOMES
        and application_policy.user_has_permission_for_instance(user, permission_for(new), application)
    ]


def change_status(application, new_status, user, note="", question="", reply_by=None):
    """Move an application to `new_status` by hand, if the table and the user's permission allow it.

    «Trenger mer informasjon» asks the applicant a `question` to answer by `reply_by`
    (both required; the applicant gets the question by mail, see messages.services)."""
    new_status = Status(new_status)
    with transaction.atomic():
        locked = lock(application)
        if not Status(locked.status).can_move_to(new_status):
            raise WorkflowError(
                _("Søknaden kan ikke gå fra «%(from)s» til «%(to)s».")
                % {"from": locked.get_status_display(), "to": new_status.label}
            )
        _require(user, permission_for(new_status), locked)
        if new_status in OUTCOMES:
            raise WorkflowError(_("Vedtak (valgt / ikke valgt) settes når vedtakene frigis samlet, fra porteføljen."))
        set_status(locked, new_status, user, note)
        if new_status == Status.MORE_INFORMATION:
            thread.ask_question(locked, user, question, reply_by)
    application.refresh_from_db()


def send_message(application, user, text):
    """A message to the applicant about the case (mailed, and shown in the portal)."""
    _require(user, CHANGE_STATUS, application)
    return thread.send_message(application, user, text)


def mark_answers_read(application, user):
    """The applicant's new answers have been read: «Nytt svar» goes away."""
    _require(user, CHANGE_STATUS, application)
    return thread.mark_read(application, user)


def save_review(application, user, criterion, score, comment=""):
    """Score one criterion (1–5); a second save by the same person replaces the first."""
    _require(user, ASSESS, application)
    if application.status not in ACTIVE:
        raise WorkflowError(_("Søknaden er ferdig behandlet og kan ikke vurderes."))
    if criterion.round_id != application.round_id:
        raise WorkflowError(_("Kriteriet hører ikke til denne utlysingen."))
    if not 1 <= int(score) <= 5:
        raise WorkflowError(_("Poeng må være fra 1 til 5."))
    review, _created = Review.objects.update_or_create(
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
    _require(user, ASSESS, application)
    note = InternalNote.objects.create(application=application, author=user, text=text)
    log(instance=application, action="pilots.note_added", user=user, data={})
    return note


def confirm_authority(application, municipality, user, note):
    """A case handler has contacted the municipality and confirms that the applicant
    may act for it: record it, claim the municipality for the round, and log it.

    Refused when another application already holds the municipality's claim in this
    round (its authority was established first); nothing is saved then."""
    _require(user, CHANGE_STATUS, application)
    note = note.strip()
    if not note:
        raise WorkflowError(_("Skriv hvem i kommunen du har snakket med, og hva de bekreftet."))
    with transaction.atomic():
        locked = lock(application)
        if locked.status not in ACTIVE:
            raise WorkflowError(_("Søknaden er ikke under behandling, så fullmakten kan ikke bekreftes."))
        if not locked.municipality_links.filter(municipality=municipality).exists():
            raise WorkflowError(
                _("%(municipality)s er ikke med i denne søknaden.") % {"municipality": municipality.display_name}
            )
        if MunicipalityAuthority.objects.filter(application=locked, municipality=municipality).exists():
            raise WorkflowError(
                _("Fullmakten for %(municipality)s kommune er allerede bekreftet.")
                % {"municipality": municipality.display_name}
            )
        holder = claim(locked, municipality)
        if holder is not None:
            raise WorkflowError(
                _(
                    "%(municipality)s kommune er allerede med i søknad %(holder)s, der det er bekreftet at "
                    "søkeren kan søke på vegne av kommunen. Avklar med kommunen hvilken søknad som gjelder. "
                    "Bekreftelsen er ikke lagret."
                )
                % {"municipality": municipality.display_name, "holder": holder}
            )
        MunicipalityAuthority.objects.create(
            application=locked,
            municipality=municipality,
            source=AuthoritySource.CASE_HANDLER,
            evidence="Bekreftet av saksbehandler etter kontakt med kommunen",
            person=locked.created_by,
            confirmed_by=user,
            note=note,
        )
        log(
            instance=locked,
            action="pilots.authority_confirmed",
            user=user,
            data={"municipality": municipality.display_name, "number": municipality.number, "note": note},
        )


# --- Decisions ---------------------------------------------------------------------


def _lock_round(round_id):
    """Serialise every decision in a round: two decision makers acting at once queue
    up here, so the second one counts the first one's selection."""
    return Round.objects.select_for_update().get(pk=round_id)


def selected_count(round, exclude=None):
    """Pilots chosen so far: released (selected) and prepared (decision "selected")."""
    chosen = Application.objects.filter(round=round).chosen()
    if exclude is not None:
        chosen = chosen.exclude(pk=exclude.pk)
    return chosen.count()


def set_decision(application, decision, user):
    """Prepare (or clear) the decision for one application; not visible to the
    applicant until `release_decisions`. Never more than the round's max_pilots."""
    _require(user, DECIDE, application)
    decision = Decision(decision)
    with transaction.atomic():
        round = _lock_round(application.round_id)
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status not in ACTIVE:
            raise WorkflowError(_("Vedtaket for denne søknaden er allerede frigitt, eller søknaden er trukket."))
        if decision == Decision.SELECTED:
            if locked.status != Status.SHORTLISTED:
                raise WorkflowError(_("Bare søknader på kortlisten kan velges."))
            if selected_count(round, exclude=locked) >= round.max_pilots:
                raise WorkflowError(
                    _(
                        "Utlysingen kan ha høyst %(max_pilots)s piloter, og så mange er allerede valgt. "
                        "Fjern en annen søknad fra de valgte først."
                    )
                    % {"max_pilots": round.max_pilots}
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


def rest_for_not_selected(round, user):
    """What «ikke valgt» for the rest would do, for the page that asks first. Of the
    active applications without a prepared decision, it marks the assessed ones
    (shortlisted, or «Til vurdering» and scored by someone) and leaves alone the
    unassessed ones (still «Sendt inn», waiting for the applicant's answer, or not
    scored yet) and those `user` is disqualified in."""
    rest = (
        Application.objects.filter(round=round)
        .undecided()
        .annotate(review_total=Count("reviews"))
        .order_by("reference", "pk")
    )
    disqualified = set(Disqualification.objects.filter(person=user).values_list("application_id", flat=True))
    split = {"marked": [], "unassessed": [], "disqualified": []}
    for application in rest:
        if application.pk in disqualified:
            split["disqualified"].append(application)
        elif application.status == Status.SHORTLISTED or (
            application.status == Status.IN_ASSESSMENT and application.review_total
        ):
            split["marked"].append(application)
        else:
            split["unassessed"].append(application)
    return split


def prepare_not_selected_for_rest(round, user, confirmed=None):
    """Mark the applications `rest_for_not_selected` would mark as not selected, so
    one release tells every applicant; with `confirmed` (the ids the person saw on the
    confirmation page), only those of them, so nothing they did not see changes.
    Returns how many were marked."""
    _require(user, DECIDE)
    with transaction.atomic():
        _lock_round(round.pk)
        ids = [a.pk for a in rest_for_not_selected(round, user)["marked"]]
        if confirmed is not None:
            confirmed = set(confirmed)
            ids = [pk for pk in ids if pk in confirmed]
        for application in Application.objects.filter(pk__in=ids).order_by("pk"):
            set_decision(application, Decision.NOT_SELECTED, user)
    return len(ids)


def release_decisions(round, user):
    """Release every prepared decision of the round in one transaction: final status,
    one DecisionNotice per application (unique, so a second release adds none) and its
    decision letter, frozen and queued in the outbox with it. Refused while a letter
    lacks grounds, contact person or (selected) amount. Returns the number of
    applications released now."""
    _require(user, DECIDE)
    now = timezone.now()
    with transaction.atomic():
        round = _lock_round(round.pk)
        pending = list(
            Application.objects.select_for_update()
            .select_related("round")
            .filter(round=round)
            .prepared()
            .order_by("pk")
        )
        stood_aside = Disqualification.objects.filter(person=user, application__in=pending)
        if stood_aside.exists():
            references = ", ".join(d.application.reference for d in stood_aside.select_related("application"))
            raise WorkflowError(
                _("Du har erklært deg inhabil i %(references)s, så en annen beslutter må frigi vedtakene.")
                % {"references": references}
            )
        if selected_count(round) > round.max_pilots:
            raise WorkflowError(
                _("Flere enn %(max_pilots)s søknader er valgt. Rett dette før vedtakene frigis.")
                % {"max_pilots": round.max_pilots}
            )
        decisions.refuse_incomplete(pending)
        for application in pending:
            outcome = Status(application.decision)
            if not Status(application.status).can_move_to(outcome):
                raise WorkflowError(
                    _("%(application)s: kan ikke gå fra «%(from)s» til «%(to)s».")
                    % {"application": application, "from": application.get_status_display(), "to": outcome.label}
                )
            set_status(application, outcome, user, note="Vedtaket er frigitt.")
            notice, created = DecisionNotice.objects.get_or_create(
                application=application, defaults={"outcome": outcome.value, "released_by": user, "released_at": now}
            )
            if created:  # the letter is mailed once, in this transaction (the outbox sends it on commit)
                queue_decision_notice(notice, decisions.freeze_letter(application, outcome, now))
        log(
            instance=round,
            action="pilots.decisions_released",
            user=user,
            data={"released": len(pending), "selected": sum(a.decision == Decision.SELECTED for a in pending)},
        )
    return len(pending)
