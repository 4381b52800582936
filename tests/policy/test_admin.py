"""The admin as staff meet it: in Norwegian on every screen where Wagtail has the
words (its own catalogues plus ours in locale/nb), and no avatars fetched from a
third party. New pages and their slugs: test_new_pages.py."""

import functools
import gettext
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import wagtail
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real
from wagtail.models import PageLogEntry

from tests.factories.documents import DocumentIndexPageFactory, DocumentPageFactory
from tests.factories.news import NewsIndexPageFactory, NewsPageFactory
from tests.factories.newsletter import NewsletterListFactory, subscribed
from tests.factories.pilots import submitted_application
from tests.factories.policy import StaffUserFactory, TopicPageFactory

pytestmark = pytest.mark.django_db

WAGTAIL = Path(wagtail.__file__).parent
OUR_CATALOGUE = Path(settings.BASE_DIR) / "locale" / "nb" / "LC_MESSAGES"
# English words that never occur in Norwegian admin text: a screen that shows one has
# a label of ours (or a string of Wagtail's) left in English.
ENGLISH = re.compile(
    r"\b(the|and|with|your|this|from|there|are|has|have|will|you|can't|don't|edit|add|address|created|updated"
    r"|title|name|page|pages|search|delete|save|cancel|none|true|false|yes)\b",
    re.IGNORECASE,
)


# --- Reading catalogues and screens ------------------------------------------------


def po_entries(path):
    """(msgctxt, msgid, msgid_plural, msgstr list) of a .po file; enough of the format
    for gettext's own output."""
    entries, current, key = [], {}, None

    def flush():
        if current.get("msgid"):
            strs = [current[k] for k in sorted(current) if k.startswith("msgstr")]
            entries.append((current.get("msgctxt"), current["msgid"], current.get("msgid_plural"), strs))
        current.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            if not line.strip() or "msgid" in current:
                flush()
            continue
        if line.startswith('"'):
            current[key] += json.loads(line)
            continue
        key, _, value = line.partition(" ")
        if key == "msgctxt" and "msgid" in current:
            flush()
        current[key] = json.loads(value)
    flush()
    return entries


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


@functools.cache
def untranslated_wagtail_strings():
    """Wagtail's English strings that neither Wagtail's Norwegian catalogues nor ours
    translate: (whole texts, and for texts with placeholders their longest fixed part
    of three words or more)."""
    with translation.override("nb"):
        catalogue = trans_real.translation("nb")._catalog
    apps = {name.removeprefix("wagtail.").replace(".", "/") for name in settings.INSTALLED_APPS if "wagtail" in name}
    texts, fragments = set(), set()
    for app in apps:
        po = WAGTAIL / ("" if app == "wagtail" else app) / "locale" / "en" / "LC_MESSAGES" / "django.po"
        if not po.is_file():
            continue
        for context, msgid, plural, _ in po_entries(po):
            key = f"{context}\x04{msgid}" if context else msgid
            if (key, 0) in catalogue or key in catalogue:
                # Translated, but a template may still print the English (hard-coded
                # instead of marked for translation).
                if not plural and catalogue[key] != msgid and not PLACEHOLDER.search(msgid):
                    texts.add(msgid)
                continue
            for text in (msgid, plural) if plural else (msgid,):
                text = " ".join(re.sub(r"<[^>]+>", "", text).split())
                if PLACEHOLDER.search(text):
                    longest = max((part.strip() for part in PLACEHOLDER.split(text)), key=lambda p: len(p.split()))
                    if len(longest.split()) >= 3:
                        fragments.add(longest)
                else:
                    texts.add(text)
    return texts, fragments


class VisibleText(HTMLParser):
    """What a screen says: text outside scripts and styles, labels in attributes, and
    the strings of the JSON the admin's scripts render (menu, side panels)."""

    ATTRIBUTES = ("aria-label", "title", "placeholder", "alt", "data-w-tooltip-content-value")

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, html):
        super().__init__()
        self.texts, self.script, self.hidden = [], None, [False]
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self.script = attrs.get("type", "")
        hidden = self.hidden[-1] or "hidden" in attrs
        if tag not in self.VOID:
            self.hidden.append(hidden)
        if not hidden:
            self.texts += [attrs[name] for name in self.ATTRIBUTES if attrs.get(name)]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.script = None
        if tag not in self.VOID and len(self.hidden) > 1:
            self.hidden.pop()

    def handle_data(self, data):
        if self.script is None and not self.hidden[-1]:
            self.texts.append(data)
        elif self.script == "application/json":
            self.texts += list(json_strings(json.loads(data)))

    def lines(self):
        return [text for text in (" ".join(t.split()) for t in self.texts) if text]


# Keys whose values the admin's scripts show; the rest are names, icons, URLs.
SHOWN_KEYS = {"label", "title", "text", "help_text", "helpText", "description", "placeholder", "message", "heading"}


def json_strings(value, key=None):
    """The strings in the admin's JSON that a person reads: labels, and the text of
    widgets that arrive as HTML."""
    if isinstance(value, str):
        if re.search(r"<\w", value):
            yield from VisibleText(value).texts
        elif key in SHOWN_KEYS:
            yield value
    elif isinstance(value, dict):
        for item_key, item in value.items():
            yield from json_strings(item, item_key)
    elif isinstance(value, list):
        for item in value:
            yield from json_strings(item, key)


