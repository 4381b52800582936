"""Who may do what in case handling, in one place.

Two groups: "Saksbehandler" sees applications, scores them, writes notes and moves
them between the case-handling statuses; "Beslutter" can also prepare decisions
(select / not select) and release them. Page editors have none of these
permissions, so the admin menu items are hidden and every view refuses them.

Views and services ask the application permission policy with the action names
below; the policy is registered for the Application model in wagtail_hooks.py, so
Wagtail's generic views ask it too.

A person who has declared themselves disqualified (inhabil) in a case keeps seeing
what the applicant sent, but takes no part in handling it: the CASE_ACTIONS below are
refused for that case, whatever their groups (`require` is what services call).

`ensure_groups` takes the model classes as arguments so the data migration can pass
its historical models and tests (whose transactional flush empties the tables) can
pass the real ones."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from policy.permissions import ReadOnlyPermissionPolicy

from .models import Disqualification

CASE_HANDLER_GROUP = "Saksbehandler"
DECISION_MAKER_GROUP = "Beslutter"

#: Actions of the application permission policy.
VIEW = "view"
ASSESS = "assess"
CHANGE_STATUS = "change_status"
DECIDE = "decide"
ASSIGN = "assign"
#: Reading the scores, reviews and internal notes of a case.
READ_INTERNAL = "read_internal"

#: What a disqualified person may not do in the case they are disqualified in.
CASE_ACTIONS = frozenset({ASSESS, CHANGE_STATUS, DECIDE, ASSIGN, READ_INTERNAL})

_CASE_HANDLER = [
    ("wagtailadmin", "admin", "access_admin"),
    ("pilots", "application", "view_application"),
    ("pilots", "application", "assess_application"),
    ("pilots", "application", "change_application_status"),
]
_DECISION_MAKER = _CASE_HANDLER + [
    ("pilots", "application", "decide_application"),
    ("pilots", "criterion", "add_criterion"),
    ("pilots", "criterion", "change_criterion"),
    ("pilots", "criterion", "delete_criterion"),
    ("pilots", "decisionemailtemplate", "add_decisionemailtemplate"),
    ("pilots", "decisionemailtemplate", "change_decisionemailtemplate"),
]
GROUP_PERMISSIONS = {CASE_HANDLER_GROUP: _CASE_HANDLER, DECISION_MAKER_GROUP: _DECISION_MAKER}


def ensure_groups(Group, Permission):
    """Create both groups with exactly their permissions (idempotent)."""
    for name, wanted in GROUP_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        permissions = [
            Permission.objects.get(content_type__app_label=app, content_type__model=model, codename=codename)
            for app, model, codename in wanted
        ]
        group.permissions.set(permissions)


class ApplicationPermissionPolicy(ReadOnlyPermissionPolicy):
    """Applications come from applicants: nobody adds, edits or deletes them in the
    admin, so the generic add/edit/delete views stay closed. The case-handling
    actions are the model's own permissions."""

    #: Actions whose permission is not called "<action>_application".
    CODENAMES = {
        CHANGE_STATUS: "change_application_status",
        ASSIGN: "change_application_status",
        READ_INTERNAL: "view_application",
    }

    def _get_permission_codename(self, action):
        return self.CODENAMES.get(action) or super()._get_permission_codename(action)

    def user_has_permission_for_instance(self, user, action, instance):
        if action in CASE_ACTIONS and is_disqualified(user, instance):
            return False
        return self.user_has_permission(user, action)


application_policy = ApplicationPermissionPolicy("pilots.Application")


def is_disqualified(user, application):
    return Disqualification.objects.filter(application_id=application.pk, person_id=user.pk).exists()


def require(user, action, application=None):
    """Raise PermissionDenied unless `user` may take `action` (on `application`, if given)."""
    if not application_policy.user_has_permission(user, action):
        raise PermissionDenied(_("Du har ikke tilgang til å gjøre dette."))
    if application is not None and action in CASE_ACTIONS and is_disqualified(user, application):
        raise PermissionDenied(_("Du har erklært deg inhabil i denne saken og kan ikke behandle den."))


class MunicipalityPermissionPolicy(ReadOnlyPermissionPolicy):
    """The register loader adds and removes municipalities; staff with the change
    permission only keep the facts no register has (organisation number, e-mail
    domains), so nobody adds or deletes one in the admin."""

    REFUSED = frozenset({"add", "delete"})


municipality_policy = MunicipalityPermissionPolicy("pilots.Municipality")
