"""Rules every public page type keeps, checked on one page of each type built with the
factories. A new page type fails here until it is added, so no type escapes the rules."""

import pytest
from django.core.cache import cache
from django.test import Client
from wagtail.models import Page, get_page_models

from tests.factories.documents import DocumentIndexPageFactory, DocumentPageFactory
from tests.factories.news import NewsIndexPageFactory, NewsPageFactory
from tests.factories.newsletter import (
    NewsletterIndexPageFactory,
    NewsletterIssuePageFactory,
    NewsletterListFactory,
    NewsletterSignupPageFactory,
)
from tests.factories.pilots import PilotCallPageFactory
from tests.factories.policy import InformationPageFactory, SitemapPageFactory, TopicPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_of_each(home):
    topic = TopicPageFactory(parent=home, title="Fjellpolitikk")
    NewsPageFactory(parent=NewsIndexPageFactory(parent=home), topics=[topic], title="Ny fjellsatsing")
    DocumentPageFactory(parent=DocumentIndexPageFactory(parent=home), topics=[topic], title="Fjellrapporten")
    PilotCallPageFactory(parent=topic, title="Søk om å bli fjellpilot")
    newsletter_list = NewsletterListFactory(name="Fjellbrevet")
    signup = NewsletterSignupPageFactory(parent=home, newsletter_list=newsletter_list)
    archive = NewsletterIndexPageFactory(parent=home, newsletter_list=newsletter_list, signup_page=signup)
    NewsletterIssuePageFactory(parent=archive, title="Fjellbrevet nr. 1", publish=True)
    InformationPageFactory(parent=home, title="Personvernerklæring")
    SitemapPageFactory(parent=home)
    return Page.objects.live().public().specific().filter(depth__gt=1)


def test_one_page_of_every_creatable_type_is_checked(one_of_each):
    creatable = {model for model in get_page_models() if model.is_creatable}
    assert {type(page) for page in one_of_each} == creatable


def test_pages_are_shared_only_when_they_carry_no_form_token(settings, one_of_each):
    """Pages with a CSRF token (forms) must never be cached for everyone; all other
    live pages must be, or the page cache and the CDN do nothing for them."""
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    client = Client()
    for page in one_of_each:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        cache_control = response["Cache-Control"]
        if b'name="csrfmiddlewaretoken"' in response.content:
            assert "private" in cache_control, page.url
        else:
            assert "public" in cache_control, f"{page.url} is not cacheable: {cache_control}"
