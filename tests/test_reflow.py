"""Reflow (WCAG 2.1 1.4.10) in headless Chromium: at 320 CSS px no page type, no step of
the application form and no step of the newsletter sign-up scrolls sideways, and each
one passes axe and keeps its headings in order (axe checks neither).

The content is the kind that pushed pages sideways on phones: long Norwegian compounds
in titles, names and addresses, a data table wider than any phone, long file names, a
wide image. Chromium here has no hyphenation dictionaries, so the words must fit by
breaking (`overflow-wrap`), which is also what browsers without one do."""

import re

import pytest
import wagtail_factories
from django.core import mail
from wagtail.models import get_page_models

from documents.models import DocumentType
from newsletter import tokens
from newsletter.models import Subscription
from pilots.models import Application
from tests.conftest import assert_no_axe_violations
from tests.factories.documents import (
    DocumentAttachmentFactory,
    DocumentFactory,
    DocumentIndexPageFactory,
    DocumentPageFactory,
    chapter,
    data_table,
)
from tests.factories.news import NewsIndexPageFactory, NewsPageFactory, at_noon, paragraph
from tests.factories.newsletter import (
    NewsletterIndexPageFactory,
    NewsletterIssuePageFactory,
    NewsletterListFactory,
    NewsletterSignupPageFactory,
)
from tests.factories.pdf import text_pdf
from tests.factories.pilots import CLASS_6B, ApplicationFactory, PilotCallPageFactory, RoundFactory
from tests.factories.policy import (
    ContactPointFactory,
    InformationPageFactory,
    SitemapPageFactory,
    TopicPageFactory,
)

pytestmark = pytest.mark.browser

LONG_DEPARTMENT = "Kommunal- og moderniseringsdepartementet"
LONG_TOPIC = "Distriktsnæringsutviklingsprogrammet"
LONG_EMAIL = "seksjon-for-distriktsnaeringsutvikling@kommunal-og-moderniseringsdepartementet.example"
# Seven columns whose headers alone are wider than a phone.
WIDE_CSV = (
    "Kommunenummer,Kommunenavn,Sentralitetsindeks 2023,Sentralitetsklasse,"
    "Folketallsendring siste tiår (prosent),Distriktsindeks 2022,Arbeidsplassdekning\n"
    "1151,Utsira,293,6,-12.5,11,0.81\n"
    "0301,Oslo,1000,1,14.2,100,1.12\n"
).encode()

