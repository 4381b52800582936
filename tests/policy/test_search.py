"""Site search: Norwegian stemming, snippets, pagination that survives bad input, noindex."""

import pytest

from policy.models import TopicPage
from policy.search import ParsedQuery, search_pages
from tests.factories.policy import TopicPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def searchable(home, django_capture_on_commit_callbacks):
    """Pages in the search index (Wagtail indexes on commit)."""
    with django_capture_on_commit_callbacks(execute=True):
        TopicPageFactory(parent=home, title="Stølsavtaler", ingress="Inntil fem pilotområder i fjellet.")
        TopicPageFactory(parent=home, title="Kystkommunar", language="nn", ingress="For kommunane langs kysten.")
        TopicPageFactory(parent=home, title="Ny fjellmelding", ingress="Arbeidet med en ny fjellmelding er i gang.")


def test_norwegian_stemming_finds_inflected_forms(searchable, client):
    # The page says "pilotområder"; searching the singular "pilotområde" must find it.
    html = client.get("/sok/", {"q": "pilotområde"}).content.decode()
    assert "Stølsavtaler" in html
    html = client.get("/sok/", {"q": "kommune"}).content.decode()
    assert "Kystkommunar" in html


def test_results_show_snippets_with_marked_words(searchable, client):
    html = client.get("/sok/", {"q": "fjellmelding"}).content.decode()
    assert "<mark>fjellmelding</mark>" in html.lower()


def test_no_results_message(searchable, client):
    html = client.get("/sok/", {"q": "xyzzyplugh"}).content.decode()
    assert "Ingen treff" in html
    assert "Stølsavtaler" not in html


def test_result_pages_are_noindex(searchable, client):
    html = client.get("/sok/", {"q": "fjellmelding"}).content.decode()
    assert '<meta name="robots" content="noindex, follow">' in html


@pytest.mark.parametrize("page", ["abc", "0", "-3", "99999", "1e9", "%00"])
def test_bad_page_numbers_never_fail(searchable, client, page):
    response = client.get("/sok/", {"q": "fjellmelding", "page": page})
    assert response.status_code == 200
    html = response.content.decode()
    assert "treff" in html
    assert "ds-alert" in html


def test_pagination_links_keep_the_query(home, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(12):
            TopicPageFactory(parent=home, title=f"Regionalpolitikk tema {n}", ingress="regionalpolitikk")
    response = client.get("/sok/", {"q": "regionalpolitikk"})
    html = response.content.decode()
    assert 'class="ds-pagination"' in html
    assert "?q=regionalpolitikk&amp;page=2" in html
    second = client.get("/sok/", {"q": "regionalpolitikk", "page": "2"}).content.decode()
    assert 'aria-current="page"' in second


def test_very_long_query_is_cut_not_rejected(searchable, client):
    response = client.get("/sok/", {"q": "kommune " * 200})
    assert response.status_code == 200


@pytest.mark.parametrize("query", ["\x00", "-", '"', "& | ! :*", "'", "<script>"])
def test_queries_without_words_never_fail(searchable, client, query):
    response = client.get("/sok/", {"q": query})
    assert response.status_code == 200
    assert "\x00" not in response.content.decode()


def test_quoted_words_are_a_phrase_and_a_minus_excludes(searchable, client):
    assert "Ny fjellmelding" in client.get("/sok/", {"q": '"ny fjellmelding"'}).content.decode()
    assert "Ny fjellmelding" not in client.get("/sok/", {"q": '"fjellmelding ny"'}).content.decode()
    assert "Stølsavtaler" in client.get("/sok/", {"q": "fjellet"}).content.decode()
    assert "Stølsavtaler" not in client.get("/sok/", {"q": "fjellet -pilotområder"}).content.decode()


def test_parsed_query_keeps_only_words():
    parsed = ParsedQuery.parse('kommune "ny  fjellmelding" -støl e-post "unclosed & | !')
    assert parsed.words == ["kommune", "e", "post"]
    assert parsed.phrases == ["ny fjellmelding", "unclosed"]
    assert parsed.excluded == ["støl"]
    assert not ParsedQuery.parse('"" - & \x00')


def test_search_pages_narrows_any_page_queryset(searchable):
    found = search_pages(TopicPage.objects.live().filter(title__startswith="Ny"), "fjellmelding")
    assert [page.title for page in found] == ["Ny fjellmelding"]
    assert found.first().search_rank > 0
