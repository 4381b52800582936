"""The benchmark data generator: generated pages are real pages (they render, are in
the search index and in the finder), and --remove deletes exactly what it made."""

import io
import subprocess
import sys

import pytest
from wagtail.models import Page
from wagtail.search.models import IndexEntry

from documents.models import DocumentPage
from news.models import NewsPage
from newsletter.models import Subscriber, Subscription
from pilots.models import Application
from tests.conftest import ROOT
from tests.factories.documents import DocumentIndexPageFactory
from tests.factories.news import NewsIndexPageFactory
from tests.factories.newsletter import NewsletterListFactory
from tests.factories.policy import TopicPageFactory
from tests.perf import data

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(home):
    """What the generators fill: topics, the news archive, the finder and a list."""
    TopicPageFactory(parent=home, title="Fjellpolitikk")
    NewsIndexPageFactory(parent=home)
    DocumentIndexPageFactory(parent=home)
    NewsletterListFactory(name="Distriktsbrevet")
    return home


def generate(**counts):
    data.run(counts, out=io.StringIO(), progress_stream=io.StringIO())


def test_generated_pages_render_and_are_found(site, client):
    generate(news=3, documents=3, applications=3, subscribers=3)

    document = DocumentPage.objects.get(slug="bench-dokument-3")
    response = client.get(document.url)
    assert response.status_code == 200
    assert "testdokument 3" in response.text
    assert "PDF, " in response.text  # the attachment's file facts

    item = NewsPage.objects.get(slug="bench-sak-2")
    assert client.get(item.url).status_code == 200

    search = client.get("/sok/", {"q": "testdokument"})
    assert search.text.count("testdokument") >= 3

    finder = client.get(document.get_parent().url, {"q": "testdokument"})
    assert "testdokument 1" in finder.text

    assert Application.objects.filter(round__name__startswith="Bench: ").count() == 3
    subscriptions = Subscription.objects.filter(subscriber__email__endswith="@bench.invalid", status="confirmed")
    assert subscriptions.count() == 3
    assert {s.newsletter_list.name for s in subscriptions} == {"Distriktsbrevet"}


def test_remove_deletes_exactly_the_generated_rows(site, client):
    before = (Page.objects.count(), IndexEntry.objects.count(), Application.objects.count(), Subscriber.objects.count())
    home_children = site.get_children().count()

    generate(news=4, documents=4, applications=4, subscribers=4)
    assert Page.objects.count() == before[0] + 8
    data.run({}, remove=True, out=io.StringIO(), progress_stream=io.StringIO())

    after = (Page.objects.count(), IndexEntry.objects.count(), Application.objects.count(), Subscriber.objects.count())
    assert after == before
    assert site.get_children().count() == home_children
    # The tree is still consistent: numchild matches the real children everywhere.
    for page in Page.objects.filter(numchild__gt=0):
        assert page.numchild == page.get_children().count()
    assert client.get("/dokumenter/").status_code == 200


def test_generator_script_lists_every_generator():
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "perf" / "generate.py"), "--help"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    for generator in data.GENERATORS:
        assert f"--{generator.name} COUNT" in result.stdout
