"""Helpers for the case-handling tests: staff in the real groups, and applications
submitted through the real service."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from pilots import services
from pilots.models import Application, Criterion
from pilots.permissions import ensure_groups
from tests.pilots.conftest import complete_application, make_user


def staff(username, group=None):
    """A staff user in "Saksbehandler", "Beslutter" or Wagtail's "Editors" group.

    The groups come from the data migration; transactional tests flush them, so they
    are made again here (same function as the migration)."""
    if not Group.objects.filter(name="Beslutter").exists():
        ensure_groups(Group, Permission)
    user = get_user_model().objects.create_user(username, f"{username}@kdd.example", "passord-123")
    if group:
        group_obj, _ = Group.objects.get_or_create(name=group)
        if group == "Editors" and not group_obj.permissions.exists():
            group_obj.permissions.add(Permission.objects.get(codename="access_admin"))
        user.groups.add(group_obj)
    return user


def submitted(round, email, lead, partners=(), status=None, title=None, themes=None):
    """A submitted application (through services.submit), optionally moved on to `status`
    by writing the field (the transitions themselves are tested elsewhere)."""
    application = complete_application(round, make_user(email), lead=lead, partners=partners)
    if title or themes:
        Application.objects.filter(pk=application.pk).update(
            title=title or application.title, themes=themes or application.themes
        )
    services.submit(application, application.created_by)
    if status:
        Application.objects.filter(pk=application.pk).update(status=status)
    application.refresh_from_db()
    return application


def criteria(round, names=("Forankring", "Overføringsverdi", "Gjennomførbarhet", "Utfordringsbilde")):
    return [Criterion.objects.create(round=round, name=name, sort_order=n) for n, name in enumerate(names)]


def assert_refused(response):
    """Wagtail turns a PermissionDenied inside the admin into a redirect to the
    dashboard with "Sorry, you do not have permission…" (outside it: a plain 403)."""
    assert response.status_code in (302, 403), response.status_code
    if response.status_code == 302:
        assert response["Location"] == "/admin/"
