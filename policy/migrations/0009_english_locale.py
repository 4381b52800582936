"""The English locale, so editors can add the English tree (/en/) on any installation,
not only in the demo. Norwegian ("nb", from LANGUAGE_CODE) is created by Wagtail."""

from django.db import migrations


def add_english(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    Locale.objects.get_or_create(language_code="en")


class Migration(migrations.Migration):
    dependencies = [
        ("policy", "0008_outgoing_mail"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(add_english, migrations.RunPython.noop)]
