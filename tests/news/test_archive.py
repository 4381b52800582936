"""The archive: filters as shareable links, bad input ignored with a notice,
pagination, noindex, and "Aktuelt nå" on topic pages."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from news.models import NewsType
from tests.factories.news import NewsPageFactory, at_noon
from tests.factories.policy import TopicPageFactory

pytestmark = pytest.mark.django_db


def titles(html):
    """The item titles listed on an archive page, in order."""
    return re.findall(r'<li class="news-item"[^>]*>\s*<h2[^>]*><a[^>]*>([^<]+)</a>', html)


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def filter_items(archive, topic, subtopic, other_subtopic, home):
    """Items of every type and year, tagged at each level of the topic tree, and one
    about a topic outside it."""
    outside = TopicPageFactory(parent=home, title="Samferdsel")
    return {
        "melding": NewsPageFactory(
            parent=archive, title="Distriktsmeldingen er lagt fram", topics=[other_subtopic], date=at_noon(2023, 4, 20)
        ),
        "chosen": NewsPageFactory(
            parent=archive,
            title="Fem pilotområder er valgt",
            news_type=NewsType.PRESS_RELEASE,
            topics=[subtopic],
            date=at_noon(2022, 11, 30),
        ),
        "budget": NewsPageFactory(
            parent=archive,
            title="Budsjettet utvider ordningen",
            news_type=NewsType.PRESS_RELEASE,
            topics=[subtopic, topic],
            date=at_noon(2022, 10, 6),
        ),
        "documents": NewsPageFactory(
            parent=archive, title="Dokumentene til budsjettet", topics=[topic], date=at_noon(2022, 10, 6)
        ),
        "call": NewsPageFactory(
            parent=archive, title="Kommuner kan søke om å bli pilot", topics=[subtopic], date=at_noon(2022, 6, 30)
        ),
        "outside": NewsPageFactory(
            parent=archive, title="Ny veg over fjellet", topics=[outside], date=at_noon(2022, 3, 1)
        ),
    }


def test_archive_lists_newest_first(archive, filter_items, client):
    html = get(client, archive.url)
    # Items on the same day: the one made last comes first.
    assert titles(html) == [
        "Distriktsmeldingen er lagt fram",
        "Fem pilotområder er valgt",
        "Dokumentene til budsjettet",
        "Budsjettet utvider ordningen",
        "Kommuner kan søke om å bli pilot",
        "Ny veg over fjellet",
    ]
    assert 'name="robots"' not in html
    assert '<link rel="alternate" type="application/rss+xml"' in html


def test_filter_by_year_type_and_topic(archive, filter_items, topic, client):
    assert titles(get(client, "/aktuelt/?year=2023")) == ["Distriktsmeldingen er lagt fram"]
    assert titles(get(client, "/aktuelt/?type=press_release")) == [
        "Fem pilotområder er valgt",
        "Budsjettet utvider ordningen",
    ]
    # A topic includes its sub-topics; by slug or by id.
    by_slug = titles(get(client, "/aktuelt/?topic=distriktspolitikk"))
    by_id = titles(get(client, f"/aktuelt/?topic={topic.pk}"))
    assert by_slug == by_id
    assert set(by_slug) == {item.title for name, item in filter_items.items() if name != "outside"}
    assert titles(get(client, "/aktuelt/?topic=distriktsmelding")) == ["Distriktsmeldingen er lagt fram"]
    combined = get(client, "/aktuelt/?year=2022&type=news&topic=bygdevekst")
    assert titles(combined) == ["Kommuner kan søke om å bli pilot"]
    # The form shows the chosen filters, so the visitor sees what they are looking at.
    assert '<option value="2022" selected>' in combined
    assert '<option value="news" selected>' in combined
    assert '<option value="bygdevekst" selected>' in combined
    assert '<meta name="robots" content="noindex, follow">' in combined
    assert 'href="/aktuelt/tema/bygdevekst/rss/"' in combined  # the topic's own feed in the head


BAD_INPUT = [
    ("?year=abc", "Året «abc» er ugyldig. Viser saker fra alle år."),
    ("?year=99999999999999999999", "er ugyldig. Viser saker fra alle år."),
    ("?type=blogg", "Typen «blogg» finnes ikke. Viser alle typer."),
    ("?topic=finnes-ikke", "Fant ikke temaet «finnes-ikke». Viser saker om alle tema."),
    ("?topic=999999999", "Fant ikke temaet «999999999»."),
    ("?page=99999", "Side 99999 finnes ikke. Viser siste side."),
    ("?page=abc", "Sidetallet «abc» er ugyldig. Viser første side."),
    ("?page=-1", "Sidetallet må være 1 eller høyere."),
    ("?year=%00&topic=%27%22%3E", "Fant ikke temaet «&#x27;&quot;&gt;»."),
]


def test_bad_input_is_ignored_with_a_notice(archive, topic, client):
    for day in (1, 2, 3):
        NewsPageFactory(parent=archive, title=f"Marssak {day}", topics=[topic], date=at_noon(2024, 3, day))
    for query, notice in BAD_INPUT:
        response = client.get(archive.url + query)
        html = response.content.decode()
        assert response.status_code == 200, query
        assert notice in html, query
        assert "\x00" not in html
        assert titles(html) == ["Marssak 3", "Marssak 2", "Marssak 1"], query  # everything is still listed
        assert '<meta name="robots" content="noindex, follow">' in html, query


def test_no_matches_says_so(archive, topic, client):
    NewsPageFactory(parent=archive, title="Sak fra 2024", topics=[topic], date=at_noon(2024, 3, 1))
    html = get(client, "/aktuelt/?year=1990")
    assert titles(html) == []
    assert "Ingen saker passer til filtrene." in html
    assert '<option value="1990" selected>' in html
    assert "Ingen saker passer til filtrene." not in get(client, "/aktuelt/?year=2024")


def test_unpublished_private_and_future_items_are_not_listed(archive, topic, client):
    NewsPageFactory(parent=archive, title="Synlig sak", topics=[topic])
    NewsPageFactory(parent=archive, title="Utkast", topics=[topic], live=False)
    # «Publiser» with a go-live time in the future schedules the item instead.
    scheduled = NewsPageFactory(
        parent=archive,
        title="Planlagt sak",
        topics=[topic],
        live=False,
        go_live_at=timezone.now() + timedelta(days=1),
        publish=True,
    )
    assert scheduled.scheduled_revision is not None
    private = NewsPageFactory(parent=archive, title="Intern sak", topics=[topic])
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    for url in (archive.url, topic.url):
        html = get(client, url)
        assert "Synlig sak" in html, url
        assert "Utkast" not in html and "Intern sak" not in html and "Planlagt sak" not in html, url


def test_designsystemet_pagination_keeps_filters(archive, filter_items, client):
    archive.per_page = 2
    archive.save_revision().publish()
    html = get(client, "/aktuelt/?topic=bygdevekst")
    assert '<nav class="ds-pagination" aria-label="Sider i arkivet">' in html
    assert 'href="?topic=bygdevekst&amp;page=2"' in html
    assert 'aria-current="page"' in html
    assert titles(html) == ["Fem pilotområder er valgt", "Budsjettet utvider ordningen"]
    page_two = get(client, "/aktuelt/?topic=bygdevekst&page=2")
    assert titles(page_two) == ["Kommuner kan søke om å bli pilot"]
    assert "Viser 3–3 av 3 saker." in page_two


def test_topic_archive_address_redirects_to_the_filter(archive, subtopic, client):
    response = client.get(archive.url + "tema/bygdevekst/")
    assert response.status_code == 302
    assert response["Location"] == "/aktuelt/?topic=bygdevekst"


def test_news_now_on_topic_pages(archive, topic, subtopic, other_subtopic, client):
    NewsPageFactory(parent=archive, title="Sak om bygdevekst", topics=[subtopic], date=at_noon(2022, 10, 6))
    NewsPageFactory(parent=archive, title="Sak om distriktspolitikk", topics=[topic], date=at_noon(2022, 9, 1))
    html = get(client, topic.url)
    assert '<h2 id="news-now-heading" class="ds-heading" data-size="md">Aktuelt nå</h2>' in html
    assert "Sak om bygdevekst" in html and "Sak om distriktspolitikk" in html
    assert "6. oktober 2022" in html
    assert 'href="/aktuelt/?topic=distriktspolitikk"' in html
    assert '<link rel="alternate" type="application/rss+xml"' in html
    assert 'href="/aktuelt/tema/distriktspolitikk/atom/"' in html
    # A sub-topic shows only its own items.
    sub = get(client, subtopic.url)
    assert "Sak om bygdevekst" in sub and "Sak om distriktspolitikk" not in sub
    # A topic without items shows no empty section.
    assert "news-now-heading" not in get(client, other_subtopic.url)


def test_news_now_shows_the_five_newest(archive, topic, client):
    NewsPageFactory(parent=archive, title="Novembersak", topics=[topic], date=at_noon(2022, 11, 1))
    for day in range(1, 7):
        NewsPageFactory(parent=archive, title=f"Desembersak {day}", topics=[topic], date=at_noon(2022, 12, day))
    html = get(client, topic.url)
    section = html[html.index("news-now-heading") :]
    assert [f"Desembersak {d}" in section for d in range(6, 0, -1)] == [True] * 5 + [False]
    assert "Novembersak" not in section
