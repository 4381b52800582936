"""The archive: filters as shareable links, bad input ignored with a notice,
pagination, noindex, and a query count that does not grow with the archive."""

import time

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page

from news.models import NewsPage, NewsType
from policy.models import TopicPage

from .conftest import ARCHIVE_URL, BYGDEVEKST_URL, SEED_TITLE, TOPIC_URL, aware, make_item

pytestmark = pytest.mark.django_db

OTHER_SEED_TITLE = "Statsbudsjettet 2023: Kommunal- og moderniseringsdepartementet"


def titles(html):
    """The item titles listed on an archive page, in order."""
    import re

    return re.findall(r'<li class="news-item"[^>]*>\s*<h2[^>]*><a[^>]*>([^<]+)</a>', html)


def test_archive_lists_newest_first(archive, client):
    html = client.get(ARCHIVE_URL).content.decode()
    assert titles(html) == [
        "Fem pilotområde for bygdevekstavtalar er valde",
        OTHER_SEED_TITLE,
        SEED_TITLE,
        "Kommunar kan søkje om å bli pilot for bygdevekstavtalar",
    ]
    assert 'name="robots"' not in html
    assert '<link rel="alternate" type="application/rss+xml"' in html


def test_filter_by_year_type_and_topic(archive, client, topic_page):
    ny_melding = TopicPage.objects.get(slug="ny-distriktsmelding")
    make_item(archive, title="Distriktsmeldingen er lagt fram", topics=[ny_melding], date=aware(2023, 4, 20))

    assert titles(client.get(ARCHIVE_URL + "?year=2023").content.decode()) == ["Distriktsmeldingen er lagt fram"]
    assert set(titles(client.get(ARCHIVE_URL + "?type=press_release").content.decode())) == {
        "Fem pilotområde for bygdevekstavtalar er valde",
        SEED_TITLE,
    }
    # A topic includes its sub-topics; by slug or by id.
    by_slug = titles(client.get(ARCHIVE_URL + "?topic=regional-og-distriktspolitikk").content.decode())
    by_id = titles(client.get(ARCHIVE_URL + f"?topic={topic_page.pk}").content.decode())
    assert by_slug == by_id and len(by_slug) == 5
    assert titles(client.get(ARCHIVE_URL + "?topic=ny-distriktsmelding").content.decode()) == [
        "Distriktsmeldingen er lagt fram"
    ]
    combined = client.get(ARCHIVE_URL + "?year=2022&type=news&topic=bygdevekstavtaler").content.decode()
    assert titles(combined) == ["Kommunar kan søkje om å bli pilot for bygdevekstavtalar"]
    # The form shows the chosen filters, so the visitor sees what they are looking at.
    assert '<option value="2022" selected>' in combined
    assert '<option value="news" selected>' in combined
    assert '<option value="bygdevekstavtaler" selected>' in combined
    assert '<meta name="robots" content="noindex, follow">' in combined
    assert 'href="/aktuelt/tema/bygdevekstavtaler/rss/"' in combined  # the topic's own feed in the head


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


def test_bad_input_is_ignored_with_a_notice(archive, client):
    for query, notice in BAD_INPUT:
        response = client.get(ARCHIVE_URL + query)
        html = response.content.decode()
        assert response.status_code == 200, query
        assert notice in html, query
        assert "\x00" not in html
        assert len(titles(html)) == 4, query  # everything is still listed
        assert '<meta name="robots" content="noindex, follow">' in html, query


def test_no_matches_says_so(archive, client):
    html = client.get(ARCHIVE_URL + "?year=1990").content.decode()
    assert titles(html) == []
    assert "Ingen saker passer til filtrene." in html
    assert '<option value="1990" selected>' in html


def test_unpublished_private_and_future_items_are_not_listed(archive, client, topic_page):
    make_item(archive, title="Utkast", topics=[topic_page], publish=False)
    from wagtail.models import PageViewRestriction

    private = make_item(archive, title="Intern sak", topics=[topic_page])
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    html = client.get(ARCHIVE_URL).content.decode()
    assert "Utkast" not in html and "Intern sak" not in html
    assert "Utkast" not in client.get(TOPIC_URL).content.decode()
    assert "Intern sak" not in client.get(TOPIC_URL).content.decode()


def test_designsystemet_pagination_keeps_filters(archive, client):
    archive.per_page = 2
    archive.save_revision().publish()
    html = client.get(ARCHIVE_URL + "?topic=bygdevekstavtaler").content.decode()
    assert '<nav class="ds-pagination" aria-label="Sider i arkivet">' in html
    assert 'href="?topic=bygdevekstavtaler&amp;page=2"' in html
    assert 'aria-current="page"' in html
    page_two = client.get(ARCHIVE_URL + "?topic=bygdevekstavtaler&page=2").content.decode()
    assert titles(page_two) == ["Kommunar kan søkje om å bli pilot for bygdevekstavtalar"]
    assert "Viser 3–3 av 3 saker." in page_two


def test_topic_archive_address_redirects_to_the_filter(archive, client):
    response = client.get(ARCHIVE_URL + "tema/bygdevekstavtaler/")
    assert response.status_code == 302
    assert response["Location"] == ARCHIVE_URL + "?topic=bygdevekstavtaler"


