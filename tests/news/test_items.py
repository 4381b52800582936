"""A news item as a reader sees it: date, type in the item's målform, publisher,
government period, change history, topics, image text, and `lang` in lists."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page

from news.models import Government, NewsIndexPage, NewsPage, NewsType
from policy.models import TopicPage

from .conftest import ARCHIVE_URL, BYGDEVEKST_URL, SEED_TITLE, TOPIC_URL, aware, make_item

pytestmark = pytest.mark.django_db

SEED_URL = ARCHIVE_URL + "statsbudsjettet-2023-regjeringa-utvidar-ordninga-for-bygdevekstavtalar/"


def test_page_types_live_only_where_they_belong(archive, demo_site):
    assert not NewsIndexPage.can_create_at(demo_site)  # one archive per home page
    assert not NewsIndexPage.can_create_at(TopicPage.objects.first())
    assert NewsPage.can_create_at(archive)
    assert not NewsPage.can_create_at(demo_site)
    assert not NewsPage.can_create_at(TopicPage.objects.first())
    assert NewsPage.allowed_subpage_models() == []
    assert not NewsIndexPage.can_create_at(Page.get_first_root_node())


def test_seed_item_shows_date_type_publisher_and_government(archive, client):
    response = client.get(SEED_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="nn"' in html
    assert f'<h1 class="ds-heading" data-size="xl">{SEED_TITLE}</h1>' in html
    assert "06.10.2022" in html
    assert "Pressemelding" in html
    assert "Utgjevar:</dt> <dd>Kommunal- og distriktsdepartementet" in html  # nynorsk label
    assert "Publisert under:</dt> <dd>Regjeringen Støre" in html
    assert "totalramme på 25 millionar kronar" in html
    assert "Sist oppdatert" not in html  # never changed in a major way


def test_type_label_follows_the_items_malform(archive, client):
    nynorsk = make_item(archive, language="nn", news_type=NewsType.NEWS)
    bokmal = make_item(archive, language="nb", news_type=NewsType.NEWS)
    assert "Nyheit" in client.get(nynorsk.url).content.decode()
    assert "Nyheit" not in client.get(bokmal.url).content.decode()
    assert ">Nyhet<" in client.get(bokmal.url).content.decode()


def test_item_from_an_earlier_government_is_marked(archive, client):
    old = make_item(archive, title="Sak fra 2020", date=aware(2020, 5, 4), language="nb")
    html = client.get(old.url).content.decode()
    assert "Publisert under:</dt> <dd>Regjeringen Solberg" in html
    assert "Denne saken ble publisert under Regjeringen Solberg." in html
    listing = client.get(ARCHIVE_URL).content.decode()
    entry = listing[listing.index("Sak fra 2020") :]
    entry = entry[: entry.index("</li>")]
    assert "Publisert under: Regjeringen Solberg" in entry


def test_government_changes_on_the_day_the_new_one_takes_office(archive):
    governments = list(Government.objects.all())
    from news.models import government_for

    assert government_for(aware(2021, 10, 13), governments).name == "Regjeringen Solberg"
    assert government_for(aware(2021, 10, 14), governments).name == "Regjeringen Støre"
    assert government_for(aware(2013, 1, 1), governments) is None  # before any government on file


def test_government_end_before_start_is_rejected():
    import datetime

    government = Government(
        name="Regjeringen Test", start_date=datetime.date(2020, 1, 2), end_date=datetime.date(2020, 1, 1)
    )
    with pytest.raises(ValidationError) as error:
        government.full_clean()
    assert "end_date" in error.value.message_dict


def test_nynorsk_items_are_marked_in_lists_on_bokmal_pages(archive, client):
    archive_html = client.get(ARCHIVE_URL).content.decode()
    topic_html = client.get(TOPIC_URL).content.decode()
    for html in (archive_html, topic_html):
        title_at = html.index(SEED_TITLE)
        li = html[html.rindex("<li", 0, title_at) : title_at]
        assert 'lang="nn"' in li
    # The bokmål item in the same archive list carries no lang attribute of its own.
    title_at = archive_html.index("Statsbudsjettet 2023: Kommunal- og moderniseringsdepartementet")
    assert "lang=" not in archive_html[archive_html.rindex("<li", 0, title_at) : title_at]


def test_bokmal_item_is_marked_on_a_nynorsk_topic_page(archive, client):
    bygdevekst = TopicPage.objects.get(slug="bygdevekstavtaler")
    make_item(archive, title="Bokmålssak om bygdevekst", language="nb", topics=[bygdevekst], date=aware(2022, 12, 1))
    html = client.get(BYGDEVEKST_URL).content.decode()
    assert "Aktuelt no" in html  # the section heading follows the nynorsk page
    title_at = html.index("Bokmålssak om bygdevekst")
    assert 'lang="nb"' in html[html.rindex("<li", 0, title_at) : title_at]
    title_at = html.index(SEED_TITLE)
    assert "lang=" not in html[html.rindex("<li", 0, title_at) : title_at]


def test_image_needs_alternative_text_unless_decorative(archive, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    image = Image.objects.create(title="Bygd", file=get_test_image_file())
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


def test_image_alt_text_or_empty_alt_when_decorative(archive, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    image = Image.objects.create(title="Bygd", file=get_test_image_file())
    described = make_item(archive, image=image, image_alt="Et gardstun i Nordland")
    decorative = make_item(archive, image=image, image_decorative=True)
    assert 'alt="Et gardstun i Nordland"' in client.get(described.url).content.decode()
    assert 'alt=""' in client.get(decorative.url).content.decode()


def test_item_search_finds_news(archive, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_item(archive, title="Kommunereform i fjellbygdene", ingress="Om fjellbygdene.")
    assert "Kommunereform i fjellbygdene" in client.get("/sok/?q=fjellbygdene").content.decode()


def test_demo_loader_is_idempotent(archive, demo_site):
    from news.demo import load_news

    before = (NewsPage.objects.count(), Government.objects.count(), NewsIndexPage.objects.count())
    load_news(demo_site)
    assert (NewsPage.objects.count(), Government.objects.count(), NewsIndexPage.objects.count()) == before == (4, 2, 1)
