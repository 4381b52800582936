"""Fill the database with tagged benchmark data, or remove it again.

    python tests/perf/generate.py                      # the full set (10,000 news, ...)
    python tests/perf/generate.py --news 10 --documents 10 --applications 0
    python tests/perf/generate.py --remove             # delete exactly the generated rows

Uses DJANGO_SETTINGS_MODULE (default config.settings) and the database it names.
Never run this against a database people use: the benchmark makes its own (see
tests/perf/database.py). The generators live in tests/perf/data/, one per app.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main(argv=None):
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from tests.perf.data import GENERATORS, run

    parser = argparse.ArgumentParser(description="Generate (or with --remove delete) tagged benchmark data in bulk.")
    for generator in GENERATORS:
        parser.add_argument(
            f"--{generator.name}",
            type=int,
            default=generator.default,
            metavar="COUNT",
            help=f"How many {generator.name} to generate (default {generator.default}).",
        )
    parser.add_argument("--remove", action="store_true", help="Delete the generated rows instead.")
    options = parser.parse_args(argv)
    started = time.monotonic()
    counts = {g.name: getattr(options, g.name) for g in GENERATORS}
    run(counts, remove=options.remove, out=sys.stdout, progress_stream=sys.stderr)
    print(f"Done in {time.monotonic() - started:.1f} s.")


if __name__ == "__main__":
    main()
