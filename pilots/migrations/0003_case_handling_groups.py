"""The groups "Saksbehandler" and "Beslutter" with their permissions.

Permissions are normally created after all migrations have run; they are created
here first so the groups can be given them in the same run."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from pilots.casework.permissions import ensure_groups


def create_groups(apps, schema_editor):
    # wagtailadmin's own migration made its "access_admin" permission already.
    config = apps.get_app_config("pilots")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    ensure_groups(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Saksbehandler", "Beslutter"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("pilots", "0002_casework"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
