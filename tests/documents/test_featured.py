"""Featured documents: editors choose what a topic page's «Dokumenter» section shows
first; the newest documents on the topic fill it up, and no document is listed twice."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from policy.models import TopicPage
from tests.factories.documents import DocumentIndexPageFactory, DocumentPageFactory, FeaturedDocumentFactory
from tests.factories.policy import TopicPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic(home):
    return TopicPageFactory(parent=home, title="Fjellpolitikk", slug="fjellpolitikk")


@pytest.fixture
def documents(home, topic):
    """Six documents on the topic, one a year from 2019 (newest last), and one that is
    not on the topic at all."""
    index = DocumentIndexPageFactory(parent=home)
    on_topic = [
        DocumentPageFactory(parent=index, title=f"Fjellrapport {year}", date=datetime.date(year, 6, 1), topics=[topic])
        for year in range(2019, 2025)
    ]
    elsewhere = DocumentPageFactory(parent=index, title="Kystmeldingen", date=datetime.date(2018, 1, 1))
    return on_topic, elsewhere


def section_titles(client, topic):
    """The document titles in the topic page's «Dokumenter» section, in order."""
    soup = BeautifulSoup(client.get(topic.url).content, "html.parser")
    section = soup.find(id="topic-documents-heading").find_parent("section")
    return [link.get_text(strip=True) for link in section.select("li a")]


def choose(topic, *documents):
    for document in documents:
        FeaturedDocumentFactory(page=topic, document=document)


def test_without_a_choice_the_five_newest_are_shown(client, topic, documents):
    on_topic, _ = documents
    assert section_titles(client, topic) == [d.title for d in reversed(on_topic[1:])]


def test_chosen_documents_come_first_in_the_editors_order_then_the_newest(client, topic, documents):
    on_topic, elsewhere = documents
    oldest, newest = on_topic[0], on_topic[-1]
    choose(topic, elsewhere, newest, oldest)
    # The chosen three, then the two newest of the rest: the newest is not listed again.
    assert section_titles(client, topic) == [
        "Kystmeldingen",
        "Fjellrapport 2024",
        "Fjellrapport 2019",
        "Fjellrapport 2023",
        "Fjellrapport 2022",
    ]


def test_a_document_chosen_twice_is_listed_once(client, topic, documents):
    on_topic, _ = documents
    choose(topic, on_topic[0], on_topic[0])
    titles = section_titles(client, topic)
    assert titles.count("Fjellrapport 2019") == 1
    assert titles[0] == "Fjellrapport 2019" and len(titles) == 5


def test_every_chosen_document_is_shown_even_beyond_five(client, topic, documents):
    on_topic, elsewhere = documents
    chosen = [elsewhere, *on_topic]
    choose(topic, *chosen)
    assert section_titles(client, topic) == [d.title for d in chosen]


def test_an_unpublished_choice_is_left_out_and_its_place_filled(client, topic, documents):
    on_topic, elsewhere = documents
    choose(topic, elsewhere)
    elsewhere.unpublish()
    assert section_titles(client, topic) == [d.title for d in reversed(on_topic[1:])]


def test_a_choice_does_not_spread_to_other_topics(client, home, topic, documents):
    _, elsewhere = documents
    choose(topic, elsewhere)
    other = TopicPageFactory(parent=home, title="Kystpolitikk")
    DocumentPageFactory(parent=documents[0][0].get_parent(), title="Kystrapport", topics=[other])
    assert section_titles(client, other) == ["Kystrapport"]


def test_editors_choose_on_the_topic_pages_edit_form(client, topic, documents):
    """The topic page's admin form has the rows, and publishing it shows the choice."""
    on_topic, elsewhere = documents
    client.force_login(get_user_model().objects.create_superuser("redaktor", "redaktor@departement.example", "pw"))
    edit_url = f"/admin/pages/{topic.pk}/edit/"
    assert "Utvalgte dokumenter" in client.get(edit_url).content.decode()
    rows = [{"document": elsewhere.pk}, {"document": on_topic[0].pk}]
    data = nested_form_data(
        {
            "title": topic.title,
            "slug": topic.slug,
            "language": "nb",
            "body": streamfield([]),
            "featured_documents": inline_formset(rows),
            "comments": inline_formset([]),
            "action-publish": "publish",
        }
    )
    assert client.post(edit_url, data).status_code == 302
    assert [row.document_id for row in TopicPage.objects.get(pk=topic.pk).featured_documents.all()] == [
        elsewhere.pk,
        on_topic[0].pk,
    ]
    client.logout()
    assert section_titles(client, topic)[:3] == ["Kystmeldingen", "Fjellrapport 2019", "Fjellrapport 2024"]


def test_unpublishing_a_chosen_document_purges_the_topic_page_that_shows_it(home, topic, documents, purged):
    _, elsewhere = documents
    choose(topic, elsewhere)
    purged.clear()
    elsewhere.unpublish()
    assert "http://localhost/fjellpolitikk/" in purged
