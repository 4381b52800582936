"""The interface in bokmål, nynorsk and English through Django's message catalogues.

Bokmål is the source language (the msgids); locale/nn and locale/en (the site), and
pilots/locale/nn and pilots/locale/en (the application portal), must translate every
message, hold no fuzzy guesses, match what the code asks for today and be compiled.
A page speaks its own målform: header, footer, labels and dates of a nynorsk page are
nynorsk, whatever the page around a list item is written in.
"""

import ast
import datetime
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import translation

from documents.models import DocumentType
from tests.factories.documents import DocumentIndexPageFactory, DocumentPageFactory
from tests.factories.news import NewsIndexPageFactory, NewsPageFactory, at_noon
from tests.factories.policy import TopicPageFactory

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ["nn", "en"]
# What `makemessages` leaves out (see locale/README.md): the application portal has
# its own pass, the demo and the tests are not the interface. Hidden folders (.venv,
# .local) are left out by makemessages itself.
NOT_SCANNED = {"locale", "node_modules", "tests", "pilots", "demo", "static", "scripts"}
# The site's catalogue and the application portal's own (found by Django as the app's
# locale folder), each made by makemessages in its own folder.
# The portal's scripts have a catalogue of their own (domain "djangojs").
CATALOGUES = {"site": ROOT / "locale", "pilots": ROOT / "pilots" / "locale"}
PARTS = [("site", "django"), ("pilots", "django"), ("pilots", "djangojs")]
# Fewer messages than this means a catalogue has lost its messages.
AT_LEAST = {("site", "django"): 100, ("pilots", "django"): 500, ("pilots", "djangojs"): 10}
# What the portal's makemessages leaves out: its catalogues.
PILOTS_NOT_SCANNED = {"locale", "__pycache__"}


def catalogue(language, where="site", domain="django"):
    return CATALOGUES[where] / language / "LC_MESSAGES" / f"{domain}.po"


def read_po(path):
    """Each message as {"msgctxt", "msgid", "msgid_plural", "msgstr", "msgstr[0]", ...,
    "flags"}; obsolete (#~) entries are left out and the header is the msgid ""."""
    entries, entry, key = [], {}, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if "msgid" in entry:
                entries.append(entry)
            entry, key = {}, None
        elif line.startswith("#,"):
            entry["flags"] = {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        else:
            key, _, value = line.partition(" ")
            entry[key] = ast.literal_eval(value)
    return entries


def message_ids(entries):
    return {(e.get("msgctxt"), e["msgid"], e.get("msgid_plural")) for e in entries if e["msgid"]}


@pytest.mark.parametrize("where, domain", PARTS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language, where, domain):
    entries = read_po(catalogue(language, where, domain))
    assert len(entries) > AT_LEAST[where, domain]
    untranslated = [e["msgid"] for e in entries[1:] if not all(v for k, v in e.items() if k.startswith("msgstr"))]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e.get("flags", ())]
    assert untranslated == []
    assert fuzzy == []


def test_catalogues_match_the_code(tmp_path):
    """makemessages on today's code finds exactly the messages the catalogues hold.

    It runs in a folder of links to the project's sources, so that it writes into a
    copy of the catalogues and never into locale/ itself."""
    work = tmp_path / "project"
    work.mkdir()
    for item in ROOT.iterdir():
        if item.is_dir() and item.name not in NOT_SCANNED and not item.name.startswith("."):
            (work / item.name).symlink_to(item)
    copies = work / "locale"
    for language in LANGUAGES:
        (copies / language / "LC_MESSAGES").mkdir(parents=True)
        shutil.copy(catalogue(language), copies / language / "LC_MESSAGES" / "django.po")
    with override_settings(LOCALE_PATHS=[copies]), pytest.MonkeyPatch.context() as patch:
        patch.chdir(work)
        call_command("makemessages", locale=LANGUAGES, symlinks=True, add_location="file", verbosity=0)
    for language in LANGUAGES:
        committed = message_ids(read_po(catalogue(language)))
        current = message_ids(read_po(copies / language / "LC_MESSAGES" / "django.po"))
        assert current - committed == set(), f"{language}: run makemessages and translate these"
        assert committed - current == set(), f"{language}: no longer in the code; run makemessages"


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_portal_catalogues_match_the_code(domain, tmp_path):
    """The same for pilots/locale (templates and Python, and the scripts): makemessages
    over a folder of links to the app's sources, with the app's catalogues copied in as
    its only locale folder."""
    work = tmp_path / "pilots"
    work.mkdir()
    for item in (ROOT / "pilots").iterdir():
        if item.name not in PILOTS_NOT_SCANNED:
            (work / item.name).symlink_to(item)
    copies = work / "locale"
    for language in LANGUAGES:
        (copies / language / "LC_MESSAGES").mkdir(parents=True)
        shutil.copy(catalogue(language, "pilots", domain), copies / language / "LC_MESSAGES" / f"{domain}.po")
    with override_settings(LOCALE_PATHS=[]), pytest.MonkeyPatch.context() as patch:
        patch.chdir(work)
        call_command("makemessages", locale=LANGUAGES, domain=domain, symlinks=True, add_location="file", verbosity=0)
    for language in LANGUAGES:
        committed = message_ids(read_po(catalogue(language, "pilots", domain)))
        current = message_ids(read_po(copies / language / "LC_MESSAGES" / f"{domain}.po"))
        assert current - committed == set(), f"{language}: run makemessages in pilots/ and translate these"
        assert committed - current == set(), f"{language}: no longer in the code; run makemessages in pilots/"


