"""Fragments every visitor shares (topic sections, the archive's years and count, the
finder's facets, the menus) are cached under the purge generation: a warm page reads
them without querying, and publishing or unpublishing shows on the next request."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from documents.choices import DocumentType
from tests.factories.documents import DocumentIndexPageFactory, DocumentPageFactory
from tests.factories.news import NewsIndexPageFactory, NewsPageFactory, at_noon
from tests.factories.policy import StaffUserFactory, TopicPageFactory, menu_link, set_navigation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fragments_only(settings):
    """Fragments on, the whole-page cache off, so every request renders the page."""
    settings.FRAGMENT_CACHE_ENABLED = True
    settings.PAGE_CACHE_ENABLED = False


@pytest.fixture
def topic(home):
    return TopicPageFactory(parent=home, title="Bygdeutvikling", slug="bygdeutvikling")


@pytest.fixture
def archive(home):
    return NewsIndexPageFactory(parent=home, title="Aktuelt", slug="aktuelt")


@pytest.fixture
def finder(home):
    return DocumentIndexPageFactory(parent=home)


@pytest.fixture
def visitor():
    """An anonymous visitor (the `client` fixture is signed in)."""
    return Client()


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """Publish a new draft page, as the admin does, with what runs on commit (the purge)."""

    def run(parent, page):
        parent.add_child(instance=page)
        with django_capture_on_commit_callbacks(execute=True):
            page.save_revision().publish()
        page.refresh_from_db()
        return page

    return run


@pytest.fixture
def unpublish(django_capture_on_commit_callbacks):
    def run(page):
        with django_capture_on_commit_callbacks(execute=True):
            page.unpublish()

    return run


def queries(visitor, url):
    with CaptureQueriesContext(connection) as captured:
        response = visitor.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def archive_years(html):
    return [int(y) for y in re.findall(r'<option value="(\d{4})"', html)]


def archive_total(html):
    return int(re.search(r"av (\d+) sak", html).group(1))


def report_count(html):
    match = re.search(
        rf'for="filter-type-{DocumentType.REPORT.value}"[^>]*>[^<]*<span class="finder__count">\((\d+)\)', html
    )
    return int(match.group(1)) if match else 0


def without_nonces(html):
    return re.sub(r'nonce="[^"]*"', "", html)


def test_a_warm_topic_page_reads_its_sections_without_queries(topic, archive, visitor, settings):
    NewsPageFactory(parent=archive, title="Sak om bygder", topics=[topic])
    settings.FRAGMENT_CACHE_ENABLED = False
    cold, _ = queries(Client(), topic.url)
    settings.FRAGMENT_CACHE_ENABLED = True
    visitor.get(topic.url)
    warm, html = queries(visitor, topic.url)
    assert "Sak om bygder" in html
    assert warm < cold


def test_publishing_and_unpublishing_news_shows_at_once_on_the_topic_page(topic, archive, visitor, publish, unpublish):
    NewsPageFactory(parent=archive, title="Eldre sak", topics=[topic])
    assert "Eldre sak" in visitor.get(topic.url).content.decode()
    item = publish(archive, NewsPageFactory.build(title="Ny sak om bygdevekst", topics=[topic], live=False))
    assert "Ny sak om bygdevekst" in visitor.get(topic.url).content.decode()
    unpublish(item)
    html = visitor.get(topic.url).content.decode()
    assert "Ny sak om bygdevekst" not in html
    assert "Eldre sak" in html


def test_the_archive_years_and_count_follow_publishing(topic, archive, visitor, publish, unpublish):
    NewsPageFactory(parent=archive, title="Sak fra 2023", topics=[topic], date=at_noon(2023, 5, 2))
    html = visitor.get(archive.url).content.decode()
    assert (archive_years(html), archive_total(html)) == ([2023], 1)
    item = publish(
        archive, NewsPageFactory.build(title="Sak fra 2019", topics=[topic], date=at_noon(2019, 3, 1), live=False)
    )
    html = visitor.get(archive.url).content.decode()
    assert (archive_years(html), archive_total(html)) == ([2023, 2019], 2)
    unpublish(item)
    html = visitor.get(archive.url).content.decode()
    assert (archive_years(html), archive_total(html)) == ([2023], 1)


def test_the_finder_facets_follow_publishing(finder, topic, visitor, publish, unpublish):
    DocumentPageFactory(parent=finder, title="Rapport om bygder", document_type=DocumentType.REPORT)
    assert report_count(visitor.get(finder.url).content.decode()) == 1
    document = publish(
        finder, DocumentPageFactory.build(title="Ny rapport", document_type=DocumentType.REPORT, live=False)
    )
    html = visitor.get(finder.url).content.decode()
    assert report_count(html) == 2
    assert "Ny rapport" in html
    unpublish(document)
    assert report_count(visitor.get(finder.url).content.decode()) == 1


def test_the_menu_marks_the_current_page_per_request_and_drops_unpublished_pages(
    home, topic, archive, visitor, publish, unpublish
):
    set_navigation(home, menu=[menu_link(topic), menu_link(archive)])
    assert 'href="/bygdeutvikling/" aria-current="page"' in visitor.get(topic.url).content.decode()
    html = visitor.get(archive.url).content.decode()
    assert 'href="/aktuelt/" aria-current="page"' in html
    assert 'href="/bygdeutvikling/" aria-current' not in html
    unpublish(topic)
    assert 'href="/bygdeutvikling/"' not in main_menu(visitor.get(archive.url).content.decode())


def main_menu(html):
    return re.search(r'<nav class="main-nav".*?</nav>', html, re.S).group(0)


def test_changed_menu_settings_show_at_once(home, topic, archive, visitor):
    set_navigation(home, menu=[menu_link(topic)])
    assert "main-nav__link" in visitor.get("/").content.decode()
    set_navigation(home, menu=[menu_link(archive, title="Alle nyheter")])
    menu = main_menu(visitor.get("/").content.decode())
    assert "Alle nyheter" in menu
    assert 'href="/bygdeutvikling/"' not in menu


def test_a_signed_in_visit_leaves_nothing_personal_in_the_shared_fragments(topic, archive, home, settings):
    NewsPageFactory(parent=archive, title="Sak om bygder", topics=[topic])
    set_navigation(home, menu=[menu_link(topic)])
    settings.FRAGMENT_CACHE_ENABLED = False
    uncached = Client().get(topic.url).content.decode()
    settings.FRAGMENT_CACHE_ENABLED = True
    staff = Client()
    staff.force_login(StaffUserFactory())
    staff.get(topic.url)  # fills the fragments
    from_fragments = Client().get(topic.url).content.decode()
    assert without_nonces(from_fragments) == without_nonces(uncached)
    assert "csrfmiddlewaretoken" not in from_fragments
