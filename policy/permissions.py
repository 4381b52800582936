"""Permission policies shared by the feature apps' admin screens."""

from wagtail.permission_policies import ModelPermissionPolicy


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """For records only the app's own services write (applications, subscribers,
    consent events): the admin may list and inspect them, but nobody adds, edits or
    deletes them there, not even a superuser. Everything else is the ordinary Django
    permission check."""

    REFUSED = frozenset({"add", "change", "delete"})

    def user_has_permission(self, user, action):
        return action not in self.REFUSED and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a not in self.REFUSED])
