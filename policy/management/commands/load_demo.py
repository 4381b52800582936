from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from policy import registry
from policy.demo import load_policy_tree

DEMO_ADMIN = ("admin", "demo-admin-lokal")


class Command(BaseCommand):
    help = "Build (or update) the demo site from the seed page. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--no-admin", action="store_true", help="Do not create the demo admin account.")

    def handle(self, *args, **options):
        with transaction.atomic():
            home = load_policy_tree(self.stdout)
            for loader in registry.demo_loaders():
                loader.load(home, self.stdout)
        if not options["no_admin"]:
            self.ensure_demo_admin()
        self.stdout.write(self.style.SUCCESS("Demo content is loaded."))

    def ensure_demo_admin(self):
        # The known password is for a developer's own machine only.
        if not settings.DEBUG:
            raise CommandError("The demo admin account is only created with DEBUG on. Use --no-admin.")
        username, password = DEMO_ADMIN
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"email": "admin@example.invalid", "is_staff": True, "is_superuser": True}
        )
        if created:
            user.set_password(password)
            user.save()
