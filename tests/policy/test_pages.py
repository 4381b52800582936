"""The page backbone: page-type rules, målform and `lang`, the contact block, headers."""

import pytest
from django.test import Client
from wagtail.models import Page

from policy.models import HomePage, TopicPage
from tests.factories.policy import StaffUserFactory

pytestmark = pytest.mark.django_db


def test_topic_page_can_only_live_under_home_or_topic(home, topic):
    root = Page.get_first_root_node()
    assert TopicPage.can_create_at(home)
    assert TopicPage.can_create_at(topic)
    assert not TopicPage.can_create_at(root)
    assert HomePage.can_create_at(root) is False  # only one home page per parent
    assert not HomePage.can_create_at(home)


def test_base_wagtail_page_is_not_creatable(home):
    assert Page not in home.specific_class.creatable_subpage_models()


def test_topic_page_shows_ingress_subtopics_and_contact(topic, client):
    response = client.get(topic.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in html and "Fjellpolitikk" in html
    assert "Målet er levande fjellbygder i heile landet." in html
    assert "Ny fjellmelding" in html and "Stølsavtalar" in html
    assert "Fjellseksjonen" in html
    assert 'href="tel:+4722112233"' in html
    assert "Fjellgata 7, Oslo" in html
    assert 'href="mailto:fjell@dep.example"' in html
    assert "Meld deg på fjellbrevet" in html


def test_page_language_sets_html_lang(topic, client):
    bokmal = client.get(topic.url).content.decode()
    nynorsk = client.get(topic.subtopic.url).content.decode()
    assert '<html lang="nb"' in bokmal
    assert '<html lang="nn"' in nynorsk
    assert "Hopp til hovudinnhaldet" in nynorsk
    assert "Hopp til hovedinnhold" in bokmal


def test_nynorsk_item_on_bokmal_page_is_marked(topic, client):
    html = client.get(topic.url).content.decode()
    # The nynorsk sub-topic's teaser on a bokmål page carries its own lang.
    start = html.index("Regjeringa har lyst ut midlar til utprøving av stølsavtalar")
    li_start = html.rindex("<li", 0, start)
    assert 'lang="nn"' in html[li_start:start]


def test_labels_follow_page_language(topic, client):
    assert "Hopp til hovedinnhold" in client.get(topic.url).content.decode()
    topic.language = "nn"
    topic.save_revision().publish()
    html = client.get(topic.url).content.decode()
    assert '<html lang="nn"' in html
    assert "Hopp til hovudinnhaldet" in html
    assert "Hopp til hovedinnhold" not in html


def test_security_headers_on_public_pages(topic, client):
    response = client.get(topic.url)
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "public" in response["Cache-Control"]


def test_admin_gets_its_own_looser_policy(db):
    response = Client().get("/admin/login/")
    assert response.status_code == 200
    assert "'unsafe-inline'" in response["Content-Security-Policy"]


def test_pages_have_no_inline_script_or_style(topic, client):
    for url in ["/", topic.url, topic.subtopic.url, "/sok/?q=fjell", "/finnes-ikke/"]:
        html = client.get(url).content.decode()
        assert "<style" not in html, url
        assert " style=" not in html, url
        for chunk in html.split("<script")[1:]:
            assert chunk.lstrip().startswith("src="), f"inline script on {url}"


def test_signed_in_editor_gets_private_cache_headers(topic, client):
    client.force_login(StaffUserFactory())
    assert "private" in client.get(topic.url)["Cache-Control"]


def test_norwegian_404_page(home, client):
    response = client.get("/finnes-ikke/")
    assert response.status_code == 404
    assert "Fant ikke siden" in response.content.decode()


def test_open_graph_tags(topic, client):
    html = client.get(topic.url).content.decode()
    assert '<meta property="og:title" content="Fjellpolitikk">' in html
    assert 'property="og:locale" content="nb_NO"' in html


# A fixed budget: a change that adds a query per item or per block shows up here.
# The counts include the feature apps' sections with nothing to show (home: news,
# open calls; topic: news, documents); tests/news and tests/documents hold the topic
# page's count constant as items are added.
HOME_QUERIES = 6
TOPIC_QUERIES = 12


def test_home_and_topic_query_budget(home, topic, client, django_assert_num_queries):
    item = {"url": "", "title": "", "text": "", "lang": ""}
    home.body = [
        ("featured_items", {"heading": "Utvalgt", "items": [{**item, "page": topic}, {**item, "page": topic.subtopic}]})
    ]
    home.save_revision().publish()
    client.get("/")  # fill the per-process caches (site root paths)
    with django_assert_num_queries(HOME_QUERIES):
        assert client.get("/").status_code == 200
    with django_assert_num_queries(TOPIC_QUERIES):
        assert client.get(topic.url).status_code == 200
