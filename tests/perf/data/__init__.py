"""Benchmark data generators, one module per app, run in order by tests/perf/generate.py.

Each module has `generate(count, progress)`, which bulk-inserts `count` tagged rows
and calls `progress(n)` as it goes, and `remove() -> int`, which deletes exactly the
tagged rows (see common.py for the tagging)."""

from dataclasses import dataclass
from types import ModuleType

from . import applications, documents, news, subscribers
from .common import Progress


@dataclass(frozen=True)
class Generator:
    name: str
    module: ModuleType
    default: int


# In order: documents and news need the topic pages, applications need the register.
GENERATORS = [
    Generator("news", news, 10000),
    Generator("documents", documents, 10000),
    Generator("applications", applications, 2000),
    Generator("subscribers", subscribers, 50000),
]


def run(counts, *, remove=False, out, progress_stream):
    """Generate `counts` ({name: count}) rows, or remove every generated row."""
    if remove:
        for generator in reversed(GENERATORS):
            out.write(f"{generator.name}: removed {generator.module.remove()}\n")
    else:
        for generator in GENERATORS:
            count = counts.get(generator.name, 0)
            if count > 0:
                progress = Progress(generator.name, count, stream=progress_stream)
                generator.module.generate(count, progress)
                progress.finish()
    # Bulk inserts send no publish signals: drop the cached sitemap as publishing would.
    from policy.sitemap import invalidate

    invalidate()
