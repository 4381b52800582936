from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo import casework, documents, english, news, newsletter, pilots
from demo.site import load_navigation, load_policy_tree

# In order: each loader may link to pages an earlier one made.
LOADERS = [
    news.load_news,
    documents.load_documents_demo,
    pilots.load_demo,
    casework.load_casework_demo,
    newsletter.load,
    english.load_english,  # translates pages that load_policy_tree made
    load_navigation,  # last: the menu links to pages the others made
]

DEMO_ADMIN = ("admin", "demo-admin-lokal")


class Command(BaseCommand):
    help = "Build (or update) the demo site from the seed page. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--no-admin", action="store_true", help="Do not create the demo admin account.")

    def handle(self, *args, **options):
        # The known password is for a developer's own machine only: refuse before loading anything.
        if not options["no_admin"] and not settings.DEBUG:
            raise CommandError("The demo admin account is only created with DEBUG on. Use --no-admin.")
        with transaction.atomic():
            home = load_policy_tree(self.stdout)
            for load in LOADERS:
                load(home, self.stdout)
        if not options["no_admin"]:
            self.ensure_demo_admin()
        self.stdout.write(self.style.SUCCESS("Demo content is loaded."))

    def ensure_demo_admin(self):
        username, password = DEMO_ADMIN
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"email": "admin@example.invalid", "is_staff": True, "is_superuser": True}
        )
        if created:
            user.set_password(password)
            user.save()
