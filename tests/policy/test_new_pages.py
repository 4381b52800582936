"""New pages in the admin: ASCII slugs, and a new page its editor abandoned after
Wagtail's autosave had created it, which gives its slug back after a day
(policy/drafts.py) unless someone worked on it."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from wagtail.models import Page, PageLogEntry

from policy import registry
from policy.drafts import remove_abandoned_new_pages
from policy.models import TopicPage
from tests.factories.policy import StaffUserFactory, TopicPageFactory, give_admin_code, totp_device

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    client.force_login(StaffUserFactory(is_superuser=True))
    return client


# --- Slugs ------------------------------------------------------------------------


def test_a_title_with_norwegian_letters_gets_an_ascii_slug(home):
    page = home.add_child(instance=TopicPage(title="Regionalnytt – meld deg på"))
    assert page.slug == "regionalnytt-meld-deg-pa"


@pytest.mark.browser
def test_the_page_editor_makes_an_ascii_slug_and_autosaves_the_new_page(live_home, live_server, page):
    """In Chromium, as an editor works: the slug follows the title, and half a second
    later Wagtail's autosave has created the page as a draft, which would hold on to
    the slug if the editor left it there."""
    app = totp_device(StaffUserFactory(username="redaktor", is_superuser=True, password="passord-for-test"))
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "redaktor")
    page.fill("#id_password", "passord-for-test")
    page.keyboard.press("Enter")
    give_admin_code(page, app)  # superusers give a second factor
    page.wait_for_url(live_server.url + "/admin/")

    page.goto(live_server.url + f"/admin/pages/add/policy/topicpage/{live_home.pk}/")
    # Wagtail notes the form's starting state two seconds after it loads; an editor
    # who types later (as people do) is seen as making changes, and autosave runs.
    page.wait_for_timeout(2500)
    page.fill("#id_title", "Regionalnytt – meld deg på")
    page.keyboard.press("Tab")
    expect(page.locator("#id_slug")).to_have_value("regionalnytt-meld-deg-pa")
    # Autosave answers with the new page's edit address, which the browser then shows.
    page.wait_for_url(re.compile(r".*/admin/pages/\d+/edit/.*"), timeout=10000)
    draft = TopicPage.objects.get(slug="regionalnytt-meld-deg-pa")
    assert draft.title == "Regionalnytt – meld deg på" and not draft.live
    # Left like that, it is removed a day later.
    page.close()
    assert remove_abandoned_new_pages(now=a_day_later()) == 1


# --- New pages an editor abandoned -------------------------------------------------


class FormFields(HTMLParser):
    """The fields a browser would send for the page editor's form, as it is rendered."""

    def __init__(self, html):
        super().__init__()
        self.data, self.inside, self.textarea, self.select = {}, False, None, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == "page-edit-form":
            self.inside = True
        name = attrs.get("name") or ""
        if not self.inside or "__prefix__" in name:
            return
        kind = attrs.get("type", "text")
        if tag == "input" and name and kind not in ("submit", "button", "file"):
            if kind not in ("checkbox", "radio"):
                self.data[name] = attrs.get("value", "")
            elif "checked" in attrs:
                self.data[name] = attrs.get("value", "on")
        elif tag == "textarea" and name:
            self.textarea = name
            self.data[name] = ""
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and ("selected" in attrs or self.select not in self.data):
            self.data[self.select] = attrs.get("value", "")

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea:
            self.data[self.textarea] = self.data[self.textarea].removeprefix("\n")
            self.textarea = None
        elif tag == "select":
            self.select = None


def start_new_page(client, parent, title, **fields):
    """What the editor's browser does on «Legg til underside»: open the form, type a
    title (the slug follows it), and autosave half a second later."""
    url = f"/admin/pages/add/policy/topicpage/{parent.pk}/"
    data = FormFields(client.get(url).content.decode()).data
    data.update({"title": title, "slug": "regionalnytt-meld-deg-pa", "body-count": "0", **fields})
    return client.post(url, data, HTTP_ACCEPT="application/json")


def a_day_later():
    return timezone.now() + datetime.timedelta(days=1, minutes=1)


def test_a_new_page_left_after_autosave_gives_its_slug_back_after_a_day(editor, home):
    assert start_new_page(editor, home, "Regionalnytt – meld deg på").json()["success"]
    left = TopicPage.objects.get(slug="regionalnytt-meld-deg-pa")
    assert not left.live
    # Meanwhile the slug is taken: the next try is refused.
    assert start_new_page(editor, home, "Regionalnytt – meld deg på").status_code == 400

    assert remove_abandoned_new_pages(now=timezone.now() + datetime.timedelta(hours=23)) == 0
    assert remove_abandoned_new_pages(now=a_day_later()) == 1
    assert not Page.objects.filter(pk=left.pk).exists()
    assert PageLogEntry.objects.filter(page_id=left.pk, action="wagtail.delete").exists()
    assert start_new_page(editor, home, "Regionalnytt – meld deg på").json()["success"]


def come_back_and_save(client, page):
    """The editor opens the draft again later and saves it."""
    url = f"/admin/pages/{page.pk}/edit/"
    data = FormFields(client.get(url).content.decode()).data
    data["body-count"] = "0"
    client.post(url, data)


def add_a_sub_page(client, page):
    TopicPageFactory(parent=page, publish=False)


@pytest.mark.parametrize(
    ("ingress", "afterwards"),
    [("Om påmelding til nyhetsbrevet.", None), ("", come_back_and_save), ("", add_a_sub_page)],
    ids=["an ingress was written", "the editor came back to it", "it has a sub-page"],
)
def test_a_draft_someone_worked_on_is_kept(editor, home, ingress, afterwards):
    start_new_page(editor, home, "Regionalnytt – meld deg på", ingress=ingress)
    page = TopicPage.objects.get(slug="regionalnytt-meld-deg-pa")
    if afterwards:
        afterwards(editor, page)
    assert remove_abandoned_new_pages(now=timezone.now() + datetime.timedelta(days=30)) == 0
    assert TopicPage.objects.filter(pk=page.pk).exists()


def test_the_scheduler_runs_the_clean_up():
    assert "remove_abandoned_new_pages" in {job.name for job in registry.periodic_jobs()}
