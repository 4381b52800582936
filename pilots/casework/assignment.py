"""Who handles a case: the case handler it is assigned to, and the people who have
declared themselves disqualified (inhabil, the Public Administration Act § 6).

The rule, enforced here, in services and in the permission policy:

- a case is assigned to at most one person in a case-handling group ("Saksbehandler"
  or "Beslutter", who has every case-handler permission), while it is being handled;
- anyone who may see applications can declare themselves disqualified in a case, with
  an optional reason; the declaration stays on the case and cannot be withdrawn;
- a disqualified person is never assigned the case (declaring removes an assignment),
  and cannot assign it, score it, write or read its notes and scores, change its
  status, confirm authority, or prepare or release its decision.

Every change is logged on the application. Raises PermissionDenied or WorkflowError."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from pilots.applications.services import WorkflowError, lock
from pilots.applications.status import ACTIVE, CASES

from .models import CaseAssignment, Disqualification
from .permissions import (
    ASSIGN,
    CASE_HANDLER_GROUP,
    DECISION_MAKER_GROUP,
    VIEW,
    is_disqualified,
    require,
)


def person_name(user):
    return user.get_full_name() or user.get_username()


def case_handlers():
    """The people a case can be assigned to."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[CASE_HANDLER_GROUP, DECISION_MAKER_GROUP])
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def assignable_handlers(application):
    """Case handlers who are not disqualified in `application`."""
    disqualified = Disqualification.objects.filter(application_id=application.pk).values("person_id")
    return case_handlers().exclude(pk__in=disqualified)


def assign(application, handler, user):
    """Assign the case to `handler` (replacing anyone assigned before)."""
    with transaction.atomic():
        locked = lock(application)
        require(user, ASSIGN, locked)
        if locked.status not in ACTIVE:
            raise WorkflowError(_("Søknaden er ikke under behandling, så den kan ikke tildeles."))
        if not case_handlers().filter(pk=handler.pk).exists():
            raise WorkflowError(_("%(person)s er ikke saksbehandler.") % {"person": person_name(handler)})
        if is_disqualified(handler, locked):
            raise WorkflowError(
                _("%(person)s har erklært seg inhabil i saken og kan ikke få den tildelt.")
                % {"person": person_name(handler)}
            )
        current = CaseAssignment.objects.filter(application=locked).select_related("handler").first()
        if current is not None and current.handler_id == handler.pk:
            return current
        assignment, _created = CaseAssignment.objects.update_or_create(
            application=locked, defaults={"handler": handler, "assigned_by": user}
        )
        log(
            instance=locked,
            action="pilots.assigned",
            user=user,
            data={"handler": person_name(handler), "previous": person_name(current.handler) if current else ""},
        )
    return assignment


def unassign(application, user):
    """Leave the case without a case handler."""
    with transaction.atomic():
        locked = lock(application)
        require(user, ASSIGN, locked)
        _remove_assignment(locked, user)


def _remove_assignment(locked, user, reason=""):
    current = CaseAssignment.objects.filter(application=locked).select_related("handler").first()
    if current is None:
        return
    current.delete()
    log(
        instance=locked,
        action="pilots.unassigned",
        user=user,
        data={"handler": person_name(current.handler), "reason": reason},
    )


def declare_disqualified(application, user, reason=""):
    """`user` declares themselves disqualified in the case; if it was assigned to
    them, it is no longer."""
    require(user, VIEW)
    reason = reason.strip()
    with transaction.atomic():
        locked = lock(application)
        if locked.status not in CASES:
            raise WorkflowError(_("Søknaden er ikke sendt inn."))
        if is_disqualified(user, locked):
            raise WorkflowError(_("Du har allerede erklært deg inhabil i denne saken."))
        declaration = Disqualification.objects.create(application=locked, person=user, reason=reason)
        log(
            instance=locked,
            action="pilots.disqualified",
            user=user,
            data={"person": person_name(user), "reason": reason},
        )
        if CaseAssignment.objects.filter(application=locked, handler=user).exists():
            _remove_assignment(locked, user, reason="inhabil")
    return declaration
