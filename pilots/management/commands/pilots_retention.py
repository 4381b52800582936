from django.conf import settings
from django.core.management.base import BaseCommand

from pilots.casework.retention import apply_retention


class Command(BaseCommand):
    help = (
        "Anonymiser søknader og slett vedlegg i utlysinger som stengte for mer enn N år siden "
        "(standard: PILOTS_RETENTION_YEARS)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=settings.PILOTS_RETENTION_YEARS)
        parser.add_argument("--dry-run", action="store_true", help="Bare tell, ikke endre noe.")

    def handle(self, *args, years, dry_run, **options):
        if years < 1:
            self.stderr.write("--years må være minst 1.")
            return
        result = apply_retention(years, dry_run=dry_run)
        verb = "ville blitt" if dry_run else "ble"
        self.stdout.write(
            f"Utlysinger som stengte for mer enn {years} år siden: {len(result.rounds)}. "
            f"{result.applications} søknader {verb} anonymisert, {result.drafts_deleted} utkast {verb} slettet, "
            f"{result.attachments} vedlegg {verb} slettet, {result.contacts} kontaktpersoner {verb} slettet. "
            f"{result.deleted_attachments} vedlegg som søkere slettet, {verb} fjernet for godt."
        )
