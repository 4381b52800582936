"""The page backbone: page-type rules, målform and `lang`, the contact block, headers."""

import pytest
from django.test import Client
from wagtail.models import Page

from policy.models import HomePage, TopicPage

pytestmark = pytest.mark.django_db

TOPIC_URL = "/kommuner-og-regioner/regional-og-distriktspolitikk/"


def test_topic_page_can_only_live_under_home_or_topic(demo_site):
    root = Page.get_first_root_node()
    assert TopicPage.can_create_at(demo_site)
    assert TopicPage.can_create_at(TopicPage.objects.first())
    assert not TopicPage.can_create_at(root)
    assert HomePage.can_create_at(root) is False  # only one home page per parent
    assert not HomePage.can_create_at(demo_site)


def test_base_wagtail_page_is_not_creatable(demo_site):
    assert Page not in demo_site.specific_class.creatable_subpage_models()


def test_seeded_topic_page_shows_ingress_subtopics_and_contact(demo_site, client):
    response = client.get(TOPIC_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in html and "Regional- og distriktspolitikk" in html
    assert "regional balanse gjennom vekstkraft" in html
    assert "Ny distriktsmelding" in html and "Bygdevekstavtaler" in html
    assert "Regionalpolitisk avdeling" in html
    assert 'href="tel:+4722247001"' in html
    assert "Akersgt. 59, Oslo" in html
    assert "Meld deg på vårt nyhetsbrev" in html


def test_page_language_sets_html_lang(demo_site, client):
    bokmal = client.get(TOPIC_URL).content.decode()
    nynorsk = client.get(TOPIC_URL + "bygdevekstavtaler/").content.decode()
    assert '<html lang="nb"' in bokmal
    assert '<html lang="nn"' in nynorsk
    assert "Hopp til hovudinnhaldet" in nynorsk
    assert "Hopp til hovedinnhold" in bokmal


def test_nynorsk_item_on_bokmal_page_is_marked(demo_site, client):
    html = client.get(TOPIC_URL).content.decode()
    # The "Bygdevekstavtaler" teaser is nynorsk on a bokmål page.
    start = html.index("Regjeringa har lyst ut midlar")
    li_start = html.rindex("<li", 0, start)
    assert 'lang="nn"' in html[li_start:start]


def test_labels_follow_page_language(demo_site, client):
    topic = TopicPage.objects.get(slug="regional-og-distriktspolitikk")
    assert "<h2" in client.get(TOPIC_URL).content.decode()
    topic.language = "nn"
    topic.save_revision().publish()
    html = client.get(TOPIC_URL).content.decode()
    assert '<html lang="nn"' in html
    assert "Undertema" in html


def test_security_headers_on_public_pages(demo_site, client):
    response = client.get(TOPIC_URL)
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


def test_pages_have_no_inline_script_or_style(demo_site, client):
    for url in ["/", TOPIC_URL, "/sok/?q=kommune", "/finnes-ikke/"]:
        html = client.get(url).content.decode()
        assert "<style" not in html, url
        assert " style=" not in html, url
        for chunk in html.split("<script")[1:]:
            assert chunk.lstrip().startswith("src="), f"inline script on {url}"


def test_signed_in_editor_gets_private_cache_headers(demo_site, client, django_user_model):
    user = django_user_model.objects.create_user("editor", password="x")
    client.force_login(user)
    assert "private" in client.get(TOPIC_URL)["Cache-Control"]


def test_norwegian_404_page(demo_site, client):
    response = client.get("/finnes-ikke/")
    assert response.status_code == 404
    assert "Fant ikke siden" in response.content.decode()


def test_open_graph_tags(demo_site, client):
    html = client.get(TOPIC_URL).content.decode()
    assert '<meta property="og:title" content="Regional- og distriktspolitikk">' in html
    assert 'property="og:locale" content="nb_NO"' in html


# A fixed budget: a change that adds a query per item or per block shows up here.
HOME_QUERIES = 13
TOPIC_QUERIES = 27


def test_home_and_topic_query_budget(demo_site, client, django_assert_num_queries):
    client.get("/")  # fill the per-process caches (site root paths)
    with django_assert_num_queries(HOME_QUERIES):
        assert client.get("/").status_code == 200
    with django_assert_num_queries(TOPIC_QUERIES):
        assert client.get(TOPIC_URL).status_code == 200
