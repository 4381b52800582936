"""`manage.py load_demo`: what `make run` shows. The demo is the subject here, so
these are the only tests that load it (built once for the module: it takes seconds)."""

import datetime
import io
import re

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from demo.documents import load_documents_demo
from demo.news import load_news
from demo.pilots import DEMO_ROUND
from demo.pilots import load_demo as load_pilots_demo
from documents.models import DocumentAttachment, DocumentIndexPage, DocumentPage
from news.models import NewsIndexPage, NewsPage
from pilots.models import Application, Criterion, PilotCallPage, Review, Round
from pilots.register import eligibility
from policy.models import HomePage, TopicPage
from tests.conftest import module_data
from tests.factories.documents import DocumentPageFactory
from tests.factories.news import NewsPageFactory
from tests.factories.pilots import CLASS_5, CLASS_6, municipality

pytestmark = pytest.mark.django_db


def _load():
    out = io.StringIO()
    with override_settings(DEBUG=True):
        call_command("load_demo", "--no-admin", stdout=out)
    return out.getvalue()


_demo_output = module_data(_load)


@pytest.fixture
def demo_output(_demo_output, db):
    return _demo_output


def content_counts():
    """Pages per type and the rows the loaders create, to see that nothing doubles."""
    counts = {ct: n for ct, n in _per_type(Page.objects.all())}
    counts["applications"] = Application.objects.count()
    counts["reviews"] = Review.objects.count()
    counts["rounds"] = Round.objects.count()
    return counts


def _per_type(pages):
    from django.db.models import Count

    return pages.values_list("content_type__model").annotate(n=Count("pk")).order_by()


def test_every_app_has_demo_content_and_a_second_run_changes_nothing(demo_output):
    before = content_counts()
    for model in ["homepage", "topicpage", "newspage", "documentpage", "pilotcallpage", "newsletterissuepage"]:
        assert before.get(model, 0) >= 1, f"no {model} in the demo"
    with override_settings(DEBUG=True):
        call_command("load_demo", "--no-admin", stdout=io.StringIO())
    assert content_counts() == before
    assert "Demo content is loaded." in demo_output


def test_the_demo_call_is_open_and_a_class_6_municipality_can_apply(demo_output, client):
    demo_round = Round.objects.get(name=DEMO_ROUND)
    assert demo_round.state() == Round.State.OPEN
    result = eligibility.check(demo_round, [municipality(CLASS_6)])
    assert result.ok, result.message
    page = PilotCallPage.objects.live().get(round=demo_round)
    response = client.get(page.url)
    assert response.status_code == 200
    assert reverse("pilots:start", args=[demo_round.pk]) in response.text


def test_a_closed_demo_round_is_opened_again(demo_output):
    """`make run` weeks later still shows a call one can apply to."""
    demo_round = Round.objects.get(name=DEMO_ROUND)
    Round.objects.filter(pk=demo_round.pk).update(closes_at=timezone.now() - datetime.timedelta(days=1))
    load_pilots_demo(HomePage.objects.get(locale__language_code=settings.LANGUAGE_CODE), io.StringIO())
    demo_round.refresh_from_db()
    assert demo_round.state() == Round.State.OPEN
    assert (demo_round.closes_at - timezone.now()).days >= 27
    assert Round.objects.filter(name=DEMO_ROUND).count() == 1


def test_case_handling_demo_has_applications_in_several_states(demo_output, client):
    demo = Application.objects.filter(title__startswith="DEMO")
    assert demo.count() == 6
    assert set(demo.values_list("status", flat=True)) == {
        "submitted",
        "in_assessment",
        "more_information",
        "shortlisted",
    }
    assert demo.filter(decision="selected").count() == 1
    assert Review.objects.filter(application__in=demo).count() == 14
    assert Criterion.objects.filter(name="Gjennomførbarhet").count() == 2  # both rounds
    assert "«saksbehandler» / «demo-saksbehandler»" in demo_output

    handler = authenticate(username="saksbehandler", password="demo-saksbehandler")
    decider = authenticate(username="beslutter", password="demo-beslutter")
    assert handler and decider
    client.force_login(decider)
    listing = client.get(reverse("pilot_applications:index"))
    assert listing.text.count("DEMO: ") >= 6
    portfolio = client.get(reverse("pilot_applications:portfolio"))
    assert "1 av høyst 5" in portfolio.text and "Nordland" in portfolio.text


