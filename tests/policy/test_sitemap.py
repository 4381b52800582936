"""The XML sitemap: the same URLs as Wagtail's own sitemap, from a constant number of
queries, split into an index with sections past SITEMAP_MAX_URLS, and fresh as soon
as a page is published, unpublished, moved or hidden."""

import gzip
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap
from wagtail.models import Page, get_page_models

from policy.models import InformationPage
from tests.factories.documents import DocumentIndexPageFactory, DocumentPageFactory
from tests.factories.news import NewsIndexPageFactory, NewsPageFactory
from tests.factories.newsletter import NewsletterIndexPageFactory, NewsletterIssuePageFactory
from tests.factories.pilots import PilotCallPageFactory
from tests.factories.policy import (
    InformationPageFactory,
    PageViewRestrictionFactory,
    SitemapPageFactory,
    TopicPageFactory,
)
from tests.perf.data.common import bulk_add_pages

pytestmark = pytest.mark.django_db

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ROOT = "http://localhost"  # the default Site of the test tree


def parse(content):
    return ElementTree.fromstring(content)  # noqa: S314 - our own sitemap


def listed(content):
    """(loc, lastmod) of every URL of a urlset, in order."""
    tree = parse(content)
    assert tree.tag == f"{NS}urlset"
    return [(url.findtext(f"{NS}loc"), url.findtext(f"{NS}lastmod")) for url in tree.iter(f"{NS}url")]


