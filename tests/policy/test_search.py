"""Site search: Norwegian stemming and compounds, ranking, types and dates in results,
filters by type and year, «Mente du …», snippets, pagination and bad input that
never fails, noindex."""

import datetime
import re
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.choices import DocumentType
from news.choices import NewsType
from policy.models import TopicPage
from policy.search import ParsedQuery, search_pages
from tests.conftest import assert_no_axe_violations, module_data
from tests.factories.documents import DocumentIndexPageFactory, DocumentPageFactory
from tests.factories.news import NewsIndexPageFactory, NewsPageFactory, at_noon, paragraph
from tests.factories.policy import TopicPageFactory, site_tree

pytestmark = pytest.mark.django_db


def _build_site():
    """A small site in the search index: topics, a press release, a news item, a
    document and a draft, with the words the tests look for."""
    home = site_tree()
    region = TopicPageFactory(
        parent=home,
        title="Distriktspolitikk",
        slug="distriktspolitikk",
        ingress="Politikk for hele landet.",
        publish=True,
    )
    villages = TopicPageFactory(
        parent=region,
        title="Bygdevekstavtaler",
        slug="bygdevekstavtaler",
        ingress="Staten og kommunene samarbeider i fem pilotområder.",
        body=[
            ("heading", {"text": "Slik søker kommunene", "level": "h2"}),
            ("callout", {"heading": "", "text": "<p>Fristen er i mars.</p>", "variant": "warning", "lang": ""}),
            (
                "newsletter",
                {"heading": "Regionalnytt", "text": "", "link": None, "link_text": "Meld deg på", "lang": ""},
            ),
        ],
        publish=True,
    )
    archive = NewsIndexPageFactory(parent=home)
    # Created after the topics, with the word many times in its body: without title
    # weight it would come first for "distrikt".
    press_release = NewsPageFactory(
        parent=archive,
        title="Nye regler for støtte",
        news_type=NewsType.PRESS_RELEASE,
        topics=[region],
        date=at_noon(2022, 10, 6),
        ingress="Distriktene får mer. Distrikt for distrikt, i alle distrikter.",
        body=paragraph("Distriktene og distriktskommunene får nye regler."),
    )
    news = NewsPageFactory(
        parent=archive, title="Ny indeks for distriktene", topics=[region], date=at_noon(2024, 2, 1), ingress="Tall."
    )
    index = DocumentIndexPageFactory(parent=home)
    centrality = DocumentPageFactory(
        parent=index,
        title="Sentralitetsindeksen 2023",
        document_type=DocumentType.STATISTICS,
        date=datetime.date(2023, 6, 30),
        ingress="Hvor sentral hver kommune er.",
        publish=True,
    )
    draft = TopicPageFactory(parent=home, title="Hemmeligprosjektet", ingress="Ikke publisert ennå.", live=False)
    return {
        "region": region.pk,
        "villages": villages.pk,
        "press_release": press_release.pk,
        "news": news.pk,
        "centrality": centrality.pk,
        "draft": draft.pk,
    }


_site_pks = module_data(_build_site)


@pytest.fixture
def site(_site_pks, home):
    from wagtail.models import Page

    return SimpleNamespace(**{name: Page.objects.get(pk=pk).specific for name, pk in _site_pks.items()})


def results(client, **params):
    """The titles of the results, in order, and the page's HTML."""
    html = client.get("/sok/", params).content.decode()
    titles = re.findall(r'<h2 class="ds-heading" data-size="xs"><a class="ds-link" href="[^"]*">([^<]*)</a></h2>', html)
    return titles, html


def result_item(html, title):
    """The <li> of one result."""
    match = re.search(rf'<li class="result"[^>]*>\s*<h2[^>]*><a[^>]*>{re.escape(title)}</a>.*?</li>', html, re.S)
    assert match, f"{title} is not among the results"
    return match.group(0)


# --- Matching ---------------------------------------------------------------------------


def test_a_word_finds_compounds_that_start_with_it(site, client):
    titles, _ = results(client, q="sentralitet")
    assert titles == ["Sentralitetsindeksen 2023"]


def test_a_word_finds_compounds_that_end_with_it(site, client):
    titles, _ = results(client, q="bygdevekst avtale")
    assert titles == ["Bygdevekstavtaler"]
    assert results(client, q="avtalene")[0] == ["Bygdevekstavtaler"]


def test_norwegian_stemming_finds_inflected_forms(site, client):
    # The page says "pilotområder" and "kommunene"; singular and nynorsk forms find it.
    assert "Bygdevekstavtaler" in results(client, q="pilotområde")[0]
    assert "Bygdevekstavtaler" in results(client, q="kommunane")[0]


