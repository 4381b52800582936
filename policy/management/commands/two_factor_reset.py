"""Remove a staff member's authenticator app and recovery codes, for someone who lost
both: their next sign-in sets up a new app. Run it only after confirming who asks."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from policy import two_factor


class Command(BaseCommand):
    help = "Remove a user's two-factor app and recovery codes (they set up a new app at the next sign-in)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        removed = two_factor.remove_devices(user)
        self.stdout.write(f"Removed {removed} two-factor device(s) of {username}.")
