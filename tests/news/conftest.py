"""Fixtures for the news tests: the archive and a small topic tree under `home`.

The tree is what the news app reads: a topic with two sub-topics (a topic gathers
its sub-topics' items, a sibling does not), and an archive at /aktuelt/. Items are
made in each test with tests/factories/news.py, so every title and date a test
asserts on is written in that test."""

import datetime

import pytest
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection

from tests.factories.news import GovernmentFactory, NewsIndexPageFactory
from tests.factories.policy import TopicPageFactory

from .recording_backend import PURGED_URLS


@pytest.fixture
def archive(home):
    """The archive ("Aktuelt") at /aktuelt/."""
    return NewsIndexPageFactory(parent=home, title="Aktuelt", slug="aktuelt")


@pytest.fixture
def topic(home):
    return TopicPageFactory(parent=home, title="Distriktspolitikk", slug="distriktspolitikk")


@pytest.fixture
def subtopic(topic):
    return TopicPageFactory(parent=topic, title="Bygdevekst", slug="bygdevekst")


@pytest.fixture
def other_subtopic(topic):
    return TopicPageFactory(parent=topic, title="Distriktsmelding", slug="distriktsmelding")


@pytest.fixture
def governments(db):
    """An earlier and the sitting government; the change of government is on 14.10.2021."""
    return [
        GovernmentFactory(
            name="Regjeringen Solberg", start_date=datetime.date(2013, 10, 16), end_date=datetime.date(2021, 10, 14)
        ),
        GovernmentFactory(name="Regjeringen Støre", start_date=datetime.date(2021, 10, 14), end_date=None),
    ]


@pytest.fixture
def image(db):
    return Image.objects.create(title="Bygd", file=get_test_image_file(), collection=Collection.get_first_root_node())


@pytest.fixture
def purged(settings):
    """The URLs sent to the frontend cache (a recording backend instead of a CDN)."""
    settings.WAGTAILFRONTENDCACHE = {"recorder": {"BACKEND": "tests.news.recording_backend.RecordingBackend"}}
    PURGED_URLS.clear()
    yield PURGED_URLS
    PURGED_URLS.clear()