def english_on(html):
    """The texts on a screen that are English: Wagtail strings without a translation,
    or lines with English words."""
    texts, fragments = untranslated_wagtail_strings()
    visible = VisibleText(html)
    lines = visible.lines()
    found = {line for line in lines if line in texts or ENGLISH.search(line)}
    # Markup splits a sentence into several texts; joined, they read as on the screen.
    whole = " ".join("".join(visible.texts).split())
    found |= {fragment for fragment in fragments if fragment in whole}
    return sorted(found)


# --- The admin in Norwegian ----------------------------------------------------------


@pytest.fixture
def editor(client):
    """A superuser who never chose a language: the admin follows the site's."""
    client.force_login(StaffUserFactory(is_superuser=True))
    return client


@pytest.fixture
def content(home):
    topic = TopicPageFactory(parent=home, title="Distriktspolitikk", ingress="Om distriktspolitikken.")
    archive = NewsIndexPageFactory(parent=home, title="Aktuelt")
    index = DocumentIndexPageFactory(parent=home, title="Dokumenter")
    # Wagtail's "Welcome" page, replaced by the home page, is in the site history by its (English) title.
    PageLogEntry.objects.filter(label="Welcome to your new Wagtail site!").delete()
    regionalnytt = NewsletterListFactory(name="Regionalnytt")
    return {
        "application": submitted_application(),
        "subscriber": subscribed("lesar@kommune.example", regionalnytt).subscriber,
        "topic": topic,
        "news": NewsPageFactory(parent=archive, title="Ny ordning for distriktene", topics=[topic]),
        "document": DocumentPageFactory(parent=index, title="Rapport om distriktene", topics=[topic]),
    }


SCREENS = {
    "dashboard": lambda c: "/admin/",
    "page explorer": lambda c: f"/admin/pages/{c['topic'].get_parent().pk}/",
    "topic page": lambda c: f"/admin/pages/{c['topic'].pk}/edit/",
    "news item": lambda c: f"/admin/pages/{c['news'].pk}/edit/",
    "document page": lambda c: f"/admin/pages/{c['document'].pk}/edit/",
    "new topic page": lambda c: f"/admin/pages/add/policy/topicpage/{c['topic'].get_parent().pk}/",
    "page history": lambda c: f"/admin/pages/{c['topic'].pk}/history/",
    "applications": lambda c: reverse("pilot_applications:index"),
    "application": lambda c: reverse("pilot_applications:inspect", args=[c["application"].pk]),
    "portfolio": lambda c: reverse("pilot_applications:portfolio"),
    "rounds": lambda c: "/admin/snippets/pilots/round/",
    "criteria": lambda c: "/admin/snippets/pilots/criterion/",
    "decision templates": lambda c: "/admin/snippets/pilots/decisionemailtemplate/",
    "subscribers": lambda c: "/admin/nyhetsbrev/abonnenter/",
    "consent events": lambda c: "/admin/nyhetsbrev/samtykkehendelser/",
    "suppressions": lambda c: "/admin/nyhetsbrev/sperringer/",
    "newsletter lists": lambda c: "/admin/nyhetsbrev/lister/",
    "consent texts": lambda c: "/admin/nyhetsbrev/samtykketekster/",
    "contact points": lambda c: "/admin/snippets/policy/contactpoint/",
    "governments": lambda c: "/admin/snippets/news/government/",
    "site settings": lambda c: "/admin/settings/policy/sitesettings/",
    "documents": lambda c: "/admin/documents/",
    "images": lambda c: "/admin/images/",
    "users": lambda c: "/admin/users/",
    "account": lambda c: "/admin/account/",
    "site history": lambda c: "/admin/reports/site-history/",
    "språklova report": lambda c: "/admin/rapporter/sprakrapport/",
}


@pytest.mark.parametrize("screen", SCREENS)
def test_the_admin_speaks_norwegian(editor, content, screen):
    response = editor.get(SCREENS[screen](content), follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'<html[^>]*\slang="nb"', html)
    assert english_on(html) == []
    # Staff e-mail hashes are never sent to gravatar.com.
    assert "gravatar" not in html


def test_the_admin_scripts_speak_norwegian(editor):
    catalogue = editor.get(reverse("wagtailadmin_javascript_catalog")).content.decode()
    assert '"Main menu": "Hovedmeny"' in catalogue


def test_our_catalogue_is_compiled():
    """The .mo Django reads says what the .po says (someone who edits the .po must
    run compilemessages)."""
    for domain in ("django", "djangojs"):
        with (OUR_CATALOGUE / f"{domain}.mo").open("rb") as mo:
            compiled = gettext.GNUTranslations(mo)
        for context, msgid, plural, strs in po_entries(OUR_CATALOGUE / f"{domain}.po"):
            if plural:
                assert [compiled.ngettext(msgid, plural, n) for n in (1, 2)] == strs, msgid
            else:
                translated = compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)
                assert translated == strs[0], msgid


def test_the_sign_in_page_speaks_norwegian(client):
    html = client.get("/admin/login/").content.decode()
    assert english_on(html) == []
    assert re.search(r"<label[^>]*>\s*Passord", html)
