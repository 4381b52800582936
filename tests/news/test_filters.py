"""The archive's FilterSet: bad input gives a Norwegian notice and a 200, and what
the visitor chose that can be used is kept (applied and shown in the form)."""

import re
from urllib.parse import urlencode

import pytest
from django.http import QueryDict

from news.filters import ArchiveFilterSet
from news.models import NewsPage, NewsType
from tests.factories.news import NewsPageFactory, at_noon

pytestmark = pytest.mark.django_db


def titles(html):
    return re.findall(r'<li class="news-item"[^>]*>\s*<h2[^>]*><a[^>]*>([^<]+)</a>', html)


@pytest.fixture
def items(archive, topic):
    return [
        NewsPageFactory(
            parent=archive,
            title="Pressemelding 2024",
            news_type=NewsType.PRESS_RELEASE,
            topics=[topic],
            date=at_noon(2024, 5, 1),
        ),
        NewsPageFactory(parent=archive, title="Nyhet 2024", topics=[topic], date=at_noon(2024, 4, 1)),
        NewsPageFactory(parent=archive, title="Nyhet 2023", topics=[topic], date=at_noon(2023, 4, 1)),
    ]


def filterset(**params):
    return ArchiveFilterSet(QueryDict(urlencode(params)), queryset=NewsPage.objects.visible())


def test_an_unknown_type_is_left_out_and_the_year_still_applies(items):
    filters = filterset(type="blogg", year="2024")
    assert filters.notices() == ["Typen «blogg» finnes ikke. Viser alle typer."]
    assert filters.chosen() == {"year": 2024, "type": None, "topic": None}
    assert [item.title for item in filters.qs] == ["Pressemelding 2024", "Nyhet 2024"]


@pytest.mark.parametrize("year", ["²", "1" * 5000, "2024.0", "-2024", "0", "\x00"])
def test_years_that_are_not_plain_four_digit_numbers_are_refused(items, year):
    filters = filterset(year=year)
    assert filters.chosen()["year"] is None
    assert len(filters.notices()) == 1 and filters.notices()[0].endswith("er ugyldig. Viser saker fra alle år.")
    assert filters.qs.count() == 3


def test_a_year_in_other_decimal_digits_is_a_year(items):
    assert filterset(year="٢٠٢٤").chosen()["year"] == 2024


def test_a_topic_by_a_number_too_large_for_an_id_is_not_found(items):
    filters = filterset(topic="9" * 40)
    assert filters.notices() == [f"Fant ikke temaet «{'9' * 40}». Viser saker om alle tema."]
    assert filters.qs.count() == 3


def test_the_page_keeps_the_usable_input_beside_the_notice(archive, topic, items, client):
    response = client.get(archive.url, {"year": "2024", "type": "blogg", "topic": topic.slug})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Typen «blogg» finnes ikke. Viser alle typer." in html
    assert titles(html) == ["Pressemelding 2024", "Nyhet 2024"]
    assert '<option value="2024" selected>' in html
    assert f'<option value="{topic.slug}" selected>' in html
    assert "Fjern filtrene" in html


@pytest.mark.parametrize("page", ["abc", "²", "\x00", "1e9", "-1", "99999"])
def test_a_garbage_page_number_keeps_the_filters(archive, items, client, page):
    response = client.get(archive.url, {"type": "news", "page": page})
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r"Sidetallet «[^»]*» er ugyldig|Sidetallet må være 1|Side \d+ finnes ikke", html)
    assert "\x00" not in html
    assert titles(html) == ["Nyhet 2024", "Nyhet 2023"]
    assert '<option value="news" selected>' in html


@pytest.mark.parametrize("value", ["\x00", "bygde\x00vekst", "<b>", "a" * 300])
def test_a_topic_that_cannot_be_a_slug_is_not_found_and_never_an_error(items, client, archive, value):
    response = client.get(archive.url, {"topic": value})
    assert response.status_code == 200
    assert "Fant ikke temaet" in response.content.decode()
    assert len(titles(response.content.decode())) == 3


def test_a_topic_is_named_by_its_slug_and_an_old_id_link_still_works(items, topic):
    by_slug, by_id = filterset(topic=topic.slug), filterset(topic=str(topic.pk))
    assert by_slug.chosen()["topic"] == by_id.chosen()["topic"] == topic
    assert by_slug.notices() == by_id.notices() == []
