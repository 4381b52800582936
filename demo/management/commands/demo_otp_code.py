"""Print the current two-factor code of a demo account's authenticator app, so a
developer can sign in to the admin on their own machine without a phone.

    manage.py demo_otp_code saksbehandler

Only with DEBUG on, and only in the demo app, which production never installs: a
command that prints codes would otherwise undo the second factor."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Print the current code of a demo account's authenticator app (DEBUG only)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        if not settings.DEBUG:
            raise CommandError("Codes are only printed with DEBUG on.")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        # The confirmed app, or the one being set up (the set-up page made it).
        device = TOTPDevice.objects.filter(user=user).order_by("-confirmed", "pk").first()
        if device is None:
            raise CommandError(f"{username} has no app yet: sign in at /admin/ first, then run this again.")
        code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{code:0{device.digits}d}")
