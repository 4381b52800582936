"""Site search: Norwegian stemming, snippets, pagination that survives bad input, noindex."""

import pytest

from policy.models import TopicPage

pytestmark = pytest.mark.django_db


def test_norwegian_stemming_finds_inflected_forms(demo_site, client):
    # "Bygdevekstavtaler" says "pilotområder"; searching the singular "pilotområde" must find it.
    html = client.get("/sok/", {"q": "pilotområde"}).content.decode()
    assert "Bygdevekstavtaler" in html
    html = client.get("/sok/", {"q": "kommunane"}).content.decode()
    assert "Kommuner og regioner" in html


def test_results_show_snippets_with_marked_words(demo_site, client):
    html = client.get("/sok/", {"q": "distriktsmelding"}).content.decode()
    assert "<mark>distriktsmelding</mark>" in html.lower()


def test_no_results_message(demo_site, client):
    html = client.get("/sok/", {"q": "xyzzyplugh"}).content.decode()
    assert "Ingen treff" in html


def test_result_pages_are_noindex(demo_site, client):
    html = client.get("/sok/", {"q": "kommune"}).content.decode()
    assert '<meta name="robots" content="noindex, follow">' in html


@pytest.mark.parametrize("page", ["abc", "0", "-3", "99999", "1e9", "%00"])
def test_bad_page_numbers_never_fail(demo_site, client, page):
    response = client.get("/sok/", {"q": "kommune", "page": page})
    assert response.status_code == 200
    html = response.content.decode()
    assert "treff" in html
    if page != "1":
        assert "ds-alert" in html


def test_pagination_links_keep_the_query(demo_site, client):
    topic = TopicPage.objects.get(slug="regional-og-distriktspolitikk")
    for n in range(12):
        topic.add_child(
            instance=TopicPage(title=f"Regionalpolitikk tema {n}", slug=f"tema-{n}", ingress="regionalpolitikk")
        )
    response = client.get("/sok/", {"q": "regionalpolitikk"})
    html = response.content.decode()
    assert 'class="ds-pagination"' in html
    assert "?q=regionalpolitikk&amp;page=2" in html
    second = client.get("/sok/", {"q": "regionalpolitikk", "page": "2"}).content.decode()
    assert 'aria-current="page"' in second


def test_very_long_query_is_cut_not_rejected(demo_site, client):
    response = client.get("/sok/", {"q": "kommune " * 200})
    assert response.status_code == 200
