"""The main menu and the footer as editors set them in the site settings, the trust
pages (privacy and accessibility statements), the sitemap for people, and the privacy
notice beside every form that collects personal data."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from policy.navigation import current_state
from tests.factories.news import NewsIndexPageFactory, NewsPageFactory
from tests.factories.newsletter import NewsletterSignupPageFactory
from tests.factories.pilots import PilotCallPageFactory
from tests.factories.policy import (
    InformationPageFactory,
    SitemapPageFactory,
    StaffUserFactory,
    TopicPageFactory,
    UserFactory,
    menu_link,
    set_navigation,
)

pytestmark = pytest.mark.django_db


def main_menu(html):
    """The main menu's links as (text, href, aria-current or ""), in order."""
    match = re.search(r'<nav class="main-nav"[^>]*>(.*?)</nav>', html, re.S)
    assert match, "no main menu on the page"
    return [
        (text.strip(), href, current)
        for href, current, text in re.findall(
            r'<a class="main-nav__link" href="([^"]*)"(?: aria-current="([^"]*)")?[^>]*>([^<]*)</a>', match.group(1)
        )
    ]


def footer_links(html):
    footer = html[html.index('<footer class="site-footer"') :]
    return dict(
        (text, href) for href, text in re.findall(r'<a class="ds-link" href="([^"]*)"[^>]*>([^<]*)</a>', footer)
    )


@pytest.fixture
def menu_pages(home):
    topic = TopicPageFactory(parent=home, title="Fjellpolitikk", slug="fjellpolitikk")
    subtopic = TopicPageFactory(parent=topic, title="Stølsavtalar", slug="stolsavtalar", language="nn")
    archive = NewsIndexPageFactory(parent=home)
    return {"topic": topic, "subtopic": subtopic, "archive": archive}


def test_the_menu_shows_the_editors_links_in_their_order(home, menu_pages, client):
    set_navigation(
        home,
        menu=[
            menu_link(menu_pages["archive"]),
            menu_link(menu_pages["topic"], title="Fjellet"),
            menu_link(menu_pages["subtopic"], lang="nn"),
            menu_link(url="https://www.example.no/fjell/", title="Fjellportalen"),
        ],
    )
    html = client.get("/").content.decode()
    assert main_menu(html) == [
        ("Aktuelt", "/aktuelt/", ""),
        ("Fjellet", "/fjellpolitikk/", ""),
        ("Stølsavtalar", "/fjellpolitikk/stolsavtalar/", ""),
        ("Fjellportalen", "https://www.example.no/fjell/", ""),
    ]
    assert '<nav class="main-nav" aria-label="Hovedmeny"' in html
    assert 'href="/fjellpolitikk/stolsavtalar/" lang="nn"' in html
    assert 'aria-controls="main-nav-list"' in html and 'aria-expanded="false"' in html


def test_the_menu_marks_the_current_page_and_its_section(home, menu_pages, client):
    set_navigation(home, menu=[menu_link(menu_pages["archive"]), menu_link(menu_pages["topic"])])
    on_topic = main_menu(client.get("/fjellpolitikk/").content.decode())
    assert on_topic == [("Aktuelt", "/aktuelt/", ""), ("Fjellpolitikk", "/fjellpolitikk/", "page")]
    below_topic = main_menu(client.get("/fjellpolitikk/stolsavtalar/").content.decode())
    assert below_topic == [("Aktuelt", "/aktuelt/", ""), ("Fjellpolitikk", "/fjellpolitikk/", "true")]
    on_home = main_menu(client.get("/").content.decode())
    assert [current for _, _, current in on_home] == ["", ""]


@pytest.mark.parametrize(
    ("url", "path", "state"),
    [
        ("/aktuelt/", "/aktuelt/", "page"),
        ("/aktuelt/", "/aktuelt/ny-sak/", "true"),
        ("/aktuelt/", "/aktuelt-arkiv/", ""),
        ("/", "/aktuelt/", ""),  # the home page is not everybody's section
        ("https://www.example.no/aktuelt/", "/aktuelt/", ""),
    ],
)
def test_current_state(url, path, state):
    assert current_state(url, path) == state


