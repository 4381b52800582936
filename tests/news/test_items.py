"""A news item as a reader sees it: date, type in the item's målform, publisher,
government period, change history, topics, image text, and `lang` in lists."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Page

from news.models import DEFAULT_PUBLISHER, Government, NewsIndexPage, NewsPage, NewsType, government_for
from tests.factories.news import NewsPageFactory, at_noon, paragraph
from tests.factories.policy import TopicPageFactory

pytestmark = pytest.mark.django_db


def list_entry(html, title):
    """The opening of the list entry (`<li ...>`) up to the item's title."""
    title_at = html.index(title)
    return html[html.rindex("<li", 0, title_at) : title_at]


def test_page_types_live_only_where_they_belong(archive, home, topic):
    assert not NewsIndexPage.can_create_at(home)  # one archive per home page
    assert not NewsIndexPage.can_create_at(topic)
    assert NewsPage.can_create_at(archive)
    assert not NewsPage.can_create_at(home)
    assert not NewsPage.can_create_at(topic)
    assert NewsPage.allowed_subpage_models() == []
    assert not NewsIndexPage.can_create_at(Page.get_first_root_node())


def test_archive_can_be_created_on_a_home_page_without_one(home):
    assert NewsIndexPage.can_create_at(home)


def test_item_shows_date_type_publisher_and_government(archive, subtopic, governments, client):
    item = NewsPageFactory(
        parent=archive,
        title="Regjeringa utvidar ordninga",
        language="nn",
        news_type=NewsType.PRESS_RELEASE,
        date=at_noon(2022, 10, 6),
        ingress="Fleire kommunar kan vere med.",
        body=paragraph("Ordninga får ei totalramme på 25 millionar kronar."),
        topics=[subtopic],
    )
    response = client.get(item.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="nn"' in html
    assert '<h1 class="ds-heading" data-size="xl">Regjeringa utvidar ordninga</h1>' in html
    assert "6. oktober 2022" in html
    assert "Pressemelding" in html
    assert f"Utgjevar:</dt> <dd>{DEFAULT_PUBLISHER}" in html  # nynorsk label
    assert "Publisert under:</dt> <dd>Regjeringen Støre" in html
    assert "Fleire kommunar kan vere med." in html
    assert "Ordninga får ei totalramme på 25 millionar kronar." in html
    assert 'href="/distriktspolitikk/bygdevekst/">Bygdevekst</a>' in html  # its topic
    assert "Sist oppdatert" not in html  # never changed in a major way
    assert "Denne saka vart publisert under" not in html  # the sitting government


def test_type_label_follows_the_items_malform(archive, client):
    nynorsk = NewsPageFactory(parent=archive, language="nn", news_type=NewsType.NEWS)
    bokmal = NewsPageFactory(parent=archive, language="nb", news_type=NewsType.NEWS)
    assert "Nyheit" in client.get(nynorsk.url).content.decode()
    assert "Nyheit" not in client.get(bokmal.url).content.decode()
    assert ">Nyhet<" in client.get(bokmal.url).content.decode()


def test_item_from_an_earlier_government_is_marked(archive, topic, governments, client):
    old = NewsPageFactory(parent=archive, title="Sak fra 2020", date=at_noon(2020, 5, 4), language="nb")
    NewsPageFactory(parent=archive, title="Sak fra 2022", date=at_noon(2022, 5, 4), language="nb")
    html = client.get(old.url).content.decode()
    assert "Publisert under:</dt> <dd>Regjeringen Solberg" in html
    assert "Denne saken ble publisert under Regjeringen Solberg." in html
    listing = client.get(archive.url).content.decode()
    entries = {title: listing[listing.index(title) :] for title in ("Sak fra 2020", "Sak fra 2022")}
    entries = {title: entry[: entry.index("</li>")] for title, entry in entries.items()}
    assert "Publisert under: Regjeringen Solberg" in entries["Sak fra 2020"]
    assert "Publisert under" not in entries["Sak fra 2022"]  # only earlier governments are named in lists


def test_government_changes_on_the_day_the_new_one_takes_office(governments):
    governments = list(Government.objects.all())
    assert government_for(at_noon(2021, 10, 13), governments).name == "Regjeringen Solberg"
    assert government_for(at_noon(2021, 10, 14), governments).name == "Regjeringen Støre"
    assert government_for(at_noon(2013, 1, 1), governments) is None  # before any government on file


def test_government_end_before_start_is_rejected():
    government = Government(
        name="Regjeringen Test", start_date=datetime.date(2020, 1, 2), end_date=datetime.date(2020, 1, 1)
    )
    with pytest.raises(ValidationError) as error:
        government.full_clean()
    assert "end_date" in error.value.message_dict


def test_nynorsk_items_are_marked_in_lists_on_bokmal_pages(archive, topic, client):
    NewsPageFactory(parent=archive, title="Nynorsk sak", language="nn", topics=[topic])
    NewsPageFactory(parent=archive, title="Bokmålssak", language="nb", topics=[topic])
    archive_html = client.get(archive.url).content.decode()
    topic_html = client.get(topic.url).content.decode()
    for html in (archive_html, topic_html):
        assert 'lang="nn"' in list_entry(html, "Nynorsk sak")
        # The bokmål item in the same list carries no lang attribute of its own.
        assert "lang=" not in list_entry(html, "Bokmålssak")


def test_bokmal_item_is_marked_on_a_nynorsk_topic_page(archive, home, client):
    nynorsk_topic = TopicPageFactory(parent=home, title="Bygdeutvikling", language="nn")
    NewsPageFactory(parent=archive, title="Bokmålssak om bygdevekst", language="nb", topics=[nynorsk_topic])
    NewsPageFactory(parent=archive, title="Nynorsk sak om bygdevekst", language="nn", topics=[nynorsk_topic])
    html = client.get(nynorsk_topic.url).content.decode()
    assert "Aktuelt no" in html  # the section heading follows the nynorsk page
    assert 'lang="nb"' in list_entry(html, "Bokmålssak om bygdevekst")
    assert "lang=" not in list_entry(html, "Nynorsk sak om bygdevekst")


def test_image_needs_alternative_text_unless_decorative(image):
    item = NewsPage(title="Med bilde", slug="med-bilde", image=image, topics=[])
    with pytest.raises(ValidationError) as error:
        item.clean()
    assert error.value.message_dict["image_alt"] == [
        "Skriv en alternativ tekst, eller kryss av for at bildet er dekorativt."
    ]
    item.image_decorative = True
    item.clean()
    item.image_decorative, item.image_alt = False, "Et gardstun i Nordland"
    item.clean()


def test_image_alt_text_or_empty_alt_when_decorative(archive, image, client):
    described = NewsPageFactory(parent=archive, image=image, image_alt="Et gardstun i Nordland")
    decorative = NewsPageFactory(parent=archive, image=image, image_decorative=True)
    assert 'alt="Et gardstun i Nordland"' in client.get(described.url).content.decode()
    assert 'alt=""' in client.get(decorative.url).content.decode()


def test_item_search_finds_news(archive, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        NewsPageFactory(parent=archive, title="Kommunereform i fjellbygdene", ingress="Om fjellbygdene.")
        NewsPageFactory(parent=archive, title="Ny veg langs kysten", ingress="Om kysten.")
    html = client.get("/sok/?q=fjellbygdene").content.decode()
    assert "Kommunereform i fjellbygdene" in html
    assert "Ny veg langs kysten" not in html
