"""The places where feature apps plug into `policy` without `policy` importing them.

- Topic sections: blocks a feature app shows on every TopicPage ("Aktuelt nå",
  "Dokumenter"). A section is a function `(topic_page, request) -> dict | None`
  returning template context; it is rendered with its `template`. A section that
  shows the same to everyone until something is published (`cached=True`) is kept
  as HTML under the purge generation (policy.fragments); one that also changes with
  the clock (an application round opening) gives `changes_at`, a function
  `(page, request, now) -> datetime | None` telling when it next does, and is kept
  until then.
- Home sections: the same for the home page ("Aktuelt", open calls), a function
  `(home_page, request) -> dict | None`.
- Both kinds show the items of their page's own content language (Wagtail locale):
  the English home page lists English news, never the Norwegian. A section filters
  its items by `page.locale_id`, or, when it has items in some locales only (the
  application portal is Norwegian), names them in `locales` and is left out elsewhere.
- Periodic jobs: functions run by `manage.py run_scheduler` every `every` seconds
  (Wagtail's scheduled publishing, the newsletter's sweeper).

Feature apps register in their AppConfig.ready().
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone, translation

from . import fragments, translations


@dataclass(frozen=True)
class Section:
    name: str
    order: int
    template: str
    get_context: Callable
    cached: bool = False
    changes_at: Callable | None = None
    locales: tuple[str, ...] | None = None  # language codes of Wagtail locales; None: every locale

    def shown_on(self, page):
        return self.locales is None or translations.locale_code(page) in self.locales


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: int
    run: Callable


_topic_sections: dict[str, Section] = {}
_home_sections: dict[str, Section] = {}
_periodic_jobs: dict[str, PeriodicJob] = {}


def register_topic_section(name, *, order, template, get_context, cached=False, locales=None):
    _topic_sections[name] = Section(name, order, template, get_context, cached, locales=_codes(locales))


def topic_sections():
    return sorted(_topic_sections.values(), key=lambda s: s.order)


def register_home_section(name, *, order, template, get_context, cached=False, changes_at=None, locales=None):
    _home_sections[name] = Section(name, order, template, get_context, cached, changes_at, _codes(locales))


def _codes(locales):
    return None if locales is None else tuple(locales)


def home_sections():
    return sorted(_home_sections.values(), key=lambda s: s.order)


def render_sections(sections, page, request):
    """The sections that have something to show on `page`, as the page templates
    include them: `{"template": ..., "context": ...}`, or `{"html": ..., "context":
    {"feeds": ...}}` for a cached section (the page head reads only its feeds)."""
    shown = []
    # The page (so its locale) and the language the HTML is rendered in.
    key = [page.pk, translation.get_language()]
    for section in sections:
        if not section.shown_on(page):
            continue
        if section.cached and section.changes_at is not None and fragments.enabled(request):
            entry = fragments.cached_until(
                request, f"section:{section.name}", key, lambda s=section: _rendered_until(s, page, request)
            )
        elif section.cached:
            entry = fragments.cached(
                request, f"section:{section.name}", key, lambda s=section: _rendered(s, page, request)
            )
        else:
            context = section.get_context(page, request)
            entry = {"template": section.template, "context": context} if context else None
        if entry:
            shown.append(entry)
    return shown


def _rendered(section, page, request):
    """The section as HTML, rendered without context processors so that nothing about
    the visitor (CSRF token, user) can end up in the shared copy."""
    context = section.get_context(page, request)
    if not context:
        return None
    html = render_to_string(section.template, {"section": context, "page": page, "request": request})
    return {"html": html, "context": {"feeds": context.get("feeds", [])}}


def _rendered_until(section, page, request):
    """The section as HTML and when it next changes with the clock, that moment read
    before the content so that a change in between is never missed."""
    until = section.changes_at(page, request, timezone.now())
    return _rendered(section, page, request), until


def register_periodic_job(name, *, every, run):
    _periodic_jobs[name] = PeriodicJob(name, every, run)


def periodic_jobs():
    return list(_periodic_jobs.values())
