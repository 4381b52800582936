"""The site search asks as many queries with a few results of one type as with many
results of every type: the shown results are read as pages of any type and described
in one query, not loaded per page type."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.choices import DocumentType
from news.choices import NewsType
from tests.factories.documents import DocumentIndexPageFactory, DocumentPageFactory
from tests.factories.news import NewsIndexPageFactory, NewsPageFactory, at_noon
from tests.factories.newsletter import NewsletterIndexPageFactory, NewsletterIssuePageFactory
from tests.factories.pilots import PilotCallPageFactory
from tests.factories.policy import InformationPageFactory, TopicPageFactory

pytestmark = pytest.mark.django_db

QUERY = {"q": "fjordkommune"}


def queries_for(client, params):
    client.get("/sok/", params)  # fill the per-process caches (content types, the site)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/sok/", params)
    return len(captured), response.content.decode()


def test_search_queries_do_not_depend_on_the_results_or_their_types(home, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        archive = NewsIndexPageFactory(parent=home)
        NewsPageFactory(parent=archive, title="Fjordkommunene får midler", date=at_noon(2024, 5, 2))
    few, html = queries_for(client, QUERY)
    assert "1 treff på «fjordkommune»" in html

    with django_capture_on_commit_callbacks(execute=True):
        topic = TopicPageFactory(parent=home, title="Fjordkommuner", ingress="Politikk for fjordkommunene.")
        for n in range(12):
            NewsPageFactory(
                parent=archive,
                title=f"Pressemelding om fjordkommunene {n}",
                news_type=NewsType.PRESS_RELEASE,
                topics=[topic],
                date=at_noon(2023, 1, n + 1),
            )
        InformationPageFactory(parent=home, title="Om fjordkommunene")
        documents = DocumentIndexPageFactory(parent=home)
        DocumentPageFactory(
            parent=documents,
            title="Rapport om fjordkommunene",
            document_type=DocumentType.REPORT,
            date=datetime.date(2022, 3, 4),
        )
        issues = NewsletterIndexPageFactory(parent=home)
        NewsletterIssuePageFactory(parent=issues, title="Regionalnytt om fjordkommunene", publish=True)
        PilotCallPageFactory(parent=home, title="Utlysing for fjordkommunene", publish=True)

    many, html = queries_for(client, QUERY)
    assert "18 treff på «fjordkommune»" in html
    # The first page of results shows six page types, each with its type and date.
    for kind in ("Temaside", "Pressemelding", "Informasjonsside", "Rapport", "Nyhetsbrev", "Utlysing"):
        assert f'class="result__kind">{kind}<' in html, kind
    assert many == few

    with CaptureQueriesContext(connection) as second_page:
        html = client.get("/sok/", {**QUERY, "page": "2"}).content.decode()
    assert 'class="result__kind">Nyhet<' in html or 'class="result__kind">Pressemelding<' in html
    assert len(second_page) == few