def test_a_topic_page_comes_first_for_its_own_words(site, client):
    titles, _ = results(client, q="distrikt")
    assert titles[0] == "Distriktspolitikk"
    assert {"Nye regler for støtte", "Ny indeks for distriktene"} <= set(titles)


def test_drafts_are_never_found_nor_suggested(site, client):
    titles, html = results(client, q="hemmeligprosjektet")
    assert titles == []
    _, html = results(client, q="hemmeligprosjekt")
    assert "Mente du" not in html


def test_block_settings_are_not_indexed(site, client):
    # The heading block's level ("Nivå 2"), the fact box's colour ("Advarsel") and the
    # newsletter block's button text ("Meld deg på") are not what the page says.
    for query in ("nivå", "advarsel", "meld"):
        titles, html = results(client, q=query)
        assert titles == [], query
    titles, html = results(client, q="søker")
    assert titles == ["Bygdevekstavtaler"]
    assert "Nivå" not in result_item(html, "Bygdevekstavtaler")


# --- What a result shows ----------------------------------------------------------------


def test_results_show_their_type_and_date(site, client):
    _, html = results(client, q="distrikt")
    press_release = result_item(html, "Nye regler for støtte")
    assert ">Pressemelding<" in press_release and "Nyhet" not in press_release
    assert '<time datetime="2022-10-06">' in press_release
    news = result_item(html, "Ny indeks for distriktene")
    assert ">Nyhet<" in news and '<time datetime="2024-02-01">' in news
    topic = result_item(html, "Distriktspolitikk")
    assert ">Temaside<" in topic and "Oppdatert" in topic  # dated by its last publication

    _, html = results(client, q="sentralitet")
    document = result_item(html, "Sentralitetsindeksen 2023")
    assert ">Statistikk/indeks<" in document and '<time datetime="2023-06-30">' in document


def test_results_show_snippets_with_marked_words(site, client):
    _, html = results(client, q="sentral")
    assert "<mark>sentral</mark>" in html.lower()


# --- Filters ---------------------------------------------------------------------------


def test_filter_by_type_with_counts(site, client):
    titles, html = results(client, q="distrikt", type="press_release")
    assert titles == ["Nye regler for støtte"]
    # The other types still show how many they would add.
    assert re.search(r'value="press_release" checked>\s*<label[^>]*>Pressemelding \(1\)', html)
    assert re.search(r'value="news">\s*<label[^>]*>Nyhet \(1\)', html)
    assert re.search(r'value="temaside">\s*<label[^>]*>Temaside \(1\)', html)

    titles, _ = results(client, q="distrikt", type=["press_release", "temaside"])
    assert set(titles) == {"Nye regler for støtte", "Distriktspolitikk"}


def test_filter_by_years(site, client):
    titles, html = results(client, q="distrikt", year_from="2023", year_to="2024")
    assert titles == ["Ny indeks for distriktene"]
    assert re.search(r'<option value="2022">2022 \(1\)</option>', html)  # what the years would add

    titles, html = results(client, q="distrikt", year_from="2024", year_to="2023")
    assert titles == ["Ny indeks for distriktene"]
    assert "«Fra år» var senere enn «Til år». Årene ble byttet om." in html


# --- «Mente du …» ----------------------------------------------------------------------


def test_a_misspelling_gets_a_suggestion_that_finds_something(site, client):
    titles, html = results(client, q="sentralitetsindksen")
    assert titles == []
    match = re.search(r'Mente du <a class="ds-link" href="\?q=([^"]+)">([^<]+)</a>\?', html)
    assert match and match.group(2) == "sentralitetsindeksen"
    assert results(client, q=match.group(2))[0] == ["Sentralitetsindeksen 2023"]


def test_no_suggestion_when_nothing_is_alike(site, client):
    titles, html = results(client, q="xyzzyplugh")
    assert titles == []
    assert "Ingen treff" in html and "Mente du" not in html


# --- Bad input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query_string",
    [
        "q=%00",
        "q=distrikt%00",
        "q=distrikt&type=%00",
        "q=distrikt&type=%FF%FE",
        "q=distrikt&year_from=%00&year_to=%C0%80",
        "q=%FF%FE%00",
        "q=distrikt&page=%00",
        "type=press_release&year_from=99999",
        "q=distrikt&q=%00&type=news&type=news",
    ],
)
def test_bad_bytes_never_fail(site, client, query_string):
    response = client.get("/sok/?" + query_string)
    assert response.status_code == 200
    assert "\x00" not in response.content.decode()


