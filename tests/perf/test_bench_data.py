"""The benchmark data generator: generated pages are real pages (they render, are in
the search index and in the finder), and --remove deletes exactly what it made."""

import io

import pytest
from django.core.management import call_command
from wagtail.models import Page
from wagtail.search.models import IndexEntry

from documents.models import DocumentPage
from news.models import NewsPage
from newsletter.models import Subscriber, Subscription
from pilots.models import Application

pytestmark = pytest.mark.django_db


def generate(**counts):
    call_command("generate_bench_data", stdout=io.StringIO(), stderr=io.StringIO(), **counts)


def test_generated_pages_render_and_are_found(demo_site, client):
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
    assert Subscription.objects.filter(subscriber__email__endswith="@bench.invalid", status="confirmed").count() == 3


def test_remove_deletes_exactly_the_generated_rows(demo_site, client):
    before = (Page.objects.count(), IndexEntry.objects.count(), Application.objects.count(), Subscriber.objects.count())
    home_children = demo_site.get_children().count()

    generate(news=4, documents=4, applications=4, subscribers=4)
    assert Page.objects.count() == before[0] + 8
    call_command("generate_bench_data", remove=True, stdout=io.StringIO())

    after = (Page.objects.count(), IndexEntry.objects.count(), Application.objects.count(), Subscriber.objects.count())
    assert after == before
    assert demo_site.get_children().count() == home_children
    # The tree is still consistent: numchild matches the real children everywhere.
    for page in Page.objects.filter(numchild__gt=0):
        assert page.numchild == page.get_children().count()
    assert client.get("/dokumenter/").status_code == 200
