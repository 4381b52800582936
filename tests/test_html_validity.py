"""Valid HTML, as the Nu HTML Checker (vnu, the W3C's validator) sees it, on the pages
of each kind a visitor reads: the home page in Norwegian and English, a bokmål topic page and its English
translation, a nynorsk topic page, a news item, a document page, the search page and
the newsletter sign-up.

Every page is rendered through the test client and all of them are checked in one
`java -jar vnu.jar` run (one JVM start, about five seconds). vnu is npm's `vnu-jar`
(package-lock.json) on Debian's Java, both installed by `make test`; without them the
tests fail, they never skip. A failing page lists vnu's errors with their lines."""

import json
import shutil
import subprocess

import pytest
from django.test import Client

from documents.models import DocumentType
from tests.conftest import ROOT, module_data
from tests.factories.documents import (
    DocumentAttachmentFactory,
    DocumentFactory,
    DocumentIndexPageFactory,
    DocumentPageFactory,
    chapter,
)
from tests.factories.news import NewsIndexPageFactory, NewsPageFactory, at_noon, paragraph
from tests.factories.newsletter import NewsletterListFactory, NewsletterSignupPageFactory
from tests.factories.policy import ContactPointFactory, TopicPageFactory, site_tree, translate_to_english

VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# What vnu reports as a failure: markup errors, and files it could not read or parse.
FAILURES = {"error", "non-document-error"}


def build_pages():
    """One page of each kind, with the blocks that carry the most markup."""
    home = site_tree()
    contact = ContactPointFactory(unit="Fjellseksjonen", phone="22 11 22 33", email="fjell@dep.example")
    area = TopicPageFactory(parent=home, title="Kommuneområdet", slug="omrade")
    topic = TopicPageFactory(
        parent=area, title="Fjellpolitikk", slug="fjellpolitikk", ingress="Levande fjellbygder i heile landet."
    )
    nynorsk = TopicPageFactory(
        parent=topic, title="Stølsavtalar", slug="stolsavtalar", language="nn", ingress="Midlar til stølsavtalar."
    )
    teaser = {"url": "", "title": "", "text": ""}
    topic.body = [
        ("featured_items", {"heading": "", "items": [{**teaser, "page": nynorsk, "lang": "nn"}]}),
        ("contact", {"contact": contact}),
    ]
    topic.save_revision().publish()
    archive = NewsIndexPageFactory(parent=home)
    item = NewsPageFactory(
        parent=archive,
        title="Nye midlar til fjellbygdene",
        date=at_noon(2026, 3, 4),
        topics=[topic],
        body=paragraph('Les <a href="https://www.regjeringen.no/">meir på regjeringen.no</a>.'),
    )
    finder = DocumentIndexPageFactory(parent=home)
    document = DocumentPageFactory(
        parent=finder,
        title="Rapport om fjellbygder",
        document_type=DocumentType.REPORT,
        topics=[topic],
        body=[chapter("Samandrag", "<p>Fjellbygdene veks.</p>")],
    )
    DocumentAttachmentFactory(page=document, document=DocumentFactory(title="Fjellrapporten"), title="Fjellrapporten")
    signup = NewsletterSignupPageFactory(
        parent=home, title="Meld deg på Fjellbrevet", slug="fjellbrevet", newsletter_list=NewsletterListFactory()
    )
    english_home = translate_to_english(home, title="Regional policy", ingress="The ministry's English pages.")
    translate_to_english(area, title="Municipalities and regions")
    english = translate_to_english(topic, title="Mountain policy", ingress="Thriving mountain communities.", body=[])
    # Each page with a text that shows it rendered the parts meant to be checked.
    return {
        "home": (home.url, "Nye midlar til fjellbygdene"),
        "home (English)": (english_home.url, "The ministry&#x27;s English pages."),
        "topic (bokmål)": (topic.url, "Rapport om fjellbygder"),
        "topic (English)": (english.url, "Thriving mountain communities."),
        "topic (nynorsk)": (nynorsk.url, "Midlar til stølsavtalar."),
        "news item": (item.url, "meir på regjeringen.no"),
        "document": (document.url, "Fjellrapporten"),
        "search": ("/sok/?q=fjellbygder", "Rapport om fjellbygder"),
        "newsletter sign-up": (signup.url, "Meld deg på Fjellbrevet"),
    }


pages = module_data(build_pages)


@pytest.fixture(scope="session")
def vnu_command():
    """The checker's command line; a missing Java or jar fails here, with what to install."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("java not found; `make test` installs Debian's default-jre-headless.")
    if not VNU_JAR.is_file():
        pytest.fail(f"{VNU_JAR} not found; `make test` installs npm's vnu-jar with `npm ci`.")
    return [java, "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always"]


@pytest.fixture(scope="module")
def vnu_messages(pages, vnu_command, django_db_blocker, tmp_path_factory):
    """{page name: vnu's messages} for every page, from one run of the checker."""
    folder = tmp_path_factory.mktemp("html")
    files = {}
    with django_db_blocker.unblock():
        client = Client()
        for number, (name, (path, shows)) in enumerate(pages.items()):
            response = client.get(path)
            assert response.status_code == 200, f"{name} ({path}) answered {response.status_code}"
            assert shows in response.content.decode(), f"{name} ({path}) does not show «{shows}»"
            files[name] = folder / f"page-{number}.html"
            files[name].write_bytes(response.content)
    result = subprocess.run(
        [*vnu_command, *map(str, files.values())], capture_output=True, text=True, timeout=300, check=False
    )
    # vnu writes its JSON report to standard error.
    report = json.loads(result.stderr)
    # vnu names each file by a file: URL (file:/tmp/…); the names are unique in the folder.
    by_file = {path.name: name for name, path in files.items()}
    found = {name: [] for name in files}
    for message in report["messages"]:
        found[by_file[message["url"].rsplit("/", 1)[-1]]].append(message)
    return found


def describe(message):
    return f"line {message.get('lastLine', '?')}: {message['message']} [{message.get('extract', '').strip()}]"


@pytest.mark.parametrize(
    "name",
    [
        "home",
        "home (English)",
        "topic (bokmål)",
        "topic (English)",
        "topic (nynorsk)",
        "news item",
        "document",
        "search",
        "newsletter sign-up",
    ],
)
def test_page_is_valid_html(vnu_messages, name):
    errors = [message for message in vnu_messages[name] if message["type"] in FAILURES]
    assert errors == [], f"vnu found {len(errors)} error(s) on the {name} page:\n" + "\n".join(map(describe, errors))