def test_only_the_demo_rounds_municipalities_get_their_email_domain(demo_output):
    assert municipality("4645").email_domains == ["askvoll.kommune.no"]
    assert municipality("1815").email_domains == ["vega.kommune.no"]
    assert municipality(CLASS_6).email_domains == []  # Utsira: not named by the demo
    # The demo applications count as confirmed with their municipalities.
    demo_round = Round.objects.get(name=DEMO_ROUND)
    assert all(a.authorities.count() == a.municipality_links.count() for a in demo_round.applications.all())


def test_a_class_5_partner_is_accepted_in_the_demo_round(demo_output):
    demo_round = Round.objects.get(name=DEMO_ROUND)
    assert eligibility.check(demo_round, [municipality(CLASS_5), municipality(CLASS_6)]).ok


def test_the_demo_has_no_made_up_documents_or_news(demo_output, client):
    """Every document and news item is a real one: none calls itself an example, and a
    PDF in the demo is our own summary, titled so, never a stand-in for the official file."""
    pages = [*DocumentPage.objects.live(), *NewsPage.objects.live()]
    assert len(pages) >= 2
    for page in pages:
        text = client.get(page.url).text
        assert not re.search(r"eksempel|finnes ikke noe slikt|demoversjon", text, re.IGNORECASE), page.url
    attachments = DocumentAttachment.objects.filter(page__in=DocumentPage.objects.live())
    assert attachments.exists()
    for attachment in attachments:
        assert "demoen" in attachment.title and "ikk" in attachment.title, attachment.title


def test_the_topic_page_shows_the_seed_documents(demo_output, client):
    topic = TopicPage.objects.get(slug="regional-og-distriktspolitikk")
    html = client.get(topic.url).text
    section = html.split('aria-labelledby="topic-documents-heading"', 1)[1].split("</section>", 1)[0]
    for title in ("Retningslinjer for lokalisering av statlege arbeidsplassar", "Distriktsindeksen 2022"):
        assert title in section


def test_loading_again_removes_what_earlier_demos_made_up(demo_output):
    home = HomePage.objects.get(locale__language_code=settings.LANGUAGE_CODE)
    made_up = [
        DocumentPageFactory(parent=DocumentIndexPage.objects.get(), slug="eksempel-tildelingsbrev"),
        NewsPageFactory(parent=NewsIndexPage.objects.get(), slug="fem-pilotomrade-for-bygdevekstavtalar-er-valde"),
    ]
    load_documents_demo(home, io.StringIO())
    load_news(home, io.StringIO())
    assert not Page.objects.filter(pk__in=[page.pk for page in made_up]).exists()


def test_the_english_topic_page_is_the_translation_of_the_norwegian_one(demo_output, client):
    english = client.get("/en/municipalities-and-regions/regional-and-district-policy/")
    assert english.status_code == 200
    html = english.content.decode()
    assert '<html lang="en"' in html
    assert "Regional and district policy in Norway" in html
    norwegian = TopicPage.objects.get(slug="regional-og-distriktspolitikk", locale__language_code="nb")
    assert f'hreflang="nb" href="{settings.SITE_URL}{norwegian.url}"' in html
    assert f'hreflang="en" href="{settings.SITE_URL}/en/municipalities-and-regions/regional-and-district-policy/"' in (
        client.get(norwegian.url).content.decode()
    )
    assert client.get("/en/").status_code == 200
