"""The labels of the site search and the document finder are translations, shown in the
language of the page they are on; the values in their addresses stay the same in every
language, so a link keeps working."""

import pytest
from django.utils import translation

from documents.models import DocumentType
from policy.filters import describe, page_kinds
from tests.factories.documents import DocumentIndexPageFactory, DocumentPageFactory
from tests.factories.newsletter import NewsletterIndexPageFactory, NewsletterIssuePageFactory
from tests.factories.policy import TopicPageFactory, translate_to_english

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "topic_page", "issue"),
    [("nb", "Temaside", "Nyhetsbrev"), ("nn", "Temaside", "Nyheitsbrev"), ("en", "Topic page", "Newsletter")],
)
def test_result_types_are_named_in_the_active_language(home, language, topic_page, issue):
    topic = TopicPageFactory(parent=home, title="Fjellpolitikk")
    archive = NewsletterIndexPageFactory(parent=home)
    newsletter_issue = NewsletterIssuePageFactory(parent=archive, title="Fjellbrevet")

    with translation.override(language):
        kinds = page_kinds()
        shown = describe([(page.pk, page.content_type_id) for page in (topic, newsletter_issue)])
        assert [result.meta.kind for result in shown] == [topic_page, issue]
        assert str(kinds["temaside"].label) == topic_page
        assert str(kinds["nyhetsbrev"].label) == issue


def test_the_search_page_offers_types_by_their_bokmal_values(home, client):
    TopicPageFactory(parent=home, title="Fjellpolitikk", ingress="Levande fjellbygder.", publish=True)
    html = client.get("/sok/?q=fjellpolitikk").content.decode()
    assert 'value="temaside"' in html
    assert '<label class="ds-label" for="type-temaside" data-weight="regular">Temaside (1)</label>' in html
    assert "Oppdatert <time" in html


def test_the_english_finder_speaks_english(home, client):
    finder = DocumentIndexPageFactory(parent=home)
    document = DocumentPageFactory(parent=finder, title="Fjellrapporten", document_type=DocumentType.REPORT)
    translate_to_english(home, title="Regional policy")
    english_finder = translate_to_english(finder, title="Documents", slug="documents")
    translate_to_english(document, title="The mountain report")

    english = client.get(english_finder.url).content.decode()
    norwegian = client.get(finder.url).content.decode()

    assert 'for="filter-language-en" data-weight="regular">English <span class="finder__count">(1)</span>' in english
    assert 'for="filter-type-rapport" data-weight="regular">Report <span class="finder__count">(1)</span>' in english
    assert 'for="sort-date" data-weight="regular">Newest first</label>' in english
    assert 'for="filter-language-nb" data-weight="regular">Bokmål <span class="finder__count">(1)</span>' in norwegian
    assert 'for="sort-date" data-weight="regular">Nyeste først</label>' in norwegian
