"""The home page's open calls are cached like the other shared sections, yet they
appear when a round opens and disappear when it closes, without any purge; editing a
round's times shows at once."""

import datetime

import pytest
from django.utils import timezone

from pilots.portal.models import PilotCallPage
from tests.factories.pilots import PilotCallPageFactory, RoundFactory

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


@pytest.fixture(autouse=True)
def fragments_only(settings):
    """Fragments on, the whole-page cache off, so every request renders the page."""
    settings.FRAGMENT_CACHE_ENABLED = True
    settings.PAGE_CACHE_ENABLED = False


@pytest.fixture
def clock(monkeypatch):
    """The server's clock, set by the test."""
    moment = {"now": timezone.now()}
    monkeypatch.setattr(timezone, "now", lambda: moment["now"])

    def set_to(value):
        moment["now"] = value

    return set_to


def shown_calls(client):
    """The call titles in the «Åpne utlysinger» section (the menus list the pages too)."""
    html = client.get("/").content.decode()
    if "Åpne utlysinger" not in html:
        return []
    start = html.index('aria-labelledby="open-calls-heading"')
    section = html[start : html.index("</section>", start)]
    return [title for title in ("Fjellrunde", "Kystrunde") if title in section]


def test_a_call_appears_when_its_round_opens_and_goes_when_it_closes(home, client, clock):
    start = timezone.now().replace(microsecond=0)
    mountain = RoundFactory(opens_at=start + HOUR, closes_at=start + 3 * HOUR)
    coast = RoundFactory(opens_at=start - HOUR, closes_at=start + 2 * HOUR)
    PilotCallPageFactory(parent=home, title="Fjellrunde", round=mountain)
    PilotCallPageFactory(parent=home, title="Kystrunde", round=coast)

    clock(start)
    assert shown_calls(client) == ["Kystrunde"]
    clock(start + HOUR - datetime.timedelta(seconds=1))
    assert shown_calls(client) == ["Kystrunde"]
    clock(start + HOUR)
    assert shown_calls(client) == ["Fjellrunde", "Kystrunde"]
    # The deadline second itself is still open.
    clock(start + 2 * HOUR + datetime.timedelta(milliseconds=999))
    assert shown_calls(client) == ["Fjellrunde", "Kystrunde"]
    clock(start + 2 * HOUR + datetime.timedelta(seconds=1))
    assert shown_calls(client) == ["Fjellrunde"]
    clock(start + 3 * HOUR + datetime.timedelta(seconds=1))
    assert shown_calls(client) == []


def test_the_section_is_cached_until_any_round_opens_or_closes(home, client, clock):
    start = timezone.now().replace(microsecond=0)
    call = PilotCallPageFactory(
        parent=home, title="Fjellrunde", round=RoundFactory(opens_at=start - HOUR, closes_at=start + 3 * HOUR)
    )
    RoundFactory(opens_at=start + HOUR, closes_at=start + 2 * HOUR)  # a round without a call page
    clock(start)
    assert shown_calls(client) == ["Fjellrunde"]
    # Changed behind the page's back (no publish, no purge): the cached copy is kept…
    PilotCallPage.objects.filter(pk=call.pk).update(title="Kystrunde", ingress="")
    clock(start + HOUR - datetime.timedelta(seconds=1))
    assert shown_calls(client) == ["Fjellrunde"]
    # …until the next opening or closing of any round, when it is built again.
    clock(start + HOUR)
    assert shown_calls(client) == ["Kystrunde"]


def test_changing_a_rounds_times_shows_at_once(home, client, clock):
    start = timezone.now().replace(microsecond=0)
    round = RoundFactory(opens_at=start + 5 * HOUR, closes_at=start + 9 * HOUR)
    PilotCallPageFactory(parent=home, title="Fjellrunde", round=round)
    clock(start)
    assert shown_calls(client) == []

    round.opens_at = start - HOUR
    round.save()
    assert shown_calls(client) == ["Fjellrunde"]
