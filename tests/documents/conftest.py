"""Fixtures for the documents tests.

The shared set of documents (tests/documents/helpers.py `build_library`) is built
once per test module with `module_data`: it uploads two PDFs whose page counts are
read in subprocesses, too slow to repeat for every test. `library` fetches it again
for each test, so one test's changes never reach the next. A test that needs
something else (a data table, a broken file) makes it itself with the factories.
"""

from types import SimpleNamespace

import pytest

from documents.models import DocumentIndexPage, DocumentPage
from policy.models import HomePage, TopicPage
from tests.conftest import module_data
from tests.documents.helpers import build_library
from tests.factories.policy import site_tree
from tests.news.recording_backend import PURGED_URLS

_library = module_data(lambda: build_library(site_tree()))


@pytest.fixture
def library(_library, db):
    """The shared documents, by name: `library.index`, `library.guidelines`,
    `library.topics.village`, and `library.documents` (every document page, by name)."""
    documents = DocumentPage.objects.in_bulk(_library["documents"].values())
    topics = TopicPage.objects.in_bulk(_library["topics"].values())
    by_name = {key: documents[pk] for key, pk in _library["documents"].items()}
    return SimpleNamespace(
        home=HomePage.objects.get(pk=_library["home"]),
        index=DocumentIndexPage.objects.get(pk=_library["index"]),
        topics=SimpleNamespace(**{key: topics[pk] for key, pk in _library["topics"].items()}),
        documents=by_name,
        **by_name,
    )


@pytest.fixture
def purged(settings):
    """The URLs sent to the frontend cache (a recording backend instead of a CDN)."""
    settings.WAGTAILFRONTENDCACHE = {"recorder": {"BACKEND": "tests.news.recording_backend.RecordingBackend"}}
    PURGED_URLS.clear()
    yield PURGED_URLS
    PURGED_URLS.clear()
