"""Publishing on the stack: Wagtail's purge reaches Varnish from the task worker, so a
news item shows on its topic page, in the archive and in the feed through Varnish
within a second of «Publiser», and is gone as fast when it is unpublished."""

import time

import pytest

from news.models import NewsPage
from tests.factories.news import NewsIndexPageFactory, NewsPageFactory
from tests.factories.policy import TopicPageFactory
from tests.stack.visits import cached_through, fetch

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Nordfjord får bygdevekstavtale"
WITHIN_SECONDS = 1.0


@pytest.fixture
def tasks_on_the_worker(settings):
    """Tasks go to the database, where the stack's worker takes them: the purge reaches
    Varnish from the worker, as after an editor's «Publiser» in the admin."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "mail", "bulk", "uploads"],
        }
    }


def seconds_until(stack, paths, shown):
    """Seconds until every path shows TITLE through Varnish (or no longer does, with
    `shown=False`), asking each at most every 50 ms; and the paths that never did."""
    started = time.monotonic()
    pending = set(paths)
    while pending and time.monotonic() - started < 10:
        for path in sorted(pending):
            if (TITLE in fetch(stack.url, path).text) is shown:
                pending.discard(path)
        time.sleep(0.05)
    return time.monotonic() - started, pending


def test_publishing_and_unpublishing_show_through_varnish_within_a_second(stack, stack_home, tasks_on_the_worker):
    topic = TopicPageFactory(parent=stack_home, title="Fjellbygder", slug="fjellbygder")
    archive = NewsIndexPageFactory(parent=stack_home, title="Aktuelt", slug="aktuelt")
    NewsPageFactory(parent=archive, title="Eldre sak om fjellbygder", topics=[topic])
    paths = [topic.url, archive.url, archive.url + "rss/"]
    for path in paths:
        assert TITLE not in cached_through(stack, path).text  # stored in Varnish before the change

    item = NewsPageFactory(parent=archive, title=TITLE, slug="nordfjord", topics=[topic], live=False)
    item.save_revision().publish()
    seconds, missing = seconds_until(stack, paths, shown=True)
    assert not missing, f"still without the item after {seconds:.1f} s: {sorted(missing)}"
    assert seconds < WITHIN_SECONDS, f"shown after {seconds:.2f} s"
    shown_after = seconds
    assert fetch(stack.url, item.url).status == 200

    NewsPage.objects.get(pk=item.pk).unpublish()
    seconds, remaining = seconds_until(stack, [*paths, item.url], shown=False)
    assert not remaining, f"still shows the item after {seconds:.1f} s: {sorted(remaining)}"
    assert seconds < WITHIN_SECONDS, f"gone after {seconds:.2f} s"
    assert fetch(stack.url, item.url).status == 404
    print(
        f"\npublished: on the topic page, archive and feed after {shown_after:.2f} s; unpublished: gone after {seconds:.2f} s"
    )
