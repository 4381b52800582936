"""English pages: an English tree under /en/ (Wagtail's locales), hreflang links both
ways between a Norwegian original and its English translation, the header's language
link only where a translation exists, the sitemap, and no extra query on Norwegian pages."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.policy import TopicPageFactory, translate_to_english
from tests.policy.test_pages import TOPIC_QUERIES

pytestmark = pytest.mark.django_db


@pytest.fixture
def english_home(home):
    return translate_to_english(home, title="Ministry of Local Government", body=[])


@pytest.fixture
def english_topic(topic, english_home):
    """The English translation of the bokmål topic page (two levels down: its area is
    translated first, as «Oversett» requires)."""
    english_area = translate_to_english(topic.get_parent(), title="Municipalities and regions")
    english = translate_to_english(
        topic, title="Mountain policy", ingress="The aim is thriving mountain communities.", body=[]
    )
    assert english.get_parent().pk == english_area.pk
    return english


def hreflang_links(html):
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


def language_link(html):
    """(href, lang, hreflang, text) of the header's language link, or None."""
    found = re.search(
        r'<a class="site-header__language[^"]*" href="([^"]+)" lang="([^"]+)" hreflang="([^"]+)">([^<]+)</a>', html
    )
    return found.groups() if found else None


def test_english_pages_live_under_en_and_norwegian_addresses_stay(topic, english_topic, client):
    assert topic.url == "/omrade/fjellpolitikk/"
    assert english_topic.url == "/en/omrade/fjellpolitikk/"
    norwegian = client.get("/omrade/fjellpolitikk/")
    english = client.get("/en/omrade/fjellpolitikk/")
    assert norwegian.status_code == 200
    assert english.status_code == 200
    assert "<h1" in english.content.decode() and "Mountain policy" in english.content.decode()
    assert '<html lang="en"' in english.content.decode()
    assert '<html lang="nb"' in norwegian.content.decode()
    assert "Fjellpolitikk" in norwegian.content.decode()


def test_english_home_page_is_served_at_en(english_home, client):
    response = client.get("/en/")
    assert response.status_code == 200
    assert '<html lang="en"' in response.content.decode()
    assert "Ministry of Local Government" in response.content.decode()
    assert client.get("/").status_code == 200
    assert "Ministry of Local Government" not in client.get("/").content.decode()


def test_without_an_english_tree_nothing_answers_under_en(topic, client):
    assert client.get("/en/").status_code == 404
    assert client.get("/en" + topic.url).status_code == 404
    assert client.get(topic.url).status_code == 200


def test_rich_text_links_to_a_translated_page_ask_no_query_each(topic, english_topic, client, settings):
    """Wagtail's rich text links each ask for the linked page in the active language."""
    settings.PAGE_CACHE_ENABLED = False
    links = "".join(f'<p><a linktype="page" id="{topic.pk}">Lenke {n}</a></p>' for n in range(3))
    article = TopicPageFactory(parent=topic, title="Med lenker", slug="med-lenker", body=[("paragraph", links)])
    english = translate_to_english(article, title="With links", body=[("paragraph", links)])
    client.get(article.url)
    with CaptureQueriesContext(connection) as three_links:
        client.get(article.url)
    article.body = [("paragraph", links * 3)]
    article.save_revision().publish()
    client.get(article.url)
    with CaptureQueriesContext(connection) as nine_links:
        html = client.get(article.url).content.decode()
    assert html.count(f'href="{topic.url}">Lenke') == 9
    assert len(nine_links) == len(three_links)
    english_html = client.get(english.url).content.decode()
    # The English page links to the English version of the linked page.
    assert english_html.count(f'href="{english_topic.url}">Lenke') == 3


def test_nynorsk_and_bokmal_pages_get_no_language_prefix(topic, english_topic, client):
    assert client.get("/nn" + topic.url).status_code == 404
    assert client.get("/nb" + topic.url).status_code == 404
    assert client.get("/en" + topic.subtopic.url).status_code == 404  # not translated


def test_hreflang_links_both_ways_with_absolute_urls(topic, english_topic, client):
    norwegian_url = settings.SITE_URL + "/omrade/fjellpolitikk/"
    english_url = settings.SITE_URL + "/en/omrade/fjellpolitikk/"
    expected = {"nb": norwegian_url, "en": english_url, "x-default": norwegian_url}
    assert hreflang_links(client.get(topic.url).content.decode()) == expected
    assert hreflang_links(client.get(english_topic.url).content.decode()) == expected


def test_a_nynorsk_original_is_linked_as_nn(topic, english_topic, client):
    english = translate_to_english(topic.subtopic, title="Summer farm agreements")
    nynorsk_url = settings.SITE_URL + topic.subtopic.url
    links = hreflang_links(client.get(english.url).content.decode())
    assert links == {"nn": nynorsk_url, "en": settings.SITE_URL + english.url, "x-default": nynorsk_url}
    assert language_link(client.get(english.url).content.decode()) == (nynorsk_url, "nn", "nn", "Norsk")


def test_language_link_goes_to_the_translation_both_ways(topic, english_topic, client):
    norwegian_html = client.get(topic.url).content.decode()
    english_html = client.get(english_topic.url).content.decode()
    assert language_link(norwegian_html) == (settings.SITE_URL + english_topic.url, "en", "en", "English")
    assert language_link(english_html) == (settings.SITE_URL + topic.url, "nb", "nb", "Norsk")


def test_no_language_link_or_hreflang_without_a_translation(topic, english_topic, client):
    untranslated = TopicPageFactory(parent=topic, title="Beitebruk", slug="beitebruk")
    html = client.get(untranslated.url).content.decode()
    assert language_link(html) is None
    assert hreflang_links(html) == {}
    assert 'hreflang="' not in html


def test_a_draft_translation_is_not_linked(topic, english_home, client):
    area = translate_to_english(topic.get_parent(), title="Municipalities and regions")
    draft = translate_to_english(topic, title="Mountain policy")
    draft.unpublish()
    html = client.get(topic.url).content.decode()
    assert language_link(html) is None
    assert hreflang_links(html) == {}
    assert language_link(client.get(area.url).content.decode())[3] == "Norsk"


def test_a_translation_published_later_is_linked_on_the_next_request(topic, english_home, client, settings):
    settings.PAGE_CACHE_ENABLED = True
    translate_to_english(topic.get_parent(), title="Municipalities and regions")
    client.get(topic.url)
    client.get(topic.url)
    assert language_link(client.get(topic.url).content.decode()) is None
    english = translate_to_english(topic, title="Mountain policy")
    assert language_link(client.get(topic.url).content.decode())[0] == settings.SITE_URL + english.url
    english.unpublish()
    assert language_link(client.get(topic.url).content.decode()) is None


def test_sitemap_lists_english_pages_with_their_addresses(topic, english_topic, client):
    response = client.get("/sitemap.xml")
    content = response.content.decode()
    root = "http://localhost"  # the default Site of the test tree
    assert f"<loc>{root}/omrade/fjellpolitikk/</loc>" in content
    assert f"<loc>{root}/en/omrade/fjellpolitikk/</loc>" in content
    assert f"<loc>{root}/en/</loc>" in content
    assert f"<loc>{root}/</loc>" in content


def test_a_norwegian_page_with_a_translation_asks_no_more_queries(
    topic, english_topic, client, django_assert_max_num_queries
):
    client.get("/")  # fill the per-process caches, as the page budget test does
    client.get(topic.url)
    with django_assert_max_num_queries(TOPIC_QUERIES):
        response = client.get(topic.url)
    assert language_link(response.content.decode()) is not None
