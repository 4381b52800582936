"""Absolute links point where the site answers. SITE_URL is the one setting: `manage.py
set_site` gives the default Wagtail Site its host and port, and mail links default to
it. On a live server, every absolute link to our own host in a page of each type, the
sitemap, robots.txt, the feeds and the newsletter mail is fetched and must answer."""

import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Page, Site, get_page_models

from newsletter import sending, subscriptions
from tests.conftest import ROOT, load_register
from tests.factories.documents import DocumentIndexPageFactory, DocumentPageFactory
from tests.factories.news import NewsIndexPageFactory, NewsPageFactory
from tests.factories.newsletter import (
    NewsletterIndexPageFactory,
    NewsletterIssuePageFactory,
    NewsletterListFactory,
    NewsletterSignupPageFactory,
    subscribed,
)
from tests.factories.pilots import PilotCallPageFactory
from tests.factories.policy import InformationPageFactory, SitemapPageFactory, TopicPageFactory, site_tree

# Host names that are ours in development and tests: a link to one of them that is not
# SITE_URL's host and port (http://localhost/… while serving on :8000) answers nothing.
LOCAL_HOSTS = {"localhost", "127.0.0.1", "testserver"}


class LinkCollector(HTMLParser):
    """Every URL in an attribute that holds one, and the canonical and og:url links."""

    URL_ATTRIBUTES = {"href", "src", "action", "content"}

    def __init__(self):
        super().__init__()
        self.urls, self.canonical, self.og_url = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.urls += [value for name, value in attrs.items() if name in self.URL_ATTRIBUTES and value]
        if tag == "link" and attrs.get("rel") == "canonical":
            self.canonical = attrs.get("href")
        if tag == "meta" and attrs.get("property") == "og:url":
            self.og_url = attrs.get("content")


def fetch(url):
    """The body of a 200 answer, following redirects (urllib does) to the final page."""
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - our own live server
        assert response.status == 200, url
        return response.read().decode()


def assert_all_answer(links):
    failed = {}
    for url, where in links.ours.items():
        try:
            fetch(url)
        except urllib.error.HTTPError as error:
            failed[url] = f"{error.code} (linked from {where})"
    assert not failed, failed


def absolute_urls(text):
    return re.findall(r"https?://[^\s\"'<>)]+", text)


class Links:
    """Absolute links seen, split into ours (SITE_URL's origin) and wrong local ones."""

    def __init__(self, site_url):
        self.origin = urlsplit(site_url).netloc
        self.ours, self.wrong = {}, {}

    def add(self, urls, where):
        for url in urls:
            parts = urlsplit(url)
            if parts.netloc == self.origin:
                self.ours.setdefault(url, where)
            elif parts.hostname in LOCAL_HOSTS:
                self.wrong.setdefault(url, where)


def one_page_of_each_type(home):
    topic = TopicPageFactory(parent=home, title="Fjellpolitikk", slug="fjellpolitikk")
    news = NewsIndexPageFactory(parent=home)
    NewsPageFactory(parent=news, topics=[topic], title="Ny fjellsatsing", slug="ny-fjellsatsing")
    DocumentPageFactory(parent=DocumentIndexPageFactory(parent=home), topics=[topic], title="Fjellrapporten")
    PilotCallPageFactory(parent=topic, title="Søk om å bli fjellpilot")
    InformationPageFactory(parent=home, title="Personvernerklæring", slug="personvern")
    SitemapPageFactory(parent=home)
    newsletter_list = NewsletterListFactory(name="Fjellbrevet")
    signup = NewsletterSignupPageFactory(parent=home, newsletter_list=newsletter_list, title="Meld deg på Fjellbrevet")
    archive = NewsletterIndexPageFactory(parent=home, newsletter_list=newsletter_list, signup_page=signup)
    issue = NewsletterIssuePageFactory(
        parent=archive,
        title="Fjellbrevet nr. 1",
        publish=True,
        body=[
            ("paragraph", "<p>Nytt om fjellpolitikken.</p>"),
            ("link_list", {"heading": "Les mer", "links": [{"page": topic, "url": "", "title": "", "lang": ""}]}),
        ],
    )
    return topic, issue


@pytest.fixture
def live_site(transactional_db, live_server, settings):
    """One page of each type on a Site left at localhost:80 (as Wagtail's first migration
    and the demo leave it), then given the live server's address the way `make run` and
    a deploy do: SITE_URL and `manage.py set_site`."""
    load_register()
    home = site_tree()
    topic, issue = one_page_of_each_type(home)
    settings.SITE_URL = live_server.url
    # Derived from SITE_URL when the settings load (checked in a subprocess below).
    settings.NEWSLETTER_BASE_URL = live_server.url
    call_command("set_site", stdout=StringIO())
    return topic, issue


