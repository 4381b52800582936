import datetime

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def bind_existing_invitations(apps, schema_editor):
    """Invitations sent before links existed gave access to whoever signed in with the
    address. An applicant who has already signed in with that address (their identity's
    proven e-mail) keeps access as a member; the invitation counts as accepted. The
    others stay pending for a fresh period without a working link: the lead sees them
    under «Hvem har tilgang» and sends them again, which mails a link."""
    Invitation = apps.get_model("pilots", "Invitation")
    ApplicationMember = apps.get_model("pilots", "ApplicationMember")
    ApplicantIdentity = apps.get_model("pilots", "ApplicantIdentity")
    now = django.utils.timezone.now()
    days = getattr(settings, "PILOTS_INVITATION_DAYS", 7)
    for invitation in Invitation.objects.select_related("application").order_by("pk"):
        identity = ApplicantIdentity.objects.filter(email__iexact=invitation.email).order_by("pk").first()
        if identity is None:
            invitation.expires_at = now + datetime.timedelta(days=days)
            invitation.save(update_fields=["expires_at"])
            continue
        if identity.user_id != invitation.application.created_by_id:
            ApplicationMember.objects.get_or_create(
                application_id=invitation.application_id,
                user_id=identity.user_id,
                removed_at=None,
                defaults={
                    "invited_email": invitation.email,
                    "invited_by_id": invitation.invited_by_id,
                    "accepted_at": invitation.created_at,
                },
            )
        invitation.expires_at = invitation.created_at
        invitation.accepted_at, invitation.accepted_by_id = now, identity.user_id
        invitation.save(update_fields=["expires_at", "accepted_at", "accepted_by"])


class Migration(migrations.Migration):
    dependencies = [
        ("pilots", "0005_applicant_identity"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ApplicationMember",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "role",
                    models.CharField(
                        choices=[("lead", "Kan invitere og fjerne andre"), ("writer", "Medskriver")],
                        default="writer",
                        max_length=10,
                        verbose_name="rolle",
                    ),
                ),
                ("invited_email", models.EmailField(blank=True, max_length=254, verbose_name="invitert som")),
                ("accepted_at", models.DateTimeField(verbose_name="godtatt")),
                ("removed_at", models.DateTimeField(blank=True, null=True, verbose_name="fjernet")),
            ],
            options={
                "verbose_name": "medskriver",
                "verbose_name_plural": "medskrivere",
                "ordering": ["accepted_at"],
            },
        ),
        migrations.RemoveConstraint(
            model_name="invitation",
            name="invitation_once",
        ),
        migrations.AddField(
            model_name="invitation",
            name="accepted_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="godtatt"),
        ),
        migrations.AddField(
            model_name="invitation",
            name="accepted_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="invitation",
            name="expires_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="utløper"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="invitation",
            name="role",
            field=models.CharField(
                choices=[("lead", "Kan invitere og fjerne andre"), ("writer", "Medskriver")],
                default="writer",
                max_length=10,
                verbose_name="rolle",
            ),
        ),
        migrations.AddField(
            model_name="invitation",
            name="token_hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="invitation",
            name="withdrawn_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="trukket tilbake"),
        ),
        migrations.AddField(
            model_name="invitation",
            name="withdrawn_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddConstraint(
            model_name="invitation",
            constraint=models.UniqueConstraint(
                condition=models.Q(("accepted_at__isnull", True), ("withdrawn_at__isnull", True)),
                fields=("application", "email"),
                name="invitation_pending_once",
            ),
        ),
        migrations.AddConstraint(
            model_name="invitation",
            constraint=models.UniqueConstraint(
                condition=models.Q(("token_hash", ""), _negated=True),
                fields=("token_hash",),
                name="invitation_token_once",
            ),
        ),
        migrations.AddField(
            model_name="applicationmember",
            name="application",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="members", to="pilots.application"
            ),
        ),
        migrations.AddField(
            model_name="applicationmember",
            name="invited_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="applicationmember",
            name="removed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="applicationmember",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="application_memberships",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddConstraint(
            model_name="applicationmember",
            constraint=models.UniqueConstraint(
                condition=models.Q(("removed_at__isnull", True)),
                fields=("application", "user"),
                name="member_active_once",
            ),
        ),
        migrations.RunPython(bind_existing_invitations, migrations.RunPython.noop),
    ]
