"""The finder's FilterSet: bad input gives a Norwegian message and a 200, and what
the visitor chose that can be used is kept (applied and shown in the form)."""

import datetime
import re
from urllib.parse import urlencode

import pytest
from django.http import QueryDict

from documents.filters import DocumentFilterSet
from documents.models import DocumentPage, DocumentType
from tests.factories.documents import DocumentIndexPageFactory, DocumentPageFactory
from tests.factories.policy import TopicPageFactory

pytestmark = pytest.mark.django_db

URL = "/dokumenter/"


def filterset(topics=(), **params):
    return DocumentFilterSet(QueryDict(urlencode(params, doseq=True)), DocumentPage.objects.all(), topics=topics)


def results(html):
    listing = html.split('class="item-list finder__list"', 1)
    if len(listing) == 1:
        return []
    return re.findall(r'<h3[^>]*><a class="ds-link" href="[^"]+">([^<]+)</a>', listing[1].split("</ol>")[0])


def selected_year(html, name):
    """The chosen option of the year select `name`."""
    select = html.split(f'id="{name}"', 1)[1].split("</select>", 1)[0]
    match = re.search(r'<option value="(\d+)" selected>', select)
    return int(match.group(1)) if match else None


@pytest.fixture
def documents(home, django_capture_on_commit_callbacks):
    """Four documents in the search index (Wagtail indexes on commit)."""
    with django_capture_on_commit_callbacks(execute=True):
        return _documents(home)


def _documents(home):
    index = DocumentIndexPageFactory(parent=home)

    def document(title, document_type, year):
        return DocumentPageFactory(
            parent=index, title=title, document_type=document_type, date=datetime.date(year, 6, 1)
        )

    return [
        document("Rapport om kommunene 2021", DocumentType.REPORT, 2021),
        document("Rapport om kommunene 2022", DocumentType.REPORT, 2022),
        document("Brev om kommunene 2023", DocumentType.LETTER, 2023),
        document("Rapport om fylkene 2024", DocumentType.REPORT, 2024),
    ]


def test_unknown_values_in_a_list_drop_only_themselves():
    filters = filterset(type=["lov'--", "nou", "nou", "\x00"], language=["de", "nn"])
    chosen = filters.chosen()
    assert chosen["type"] == ["nou"]
    assert chosen["language"] == ["nn"]
    assert filters.messages_by_anchor() == {
        "filter-type": "Ukjent dokumenttype «lov'--» ble ignorert.",
        "filter-language": "Ukjent målform «de» ble ignorert.",
    }


def test_reversed_years_are_swapped_with_a_message():
    filters = filterset(year_from="2024", year_to="2020")
    assert (filters.chosen()["year_from"], filters.chosen()["year_to"]) == (2020, 2024)
    assert filters.messages_by_anchor() == {"filter-year": "«Fra år» var senere enn «Til år». Årene ble byttet om."}


@pytest.mark.parametrize("year", ["tjue", "²", "1" * 5000, "99999"])
def test_a_year_that_is_not_a_year_is_ignored(year):
    filters = filterset(year_from=year, year_to="2022")
    assert filters.chosen()["year_from"] is None
    assert filters.chosen()["year_to"] == 2022
    assert filters.messages_by_anchor()["filter-year"].endswith("er ikke et årstall. Fra år ble ignorert.")


def test_topics_are_known_by_slug_and_an_old_id_still_finds_its_topic(home):
    topic = TopicPageFactory(parent=home, title="Bygdevekst", slug="bygdevekst")
    filters = filterset(topics=[topic], topic=["bygdevekst", str(topic.pk), "²", "1" * 40])
    assert filters.chosen()["topic"] == ["bygdevekst"]
    assert filters.messages_by_anchor()["filter-topic"] == "Ukjent tema «²» ble ignorert."


def test_the_shallowest_of_two_topics_with_one_slug_has_it(home):
    upper = TopicPageFactory(parent=home, title="Tilskudd", slug="tilskudd")
    lower = TopicPageFactory(parent=TopicPageFactory(parent=home, slug="kommuner"), title="Tilskudd", slug="tilskudd")
    filters = filterset(topics=[upper, lower], topic=[str(lower.pk)])
    assert filters.chosen()["topic"] == ["tilskudd"]
    assert filters.topics_by_slug == {"tilskudd": upper}


def test_the_finder_names_topics_by_slug_like_the_news_archive(home, client):
    index = DocumentIndexPageFactory(parent=home)
    village = TopicPageFactory(parent=home, title="Bygdevekst", slug="bygdevekst")
    region = TopicPageFactory(parent=home, title="Regioner", slug="regioner")
    DocumentPageFactory(parent=index, title="Om bygdevekst", topics=[village])
    DocumentPageFactory(parent=index, title="Om regioner", topics=[region])

    html = client.get(URL, {"topic": "bygdevekst"}).content.decode()
    assert results(html) == ["Om bygdevekst"]
    assert 'name="topic" value="bygdevekst" checked' in html
    assert 'name="topic" value="regioner"' in html
    # A link from before, with the page id, shows the same list and offers the slug.
    old_link = client.get(URL, {"topic": str(village.pk)}).content.decode()
    assert results(old_link) == ["Om bygdevekst"]
    assert 'name="topic" value="bygdevekst" checked' in old_link
    assert f'value="{village.pk}"' not in old_link


def test_an_over_long_search_is_cut_and_said_so():
    filters = filterset(q="kommune " * 100)
    assert len(filters.chosen()["q"]) == 200
    assert filters.messages_by_anchor() == {"q": "Søkeordene var for lange og ble forkortet til 200 tegn."}


def test_an_unknown_sort_falls_back_to_newest_first():
    filters = filterset(q="kommune", sort="??")
    assert filters.chosen()["sort"] == "date"
    assert filters.messages_by_anchor() == {"filter-sort": "Ukjent sortering «??». Viser nyeste først."}
    assert filterset(sort="relevance").chosen()["sort"] == "date"  # relevance needs words to be relevant to


def test_the_page_keeps_the_usable_input_beside_the_message(documents, client):
    response = client.get(URL, {"q": "kommunene", "type": ["blogg", "rapport"], "year_from": "2024", "year_to": "2021"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ukjent dokumenttype «blogg» ble ignorert." in html
    assert "Årene ble byttet om." in html
    assert sorted(results(html)) == ["Rapport om kommunene 2021", "Rapport om kommunene 2022"]
    assert 'value="kommunene"' in html
    assert 'value="rapport" checked' in html
    assert (selected_year(html, "year_from"), selected_year(html, "year_to")) == (2021, 2024)


@pytest.mark.parametrize("page", ["abc", "²", "\x00", "-1", "99999"])
def test_a_garbage_page_number_keeps_the_filters(documents, client, page):
    response = client.get(URL, {"q": "kommunene", "type": "rapport", "page": page})
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r"Sidetallet «[^»]*» er ugyldig|Sidetallet må være 1|Side \d+ finnes ikke", html)
    assert "\x00" not in html
    assert sorted(results(html)) == ["Rapport om kommunene 2021", "Rapport om kommunene 2022"]
    assert 'value="kommunene"' in html and 'value="rapport" checked' in html


def test_a_cut_search_still_combines_with_every_filter(documents, client, home):
    response = client.get(URL, {"q": "kommunene " * 30, "type": "rapport", "year_from": "2022", "language": "nb"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "ble forkortet til 200 tegn" in html
    assert results(html) == ["Rapport om kommunene 2022"]
