"""Consent events are append-only in the database too, and the restricted
"Nyhetsbrevansvarlig" group gets the newsletter permissions."""

from django.db import migrations

APPEND_ONLY_SQL = """
CREATE OR REPLACE FUNCTION newsletter_consentevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'newsletter_consentevent is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER newsletter_consentevent_append_only
    BEFORE UPDATE OR DELETE ON newsletter_consentevent
    FOR EACH ROW EXECUTE FUNCTION newsletter_consentevent_append_only();
"""

DROP_APPEND_ONLY_SQL = """
DROP TRIGGER IF EXISTS newsletter_consentevent_append_only ON newsletter_consentevent;
DROP FUNCTION IF EXISTS newsletter_consentevent_append_only();
"""

GROUP_NAME = "Nyhetsbrevansvarlig"
PERMISSIONS = [
    ("newsletter", "view_subscriber"),
    ("newsletter", "view_consentevent"),
    ("newsletter", "view_suppression"),
    ("newsletter", "view_newsletterlist"),
    ("newsletter", "add_newsletterlist"),
    ("newsletter", "change_newsletterlist"),
    ("newsletter", "view_consenttext"),
    ("newsletter", "add_consenttext"),
    ("newsletter", "change_consenttext"),
    ("newsletter", "send_issue"),
    ("wagtailadmin", "access_admin"),
]


def create_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    for app_label, codename in PERMISSIONS:
        permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
        if permission:
            group.permissions.add(permission)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("newsletter", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunSQL(APPEND_ONLY_SQL, DROP_APPEND_ONLY_SQL),
        migrations.RunPython(create_group, remove_group),
    ]