def test_bad_filters_are_ignored_with_a_message(site, client):
    titles, html = results(client, q="distrikt", type=["zzz", "press_release"], year_from="tjue")
    assert titles == ["Nye regler for støtte"]
    assert "Ukjent type «zzz» ble ignorert." in html
    assert "«tjue» er ikke et årstall. Fra år ble ignorert." in html


@pytest.mark.parametrize("page", ["abc", "0", "-3", "99999", "1e9", "%00"])
def test_bad_page_numbers_never_fail(site, client, page):
    response = client.get("/sok/", {"q": "distrikt", "page": page})
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


def test_very_long_query_is_cut_with_a_message(site, client):
    response = client.get("/sok/", {"q": "distrikt " * 200})
    assert response.status_code == 200
    assert "Søkeordene var for lange og ble forkortet til 200 tegn." in response.content.decode()


@pytest.mark.parametrize("query", ["\x00", "-", '"', "& | ! :*", "'", "<script>", "og i", "'a':* & b"])
def test_queries_without_words_never_fail(site, client, query):
    response = client.get("/sok/", {"q": query})
    assert response.status_code == 200
    assert "\x00" not in response.content.decode()


def test_quoted_words_are_a_phrase_and_a_minus_excludes(site, client):
    assert results(client, q='"hele landet"')[0] == ["Distriktspolitikk"]
    assert results(client, q='"landet hele"')[0] == []
    assert "Bygdevekstavtaler" in results(client, q="pilotområder")[0]
    assert "Bygdevekstavtaler" not in results(client, q="pilotområder -kommunene")[0]


def test_no_results_message(site, client):
    titles, html = results(client, q="xyzzyplugh")
    assert "Ingen treff" in html and titles == []


def test_result_pages_are_noindex(site, client):
    html = client.get("/sok/", {"q": "distrikt"}).content.decode()
    assert '<meta name="robots" content="noindex, follow">' in html


# --- The interface ---------------------------------------------------------------------


def test_parsed_query_keeps_only_words():
    parsed = ParsedQuery.parse('kommune "ny  fjellmelding" -støl e-post "unclosed & | !')
    assert parsed.words == ["kommune", "e", "post"]
    assert parsed.phrases == ["ny fjellmelding", "unclosed"]
    assert parsed.excluded == ["støl"]
    assert not ParsedQuery.parse('"" - & \x00')


def test_search_pages_narrows_any_page_queryset(site):
    found = search_pages(TopicPage.objects.live().filter(title__startswith="Bygde"), "kommunene")
    assert [page.title for page in found] == ["Bygdevekstavtaler"]
    assert found.first().search_rank > 0


def test_queries_do_not_grow_with_the_number_of_results(site, client, django_capture_on_commit_callbacks):
    params = {"q": "distrikt", "type": ["news", "temaside"], "year_from": "2020"}
    client.get("/sok/", params)  # fill per-process caches (content types, the site)
    with CaptureQueriesContext(connection) as few:
        client.get("/sok/", params)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(15):
            NewsPageFactory(parent=site.news.get_parent(), title=f"Distriktssak {n}", topics=[site.region])
            TopicPageFactory(parent=site.region, title=f"Distriktstema {n}", publish=True)
    client.get("/sok/", params)  # publishing started a new purge generation: refill its caches
    with CaptureQueriesContext(connection) as many:
        html = client.get("/sok/", params).content.decode()
    assert "32 treff" in html
    assert len(many) == len(few) <= 12


# --- In the browser ---------------------------------------------------------------------


@pytest.mark.browser
def test_filters_and_suggestion_in_the_browser(live_server, live_home, page):
    topic = TopicPageFactory(parent=live_home, title="Sentralitetsindeksen", ingress="Om sentralitet.", publish=True)
    archive = NewsIndexPageFactory(parent=live_home)
    NewsPageFactory(
        parent=archive, title="Ny sentralitetsindeks", topics=[topic], news_type=NewsType.PRESS_RELEASE, ingress="x"
    )
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(live_server.url + "/sok/?q=sentralitet")
    assert page.get_by_role("heading", level=2, name="Sentralitetsindeksen").is_visible()
    page.get_by_text("Avgrens søket").click()
    page.get_by_label("Pressemelding (1)").check()
    page.get_by_role("button", name="Vis treff").click()
    page.wait_for_url("**type=press_release*")
    assert page.locator(".result-list h2").all_inner_texts() == ["Ny sentralitetsindeks"]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_no_axe_violations(page)

    page.goto(live_server.url + "/sok/?q=sentralitetsindeksn")
    assert page.get_by_text("Ingen treff").is_visible()
    page.get_by_role("link", name=re.compile(r"^sentralitetsindeks")).click()
    assert page.get_by_role("heading", level=2, name="Sentralitetsindeksen").is_visible()
    assert_no_axe_violations(page)
