"""The time rules of a round, judged by the server's clock against the round's aware
datetimes (stored in UTC, shown in Europe/Oslo).

The deadline second itself is on time: a round closing 23:59:59 accepts
23:59:59.999 and refuses 00:00:00. A submission started (the declaration page
reached) before the deadline may finish within the round's grace period."""

from django.utils import timezone

from .status import ACTIVE, Status


def on_time(moment, deadline):
    """The one comparison every deadline uses (whole seconds count as on time)."""
    return moment.replace(microsecond=0) <= deadline


def is_open_for_answers(application, now=None):
    """Answers can change while the application is a draft and the round is open, and
    again, after the deadline, while the ministry has asked for more information."""
    now = now or timezone.now()
    if application.status == Status.MORE_INFORMATION:
        return True
    return application.status == Status.DRAFT and application.round.is_open(now)


def submission_deadline(application):
    """The deadline that applies to this application's submission, including grace."""
    round = application.round
    started = application.submission_started_at
    if started is not None and on_time(started, round.closes_at):
        return round.closes_at + round.grace_period
    return round.closes_at


def can_submit_now(application, now=None):
    now = now or timezone.now()
    if application.status == Status.MORE_INFORMATION:
        return True
    return application.status == Status.DRAFT and on_time(now, submission_deadline(application))


def supplement_deadline(round):
    """The one supplement deadline of a round: its own, or else the closing time. Every
    page and mail that states it uses this (formatted by the template filter
    `supplement_deadline`), so they cannot disagree."""
    return round.supplement_deadline or round.closes_at


def can_add_supplement(application, now=None):
    """After submission, extra attachments (such as a council decision) until the
    supplement deadline, whatever case handling has reached short of a released
    decision or a withdrawal: handling often starts before council decisions are due."""
    now = now or timezone.now()
    return application.status in ACTIVE and on_time(now, supplement_deadline(application.round))


def can_withdraw(application, now=None):
    """The applicant may withdraw a submitted application at any time while the case is
    active, that is until a decision is released (or it is withdrawn already). A party
    can withdraw an application until the authority has decided it; the round's
    deadlines do not limit that, and neither does case handling having started."""
    return application.status in ACTIVE
