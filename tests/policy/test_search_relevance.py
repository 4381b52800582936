"""Search relevance held in place: the first results for known queries, so that a
change to how search finds or ranks pages cannot quietly reorder them; and the capped
count («Over 1 000 treff») that spares counting every match of a common word."""

import datetime
import re

import pytest
from wagtail.models import Page

from documents.choices import DocumentType
from news.choices import NewsType
from policy.models import InformationPage
from tests.conftest import module_data
from tests.factories.documents import DocumentIndexPageFactory, DocumentPageFactory
from tests.factories.news import NewsIndexPageFactory, NewsPageFactory, at_noon, paragraph
from tests.factories.policy import TopicPageFactory, site_tree
from tests.perf.data.common import bulk_add_pages, index_pages

pytestmark = pytest.mark.django_db


def _build_site():
    """Pages that share words in title, ingress and body, so each query has several
    matches whose order is the point."""
    home = site_tree()
    broadband = TopicPageFactory(
        parent=home,
        title="Bredbånd",
        slug="bredband",
        ingress="Mobildekning og bredbånd i hele landet.",
        publish=True,
    )
    TopicPageFactory(
        parent=home,
        title="Grønn omstilling i distriktene",
        slug="gronn-omstilling",
        ingress="Næringsliv og klima.",
        publish=True,
    )
    archive = NewsIndexPageFactory(parent=home)
    NewsPageFactory(
        parent=archive,
        title="Ny rapport om bredbåndsutbygging",
        news_type=NewsType.NEWS,
        topics=[broadband],
        date=at_noon(2024, 3, 1),
        ingress="Flere husstander får raskt nett.",
    )
    NewsPageFactory(
        parent=archive,
        title="Midler til kommunene",
        news_type=NewsType.PRESS_RELEASE,
        topics=[broadband],
        date=at_noon(2024, 4, 1),
        ingress="Bredbånd, bredbånd og mer bredbånd: kommunene får midler til bredbånd.",
        body=paragraph("Grønn vekst og omstilling i næringslivet. Bredbånd er grunnmuren."),
    )
    index = DocumentIndexPageFactory(parent=home)
    DocumentPageFactory(
        parent=index,
        title="Sentralitetsindeksen 2023",
        document_type=DocumentType.STATISTICS,
        date=datetime.date(2023, 6, 30),
        ingress="Hvor sentral hver kommune er, målt i reisetid.",
        publish=True,
    )
    DocumentPageFactory(
        parent=index,
        title="Reisetid og tjenester",
        document_type=DocumentType.REPORT,
        date=datetime.date(2022, 1, 15),
        ingress="Rapporten bruker sentralitetsindeksen for å måle reisetid til tjenester.",
        publish=True,
    )
    return {"home": home.pk}


_site = module_data(_build_site)


@pytest.fixture
def site(_site, home):
    return Page.objects.get(pk=_site["home"])


def titles(client, query, **params):
    html = client.get("/sok/", {"q": query, **params}).content.decode()
    found = re.findall(r'<h2 class="ds-heading" data-size="xs"><a class="ds-link" href="[^"]*">([^<]*)</a></h2>', html)
    return found, html


@pytest.mark.parametrize(
    ("query", "first"),
    [
        # A topic page first for its own word; then a compound in a title; then a page
        # that has the word only in its text, however often.
        ("bredbånd", ["Bredbånd", "Ny rapport om bredbåndsutbygging", "Midler til kommunene"]),
        # The start of a word finds the same pages in the same order.
        ("bredb", ["Bredbånd", "Ny rapport om bredbåndsutbygging", "Midler til kommunene"]),
        # An exact title match comes before a page that names it in its text.
        ("sentralitetsindeksen", ["Sentralitetsindeksen 2023", "Reisetid og tjenester"]),
        # Both words in the title beat both words in the text.
        ("grønn omstilling", ["Grønn omstilling i distriktene", "Midler til kommunene"]),
        # A word in two titles: the shorter title first.
        ("reisetid", ["Reisetid og tjenester", "Sentralitetsindeksen 2023"]),
    ],
)
def test_known_queries_keep_their_first_results(site, client, query, first):
    found, _ = titles(client, query)
    assert found[: len(first)] == first


def test_the_count_stops_at_the_cap_and_says_over(site, client, settings):
    settings.SEARCH_COUNT_CAP = 2
    found, html = titles(client, "bredbånd")
    assert "Over 2 treff på «bredbånd»" in html
    assert found == ["Bredbånd", "Ny rapport om bredbåndsutbygging"]


def test_a_count_within_the_cap_is_exact(site, client, settings):
    settings.SEARCH_COUNT_CAP = 3
    found, html = titles(client, "bredbånd")
    assert re.search(r'role="status">3 treff på «bredbånd»', html)
    assert len(found) == 3


def test_over_a_thousand_matches_read_over_1_000_and_page_to_the_hundredth(site, client):
    # Inserted in bulk and indexed as Wagtail would: a thousand factory pages take minutes.
    rows = [{"title": f"Veiledning {n}", "slug": f"veiledning-{n}", "ingress": "Kort."} for n in range(1001)]
    index_pages(InformationPage, bulk_add_pages(site, InformationPage, rows))
    found, html = titles(client, "veiledning")
    assert "Over 1\xa0000 treff på «veiledning»" in html
    assert len(found) == 10
    _, last = titles(client, "veiledning", page="101")
    assert "Side 101 finnes ikke. Viser siste side." in last
    assert re.search(r'aria-current="page" aria-label="Side 100">100<', last)


def test_facets_still_count_every_match_past_the_cap(site, client, settings):
    settings.SEARCH_COUNT_CAP = 1
    _, html = titles(client, "bredbånd")
    assert "Over 1 treff på «bredbånd»" in html
    for facet in ("Temaside (1)", "Nyhet (1)", "Pressemelding (1)"):
        assert facet in html
