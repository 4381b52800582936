from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from pilots.reference import MissingReferenceData, load_from_csv


class Command(BaseCommand):
    help = "Load the municipality register, counties and SSB centrality from CSV files. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=None, help="Folder with the CSV files (REFERENCE_DATA_DIR).")

    def handle(self, *args, **options):
        directory = options["dir"] or Path(settings.REFERENCE_DATA_DIR)
        try:
            load_from_csv(directory, self.stdout)
        except MissingReferenceData as error:
            # A machine without ../shared/data can still be set up; the application
            # flow then has no municipalities to choose from.
            self.stdout.write(
                self.style.WARNING(
                    f"Reference data not loaded: {error}. Set REFERENCE_DATA_DIR to the folder "
                    "with municipalities_2024.csv etc. and run `manage.py load_reference_data`."
                )
            )
            return
        self.stdout.write(self.style.SUCCESS("Reference data loaded."))
