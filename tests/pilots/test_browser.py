"""The whole application flow in headless Chromium: from the call page through
sign-in by e-mail link to the reference on the receipt, with axe on every step;
and once more using the keyboard alone."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.conftest import assert_no_axe_violations
from tests.factories.pdf import text_pdf

pytestmark = pytest.mark.browser


def sign_in_link():
    message = mail.outbox[-1]
    return re.search(r"(http://\S+/soknad/inn/\S+/)", message.body).group(1)


def test_apply_from_call_page_to_reference(live_server, live_call_page, page, tmp_path):
    page.goto(live_server.url + live_call_page.url)
    assert page.get_by_role("heading", name="Søk om å bli pilot").is_visible()
    assert page.get_by_text("Åpen", exact=True).is_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Start søknad").click()

    page.wait_for_url("**/soknad/logg-inn/**")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Send meg en lenke").click()
    expect(page.locator("[data-error-summary]")).to_be_focused()  # waits for the page after the POST
    assert_no_axe_violations(page)
    page.get_by_label("E-postadressen din").fill("ola@kommune.example")
    page.get_by_role("button", name="Send meg en lenke").click()
    page.wait_for_url("**/logg-inn/sendt/")
    assert_no_axe_violations(page)

    page.goto(sign_in_link())
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url("**/soknad/utlysing/*/")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Opprett søknad").click()
    assert page.get_by_role("heading", name="Søknad om å bli pilotområde").is_visible()
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Kan kommunene søke?").click()
    page.wait_for_url("**/kommuner/")  # loaded: the picker has replaced the select
    page.get_by_role("combobox", name="Søkerkommune").fill("Eigersund")
    page.get_by_role("option", name="Eigersund (1101)").click()
    page.get_by_role("button", name="Lagre og fortsett").click()
    assert page.get_by_text(
        "Sentralitetsklasse 4: kan bare søke sammen med en kommune i klasse 5 eller 6."
    ).is_visible()
    assert_no_axe_violations(page)
    page.get_by_role("combobox", name=re.compile(r"^Samarbeidskommune 1 ")).fill("Utsira")
    page.get_by_role("option", name="Utsira (1151)").click()
    page.get_by_role("button", name="Lagre og fortsett").click()

    page.wait_for_url("**/kontaktperson/")
    page.get_by_label("Navn").fill("Ola Nordmann")
    page.get_by_label("E-post").fill("ola@")
    page.get_by_role("button", name="Lagre og fortsett").click()
    assert page.locator("[data-error-summary]").is_visible()
    assert page.get_by_label("Navn").input_value() == "Ola Nordmann"
    assert_no_axe_violations(page)
    page.get_by_label("Stilling").fill("Rådgiver")
    page.get_by_label("E-post").fill("ola@kommune.example")
    page.get_by_label("Telefon").fill("22 24 70 01")
    page.get_by_role("button", name="Lagre og fortsett").click()

    page.wait_for_url("**/prosjektet/")
    page.get_by_label("Prosjektets navn").fill("Vekst i fjellbygdene")
    # Autosave while typing: the status region says when it was saved.
    expect(page.locator("[data-autosave-status]")).to_have_text(re.compile(r"Lagret kl\. \d\d\.\d\d"), timeout=10000)
    summary = page.get_by_label("Kort sammendrag")
    summary.fill("Et samarbeid om bolig og arbeid.")
    counter = page.locator("[data-counter-for]")
    assert counter.get_attribute("data-label") == f"Du har {500 - len('Et samarbeid om bolig og arbeid.')} tegn igjen"
    page.get_by_label("Dokumenterte utfordringer").fill("Nedgang i folketallet.")
    page.get_by_label("Tema").fill("Bolig og næring")
    page.get_by_label("Planlagte tiltak").fill("Boligprogram")
    page.get_by_label("Overføringsverdi").fill("Kan brukes av andre kommuner.")
    page.get_by_label("Organisering og politisk forankring").fill("Styringsgruppe")
    page.get_by_label("Kommunestyret har gjort vedtak").check()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Lagre og fortsett").click()

    page.wait_for_url("**/budsjett/")
    page.get_by_label("Søkt beløp (kr)").fill("1500000")
    page.get_by_label("Egeninnsats (kr)").fill("500000")
    page.get_by_label("Kostnad 1").fill("Prosjektleder")
    page.get_by_label("Beløp 1 (kr)").fill("2000000")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Lagre og fortsett").click()

    page.wait_for_url("**/vedlegg/")
    pdf = tmp_path / "vedtak.pdf"
    pdf.write_bytes(text_pdf("Kommunestyrevedtak", [["Vedtak om å søke"]]))
    page.get_by_role("radio", name="Kommunestyrevedtak").check()
    page.get_by_label("Last opp en PDF-fil").set_input_files(pdf)
    page.get_by_role("button", name="Last opp", exact=True).click()
    assert page.get_by_text("vedtak.pdf er lastet opp.").is_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Fortsett", exact=True).click()

    page.wait_for_url("**/se-over/")
    assert page.get_by_text("Vekst i fjellbygdene").first.is_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Fortsett til erklæring og innsending").click()
    assert_no_axe_violations(page)
    page.get_by_label(re.compile("Jeg bekrefter")).check()
    page.get_by_role("button", name="Send inn søknaden").click()

    page.wait_for_url("**/kvittering/")
    reference = page.locator(".pilots-reference").inner_text()
    assert re.fullmatch(r"BVA-\d\d-[2-9A-HJKMNP-TV-Z]{6}", reference)
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Mine søknader").click()
    assert page.get_by_role("cell", name=reference).is_visible()
    assert_no_axe_violations(page)


def press_until_focused(page, selector, key="Tab", limit=60):
    """Press Tab until the element matching `selector` has focus (keyboard only)."""
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Could not reach {selector} with {key}")


def fill_by_keyboard(page, fields):
    """Tab to each field in turn (`fields`: selector -> text) and type its text."""
    for selector, text in fields.items():
        press_until_focused(page, selector)
        page.keyboard.type(text)


def press_on(page, selector, key="Enter"):
    """Tab to the element matching `selector` and press `key` on it."""
    press_until_focused(page, selector)
    page.keyboard.press(key)


def test_apply_with_the_keyboard_alone(live_server, live_call_page, page):
    page.goto(live_server.url + live_call_page.url)
    press_on(page, "a.ds-button[href*='/soknad/utlysing/']")
    page.wait_for_url("**/soknad/logg-inn/**")
    fill_by_keyboard(page, {"#id_email": "kari@kommune.example"})
    page.keyboard.press("Enter")
    page.wait_for_url("**/logg-inn/sendt/")

    page.goto(sign_in_link())  # opening the link from the e-mail
    press_on(page, "main button[data-variant=primary]")
    page.wait_for_url("**/soknad/utlysing/*/")
    press_on(page, "main button[data-variant=primary]", "Space")
    page.wait_for_url(re.compile(r".*/soknad/\d+/\d+/$"))

    press_on(page, "a[href$='/kommuner/']")
    page.wait_for_url("**/kommuner/")
    fill_by_keyboard(page, {"#id_lead-sok": "Utsira"})  # the municipality picker's search field
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.locator("#id_lead option:checked").inner_text() == "Utsira (1151)"
    press_on(page, "button[value=continue]")

    page.wait_for_url("**/kontaktperson/")
    fill_by_keyboard(
        page,
        {
            "#id_name": "Kari Nordmann",
            "#id_role": "Prosjektleder",
            "#id_email": "kari@kommune.example",
            "#id_phone": "22247001",
        },
    )
    press_on(page, "button[value=continue]")

    page.wait_for_url("**/prosjektet/")
    fill_by_keyboard(
        page,
        {
            "#id_title": "Bygd i vekst",
            "#id_summary": "Samarbeid om arbeidsplasser.",
            "#id_challenges": "Aldrende befolkning.",
            "#id_themes": "Næring",
            "#id_measures": "Næringshage",
            "#id_transfer_value": "Kan kopieres.",
            "#id_organisation": "Prosjektgruppe",
        },
    )
    press_on(page, "input[name=council_decision]", "Space")
    press_on(page, "button[value=continue]")

    page.wait_for_url("**/budsjett/")
    fill_by_keyboard(
        page,
        {
            "#id_amount_applied": "1000000",
            "#id_own_contribution": "0",
            "#id_line_1_description": "Prosjektleder",
            "#id_line_1_amount": "1000000",
        },
    )
    press_on(page, "button[value=continue]")

    page.wait_for_url("**/vedlegg/")
    press_on(page, "a[href$='/se-over/']")
    page.wait_for_url("**/se-over/")
    press_on(page, "a[href$='/send-inn/']")
    page.wait_for_url("**/send-inn/")
    press_on(page, "#id_confirm", "Space")
    press_on(page, "button[data-submit-once]")
    page.wait_for_url("**/kvittering/")
    assert page.locator(".pilots-reference").inner_text().startswith("BVA-")
