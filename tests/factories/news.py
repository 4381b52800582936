"""News ("Aktuelt"): governments, the archive page and news items.

Items are published the way an editor's «Publiser» does it (a revision, then
publish), because publishing is what the app hangs its behaviour on: the first
publication time shown on the item, the change notes kept in revisions and the
frontend cache purges.

    archive = NewsIndexPageFactory(parent=home)
    item = NewsPageFactory(parent=archive, title="Ny ordning", topics=[topic], date=at_noon(2022, 10, 6))
"""

import datetime

import factory
from django.utils import timezone

from news.models import Government, NewsIndexPage, NewsPage, NewsType

from .policy import BasePageFactory


def at_noon(year, month, day, hour=12):
    """An aware datetime in the site's time zone (Oslo), noon unless told otherwise."""
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


def paragraph(text):
    """A body with one paragraph block, as the editor's rich text gives it."""
    return [("paragraph", f"<p>{text}</p>")]


class GovernmentFactory(factory.django.DjangoModelFactory):
    """A sitting government (no end date); give `end_date` for one that has left office."""

    name = factory.Sequence(lambda n: f"Regjering {n}")
    start_date = datetime.date(2021, 10, 14)
    end_date = None

    class Meta:
        model = Government


class NewsIndexPageFactory(BasePageFactory):
    """The archive. A home page may have only one, so tests name it themselves."""

    title = "Aktuelt"
    slug = "aktuelt"

    class Meta:
        model = NewsIndexPage
        skip_postgeneration_save = True


class NewsPageFactory(BasePageFactory):
    """A published news item under `parent` (an archive).

    `topics=[...]` and `changes=[NewsChange(...)]` go to the model's constructor:
    modelcluster holds them on the unsaved page, so the first save stores them and
    the published revision carries them (as the admin form does). Items are
    published unless `publish=False`; `live=False` gives a draft."""

    title = factory.Sequence(lambda n: f"Sak {n}")
    news_type = NewsType.NEWS

    class Meta:
        model = NewsPage
        skip_postgeneration_save = True

    @factory.post_generation
    def publish(page, create, extracted, **kwargs):
        publish = page.live if extracted is None else extracted
        if create and publish:
            page.save_revision().publish()
            page.refresh_from_db()
