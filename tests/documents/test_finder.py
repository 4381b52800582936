"""The document finder: facets and counts, combinations, search, bad input, query budget."""

import re
import statistics
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.models import DocumentPage
from tests.documents.helpers import bulk_documents

pytestmark = pytest.mark.django_db

URL = "/dokumenter/"


def results(html):
    """Titles of the documents in the result list, in order."""
    listing = html.split('class="item-list finder__list"', 1)
    if len(listing) == 1:
        return []
    return re.findall(r'<h3[^>]*><a class="ds-link" href="[^"]+">([^<]+)</a>', listing[1].split("</ol>")[0])


def facet_count(html, facet, value):
    match = re.search(rf'for="filter-{facet}-{value}"[^>]*>[^<]*<span class="finder__count">\((\d+)\)', html)
    return int(match.group(1)) if match else None


def test_plain_finder_lists_all_documents_newest_first(library, client):
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    titles = results(html)
    assert len(titles) == DocumentPage.objects.live().count() == len(library.documents) == 12
    assert titles[0] == library.allocation_letter.title  # 2024-12-20
    assert titles[-1] == library.white_paper_nn.title  # 2017
    assert 'name="robots"' not in html
    assert "<legend" in html and "Dokumenttype" in html and "Målform" in html


def test_facet_counts(library, client):
    html = client.get(URL).content.decode()
    assert facet_count(html, "type", "meld_st") == 2
    assert facet_count(html, "type", "statistikk") == 2
    assert facet_count(html, "type", "retningslinjer") == 1
    assert facet_count(html, "type", "lov") is None  # no documents: not offered
    assert facet_count(html, "language", "nn") == 4
    assert facet_count(html, "language", "nb") == 8
    assert facet_count(html, "topic", library.topics.village.slug) == 2
    # A topic counts the documents on its sub-topics too.
    assert facet_count(html, "topic", library.topics.region.slug) == 12
    assert "2022 (3)" in html


def test_filters_combine_and_facets_count_the_others(library, client):
    html = client.get(URL, {"type": ["meld_st", "nou"], "language": "nb"}).content.decode()
    assert sorted(results(html)) == sorted([library.nou.title, library.white_paper_nb.title])
    # Type counts ignore the type filter but respect the language filter...
    assert facet_count(html, "type", "meld_st") == 1
    assert facet_count(html, "type", "rapport") == 1
    # ...and language counts respect the type filter.
    assert facet_count(html, "language", "nn") == 1
    assert '<meta name="robots" content="noindex, follow">' in html
    assert 'value="meld_st" checked' in html


def test_year_range_and_topic(library, client):
    html = client.get(URL, {"year_from": "2022", "year_to": "2022"}).content.decode()
    assert sorted(results(html)) == sorted(
        [library.guidelines.title, library.mountain_index.title, library.proposition.title]
    )
    html = client.get(URL, {"topic": library.topics.village.pk}).content.decode()
    assert sorted(results(html)) == sorted([library.consultation.title, library.report.title])


def test_free_text_uses_norwegian_stemming_and_relevance(library, client):
    # "retningslinjene" finds the title's "Retningslinjer" through the stem.
    html = client.get(URL, {"q": "retningslinjene"}).content.decode()
    assert results(html) == [library.guidelines.title]
    # A newer document mentions the index once; by relevance the index itself comes first.
    html = client.get(URL, {"q": "fjellindeksen"}).content.decode()
    assert results(html) == [library.statistics.title, library.mountain_index.title]
    html = client.get(URL, {"q": "fjellindeksen", "sort": "relevance"}).content.decode()
    assert results(html) == [library.mountain_index.title, library.statistics.title]
    html = client.get(URL, {"q": "distrikt", "type": "meld_st"}).content.decode()
    assert results(html) == [library.white_paper_nn.title]
    assert "1 dokument for «distrikt»" in html


def test_bad_input_is_ignored_with_messages(library, client):
    params = {"type": ["lov'--", "nou"], "year_from": "tjue", "topic": ["x", "999999"], "language": "de", "sort": "??"}
    response = client.get(URL, params)
    html = response.content.decode()
    assert response.status_code == 200
    assert "data-error-summary" in html
    for message in [
        "Ukjent dokumenttype «lov&#x27;--» ble ignorert.",
        "«tjue» er ikke et årstall",
        "Ukjent tema",
        "Ukjent målform «de»",
        "Ukjent sortering",
    ]:
        assert message in html
    assert 'id="filter-type-error"' in html and 'aria-describedby="filter-type-error"' in html
    assert results(html) == [library.nou.title]


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 5000},
        {"q": "\x00"},
        {"q": '"unclosed & | ! :*'},
        {"year_from": "99999999999999999999"},
        {"year_from": "2024", "year_to": "2020"},
        {"page": "-1"},
        {"page": "999"},
        {"topic": "1" * 40},
    ],
)
def test_hostile_input_never_gives_an_error_page(library, client, params):
    assert client.get(URL, params).status_code == 200


def test_reversed_years_are_swapped(library, client):
    html = client.get(URL, {"year_from": "2023", "year_to": "2022"}).content.decode()
    assert "Årene ble byttet om" in html
    assert sorted(results(html)) == sorted(
        page.title for page in library.documents.values() if page.date.year in (2022, 2023)
    )
    assert len(results(html)) == 5


def query_count(client, url, params):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx)


# Counted by hand from the SQL log; a change that adds queries per document or per facet shows up here.
FINDER_QUERIES = 10

FINDER_REQUESTS = [
    {},
    {"q": "kommunane", "type": ["rapport", "brev"], "language": "nn", "sort": "relevance"},
    {"year_from": "2005", "year_to": "2020", "topic": "TOPIC", "page": "2"},
]


def _params(params, topic):
    return {k: (str(topic.pk) if v == "TOPIC" else v) for k, v in params.items()}


def test_query_count_does_not_grow_with_the_number_of_documents(library, client):
    index, topic = library.index, library.topics.village
    bulk_documents(index, 10, topics=[topic])
    client.get(URL)  # fill per-process caches (site root paths)
    small = [query_count(client, URL, _params(p, topic)) for p in FINDER_REQUESTS]

    bulk_documents(index, 990, topics=[topic])
    assert DocumentPage.objects.count() == len(library.documents) + 1000
    large = [query_count(client, URL, _params(p, topic)) for p in FINDER_REQUESTS]
    assert small == large
    assert large == [FINDER_QUERIES] * 3

    timings = {}
    for params in FINDER_REQUESTS:
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            client.get(URL, _params(params, topic))
            runs.append((time.perf_counter() - start) * 1000)
        timings[str(params)] = round(statistics.median(runs), 1)
    print(f"\nFinder queries (10 and 1,000 documents): {large}; median ms at 1,012 documents: {timings}")
    assert max(timings.values()) < 2000
