"""An application's statuses, in one place: their staff names, what the applicant is
told, the groups the rules ask about, and which moves between them exist.

Who may make a move is a permission of case handling (casework.permissions); the
moves themselves are listed here so the portal, the admin and the services agree."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """The staff names; `public_label` is what the applicant sees."""

    DRAFT = "draft", _("Utkast")
    SUBMITTED = "submitted", _("Sendt inn")
    IN_ASSESSMENT = "in_assessment", _("Til vurdering")
    MORE_INFORMATION = "more_information", _("Trenger mer informasjon")
    SHORTLISTED = "shortlisted", _("Aktuell (kortliste)")
    SELECTED = "selected", _("Valgt")
    NOT_SELECTED = "not_selected", _("Ikke valgt")
    WITHDRAWN = "withdrawn", _("Trukket")

    @property
    def public_label(self):
        return PUBLIC_LABELS[self]

    def can_move_to(self, new_status):
        """Whether the transitions table has this move (not who may make it)."""
        return new_status in TRANSITIONS.get(self, ())

    @property
    def next_statuses(self):
        return TRANSITIONS.get(self, ())


class Decision(models.TextChoices):
    """A decision prepared by a decision maker, not yet released to the applicant."""

    NONE = "", _("Ingen")
    SELECTED = "selected", _("Foreslått valgt")
    NOT_SELECTED = "not_selected", _("Foreslått ikke valgt")


#: The applicant works on the answers: a draft, or after the ministry asked for more information.
EDITABLE = (Status.DRAFT, Status.MORE_INFORMATION)

#: Submitted at least once: the ministry's cases (a draft is not an application yet).
CASES = tuple(status for status in Status if status != Status.DRAFT)

#: Still being handled: no decision has been released.
ACTIVE = (Status.SUBMITTED, Status.IN_ASSESSMENT, Status.MORE_INFORMATION, Status.SHORTLISTED)

#: The final outcomes, set only when decisions are released (never one by one).
OUTCOMES = (Status.SELECTED, Status.NOT_SELECTED)

#: What the portfolio lists: the shortlist and the pilots chosen from it.
PORTFOLIO = (Status.SHORTLISTED, Status.SELECTED)

#: What the applicant is told. Shortlisting is an internal step: the applicant still
#: sees "Under behandling".
PUBLIC_LABELS = {
    Status.DRAFT: _("Ikke sendt inn"),
    Status.SUBMITTED: _("Sendt inn"),
    Status.IN_ASSESSMENT: _("Under behandling"),
    Status.MORE_INFORMATION: _("Vi trenger mer informasjon – du kan endre søknaden og sende den inn på nytt"),
    Status.SHORTLISTED: _("Under behandling"),
    Status.SELECTED: _("Valgt som pilotområde"),
    Status.NOT_SELECTED: _("Ikke valgt som pilotområde"),
    Status.WITHDRAWN: _("Trukket"),
}

#: The moves of case handling, from each status, in the order the admin offers them.
#: Submitting, resubmitting and the applicant's own withdrawal are the applicant's
#: steps (see services); they are not in this table.
TRANSITIONS = {
    Status.SUBMITTED: (Status.IN_ASSESSMENT, Status.MORE_INFORMATION, Status.WITHDRAWN, Status.NOT_SELECTED),
    Status.IN_ASSESSMENT: (Status.MORE_INFORMATION, Status.SHORTLISTED, Status.WITHDRAWN, Status.NOT_SELECTED),
    Status.MORE_INFORMATION: (Status.IN_ASSESSMENT, Status.WITHDRAWN, Status.NOT_SELECTED),
    Status.SHORTLISTED: (Status.IN_ASSESSMENT, Status.WITHDRAWN, Status.NOT_SELECTED, Status.SELECTED),
}


class AttachmentCheck(models.TextChoices):
    """Where an uploaded file is in the content check the task worker runs
    (pilots.portal.tasks.check_attachment). An application cannot be submitted while
    one of its files is still being checked or was refused."""

    PENDING = "pending", _("Under kontroll")
    APPROVED = "approved", _("Godkjent")
    REJECTED = "rejected", _("Avvist")
