"""The two places where feature apps plug into `policy` without `policy` importing them.

- Topic sections: blocks a feature app shows on every TopicPage ("Aktuelt nå",
  "Dokumenter"). A section is a function `(topic_page, request) -> dict | None`
  returning template context; it is rendered with its `template`.
- Periodic jobs: functions run by `manage.py run_scheduler` every `every` seconds
  (Wagtail's scheduled publishing, the newsletter's sweeper).
- Demo loaders: functions `(home_page, stdout) -> None` that extend the demo
  content; `manage.py load_demo` runs them in order after the policy tree exists.
- Bench generators: `generate(count, progress)` bulk-inserts `count` tagged rows
  for the benchmark and calls `progress(n)` as it goes; `remove() -> int` deletes
  exactly the tagged rows. `manage.py generate_bench_data` runs them in order.

Feature apps register in their AppConfig.ready().
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class TopicSection:
    name: str
    order: int
    template: str
    get_context: Callable


@dataclass(frozen=True)
class DemoLoader:
    name: str
    order: int
    load: Callable


@dataclass(frozen=True)
class BenchGenerator:
    name: str
    order: int
    generate: Callable
    remove: Callable
    default: int = 0


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: int
    run: Callable


_topic_sections: dict[str, TopicSection] = {}
_demo_loaders: dict[str, DemoLoader] = {}
_periodic_jobs: dict[str, PeriodicJob] = {}
_bench_generators: dict[str, BenchGenerator] = {}


def register_topic_section(name, *, order, template, get_context):
    _topic_sections[name] = TopicSection(name, order, template, get_context)


def topic_sections():
    return sorted(_topic_sections.values(), key=lambda s: s.order)


def register_demo_loader(name, *, order, load):
    _demo_loaders[name] = DemoLoader(name, order, load)


def demo_loaders():
    return sorted(_demo_loaders.values(), key=lambda d: d.order)


def register_periodic_job(name, *, every, run):
    _periodic_jobs[name] = PeriodicJob(name, every, run)


def periodic_jobs():
    return list(_periodic_jobs.values())


def register_bench_generator(name, *, order, generate, remove, default=0):
    """`name` becomes the option `--<name> COUNT` of generate_bench_data (`default` when omitted)."""
    _bench_generators[name] = BenchGenerator(name, order, generate, remove, default)


def bench_generators():
    return sorted(_bench_generators.values(), key=lambda g: g.order)
