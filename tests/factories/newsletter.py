"""The newsletter: lists with their consent text, the sign-up page, the archive with
its issues, and subscribers made the way a person becomes one.

    newsletter_list = NewsletterListFactory(name="Distriktsbrevet")   # with consent text v1
    signup = NewsletterSignupPageFactory(parent=home, newsletter_list=newsletter_list)
    archive = NewsletterIndexPageFactory(parent=home, newsletter_list=newsletter_list)
    issue = NewsletterIssuePageFactory(parent=archive, publish=True)
    subscribed("ola@example.no", newsletter_list)
"""

import factory
from django.utils import timezone
from django.utils.text import slugify

from newsletter import subscriptions, tokens
from newsletter.models import (
    ConsentText,
    NewsletterIndexPage,
    NewsletterIssuePage,
    NewsletterList,
    NewsletterSignupPage,
)

from .policy import BasePageFactory


class ConsentTextFactory(factory.django.DjangoModelFactory):
    """Version 1 of a list's consent text; a later version needs `version=2`."""

    newsletter_list = factory.SubFactory("tests.factories.newsletter.NewsletterListFactory", consent_text=None)
    version = 1
    text = factory.LazyAttribute(
        lambda consent: (
            f"Vi sender deg {consent.newsletter_list.name} og bruker adressen bare til det. "
            f"Du kan melde deg av når som helst (versjon {consent.version})."
        )
    )

    class Meta:
        model = ConsentText


class NewsletterListFactory(factory.django.DjangoModelFactory):
    """A list with a consent text, since a sign-up page without one answers 404.
    `NewsletterListFactory(consent_text=None)` gives a list without."""

    name = factory.Sequence(lambda n: f"Nyhetsbrev {n}")
    slug = factory.LazyAttribute(lambda newsletter_list: slugify(newsletter_list.name))
    description = factory.LazyAttribute(lambda newsletter_list: f"Om {newsletter_list.name}.")
    consent_text = factory.RelatedFactory(ConsentTextFactory, factory_related_name="newsletter_list")

    class Meta:
        model = NewsletterList
        skip_postgeneration_save = True


class NewsletterSignupPageFactory(BasePageFactory):
    """The full sign-up form, under the home page or a topic page."""

    title = factory.Sequence(lambda n: f"Påmelding {n}")
    newsletter_list = factory.SubFactory(NewsletterListFactory)

    class Meta:
        model = NewsletterSignupPage
        skip_postgeneration_save = True


class NewsletterIndexPageFactory(BasePageFactory):
    """The archive of one list's issues (under the home page); no sign-up button
    unless `signup_page` is given."""

    title = factory.Sequence(lambda n: f"Nyhetsbrevarkiv {n}")
    newsletter_list = factory.SubFactory(NewsletterListFactory)
    signup_page = None

    class Meta:
        model = NewsletterIndexPage
        skip_postgeneration_save = True


class NewsletterIssuePageFactory(BasePageFactory):
    """An issue; `parent` must be a NewsletterIndexPage (the issue's list is its
    archive's). Sending needs a live page: pass `publish=True` as an editor would.
    The default body is a heading and a paragraph named after the title."""

    title = factory.Sequence(lambda n: f"Utgave {n}")
    body = factory.LazyAttribute(
        lambda issue: [
            ("heading", {"text": f"Nytt i {issue.title}", "level": "h2"}),
            ("paragraph", f"<p>Dette skjer i {issue.title}.</p>"),
        ]
    )

    class Meta:
        model = NewsletterIssuePage
        skip_postgeneration_save = True


def subscribed(email, newsletter_list, consent_version=None):
    """A confirmed subscription made the way a person makes one: through the
    confirmation token the sign-up mail carries. Returns the subscription."""
    version = consent_version or newsletter_list.current_consent().version
    token = tokens.make_confirm_token(email, newsletter_list.pk, version, timezone.now())
    return subscriptions.confirm(tokens.read_confirm_token(token))
