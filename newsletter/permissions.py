"""Who may send an issue, send a test of it to themselves, and follow its sending.

Sending is a model permission (`newsletter.send_issue`, held by the
"Nyhetsbrevansvarlig" group), a test follows the page permissions of the issue.
The policy is registered for IssueDispatch, the sending, in wagtail_hooks.py; the
admin views and the issue's header buttons ask it.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.permission_policies import BasePermissionPolicy
from wagtail.permissions import page_permission_policy

SEND_PERMISSION = "newsletter.send_issue"
# Page actions that let a user edit a page ("add" lets an owner edit their own pages).
EDIT_ACTIONS = ("add", "change")


class IssueSendingPermissionPolicy(BasePermissionPolicy):
    """Actions on the sending of an issue:

    - "send": send an issue to its subscribers (the send permission);
    - "send_test": mail the latest revision to oneself (whoever may edit the issue);
    - "view": follow the sending (either of the two).

    The instance in the per-instance checks is the issue page: an issue has no
    IssueDispatch before it is sent, and who may edit it is a page permission.
    """

    def __init__(self):
        super().__init__("newsletter.IssueDispatch")

    def _may_send(self, user):
        return user.is_active and user.has_perm(SEND_PERMISSION)

    def user_has_permission(self, user, action):
        """For some issue: decides the checks made before an issue is looked at."""
        if action == "send":
            return self._may_send(user)
        may_edit_pages = page_permission_policy.user_has_any_permission(user, EDIT_ACTIONS)
        if action == "send_test":
            return may_edit_pages
        if action == "view":
            return self._may_send(user) or may_edit_pages
        return False

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "send":
            return self._may_send(user)
        may_edit = instance.permissions_for_user(user).can_edit()
        if action == "send_test":
            return may_edit
        if action == "view":
            return may_edit or self._may_send(user)
        return False

    def users_with_any_permission(self, actions):
        users = get_user_model()._default_manager
        allowed = Q(pk__in=[])
        if {"send", "view"} & set(actions):
            allowed |= Q(pk__in=users.with_perm(SEND_PERMISSION).values("pk"))
        if {"send_test", "view"} & set(actions):
            allowed |= Q(pk__in=page_permission_policy.users_with_any_permission(EDIT_ACTIONS).values("pk"))
        return users.filter(is_active=True).filter(allowed)
