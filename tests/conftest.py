"""Shared fixtures: a real PostgreSQL test database, real Wagtail pages built by the
demo command, and a real headless Chromium (Debian's package) driven by Playwright."""

import json
import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django would otherwise
# refuse database calls from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent.parent
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_configure(config):
    from django.conf import settings

    # Tests run background tasks at once, in the same transaction, so they can assert on them.
    settings.TASKS = {
        "default": {
            "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "mail", "bulk"],
        }
    }
    _forget_task_backends()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database also needs the database cache table (rate limits, page cache)."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("createcachetable", verbosity=0)


def _forget_task_backends():
    """Django and the django-tasks backport (which Wagtail uses) both build their
    backends from TASKS on first use, which happens during start-up: drop them so
    the immediate backend above takes effect for both."""
    import django.tasks
    import django_tasks
    from asgiref.local import Local

    for handler in (django.tasks.task_backends, django_tasks.task_backends):
        handler.__dict__.pop("settings", None)
        handler._settings = None
        handler._connections = Local(handler.thread_critical)


@pytest.fixture
def demo_site(db, django_capture_on_commit_callbacks):
    """The demo tree from the seed page, as `make run` shows it. Returns the home page.

    Wagtail queues search indexing on commit; tests run in a transaction that never
    commits, so the callbacks are run here explicitly."""
    from django.core.management import call_command

    from policy.models import HomePage

    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", "--no-admin", verbosity=0)
    return HomePage.objects.get()


@pytest.fixture
def topic_page(demo_site):
    from policy.models import TopicPage

    return TopicPage.objects.get(slug="regional-og-distriktspolitikk")


# --- Browser tests ---------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; `make test` installs Debian's chromium package.")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="nb-NO", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def live_site(transactional_db, live_server):
    """A live server with the demo content. The flush between transactional tests
    removes the root page the migrations made, so the demo command rebuilds it."""
    from django.core.management import call_command
    from wagtail.models import Site

    call_command("load_demo", "--no-admin", verbosity=0)
    site = Site.objects.get(is_default_site=True)
    host, port = live_server.url.removeprefix("http://").split(":")
    site.hostname, site.port = host, int(port)
    site.save()
    return live_server


def axe_violations(page, tags=("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")):
    """Run axe-core in the page (through the DevTools protocol, so the strict CSP
    does not block it) and return the violations for WCAG 2.1 A and AA."""
    page.evaluate(AXE_JS.read_text())
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        list(tags),
    )
    return result["violations"]


def assert_no_axe_violations(page):
    violations = axe_violations(page)
    summary = [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in violations
    ]
    assert not violations, f"axe found violations on {page.url}:\n" + json.dumps(summary, indent=2)
