"""The places where feature apps plug into `policy` without `policy` importing them.

- Topic sections: blocks a feature app shows on every TopicPage ("Aktuelt nå",
  "Dokumenter"). A section is a function `(topic_page, request) -> dict | None`
  returning template context; it is rendered with its `template`.
- Home sections: the same for the home page ("Aktuelt", open calls), a function
  `(home_page, request) -> dict | None`.
- Periodic jobs: functions run by `manage.py run_scheduler` every `every` seconds
  (Wagtail's scheduled publishing, the newsletter's sweeper).

Feature apps register in their AppConfig.ready().
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    name: str
    order: int
    template: str
    get_context: Callable


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: int
    run: Callable


_topic_sections: dict[str, Section] = {}
_home_sections: dict[str, Section] = {}
_periodic_jobs: dict[str, PeriodicJob] = {}


def register_topic_section(name, *, order, template, get_context):
    _topic_sections[name] = Section(name, order, template, get_context)


def topic_sections():
    return sorted(_topic_sections.values(), key=lambda s: s.order)


def register_home_section(name, *, order, template, get_context):
    _home_sections[name] = Section(name, order, template, get_context)


def home_sections():
    return sorted(_home_sections.values(), key=lambda s: s.order)


def render_sections(sections, page, request):
    """The sections that have something to show on `page`, as the page templates
    include them: `{"template": ..., "context": ...}`."""
    shown = []
    for section in sections:
        context = section.get_context(page, request)
        if context:
            shown.append({"template": section.template, "context": context})
    return shown


def register_periodic_job(name, *, every, run):
    _periodic_jobs[name] = PeriodicJob(name, every, run)


def periodic_jobs():
    return list(_periodic_jobs.values())
