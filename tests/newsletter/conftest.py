import pytest
from django.utils import timezone

from newsletter import services, tokens
from newsletter.models import NewsletterIndexPage, NewsletterIssuePage, NewsletterList, NewsletterSignupPage


@pytest.fixture
def newsletter_site(db, django_capture_on_commit_callbacks):
    """The policy tree plus this app's demo content only: what the newsletter tests
    need, without every other app's demo loader (keeps each test quick)."""
    from newsletter import demo
    from policy.demo import load_policy_tree

    with django_capture_on_commit_callbacks(execute=True):
        home = load_policy_tree()
        demo.load(home)
    return home


@pytest.fixture
def regionalnytt(newsletter_site):
    return NewsletterList.objects.get(slug="regionalnytt")


@pytest.fixture
def signup_page(newsletter_site):
    return NewsletterSignupPage.objects.get(slug="regionalnytt-meld-deg-pa")


@pytest.fixture
def issue(newsletter_site):
    return NewsletterIssuePage.objects.get()


@pytest.fixture
def archive(newsletter_site):
    return NewsletterIndexPage.objects.get()


@pytest.fixture
def subscribe(regionalnytt):
    """Subscribe an address the way a person does: through a confirmation token."""

    def _subscribe(email, newsletter_list=regionalnytt):
        token = tokens.make_confirm_token(email, newsletter_list.pk, 1, timezone.now())
        return services.confirm(tokens.read_confirm_token(token))

    return _subscribe
