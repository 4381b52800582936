import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pilots.register.reference import MissingReferenceData, load_centrality_csv, load_from_csv


class Command(BaseCommand):
    help = (
        "Load the municipality register, counties and SSB centrality from the CSV files in "
        "pilots/register/data (or --dir). With --centrality, load one new SSB centrality edition. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=None, help="Folder with the CSV files (REFERENCE_DATA_DIR).")
        parser.add_argument("--centrality", type=Path, metavar="FILE", help="A new SSB centrality CSV file.")
        parser.add_argument("--edition", help="The year of that centrality edition, for example 2025.")
        parser.add_argument(
            "--register-from",
            type=datetime.date.fromisoformat,
            default=datetime.date(2024, 1, 1),
            metavar="YYYY-MM-DD",
            help="First day of the register edition the centrality file uses (default 2024-01-01).",
        )

    def handle(self, *args, **options):
        try:
            if options["centrality"]:
                if not options["edition"]:
                    raise CommandError("--centrality needs --edition (the index year, for example 2025).")
                load_centrality_csv(options["centrality"], options["edition"], options["register_from"], self.stdout)
            else:
                load_from_csv(options["dir"] or Path(settings.REFERENCE_DATA_DIR), self.stdout)
        except (MissingReferenceData, ValueError, KeyError) as error:
            raise CommandError(f"Reference data not loaded: {error}") from error
        self.stdout.write(self.style.SUCCESS("Reference data loaded."))