def test_every_absolute_link_in_pages_sitemap_and_feeds_answers(live_site, live_server):
    topic, _ = live_site
    site_url = live_server.url
    pages = Page.objects.live().public().specific().filter(depth__gt=1)
    assert {type(page) for page in pages} == {model for model in get_page_models() if model.is_creatable}
    links = Links(site_url)

    for page in pages:
        collector = LinkCollector()
        collector.feed(fetch(site_url + page.url))
        assert collector.canonical == site_url + page.url, page.url
        assert collector.og_url == site_url + page.url, page.url
        links.add(collector.urls, page.url)

    sitemap = ElementTree.fromstring(fetch(f"{site_url}/sitemap.xml"))  # noqa: S314 - our own sitemap
    locations = [loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert sorted(locations) == sorted(site_url + page.url for page in pages)
    links.add(locations, "sitemap.xml")
    links.add(absolute_urls(fetch(f"{site_url}/robots.txt")), "robots.txt")

    archive, item = pages.get(slug="aktuelt"), pages.get(slug="ny-fjellsatsing")
    feeds = [archive.feed_url(kind, slug) for kind in ("rss", "atom") for slug in (None, topic.slug)]
    for feed in feeds:
        xml = fetch(site_url + feed)
        assert site_url + item.url in xml, feed
        guid_hosts = re.findall(r"tag:([^,<]+),", xml)
        assert guid_hosts and set(guid_hosts) == {urlsplit(site_url).hostname}, feed
        links.add(absolute_urls(xml), feed)

    assert not links.wrong, f"links to a host the site does not answer on: {links.wrong}"
    assert len(links.ours) > len(pages)
    assert_all_answer(links)


def test_every_link_in_newsletter_mail_answers(live_site, live_server):
    _, issue = live_site
    newsletter_list = issue.newsletter_list
    subscribed("ola@example.no", newsletter_list)
    subscriptions.handle_signup_request("kari@example.no", newsletter_list.pk, 1, "2026-01-01T12:00:00+00:00")
    sending.start_sending(issue)
    assert len(mail.outbox) == 2
    links = Links(live_server.url)
    for message in mail.outbox:
        html = "".join(content for content, _ in getattr(message, "alternatives", []))
        header = message.extra_headers.get("List-Unsubscribe", "")
        links.add(absolute_urls(message.body + html + header), message.subject)

    assert not links.wrong, links.wrong
    paths = {urlsplit(url).path.split("/")[2] for url in links.ours if url.startswith(f"{live_server.url}/nyhetsbrev/")}
    assert paths == {"bekreft", "avmeld", "abonnement"}
    assert issue.full_url in links.ours
    assert_all_answer(links)  # unsubscribe and confirm links only show a button on GET


# --- set_site ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_set_site_gives_the_default_site_site_url_and_is_idempotent(settings):
    home = site_tree()
    page = TopicPageFactory(parent=home, slug="fjellpolitikk")
    settings.SITE_URL = "https://www.example.no"
    out = StringIO()
    call_command("set_site", stdout=out)
    assert out.getvalue() == "The default Site is now https://www.example.no.\n"
    assert page.full_url == "https://www.example.no/fjellpolitikk/"
    out = StringIO()
    call_command("set_site", stdout=out)
    assert out.getvalue() == "The default Site was already https://www.example.no.\n"
    assert list(Site.objects.values_list("hostname", "port", "is_default_site")) == [("www.example.no", 443, True)]

    settings.SITE_URL = "http://127.0.0.1:8000"
    out = StringIO()
    call_command("set_site", "--print-address", stdout=out)
    assert out.getvalue() == "127.0.0.1:8000\n"
    assert Page.objects.get(pk=page.pk).full_url == "http://127.0.0.1:8000/fjellpolitikk/"


@pytest.mark.django_db
def test_set_site_refuses_an_address_another_site_has(settings):
    home = site_tree()
    Site.objects.create(hostname="arkiv.example.no", port=443, root_page=TopicPageFactory(parent=home))
    settings.SITE_URL = "https://arkiv.example.no"
    with pytest.raises(CommandError, match=r"already has arkiv\.example\.no:443"):
        call_command("set_site", stdout=StringIO())
    assert Site.objects.get(is_default_site=True).hostname == "localhost"


# --- SITE_URL in the settings, with the environment of a deployment ---------------------

SHOW_SETTINGS = """
import json, sys, environ
environ.Env.read_env = lambda *args, **kwargs: None  # this checkout's .env must not leak in
from django.conf import settings
print(json.dumps({name: getattr(settings, name) for name in sys.argv[1:]}))
"""
PRODUCTION = {"DEBUG": "false", "SECRET_KEY": "s" * 60, "ALLOWED_HOSTS": "www.example.no"}


def load_settings(env, *names):
    environment = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "config.settings", **env}
    return subprocess.run(
        [sys.executable, "-c", SHOW_SETTINGS, *names],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_mail_links_default_to_site_url():
    result = load_settings(
        PRODUCTION | {"SITE_URL": "https://www.example.no/"}, "SITE_URL", "WAGTAILADMIN_BASE_URL", "NEWSLETTER_BASE_URL"
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "SITE_URL": "https://www.example.no",
        "WAGTAILADMIN_BASE_URL": "https://www.example.no",
        "NEWSLETTER_BASE_URL": "https://www.example.no",
    }


def test_development_serves_on_127_0_0_1_port_8000():
    result = load_settings({"DEBUG": "true"}, "SITE_URL", "ALLOWED_HOSTS", "NEWSLETTER_UNSUBSCRIBE_MAILTO")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "SITE_URL": "http://127.0.0.1:8000",
        "ALLOWED_HOSTS": ["127.0.0.1", "localhost"],
        "NEWSLETTER_UNSUBSCRIBE_MAILTO": "",
    }


@pytest.mark.parametrize(
    ("site_url", "message"),
    [
        ("", "SITE_URL must be set when DEBUG is off"),
        ("www.example.no", "write it as http:// or https://"),
        ("https://www.example.no/regional", "without a path"),
        ("https://www.example.no:8443", "https must use port 443"),
        ("https://intranett.example.no", "its host name must be in ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_a_site_url_it_cannot_answer_on(site_url, message):
    result = load_settings(PRODUCTION | {"SITE_URL": site_url}, "SITE_URL")
    assert result.returncode != 0
    assert message in result.stderr