def test_news_now_on_topic_pages(archive, client):
    html = client.get(TOPIC_URL).content.decode()
    assert '<h2 id="news-now-heading" class="ds-heading" data-size="md">Aktuelt nå</h2>' in html
    assert SEED_TITLE in html
    assert "06.10.2022" in html
    assert 'href="/aktuelt/?topic=regional-og-distriktspolitikk"' in html
    assert '<link rel="alternate" type="application/rss+xml"' in html
    assert 'href="/aktuelt/tema/regional-og-distriktspolitikk/atom/"' in html
    # A sub-topic shows only its own items.
    sub = client.get(BYGDEVEKST_URL).content.decode()
    assert SEED_TITLE in sub and OTHER_SEED_TITLE not in sub
    # A topic without items shows no empty section.
    assert "news-now-heading" not in client.get(TOPIC_URL + "ny-distriktsmelding/").content.decode()


def test_news_now_shows_the_five_newest(archive, client, topic_page):
    for day in range(1, 7):
        make_item(archive, title=f"Desembersak {day}", topics=[topic_page], date=aware(2022, 12, day))
    html = client.get(TOPIC_URL).content.decode()
    section = html[html.index("news-now-heading") :]
    assert [f"Desembersak {d}" in section for d in range(6, 0, -1)] == [True] * 5 + [False]
    assert SEED_TITLE not in section


# --- Query budget ----------------------------------------------------------------

BUDGET_URLS = {
    "archive": ARCHIVE_URL,
    "archive, filtered": ARCHIVE_URL + "?year=2024&type=news&topic=bygdevekstavtaler",
    "archive, page 2": ARCHIVE_URL + "?page=2",
    "topic page": TOPIC_URL,
    "sub-topic page": BYGDEVEKST_URL,
    "rss": ARCHIVE_URL + "rss/",
    "topic atom": ARCHIVE_URL + "tema/bygdevekstavtaler/atom/",
}


def bulk_add_live_items(archive, count, topics):
    """Add `count` live, tagged items under the archive fast: treebeard-compatible
    bulk creation (paths, depth, numchild and url_path as add_child sets them, checked
    with treebeard's find_problems), one INSERT per table row, no revisions (they do not
    change what the public pages read). add_child in a loop takes about a minute here."""
    last = archive.get_last_child()
    first_step = NewsPage._str2int(last.path[-NewsPage.steplen :]) + 1 if last else 1
    content_type = ContentType.objects.get_for_model(NewsPage)
    now = timezone.now()
    rows = []
    for offset in range(count):
        number = first_step + offset
        slug = f"masse-{number}"
        rows.append(
            Page(
                title=f"Masseprodusert sak {number}",
                draft_title=f"Masseprodusert sak {number}",
                slug=slug,
                path=NewsPage._get_path(archive.path, archive.depth + 1, number),
                depth=archive.depth + 1,
                numchild=0,
                url_path=f"{archive.url_path}{slug}/",
                content_type=content_type,
                locale_id=archive.locale_id,
                live=True,
                first_published_at=now - timezone.timedelta(hours=number),
            )
        )
    pages = Page.objects.bulk_create(rows)
    for number, page in enumerate(pages):
        item = NewsPage(
            page_ptr_id=page.pk,
            ingress="Kort ingress.",
            language="nn" if number % 3 else "nb",
            news_type=NewsType.values[number % 3],
        )
        item.save_base(raw=True, force_insert=True)
    NewsPage.topics.through.objects.bulk_create(
        [NewsPage.topics.through(newspage_id=page.pk, topicpage_id=topic.pk) for page in pages for topic in topics]
    )
    Page.objects.filter(pk=archive.pk).update(numchild=archive.numchild + count)
    assert all(not problem for problem in Page.find_problems())


def count_queries(client):
    counts = {}
    for name, url in BUDGET_URLS.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[name] = len(queries)
    return counts


def test_query_count_is_the_same_for_10_and_1000_items(archive, client, capsys, settings):
    settings.PAGE_CACHE_ENABLED = False  # measure the pages themselves, not a cached copy
    topics = list(TopicPage.objects.filter(slug__in=["bygdevekstavtaler", "ny-distriktsmelding"]))
    for _ in range(10 - NewsPage.objects.count()):
        make_item(archive, topics=topics)
    assert NewsPage.objects.live().count() == 10
    client.get(ARCHIVE_URL)  # warm per-process caches (site root paths)
    small = count_queries(client)

    started = time.monotonic()
    bulk_add_live_items(archive, 990, topics)
    seconds = time.monotonic() - started
    assert NewsPage.objects.live().count() == 1000
    large = count_queries(client)
    archive_html = client.get(ARCHIVE_URL).content.decode()
    assert "Viser 1–20 av 1000 saker." in archive_html and "Masseprodusert sak" in archive_html

    with capsys.disabled():
        print(
            f"\nQueries with 10 items: {small}\nQueries with 1000 items: {large}\n(990 items added in {seconds:.1f}s)"
        )
    assert small == large
    # Topic pages also run other apps' sections, so only the pages news owns get a fixed budget.
    assert {name: large[name] for name in NEWS_BUDGET} == NEWS_BUDGET


# Measured; a change that adds a query shows up here.
NEWS_BUDGET = {"archive": 18, "archive, filtered": 19, "archive, page 2": 18, "rss": 11, "topic atom": 14}
