"""Fixtures for the application portal: rounds, signed-in applicants, a call page.

The register (municipalities, counties, SSB centrality) is the real one from
pilots/register/data, loaded once per session by tests/conftest.py. Data is built with
tests/factories/pilots.py."""

import datetime
import zoneinfo

import pytest

from tests.factories.pilots import PilotCallPageFactory, RoundFactory
from tests.factories.policy import TopicPageFactory
from tests.factories.portal import ApplicantFactory

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")


def oslo(*args, **kwargs):
    return datetime.datetime(*args, tzinfo=OSLO, **kwargs)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Each test gets its own attachment folder, so a test that checks nothing was
    stored sees only its own files (the session folder collects every test's uploads)."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def open_round(db):
    return RoundFactory()


@pytest.fixture
def applicant(db):
    return ApplicantFactory(email="ola@kommune.example")


@pytest.fixture
def other_applicant(db):
    return ApplicantFactory(email="kari@annen.example")


@pytest.fixture
def call_page(home, open_round):
    """The open round's call page under a topic page."""
    topic = TopicPageFactory(parent=home, title="Bygdevekst")
    return PilotCallPageFactory(parent=topic, round=open_round, title="Søk om å bli pilot")


@pytest.fixture
def live_call_page(live_home):
    """The same for browser tests, behind a live server."""
    topic = TopicPageFactory(parent=live_home, title="Bygdevekst")
    return PilotCallPageFactory(parent=topic, round=RoundFactory(), title="Søk om å bli pilot")
