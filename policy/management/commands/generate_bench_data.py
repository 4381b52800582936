"""Fill the database with tagged benchmark data, or remove it again.

    manage.py generate_bench_data                      # the full set (10,000 news, ...)
    manage.py generate_bench_data --news 10 --documents 10 --applications 0
    manage.py generate_bench_data --remove             # delete exactly the generated rows

Each feature app registers its generator (policy.registry.register_bench_generator);
every generator gets an option `--<name> COUNT`. Never run this against a database
people use: the benchmark makes its own (see tests/perf/database.py).
"""

import time

from django.core.management.base import BaseCommand

from policy import registry
from policy.bench import Progress


class Command(BaseCommand):
    help = "Generate (or with --remove delete) tagged benchmark data in bulk."

    def add_arguments(self, parser):
        for generator in registry.bench_generators():
            parser.add_argument(
                f"--{generator.name}",
                type=int,
                default=generator.default,
                metavar="COUNT",
                help=f"How many {generator.name} to generate (default {generator.default}).",
            )
        parser.add_argument("--remove", action="store_true", help="Delete the generated rows instead.")

    def handle(self, *args, **options):
        started = time.monotonic()
        generators = registry.bench_generators()
        if options["remove"]:
            for generator in reversed(generators):
                removed = generator.remove()
                self.stdout.write(f"{generator.name}: removed {removed}")
        else:
            for generator in generators:
                count = options[generator.name]
                if count <= 0:
                    continue
                progress = Progress(generator.name, count, stream=self.stderr._out)
                generator.generate(count, progress)
                progress.finish()
        self.stdout.write(self.style.SUCCESS(f"Done in {time.monotonic() - started:.1f} s."))
