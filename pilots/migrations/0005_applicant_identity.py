import re

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import migrations, models

LOOKS_LIKE_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def give_applicants_an_identity(apps, schema_editor):
    """Applicants who signed in by e-mail link before identities existed (their username
    is the address) keep their applications: they get an `email-link` identity. Staff,
    superusers and anyone with a password are left out, so they get no applicant access."""
    User = apps.get_model(settings.AUTH_USER_MODEL)
    ApplicantIdentity = apps.get_model("pilots", "ApplicantIdentity")
    taken = set(ApplicantIdentity.objects.values_list("subject", flat=True))
    for user in User.objects.filter(
        is_staff=False, is_superuser=False, password__startswith=UNUSABLE_PASSWORD_PREFIX
    ).order_by("pk"):
        address = user.username.strip().lower()
        if not LOOKS_LIKE_EMAIL.match(address) or address in taken:
            continue
        ApplicantIdentity.objects.create(
            user=user, method="email-link", subject=address, email=address, last_sign_in_at=user.last_login
        )
        taken.add(address)


class Migration(migrations.Migration):
    dependencies = [
        ("pilots", "0004_norwegian_model_names"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ApplicantIdentity",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "method",
                    models.CharField(
                        choices=[("email-link", "E-postlenke"), ("idporten", "ID-porten")],
                        max_length=20,
                        verbose_name="innloggingsmåte",
                    ),
                ),
                ("subject", models.CharField(max_length=255, verbose_name="identifikator")),
                ("email", models.EmailField(blank=True, max_length=254, verbose_name="e-post")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("last_sign_in_at", models.DateTimeField(blank=True, null=True)),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="applicant_identity",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={"verbose_name": "søkeridentitet", "verbose_name_plural": "søkeridentiteter"},
        ),
        migrations.AddConstraint(
            model_name="applicantidentity",
            constraint=models.UniqueConstraint(fields=("method", "subject"), name="applicant_identity_once"),
        ),
        migrations.AlterField(
            model_name="signintoken",
            name="token_hash",
            field=models.CharField(blank=True, max_length=64, null=True, unique=True),
        ),
        migrations.AddIndex(
            model_name="signintoken",
            index=models.Index(fields=["email", "created_at"], name="pilots_sign_email_2ec1e3_idx"),
        ),
        migrations.RunPython(give_applicants_an_identity, migrations.RunPython.noop),
    ]
