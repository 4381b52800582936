"""Fixtures for the newsletter: one list with its consent text, its sign-up page and
archive under the home page, a published issue, a topic page whose newsletter block
points at the sign-up page, and `subscribe` (through the real confirmation token).

Built with tests/factories/newsletter.py; tests assert on the names and texts set here
or in the test itself. Links in mail are built from NEWSLETTER_BASE_URL, set here to
MAIL_BASE_URL so the tests do not depend on a developer's .env."""

import pytest

from tests.factories.newsletter import (
    ConsentTextFactory,
    NewsletterIndexPageFactory,
    NewsletterIssuePageFactory,
    NewsletterListFactory,
    NewsletterSignupPageFactory,
    subscribed,
)
from tests.factories.policy import TopicPageFactory

MAIL_BASE_URL = "https://nyhetsbrev.example"
LIST_NAME = "Distriktsbrevet"
CONSENT_TEXT = "Vi sender deg Distriktsbrevet fire ganger i året og deler aldri adressen din med andre."
BLOCK_HEADING = "Få Distriktsbrevet på e-post"


@pytest.fixture(autouse=True)
def mail_base_url(settings):
    settings.NEWSLETTER_BASE_URL = MAIL_BASE_URL
    return MAIL_BASE_URL


def mail_path(url):
    """The site path of an absolute link in a mail, for the test client."""
    assert url.startswith(MAIL_BASE_URL), url
    return url.removeprefix(MAIL_BASE_URL)


def make_list():
    """The list with its consent text (version 1)."""
    newsletter_list = NewsletterListFactory(name=LIST_NAME, slug="distriktsbrevet", consent_text=None)
    ConsentTextFactory(newsletter_list=newsletter_list, version=1, text=CONSENT_TEXT)
    return newsletter_list


def make_signup_page(home, newsletter_list):
    return NewsletterSignupPageFactory(
        parent=home, title="Meld deg på Distriktsbrevet", slug="meld-deg-pa", newsletter_list=newsletter_list
    )


def make_topic_page(home, signup):
    """A topic page whose newsletter block points at the sign-up page."""
    block = {"heading": BLOCK_HEADING, "text": "", "link": signup, "link_text": "Meld deg på", "lang": ""}
    return TopicPageFactory(parent=home, title="Distriktspolitikk", body=[("newsletter", block)])


def make_issue(home, newsletter_list, signup=None, **fields):
    """A published issue in the list's archive (which links to `signup` if given)."""
    archive = NewsletterIndexPageFactory(
        parent=home, title=newsletter_list.name, newsletter_list=newsletter_list, signup_page=signup
    )
    return NewsletterIssuePageFactory(parent=archive, publish=True, **{"title": "Fjellbygder og fiskevær", **fields})


@pytest.fixture
def newsletter_list(db):
    return make_list()


@pytest.fixture
def signup_page(home, newsletter_list):
    return make_signup_page(home, newsletter_list)


@pytest.fixture
def topic_page(home, signup_page):
    """Publicly cached, with the newsletter block pointing at `signup_page`."""
    return make_topic_page(home, signup_page)


@pytest.fixture
def issue(home, newsletter_list):
    return make_issue(home, newsletter_list)


@pytest.fixture
def subscribe(newsletter_list):
    """Subscribe an address the way a person does: through a confirmation token."""

    def _subscribe(email, to_list=newsletter_list):
        return subscribed(email, to_list)

    return _subscribe
