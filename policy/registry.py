"""The two places where feature apps plug into `policy` without `policy` importing them.

- Topic sections: blocks a feature app shows on every TopicPage ("Aktuelt nå",
  "Dokumenter"). A section is a function `(topic_page, request) -> dict | None`
  returning template context; it is rendered with its `template`.
- Periodic jobs: functions run by `manage.py run_scheduler` every `every` seconds
  (Wagtail's scheduled publishing, the newsletter's sweeper).

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
class PeriodicJob:
    name: str
    every: int
    run: Callable


_topic_sections: dict[str, TopicSection] = {}
_periodic_jobs: dict[str, PeriodicJob] = {}


def register_topic_section(name, *, order, template, get_context):
    _topic_sections[name] = TopicSection(name, order, template, get_context)


def topic_sections():
    return sorted(_topic_sections.values(), key=lambda s: s.order)


def register_periodic_job(name, *, every, run):
    _periodic_jobs[name] = PeriodicJob(name, every, run)


def periodic_jobs():
    return list(_periodic_jobs.values())