def test_the_menu_speaks_the_pages_malform(home, menu_pages, client):
    set_navigation(home, menu=[menu_link(menu_pages["topic"])])
    assert 'aria-label="Hovudmeny"' in client.get(menu_pages["subtopic"].url).content.decode()


def test_an_unpublished_page_drops_out_of_the_menu(home, menu_pages, client):
    set_navigation(home, menu=[menu_link(menu_pages["archive"]), menu_link(menu_pages["topic"])])
    menu_pages["topic"].unpublish()
    assert [text for text, _, _ in main_menu(client.get("/").content.decode())] == ["Aktuelt"]


def test_no_menu_when_editors_have_chosen_none(home, client):
    html = client.get("/").content.decode()
    assert 'class="main-nav"' not in html
    assert "Meny" not in html


def test_the_menu_reads_its_pages_in_one_query_however_many_links(
    home, menu_pages, client, settings, django_assert_num_queries
):
    settings.PAGE_CACHE_ENABLED = False  # count the rendering, not the page cache
    set_navigation(home, menu=[menu_link(menu_pages["archive"])])
    client.get("/fjellpolitikk/")
    with CaptureQueriesContext(connection) as one_link:
        client.get("/fjellpolitikk/")
    queries_with_one_link = len(one_link)
    set_navigation(
        home,
        menu=[menu_link(page) for page in menu_pages.values()] + [menu_link(url="https://www.example.no/", title="Ut")],
        footer=[menu_link(menu_pages["topic"])],
        privacy_page=InformationPageFactory(parent=home, title="Personvern"),
        accessibility_page=InformationPageFactory(parent=home, title="Tilgjengelighet"),
    )
    client.get("/fjellpolitikk/")
    with django_assert_num_queries(queries_with_one_link):
        client.get("/fjellpolitikk/")


def test_the_footer_links_the_sites_own_statements_and_the_sitemap_page(home, client):
    privacy = InformationPageFactory(parent=home, title="Personvernerklæring", slug="personvern")
    accessibility = InformationPageFactory(parent=home, title="Tilgjengelighetserklæring", slug="tilgjengelighet")
    sitemap = SitemapPageFactory(parent=home)
    set_navigation(
        home,
        footer=[menu_link(url="https://www.example.no/kontakt/", title="Kontakt oss")],
        privacy_page=privacy,
        accessibility_page=accessibility,
        sitemap_page=sitemap,
    )
    links = footer_links(client.get("/").content.decode())
    assert links == {
        "Kontakt oss": "https://www.example.no/kontakt/",
        "Personvernerklæring": "/personvern/",
        "Tilgjengelighetserklæring": "/tilgjengelighet/",
        "Nettstedskart": "/nettstedskart/",
    }


def test_the_accessibility_link_falls_back_to_an_external_statement(home, client):
    site_settings = set_navigation(home)
    site_settings.accessibility_statement_url = "https://uustatus.no/nb/erklaringer/publisert/fjell"
    site_settings.save()
    links = footer_links(client.get("/").content.decode())
    assert links["Tilgjengelighetserklæring"] == "https://uustatus.no/nb/erklaringer/publisert/fjell"
    assert "/sitemap.xml" not in links.values()


def test_an_information_page_shows_its_date_and_body(home, client):
    InformationPageFactory(
        parent=home,
        title="Personvernerklæring",
        slug="personvern",
        updated=datetime.date(2026, 3, 2),
        body=[
            ("heading", {"text": "Nyhetsbrevet Fjellbrev", "level": "h2"}),
            ("paragraph", "<p>Vi lagrer e-postadressen din.</p>"),
        ],
    )
    html = client.get("/personvern/").content.decode()
    assert '<time datetime="2026-03-02">' in html
    assert "Nyhetsbrevet Fjellbrev" in html and "Vi lagrer e-postadressen din." in html
    assert heading_levels(html)[:2] == [1, 2]