@pytest.mark.parametrize("where, domain", PARTS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_is_up_to_date(language, where, domain, tmp_path):
    """The committed .mo is what msgfmt makes of the committed .po (--check also
    refuses a translation that drops or renames a %(placeholder)s)."""
    source = catalogue(language, where, domain)
    compiled = tmp_path / "compiled.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(compiled), str(source)], check=True)
    assert compiled.read_bytes() == source.with_suffix(".mo").read_bytes()


def test_compiled_catalogues_are_in_use():
    with translation.override("nn"):
        assert translation.gettext("Hopp til hovedinnhold") == "Hopp til hovudinnhaldet"
    with translation.override("en"):
        assert translation.gettext("Hopp til hovedinnhold") == "Skip to main content"
    with translation.override("nb"):
        assert translation.gettext("Hopp til hovedinnhold") == "Hopp til hovedinnhold"
    # The portal's own catalogue, from pilots/locale.
    with translation.override("nn"):
        assert translation.gettext("Oppgaveliste") == "Oppgåveliste"
    with translation.override("en"):
        assert translation.gettext("Oppgaveliste") == "Task list"


def test_no_template_chooses_text_by_the_pages_language():
    found = subprocess.run(
        ["grep", "-rn", "language == 'nn'\\|language == \"nn\"", "templates", *ROOT.glob("*/templates")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert found.stdout == ""


def page_html(url):
    response = Client().get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.django_db
def test_nynorsk_page_has_a_nynorsk_interface(home):
    archive = NewsIndexPageFactory(parent=home)
    item = NewsPageFactory(parent=archive, title="Nytt tilskot", language="nn", date=at_noon(2025, 3, 4))

    html = page_html(item.url)

    assert '<html lang="nn"' in html
    assert "Hopp til hovudinnhaldet" in html  # skip link
    assert 'aria-label="Søk på nettstaden"' in html or ">Søk på nettstaden<" in html  # header
    assert 'aria-label="Botntekst"' in html  # footer
    assert '<meta property="og:locale" content="nn_NO">' in html
    assert "4. mars 2025" in html  # Django's nynorsk date format
    assert ">Nyheit<" in html  # the news type in nynorsk
    assert "Hopp til hovedinnhold" not in html
    assert "Søk på nettstedet" not in html


@pytest.mark.django_db
def test_bokmal_page_keeps_its_bokmal_interface(home):
    archive = NewsIndexPageFactory(parent=home)
    item = NewsPageFactory(parent=archive, title="Nytt tilskudd", date=at_noon(2025, 3, 4))

    html = page_html(item.url)

    assert '<html lang="nb"' in html
    assert "Hopp til hovedinnhold" in html
    assert ">Søk på nettstedet<" in html
    assert 'aria-label="Bunntekst"' in html
    assert '<meta property="og:locale" content="nb_NO">' in html
    assert ">Nyhet<" in html
    assert "hovudinnhaldet" not in html


@pytest.mark.django_db
def test_list_items_keep_their_own_malform(home):
    """A bokmål topic page lists a nynorsk document with nynorsk labels and date, and
    the other way round."""
    topic = TopicPageFactory(parent=home, title="Bygdevekst")
    finder = DocumentIndexPageFactory(parent=home)
    DocumentPageFactory(
        parent=finder,
        title="Høyring om bygdevekst",
        language="nn",
        document_type=DocumentType.CONSULTATION,
        date=datetime.date(2024, 5, 2),
        topics=[topic],
    )

    html = page_html(topic.url)

    item = html[html.index("Høyring om bygdevekst") :]
    item = item[: item.index("</li>")]
    assert "Høyring · " in item  # the nynorsk document type
    assert "2. mai 2024" in item
    assert ">Dokumenter<" in html  # the bokmål page's own heading
