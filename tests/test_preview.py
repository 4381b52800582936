"""Preview in the admin, in real Chromium: every creatable page type shows its content
in the preview panel beside the editor and in a new tab.

A preview is the page rendered for its public address, so it carries the public
Content-Security-Policy; only its framing rule differs (the admin may frame it), and
nothing in it may trip the policy. One page of each type is built with the factories,
as tests/test_every_page_type.py does; a new page type fails here until it is added."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import expect
from wagtail.models import Page, get_page_models

from tests.factories.documents import (
    DocumentAttachmentFactory,
    DocumentFactory,
    DocumentIndexPageFactory,
    DocumentPageFactory,
)
from tests.factories.news import NewsIndexPageFactory, NewsPageFactory, paragraph
from tests.factories.newsletter import (
    NewsletterIndexPageFactory,
    NewsletterIssuePageFactory,
    NewsletterListFactory,
    NewsletterSignupPageFactory,
)
from tests.factories.pilots import PilotCallPageFactory
from tests.factories.policy import InformationPageFactory, SitemapPageFactory, StaffClient, TopicPageFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def one_of_each(live_home):
    """One live page of every creatable type; the news item and the document carry
    what broke previews before: topics, and an attachment whose file is not out yet."""
    topic = TopicPageFactory(parent=live_home, title="Fjellpolitikk")
    archive = NewsIndexPageFactory(parent=live_home)
    NewsPageFactory(parent=archive, topics=[topic], title="Ny fjellsatsing", body=paragraph("Fjellet får mer."))
    document = DocumentPageFactory(
        parent=DocumentIndexPageFactory(parent=live_home), topics=[topic], title="Fjellrapporten"
    )
    DocumentAttachmentFactory(page=document, document=DocumentFactory(title="Fjellrapporten (PDF)"), title="Rapporten")
    PilotCallPageFactory(parent=topic, title="Søk om å bli fjellpilot")
    InformationPageFactory(parent=live_home, title="Personvernerklæring for fjellet")
    SitemapPageFactory(parent=live_home)
    newsletter_list = NewsletterListFactory(name="Fjellbrevet")
    signup = NewsletterSignupPageFactory(parent=live_home, newsletter_list=newsletter_list)
    issues = NewsletterIndexPageFactory(parent=live_home, newsletter_list=newsletter_list, signup_page=signup)
    NewsletterIssuePageFactory(parent=issues, title="Fjellbrevet nr. 1", publish=True)
    return list(Page.objects.live().public().specific().filter(depth__gt=1).order_by("path"))


@pytest.fixture
def editor_tab(browser, live_server):
    """A browser tab signed in to the admin as an administrator."""
    user = get_user_model().objects.create_superuser("redaktor", "redaktor@departement.example", "passord-123")
    client = StaffClient()  # signed in with the second factor given
    client.force_login(user)
    context = browser.new_context(locale="nb-NO", viewport={"width": 1400, "height": 900})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    # The admin reopens the side panel that was open last; every test opens it itself.
    context.add_init_script("localStorage.removeItem('wagtail:side-panel-open')")
    tab = context.new_page()
    tab.set_default_timeout(15000)
    csp_reports = []
    context.on(
        "console", lambda message: "Content Security Policy" in message.text and csp_reports.append(message.text)
    )
    tab.csp_reports = csp_reports
    yield tab
    context.close()


def open_preview_panel(tab):
    tab.locator('[data-side-panel-toggle="preview"]').click()
    expect(tab.locator("#w-preview-iframe").last).to_be_visible()
    return tab.frame_locator("#w-preview-iframe").last


def test_one_page_of_every_creatable_type_is_previewed(one_of_each):
    creatable = {model for model in get_page_models() if model.is_creatable}
    assert {type(page) for page in one_of_each} == creatable


def test_every_page_type_is_previewed_in_the_panel_and_in_a_new_tab(live_server, one_of_each, editor_tab):
    shown = {}
    for page in one_of_each:
        name = type(page).__name__
        editor_tab.goto(f"{live_server.url}/admin/pages/{page.pk}/edit/")
        panel = open_preview_panel(editor_tab)
        expect(panel.locator("h1")).to_have_text(page.title)
        with editor_tab.context.expect_page() as new_tab:
            editor_tab.locator('[data-w-preview-target="newTab"]').click()
        tab = new_tab.value
        tab.wait_for_load_state()
        expect(tab.locator("h1")).to_have_text(page.title)
        shown[name] = tab.url.split("?")[0].endswith(f"/admin/pages/{page.pk}/edit/preview/")
        tab.close()
    assert shown == dict.fromkeys(shown, True)
    assert len(shown) == len(one_of_each)
    assert editor_tab.csp_reports == []


def test_a_previewed_news_item_shows_its_topics(live_server, one_of_each, editor_tab):
    item = next(page for page in one_of_each if type(page).__name__ == "NewsPage")
    editor_tab.goto(f"{live_server.url}/admin/pages/{item.pk}/edit/")
    panel = open_preview_panel(editor_tab)
    expect(panel.get_by_text("Fjellet får mer.")).to_be_visible()
    expect(panel.get_by_role("link", name="Fjellpolitikk").first).to_be_visible()


def test_a_new_news_item_is_previewed_before_it_is_saved(live_server, one_of_each, editor_tab):
    archive = next(page for page in one_of_each if type(page).__name__ == "NewsIndexPage")
    editor_tab.goto(f"{live_server.url}/admin/pages/add/news/newspage/{archive.pk}/")
    editor_tab.locator("#id_title").fill("Utkast om fjellvegar")
    editor_tab.get_by_label("Fjellpolitikk").check()
    panel = open_preview_panel(editor_tab)
    expect(panel.locator("h1")).to_have_text("Utkast om fjellvegar")
    expect(panel.get_by_role("link", name="Fjellpolitikk").first).to_be_visible()
    assert editor_tab.csp_reports == []


def test_a_previewed_document_links_its_unreleased_file_for_the_editor(live_server, one_of_each, editor_tab):
    document = next(page for page in one_of_each if type(page).__name__ == "DocumentPage")
    document.unpublish()
    editor_tab.goto(f"{live_server.url}/admin/pages/{document.pk}/edit/")
    panel = open_preview_panel(editor_tab)
    link = panel.locator("a.attachment__file")
    expect(link).to_be_visible()
    file_url = live_server.url + link.get_attribute("href")
    assert editor_tab.request.get(file_url).status == 200  # the editor may open it
    assert Client().get(link.get_attribute("href")).status_code == 404  # a visitor may not