def test_the_sitemap_lists_the_tree_and_archives_without_their_items(home, menu_pages, client):
    NewsPageFactory(parent=menu_pages["archive"], title="Fjellnytt i dag", topics=[menu_pages["topic"]])
    TopicPageFactory(parent=menu_pages["topic"], title="Utkast om fjellet", live=False)
    SitemapPageFactory(parent=home)
    html = client.get("/nettstedskart/").content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    titles = re.findall(r'<a class="ds-link" href="[^"]*"[^>]*>([^<]*)</a>', main)
    assert titles == ["Forside", "Fjellpolitikk", "Stølsavtalar", "Aktuelt", "Nettstedskart"]
    assert re.search(r'<li lang="nn"><a class="ds-link" href="/fjellpolitikk/stolsavtalar/"', main)
    assert 'href="/nettstedskart/" aria-current="page"' in main


# --- Privacy notice beside every form that collects personal data ---------------------


@pytest.fixture
def privacy(home):
    page = InformationPageFactory(parent=home, title="Personvernerklæring", slug="personvern")
    set_navigation(home, privacy_page=page)
    return page


PRIVACY_LINK = '<a class="ds-link" href="/personvern/">personvernerklæringen</a>'


def test_the_newsletter_sign_up_form_links_the_privacy_statement(home, privacy, client):
    signup = NewsletterSignupPageFactory(parent=home, slug="fjellbrevet")
    html = client.get(signup.url).content.decode()
    start = html.index('<form class="newsletter-form"')
    form = html[start : html.index("</form>", start)]
    assert PRIVACY_LINK in form


def test_the_newsletter_call_to_action_links_the_privacy_statement(home, privacy, client):
    signup = NewsletterSignupPageFactory(parent=home, slug="fjellbrevet")
    topic = TopicPageFactory(parent=home, slug="fjell")
    cta = {"heading": "Få Fjellbrevet", "text": "", "link": signup, "link_text": "Meld deg på", "lang": ""}
    topic.body = [("newsletter", cta)]
    topic.save_revision().publish()
    html = client.get(topic.url).content.decode()
    assert PRIVACY_LINK in html[html.index("newsletter-cta__form") :]


def test_the_portal_sign_in_and_start_pages_link_the_privacy_statement(home, privacy, client):
    call = PilotCallPageFactory(parent=home)
    assert PRIVACY_LINK in client.get(reverse("pilots:sign_in")).content.decode()
    client.force_login(UserFactory())
    html = client.get(reverse("pilots:start", args=[call.round.pk])).content.decode()
    assert PRIVACY_LINK in html[html.index('<form method="post"') :]


def test_no_privacy_notice_without_a_chosen_statement(home, client):
    assert "personvernerklæringen" not in client.get(reverse("pilots:sign_in")).content.decode()


# --- Headings and the admin -----------------------------------------------------------


def heading_levels(html):
    main = html[html.index("<main") : html.index("</main>")]
    return [int(level) for level in re.findall(r"<h([1-6])\b", main)]


def assert_no_skipped_heading_level(html):
    levels = heading_levels(html)
    assert levels[0] == 1, levels
    for previous, level in zip(levels, levels[1:], strict=False):
        assert level <= previous + 1, f"h{previous} followed by h{level}: {levels}"


def test_featured_items_without_a_heading_do_not_skip_a_level(home, menu_pages, client):
    topic = menu_pages["topic"]
    item = {"url": "", "title": "", "text": "", "lang": ""}
    topic.body = [("featured_items", {"heading": "", "items": [{**item, "page": menu_pages["subtopic"]}]})]
    topic.save_revision().publish()
    assert_no_skipped_heading_level(client.get(topic.url).content.decode())


def test_the_site_settings_open_in_the_admin(home, client):
    user = StaffUserFactory(is_superuser=True)
    client.force_login(user)
    response = client.get(reverse("wagtailsettings:edit", args=["policy", "sitesettings", home.get_site().pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for tab in ["Generelt", "Hovedmeny", "Bunntekst"]:
        assert tab in html
