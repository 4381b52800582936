"""Shared fixtures: a real PostgreSQL test database, real Wagtail pages built by the
factories in tests/factories, and a real headless Chromium (Debian's package)
driven by Playwright, with axe-core.

One fixture style across apps:
- `home` is the default Site's home page; each app's conftest adds the few pages
  its tests read (built with its factories), function-scoped and cheap;
- a tree that is expensive to build (files to read, many pages) is built once per
  module with `module_data`, inside an outer transaction that is rolled back;
- browser tests use `live_home`, the same tree behind a live server.
A missing prerequisite (Chromium, npm packages, reference data) fails the test with
a message saying what to install; a skipped test fails the run.

Settings for the tests (tasks run at once, fast hashing, temporary media folders)
are in config/test_settings.py.
"""

import json
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings as conf
from django.db import connection, transaction
from django.test import Client

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


# --- No silent skips ---------------------------------------------------------


def pytest_sessionfinish(session, exitstatus):
    """A skipped test is a prerequisite nobody installed: fail the run."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if skipped and exitstatus == 0:
        reporter.write_line(f"{skipped} test(s) skipped: a skip is a failure here (see the reasons above).", red=True)
        session.exitstatus = 1


# --- Database ------------------------------------------------------------------


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database also needs the database cache table (rate limits, page cache)
    and the municipality register (committed, so every test sees it)."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("createcachetable", verbosity=0)
        load_register()


def load_register():
    """The real register from pilots/register/data; reloaded after a transactional test's flush."""
    from django.conf import settings

    from pilots.models import Municipality
    from pilots.register.reference import load_from_csv

    if not Municipality.objects.exists():
        load_from_csv(settings.REFERENCE_DATA_DIR)


@pytest.fixture(scope="session", autouse=True)
def _remove_test_media():
    """config/test_settings.py puts uploads and metrics in temporary folders; remove them afterwards."""
    yield
    from django.conf import settings

    for folder in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT, getattr(settings, "METRICS_TEST_DIR", None)):
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


def run_on_commit_hooks():
    """Run what would run on commit (search indexing, file facts) inside an open transaction."""
    while connection.run_on_commit:
        callbacks, connection.run_on_commit = connection.run_on_commit, []
        for _savepoints, callback, _robust in callbacks:
            callback()


def module_data(build):
    """A module-scoped fixture from `build()`, for data too slow to build per test.

    It is built once inside an outer transaction (each test then runs in a savepoint
    inside it) and rolled back after the module. Return primary keys, not model
    instances, and fetch them in a function-scoped fixture: an instance shared
    between tests would carry one test's changes into the next."""

    @pytest.fixture(scope="module")
    def fixture(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock():
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                value = build()
                run_on_commit_hooks()
                yield value
            finally:
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)

    return fixture


# --- Pages -------------------------------------------------------------------------


@pytest.fixture
def home(db):
    """The home page, root of the default Site."""
    from tests.factories.policy import site_tree

    return site_tree()


@pytest.fixture
def live_home(transactional_db, live_server, settings):
    """The home page of a live server's Site (for browser tests), with SITE_URL set to
    the live server so that links in mail lead back to it. The flush between
    transactional tests removes everything, so the tree and register are rebuilt."""
    from tests.factories.policy import site_tree

    load_register()
    settings.SITE_URL = live_server.url
    host, port = live_server.url.removeprefix("http://").split(":")
    return site_tree(hostname=host, port=int(port))


# --- Browser tests -------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; `make test` installs Debian's chromium package.")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# The narrowest screen WCAG's reflow criterion asks for (320 CSS px).
PHONE = {"width": 320, "height": 640}


def _browser_page(browser, viewport):
    context = browser.new_context(locale="nb-NO", viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


@pytest.fixture
def page(browser):
    context, page = _browser_page(browser, {"width": 1280, "height": 900})
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    """A page on a 320 px wide screen."""
    context, page = _browser_page(browser, PHONE)
    yield page
    context.close()


def axe_violations(page, tags=("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")):
    """Run axe-core in the page (through the DevTools protocol, so the strict CSP
    does not block it) and return the violations for WCAG 2.1 A and AA."""
    if not AXE_JS.is_file():
        pytest.fail(f"axe-core not found at {AXE_JS}; `make test` installs it with `npm ci`.")
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


# --- Staff ------------------------------------------------------------------------


@pytest.fixture
def client():
    """Django's test client; its `force_login` also gives staff the second factor
    the admin asks them for (tests.factories.policy.StaffClient)."""
    from tests.factories.policy import StaffClient

    return StaffClient()


# --- OpenID Connect ------------------------------------------------------------------


@pytest.fixture(scope="session")
def oidc_provider(live_server):
    """The local OpenID Provider (`node scripts/oidc-provider.mjs`) as a real process,
    with the applicant and staff clients registered for the test client's address
    (http://testserver) and the live server's. Yields its issuer URL."""
    from tests.oidc_provider import clients, running_provider

    with running_provider(clients("http://testserver", live_server.url)) as issuer:
        yield issuer


@pytest.fixture
def oidc_settings(settings, oidc_provider):
    """ID-porten and the staff provider configured against the local provider, for tests
    through the test client (redirect URIs are built from SITE_URL)."""
    from tests.oidc_provider import configure

    configure(settings, oidc_provider)
    settings.SITE_URL = "http://testserver"
    return settings


def signed_in_page(browser, live_server, user, viewport):
    """A browser page whose session is `user`'s (signing in itself has tests of its own)."""
    session = Client()
    session.force_login(user)
    context = browser.new_context(locale="nb-NO", viewport=viewport)
    context.add_cookies(
        [{"name": conf.SESSION_COOKIE_NAME, "value": session.cookies[conf.SESSION_COOKIE_NAME].value,
          "url": live_server.url}]
    )  # fmt: skip
    page = context.new_page()
    page.set_default_timeout(15000)
    return page