# What sticks out past the right edge: elements whose parent does not, and text that
# runs past its box (a word too long for its line).
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const culprits = [];
  const describe = (el) => el.tagName.toLowerCase() + (el.className ? "." + String(el.className).trim().split(/\\s+/).join(".") : "");
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    const parent = el.parentElement.getBoundingClientRect();
    if (box.width && box.right > width + 0.5 && parent.right <= width + 0.5) culprits.push(describe(el));
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const range = document.createRange();
    range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    if (box.width && box.right > width + 0.5 && node.parentElement.checkVisibility())
      culprits.push(`text «${node.textContent.trim().slice(0, 40)}» in ${describe(node.parentElement)}`);
  }
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, culprits};
}"""

# The levels of the headings a screen reader finds, in document order.
HEADINGS_JS = """() => Array.from(document.querySelectorAll("h1, h2, h3, h4, h5, h6"))
  .filter((h) => h.checkVisibility())
  .map((h) => [Number(h.tagName[1]), h.textContent.trim().slice(0, 50)])"""


def assert_reflows(page):
    result = page.evaluate(OVERFLOW_JS)
    assert result["scrollWidth"] <= result["innerWidth"], (
        f"{page.url} is {result['scrollWidth']} px wide on a {result['innerWidth']} px screen; "
        f"sticking out: {result['culprits'][:8]}"
    )


def assert_headings_in_order(page):
    """No heading is more than one level below the one before it (h2 → h4 skips h3)."""
    headings = page.evaluate(HEADINGS_JS)
    for (level_before, before), (level, text) in zip(headings, headings[1:], strict=False):
        assert level <= level_before + 1, f"{page.url}: «{text}» (h{level}) follows «{before}» (h{level_before})"


def check(page):
    # After a form post the heading can be in the DOM before the stylesheets have loaded,
    # and a layout measured then is the unstyled page's.
    page.wait_for_load_state("load")
    assert_reflows(page)
    assert_headings_in_order(page)
    assert_no_axe_violations(page)


def featured(title):
    """A card of a featured-items block linking outside the site."""
    return {"page": None, "url": "https://www.regjeringen.no/", "title": title, "text": LONG_TOPIC, "lang": ""}


def build_site(home):
    """One live page of every creatable type, filled with long words, a wide table and
    a wide image. Returns them by name."""
    contact = ContactPointFactory(unit=f"Seksjon for {LONG_TOPIC.lower()}", email=LONG_EMAIL)
    newsletter_list = NewsletterListFactory(name="Regionalnytt")
    signup = NewsletterSignupPageFactory(
        parent=home, title="Meld deg på nyhetsbrevet Regionalnytt", newsletter_list=newsletter_list
    )
    topic = TopicPageFactory(
        parent=home,
        title=LONG_TOPIC,
        ingress="Lokaliseringsretningslinjene og bygdevekstavtalene skal gi arbeidsplasser i distriktskommunene.",
        body=[
            ("heading", {"text": "Sentralitetsindeksen og distriktsindeksen", "level": "h2"}),
            ("paragraph", f"<p>Skriv til {LONG_EMAIL} om {LONG_TOPIC.lower()}.</p>"),
            ("contact", {"contact": contact}),
            ("featured_items", {"heading": "", "items": [featured("Lokaliseringsretningslinjene")]}),
            (
                "newsletter",
                {"heading": "Følg Regionalnytt", "text": "", "link": signup, "link_text": "Meld deg på", "lang": ""},
            ),
        ],
    )
    subtopic = TopicPageFactory(parent=topic, title="Bygdevekstavtaler")
    archive = NewsIndexPageFactory(parent=home, per_page=1)
    news = [
        NewsPageFactory(
            parent=archive,
            title=f"Statsbudsjettet 2023: {LONG_DEPARTMENT} ({n})",
            topics=[subtopic],
            date=at_noon(2022, 10, n + 1),
            publisher=LONG_DEPARTMENT,
            image=wagtail_factories.ImageFactory(file__width=2400, file__height=800),
            image_alt="Fjellbygd om vinteren",
            body=paragraph(f"Ordningen for {LONG_TOPIC.lower()} utvides."),
        )
        for n in range(5)
    ]
    documents = DocumentIndexPageFactory(parent=home)
    document = DocumentPageFactory(
        parent=documents,
        title="Lokaliseringsretningslinjene for statlige arbeidsplasser og statlig tjenesteproduksjon",
        document_type=DocumentType.WHITE_PAPER,
        document_number="Meld. St. 5 (2019–2020)",
        publisher=LONG_DEPARTMENT,
        topics=[subtopic],
        body=[
            chapter("Distriktsnæringsutviklingsprogrammets måloppnåelse", "<p>Sysselsettingsutviklingen.</p>"),
            data_table(DocumentFactory(title="Sentralitet", filename="sentralitet.csv", data=WIDE_CSV), "Sentralitet"),
        ],
    )
    DocumentAttachmentFactory(
        page=document,
        title="Lokaliseringsretningslinjene-for-statlige-arbeidsplasser-og-statlig-tjenesteproduksjon.pdf",
    )
    call = PilotCallPageFactory(parent=subtopic, title="Søk om å bli pilotområde for bygdevekstavtaler")
    newsletters = NewsletterIndexPageFactory(
        parent=home, title="Regionalnytt", newsletter_list=newsletter_list, signup_page=signup
    )
    issue = NewsletterIssuePageFactory(
        parent=newsletters, title=f"Regionalnytt: {LONG_TOPIC} og bygdevekstavtalene", publish=True
    )
    privacy = InformationPageFactory(parent=home, title="Personvernerklæring for nyhetsbrevet og søknadsportalen")
    sitemap = SitemapPageFactory(parent=home)
    return {
        "home": home,
        "topic": topic,
        "subtopic": subtopic,
        "archive": archive,
        "news": news[-1],
        "documents": documents,
        "document": document,
        "call": call,
        "signup": signup,
        "newsletters": newsletters,
        "issue": issue,
        "privacy": privacy,
        "sitemap": sitemap,
    }


def test_every_page_type_reflows_at_320_px(live_home, live_server, phone):
    pages = build_site(live_home)
    creatable = {model for model in get_page_models() if model.is_creatable}
    assert {type(page.specific) for page in pages.values()} == creatable, "add the new page type to build_site"
    paths = [page.url for page in pages.values()] + [
        pages["archive"].url + "?page=3",  # pagination with both ellipses
        pages["documents"].url + "?type=ukjent&year_from=tjue",  # the finder's error summary
        "/sok/?q=bygdevekstavtaler",
        "/sok/?q=distriktsn%C3%A6ringsutviklingsprogrammet",
    ]
    for path in paths:
        phone.goto(live_server.url + path)
        check(phone)


def test_finder_filters_wait_behind_a_button_on_phones(live_home, live_server, browser):
    index = DocumentIndexPageFactory(
        parent=live_home,
        ingress="Retningslinjer, meldinger til Stortinget, utredninger, rapporter og statistikk "
        "om regional- og distriktspolitikk.",
    )
    topics = [TopicPageFactory(parent=live_home, title=f"{LONG_TOPIC} {n}") for n in range(4)]
    for n in range(3):
        DocumentPageFactory(parent=index, title=f"Rapport {n}", topics=topics, document_type=DocumentType.REPORT)
    context = browser.new_context(locale="nb-NO", viewport={"width": 375, "height": 667})
    page = context.new_page()
    try:
        page.goto(live_server.url + index.url)
        toggle = page.get_by_role("button", name="Filtrer")
        results = page.get_by_role("heading", name="3 dokumenter")
        # The results start on the first screen; the filters wait behind «Filtrer».
        assert results.bounding_box()["y"] < 667
        assert toggle.get_attribute("aria-expanded") == "false"
        assert not page.get_by_role("group", name="Tema").is_visible()
        assert_no_axe_violations(page)
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true"
        page.get_by_role("group", name="Tema").get_by_label(f"{LONG_TOPIC} 2").check()
        check(page)
        page.get_by_role("button", name="Vis dokumenter").click()
        page.wait_for_url("**/?*topic=*")
        assert toggle.get_attribute("aria-expanded") == "false"
        # Filters to correct are shown at once, so the error summary's links lead somewhere.
        page.goto(live_server.url + index.url + "?type=ukjent")
        assert page.get_by_role("group", name="Dokumenttype").is_visible()
        # On a wide screen the filters are always there and the button is not.
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(live_server.url + index.url)
        assert page.get_by_role("group", name="Tema").is_visible()
        assert page.get_by_role("button", name="Filtrer").count() == 0
    finally:
        context.close()
    # Without JavaScript there is no button and the filters are simply there.
    context = browser.new_context(locale="nb-NO", viewport={"width": 375, "height": 667}, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url + index.url)
        assert page.get_by_role("group", name="Tema").is_visible()
        assert page.get_by_role("button", name="Filtrer").count() == 0
    finally:
        context.close()


def test_news_archive_filters_wait_behind_the_same_button(live_home, live_server, browser):
    archive = NewsIndexPageFactory(parent=live_home)
    NewsPageFactory(
        parent=archive, title="Ny ordning for bygdevekstavtaler", topics=[TopicPageFactory(parent=live_home)]
    )
    context = browser.new_context(locale="nb-NO", viewport={"width": 375, "height": 667})
    try:
        page = context.new_page()
        page.goto(live_server.url + archive.url)
        assert not page.get_by_label("År").is_visible()
        assert page.get_by_role("link", name="Ny ordning for bygdevekstavtaler").bounding_box()["y"] < 667
        page.get_by_role("button", name="Filtrer").click()
        page.get_by_label("År").select_option(label="Alle år")
        page.get_by_role("button", name="Vis saker").click()
        page.wait_for_url("**/?*year=*")
        assert page.get_by_role("link", name="Ny ordning for bygdevekstavtaler").is_visible()
    finally:
        context.close()


def test_finder_checkboxes_sit_beside_their_labels(live_home, live_server, page):
    index = DocumentIndexPageFactory(parent=live_home)
    topic = TopicPageFactory(parent=live_home, title=f"{LONG_TOPIC} og lokaliseringsretningslinjene for staten")
    DocumentPageFactory(parent=index, topics=[topic])
    page.goto(live_server.url + index.url)
    box = page.get_by_role("checkbox", name=re.compile(LONG_TOPIC)).bounding_box()
    label = page.locator("label", has_text=LONG_TOPIC)
    line_height = label.evaluate("el => parseFloat(getComputedStyle(el).lineHeight)")
    label_box = label.bounding_box()
    assert box["x"] + box["width"] <= label_box["x"], "the box is left of its label"
    first_line_middle = label_box["y"] + line_height / 2
    assert abs(box["y"] + box["height"] / 2 - first_line_middle) < 4, "level with the label's first line"


def sign_in_link():
    return re.search(r"/soknad/inn/\S+/", mail.outbox[-1].body).group(0)


def test_every_step_of_the_application_form_reflows_at_320_px(live_home, live_server, phone, tmp_path, settings):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    topic = TopicPageFactory(parent=live_home, title="Bygdevekstavtaler")
    call = PilotCallPageFactory(
        parent=topic,
        round=RoundFactory(name=f"Utlysing av pilotområder for bygdevekstavtaler i {LONG_TOPIC.lower()}"),
    )
    url = live_server.url

    phone.goto(url + call.url)
    check(phone)
    phone.get_by_role("link", name="Start søknad").click()
    phone.wait_for_url("**/soknad/logg-inn/**")
    check(phone)
    phone.get_by_role("button", name="Send meg en lenke").click()  # no address: the error state
    phone.locator("[data-error-summary]").wait_for()
    check(phone)
    phone.get_by_label("E-postadressen din").fill(LONG_EMAIL)
    phone.get_by_role("button", name="Send meg en lenke").click()
    phone.wait_for_url("**/logg-inn/sendt/")
    check(phone)
    phone.goto(url + sign_in_link())
    check(phone)
    phone.get_by_role("button", name="Logg inn").click()
    phone.wait_for_url("**/soknad/utlysing/*/")
    check(phone)
    phone.get_by_role("button", name="Opprett søknad").click()
    phone.wait_for_url(re.compile(r".*/soknad/\d+/\d+/$"))
    check(phone)  # the task list, every later part locked

    application = Application.objects.get()
    steps = url + f"/soknad/{application.round_id}/{application.pk}/"
    phone.goto(steps + "kommuner/")
    phone.get_by_role("combobox", name="Søkerkommune").fill("Eigersund")
    phone.get_by_role("option", name="Eigersund (1101)").click()
    phone.get_by_role("button", name="Lagre og fortsett").click()
    phone.locator("[data-error-summary]").wait_for()
    check(phone)  # class 4 alone may not apply: the reasons per municipality
    phone.get_by_role("combobox", name=re.compile(r"^Samarbeidskommune 1 ")).fill("Utsira")
    phone.get_by_role("option", name="Utsira (1151)").click()
    phone.get_by_role("button", name="Lagre og fortsett").click()
    phone.wait_for_url("**/kontaktperson/")
    phone.get_by_label("Navn").fill("Ola Nordmann")
    phone.get_by_label("E-post").fill("ola@")
    phone.get_by_role("button", name="Lagre og fortsett").click()
    phone.locator("[data-error-summary]").wait_for()
    check(phone)  # the contact step with errors
    for slug in ("kontaktperson", "prosjektet", "budsjett", "vedlegg"):
        phone.goto(steps + slug + "/")
        check(phone)

    # The rest on a complete application of the same applicant.
    complete = ApplicationFactory(round=call.round, created_by=application.created_by, municipalities=[CLASS_6B])
    steps = url + f"/soknad/{complete.round_id}/{complete.pk}/"
    phone.goto(steps)
    phone.get_by_role("link", name="Se over og send inn").wait_for()
    check(phone)  # the task list, every part done
    phone.goto(steps + "vedlegg/")
    pdf = tmp_path / "Kommunestyrevedtak-om-deltakelse-i-bygdevekstavtaleordningen-2025.pdf"
    pdf.write_bytes(text_pdf("Kommunestyrevedtak", [["Vedtak om å søke"]]))
    phone.get_by_role("radio", name="Annet").check()
    phone.get_by_label("Last opp en PDF-fil").set_input_files(pdf)
    phone.get_by_role("button", name="Last opp", exact=True).click()
    phone.get_by_text(f"{pdf.name} er lastet opp.").wait_for()
    check(phone)  # the table of uploaded files
    for slug in ("se-over/", "send-inn/", "inviter/", "tilgang/"):
        phone.goto(steps + slug)
        check(phone)
    phone.goto(steps + "send-inn/")
    phone.get_by_label(re.compile("Jeg bekrefter")).check()
    phone.get_by_role("button", name="Send inn søknaden").click()
    phone.wait_for_url("**/kvittering/")
    check(phone)
    phone.goto(steps + "trekk/")
    check(phone)
    phone.goto(url + "/soknad/")
    check(phone)  # «Mine søknader», a table of four columns
    phone.get_by_role("button", name="Logg ut").click()
    phone.wait_for_url("**/logget-ut/")
    check(phone)


def test_every_step_of_the_newsletter_sign_up_reflows_at_320_px(live_home, live_server, phone, settings):
    settings.NEWSLETTER_BASE_URL = live_server.url
    signup = NewsletterSignupPageFactory(
        parent=live_home,
        title="Meld deg på nyhetsbrevet Regionalnytt",
        newsletter_list=NewsletterListFactory(name=f"Regionalnytt om {LONG_TOPIC.lower()}"),
    )
    # Without the proof-of-work script the form posts at once (its fallback path).
    phone.route("**/newsletter/signup.js", lambda route: route.abort())
    phone.goto(live_server.url + signup.url)
    check(phone)
    phone.get_by_role("button", name="Meld meg på").click()
    phone.locator("[data-error-summary]").wait_for()
    check(phone)
    phone.get_by_label("E-postadresse").fill(LONG_EMAIL)
    phone.get_by_label("Jeg har lest samtykketeksten").check()
    phone.get_by_role("button", name="Meld meg på").click()
    phone.get_by_role("heading", name="Sjekk e-posten din").wait_for()
    check(phone)

    confirm = re.search(r"/nyhetsbrev/bekreft/\S+/", mail.outbox[-1].body).group(0)
    phone.goto(live_server.url + confirm)
    check(phone)
    phone.get_by_role("button", name="Bekreft påmeldingen").click()
    phone.get_by_role("heading", name=re.compile("Du er påmeldt")).wait_for()
    check(phone)
    phone.get_by_role("link", name="endre abonnementet ditt her").click()
    phone.get_by_role("heading", name="Abonnementet ditt").wait_for()
    check(phone)

    subscription = Subscription.objects.get()
    token = tokens.make_unsubscribe_token(subscription.subscriber_id, subscription.newsletter_list_id)
    phone.goto(f"{live_server.url}/nyhetsbrev/avmeld/{token}/")
    check(phone)
    phone.get_by_role("button", name="Meld meg av").click()
    phone.get_by_role("heading", name=re.compile("Du er meldt av")).wait_for()
    check(phone)
    phone.goto(live_server.url + "/nyhetsbrev/bekreft/ugyldig/")
    check(phone)  # an expired or broken link
