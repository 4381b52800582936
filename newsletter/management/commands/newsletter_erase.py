from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from newsletter import addresses, subscriptions


class Command(BaseCommand):
    help = (
        "Erase one person from the newsletter on request: delete the subscriber and their "
        "subscriptions, keep only a keyed hash on the suppression list so they are never "
        "mailed again, and record an 'erased' consent event without the address."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        email = addresses.normalise(email)
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"Not an e-mail address: {email!r}") from error
        existed = subscriptions.erase(email)
        if existed:
            self.stdout.write(self.style.SUCCESS("Subscriber erased; the address is suppressed."))
        else:
            self.stdout.write("No subscriber with that address; the address is suppressed all the same.")