def locations(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    return {loc for loc, _ in listed(response.content)}


def wagtails_own_sitemap():
    response = wagtail_sitemap(RequestFactory().get("/sitemap.xml"))
    return listed(response.render().content)


@pytest.fixture
def publish_now(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the sitemap's refresh and purges), as a real
    publish's commit would."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


@pytest.fixture
def every_kind_of_page(home, publish_now):
    """One page of every type the site has, plus the pages that must never be listed:
    a draft, an unpublished page and a password-protected section."""

    def build():
        topic = TopicPageFactory(parent=home, slug="fjellpolitikk", publish=True)
        TopicPageFactory(parent=topic, slug="stolsavtaler", publish=True)
        TopicPageFactory(parent=topic, slug="utkast", live=False)
        InformationPageFactory(parent=home, slug="næringsliv-og-nærhet", publish=True)
        SitemapPageFactory(parent=home, publish=True)
        news = NewsIndexPageFactory(parent=home, publish=True)
        NewsPageFactory(parent=news, slug="ny-avtale", topics=[topic])
        NewsPageFactory(parent=news, slug="usendt-sak", live=False)
        documents = DocumentIndexPageFactory(parent=home, publish=True)
        DocumentPageFactory(parent=documents, slug="rapport-om-fjellet", publish=True)
        PilotCallPageFactory(parent=home, slug="utlysing-2027", publish=True)
        letters = NewsletterIndexPageFactory(parent=home, slug="regionalnytt", publish=True)
        NewsletterIssuePageFactory(parent=letters, slug="utgave-mars", publish=True)
        withdrawn = TopicPageFactory(parent=home, slug="trukket-tilbake", publish=True)
        withdrawn.unpublish()
        internal = TopicPageFactory(parent=home, slug="intern", publish=True)
        TopicPageFactory(parent=internal, slug="intern-underside", publish=True)
        PageViewRestrictionFactory(page=internal)
        return {"topic": topic, "internal": internal, "withdrawn": withdrawn}

    return publish_now(build)


def test_lists_the_same_urls_and_dates_as_wagtails_own_sitemap(every_kind_of_page, client):
    response = client.get("/sitemap.xml")
    ours = listed(response.content)
    assert ours == wagtails_own_sitemap()
    locs = {loc for loc, _ in ours}
    assert {
        f"{ROOT}/fjellpolitikk/stolsavtaler/",
        f"{ROOT}/n%C3%A6ringsliv-og-n%C3%A6rhet/",
        f"{ROOT}/aktuelt/ny-avtale/",
        f"{ROOT}/dokumenter/rapport-om-fjellet/",
        f"{ROOT}/utlysing-2027/",
        f"{ROOT}/regionalnytt/utgave-mars/",
    } <= locs


def test_drafts_unpublished_and_restricted_pages_are_never_listed(every_kind_of_page, client):
    locs = locations(client)
    for hidden in ("utkast", "usendt-sak", "trukket-tilbake", "intern", "intern-underside"):
        assert not any(f"/{hidden}/" in loc for loc in locs), hidden


def test_every_page_type_keeps_wagtails_sitemap_entry_and_url():
    """The sitemap reads the page table only: a page type that gave itself other
    sitemap entries or URLs would be listed wrongly, so none may."""
    for model in get_page_models():
        assert model.get_sitemap_urls is Page.get_sitemap_urls, model
        assert model.get_url_parts is Page.get_url_parts, model


def test_answers_as_a_sitemap_that_caches_may_keep(every_kind_of_page, client):
    response = client.get("/sitemap.xml")
    assert response["Content-Type"] == "application/xml"
    assert response["Cache-Control"] == "public, max-age=3600"
    assert response["X-Robots-Tag"] == "noindex, noodp, noarchive"
    assert client.head("/sitemap.xml").status_code == 200
    assert client.post("/sitemap.xml").status_code == 405


def test_sent_compressed_to_clients_that_accept_gzip(every_kind_of_page, client):
    plain = client.get("/sitemap.xml")
    assert "Content-Encoding" not in plain
    assert plain["Vary"] == "Accept-Encoding"

    compressed = client.get("/sitemap.xml", headers={"Accept-Encoding": "br, gzip;q=0.8"})
    assert compressed["Content-Encoding"] == "gzip"
    assert compressed["Vary"] == "Accept-Encoding"
    assert compressed["Content-Type"] == "application/xml"
    assert len(compressed.content) < len(plain.content)
    assert gzip.decompress(compressed.content) == plain.content

    refused = client.get("/sitemap.xml", headers={"Accept-Encoding": "gzip;q=0, deflate"})
    assert "Content-Encoding" not in refused
    assert refused.content == plain.content


def test_last_modified_is_the_newest_publication(home, client, publish_now):
    publish_now(lambda: home.save_revision().publish())
    newest = publish_now(lambda: TopicPageFactory(parent=home, slug="ny", publish=True))
    response = client.get("/sitemap.xml")
    assert response["Last-Modified"] == newest.last_published_at.strftime("%a, %d %b %Y %H:%M:%S GMT")


def test_publishing_shows_at_once_even_through_the_page_cache(home, client, publish_now, settings):
    settings.PAGE_CACHE_ENABLED = True
    topic = publish_now(lambda: TopicPageFactory(parent=home, slug="fjellpolitikk", publish=True))
    client.get("/sitemap.xml")
    # The sitemap keeps its own compressed copy: the page cache never stores it.
    assert "X-Cache" not in client.get("/sitemap.xml")

    publish_now(lambda: TopicPageFactory(parent=topic, slug="nyheit", publish=True))
    assert f"{ROOT}/fjellpolitikk/nyheit/" in locations(client)

    publish_now(topic.unpublish)
    assert f"{ROOT}/fjellpolitikk/" not in locations(client)


def test_moving_and_hiding_a_section_shows_at_once(home, client, publish_now):
    first = publish_now(lambda: TopicPageFactory(parent=home, slug="forste", publish=True))
    second = publish_now(lambda: TopicPageFactory(parent=home, slug="andre", publish=True))
    assert f"{ROOT}/andre/" in locations(client)

    publish_now(lambda: second.move(first, pos="last-child"))
    assert f"{ROOT}/forste/andre/" in locations(client)

    restriction = publish_now(lambda: PageViewRestrictionFactory(page=first))
    assert locations(client) == {f"{ROOT}/"}
    publish_now(restriction.delete)
    assert f"{ROOT}/forste/andre/" in locations(client)


def test_past_the_limit_the_sitemap_is_an_index_of_sections(home, client, publish_now, settings):
    settings.SITEMAP_MAX_URLS = 3
    publish_now(lambda: [TopicPageFactory(parent=home, slug=f"tema-{n}", publish=True) for n in range(6)])

    index = parse(client.get("/sitemap.xml").content)
    assert index.tag == f"{NS}sitemapindex"
    sections = [loc.text for loc in index.iter(f"{NS}loc")]
    assert sections == [f"{ROOT}/sitemap-1.xml", f"{ROOT}/sitemap-2.xml", f"{ROOT}/sitemap-3.xml"]

    pages = [listed(client.get(section.removeprefix(ROOT)).content) for section in sections]
    assert [len(section) for section in pages] == [3, 3, 1]
    assert [url for section in pages for url in section] == wagtails_own_sitemap()
    assert client.get("/sitemap-4.xml").status_code == 404
    assert client.get("/sitemap-0.xml").status_code == 404


def test_below_the_limit_there_are_no_sections(home, client):
    assert parse(client.get("/sitemap.xml").content).tag == f"{NS}urlset"
    assert client.get("/sitemap-1.xml").status_code == 404


def count_queries(client, republish):
    """Queries of a sitemap built afresh (after a publish) and of one from the cache."""
    republish()
    with CaptureQueriesContext(connection) as built:
        response = client.get("/sitemap.xml")
    with CaptureQueriesContext(connection) as cached:
        assert client.get("/sitemap.xml").content == response.content
    return len(built), len(cached), len(listed(response.content))


def test_query_count_is_the_same_for_10_and_1000_pages(home, client, publish_now):
    topics = publish_now(lambda: [TopicPageFactory(parent=home, publish=True) for _ in range(9)])

    def republish():
        publish_now(lambda: topics[0].save_revision().publish())

    client.get("/sitemap.xml")  # warm per-process caches (site root paths)
    built, cached, urls = count_queries(client, republish)
    assert urls == 10

    rows = [{"title": f"Side {n}", "slug": f"side-{n}", "ingress": "Kort."} for n in range(990)]
    bulk_add_pages(home, InformationPage, rows)
    assert count_queries(client, republish) == (built, cached, 1000)
    # Built: the stale cache lookup, the site and its root (3), the sitemap's cache
    # lookup, the site root paths, the view-restriction check, the page query, the
    # Last-Modified aggregate and the database cache's write (5). From the cache: one
    # lookup of the generation and the sitemap together, nothing else (neither the page
    # cache nor the per-request plumbing asks anything for it).
    assert (built, cached) == (14, 1)
