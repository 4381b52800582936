"""Corrections and typing in headless Chromium: reopening a submitted application and
submitting it again, a conflict between two editors in two browser contexts with
nothing lost, the character count past the limit, the municipality picker by
keyboard, the warning before leaving unsaved changes, and axe with no sideways
scrolling at 1280 and 320 px on the new pages."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from pilots.models import Application
from tests.conftest import PHONE, signed_in_page
from tests.factories.pilots import ApplicationFactory, RoundFactory, municipality, submitted_application
from tests.factories.portal import MemberFactory
from tests.test_reflow import check

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
NEW_MEASURES = "Felles boligprogram, næringshage og et nytt pendlertilbud."


def path(name, application):
    return reverse(f"pilots:{name}", args=[application.round_id, application.pk])


def section(application, slug):
    return reverse("pilots:section", args=[application.round_id, application.pk, slug])


def test_reopen_change_and_resubmit_with_the_same_reference(live_home, live_server, browser):
    application = submitted_application()
    base = live_server.url
    for viewport in (DESKTOP, PHONE):
        page = signed_in_page(browser, live_server, application.created_by, viewport)
        page.goto(base + path("receipt", application))
        page.get_by_role("link", name="Endre søknaden").click()
        expect(page.get_by_role("heading", name=f"Endre søknaden {application.reference}")).to_be_visible()
        check(page)
        page.context.close()

    page = signed_in_page(browser, live_server, application.created_by, DESKTOP)
    page.goto(base + path("reopen", application))
    page.get_by_role("button", name="Endre søknaden").click()
    expect(page.get_by_text(f"Du endrer søknaden {application.reference}.")).to_be_visible()
    check(page)
    page.get_by_role("link", name="Prosjektet").click()
    page.get_by_label("Planlagte tiltak").fill(NEW_MEASURES)
    page.get_by_role("button", name="Lagre og fortsett").click()
    page.wait_for_url("**/budsjett/")
    page.get_by_role("button", name="Lagre og fortsett").click()
    page.wait_for_url("**/vedlegg/")
    draft = Application.objects.get(revision_of=application)
    page.goto(base + path("check_answers", draft))
    expect(page.get_by_role("heading", name="Endringer siden forrige innsending")).to_be_visible()
    expect(page.get_by_role("cell", name=NEW_MEASURES)).to_be_visible()
    page.get_by_role("link", name="Fortsett til erklæring og innsending").click()
    page.get_by_label(re.compile("Jeg bekrefter")).check()
    page.get_by_role("button", name="Send inn søknaden").click()
    page.wait_for_url("**/kvittering/")
    expect(page.get_by_text("Endringene er sendt inn.")).to_be_visible()
    expect(page.locator(".pilots-reference")).to_have_text(application.reference)
    expect(page.get_by_text(NEW_MEASURES)).to_be_visible()
    application.refresh_from_db()
    assert application.measures == NEW_MEASURES and application.snapshots.count() == 1
    page.context.close()


def test_conflict_between_two_editors_loses_nothing(live_home, live_server, browser):
    draft = ApplicationFactory(round=RoundFactory(), themes="Bolig")
    colleague = MemberFactory(application=draft).user
    url = live_server.url + section(draft, "prosjektet")
    mine = signed_in_page(browser, live_server, draft.created_by, DESKTOP)
    theirs = signed_in_page(browser, live_server, colleague, DESKTOP)
    mine.goto(url)
    theirs.goto(url)

    theirs.get_by_label("Tema").fill("Bolig og kollegaens næringstema")
    expect(theirs.locator("[data-autosave-status]")).to_have_text(re.compile(r"Lagret kl\."), timeout=10000)

    mine.get_by_label("Tema").fill("Bolig og mitt kompetansetema")
    status = mine.locator("[data-autosave-status]")
    expect(status).to_contain_text("Noen andre har endret søknaden", timeout=10000)
    expect(status).to_contain_text("«Tema»")
    mine.get_by_role("button", name="Lagre og fortsett").click()
    conflict = mine.get_by_role("group", name="Tema")
    expect(conflict.get_by_text("Bolig og kollegaens næringstema")).to_be_visible()
    expect(conflict.get_by_text("Bolig og mitt kompetansetema")).to_be_visible()
    assert mine.locator("#id_themes").input_value() == "Bolig og mitt kompetansetema"
    check(mine)
    mine.set_viewport_size(PHONE)
    check(mine)
    mine.set_viewport_size(DESKTOP)
    assert Application.objects.get(pk=draft.pk).themes == "Bolig og kollegaens næringstema"

    # Saving without a choice is refused; then keeping mine saves it.
    mine.get_by_role("button", name="Lagre og fortsett").click()
    expect(mine.get_by_text("Velg hvilken verdi du vil beholde for «Tema».")).to_be_visible()
    mine.get_by_role("radio", name=re.compile("Behold det du skrev")).check()
    mine.get_by_role("button", name="Lagre og fortsett").click()
    mine.wait_for_url("**/budsjett/")
    assert Application.objects.get(pk=draft.pk).themes == "Bolig og mitt kompetansetema"
    mine.context.close()
    theirs.context.close()


def test_character_count_past_the_limit_is_told_and_never_cut(live_home, live_server, browser):
    draft = ApplicationFactory(round=RoundFactory())
    page = signed_in_page(browser, live_server, draft.created_by, DESKTOP)
    page.goto(live_server.url + section(draft, "prosjektet"))
    summary = page.get_by_label("Kort sammendrag")
    text = "Sammendrag med mange ord. " * 23 + "Slutt."  # 604 characters
    summary.fill(text)
    counter = page.locator('[data-counter-for="id_summary"]')
    expect(counter).to_have_attribute("data-label", f"Du har {len(text) - 500} tegn for mye")
    expect(page.locator('[data-counter-live="id_summary"]')).to_have_text(f"Du har {len(text) - 500} tegn for mye")
    assert summary.input_value() == text
    page.get_by_role("button", name="Lagre og fortsett").click()
    summary_box = page.locator("[data-error-summary]")
    expect(summary_box).to_contain_text(f"Du har {len(text) - 500} tegn for mye")
    assert page.get_by_label("Kort sammendrag").input_value() == text
    check(page)
    page.context.close()


def test_municipality_picker_finds_tana_by_keyboard(live_home, live_server, browser):
    draft = ApplicationFactory(round=RoundFactory(), municipalities=["1151"])
    for viewport in (DESKTOP, PHONE):
        page = signed_in_page(browser, live_server, draft.created_by, viewport)
        page.goto(live_server.url + section(draft, "kommuner"))
        lead = page.get_by_role("combobox", name="Søkerkommune")
        expect(lead).to_have_value("Utsira (1151)")
        lead.focus()
        page.keyboard.press("Control+A")
        page.keyboard.type("Tana")
        listbox = page.get_by_role("listbox")
        expect(listbox.get_by_role("option", name="Deatnu - Tana (5628)")).to_be_visible()
        check(page)  # with the list open
        page.keyboard.press("ArrowDown")
        expect(lead).to_have_attribute("aria-activedescendant", re.compile(".+"))
        page.keyboard.press("Enter")
        expect(lead).to_have_value("Deatnu - Tana (5628)")
        expect(listbox).to_be_hidden()
        page.context.close()

    page = signed_in_page(browser, live_server, draft.created_by, DESKTOP)
    page.goto(live_server.url + section(draft, "kommuner"))
    partner = page.get_by_role("combobox", name=re.compile(r"^Samarbeidskommune 1 "))
    partner.focus()
    page.keyboard.type("Guovdageaidnu")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    lead = page.get_by_role("combobox", name="Søkerkommune")
    lead.fill("Deatnu")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Lagre og fortsett").click()
    page.wait_for_url("**/kontaktperson/")
    draft.refresh_from_db()
    assert draft.lead == municipality("5628")
    assert [m.number for m in draft.partners] == ["5612"]  # Guovdageaidnu - Kautokeino
    page.context.close()


def test_warning_before_leaving_unsaved_changes_but_not_when_saving(live_home, live_server, browser):
    draft = ApplicationFactory(round=RoundFactory())
    page = signed_in_page(browser, live_server, draft.created_by, DESKTOP)
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.accept()

    page.on("dialog", answer)
    page.goto(live_server.url + section(draft, "kontaktperson"))
    page.goto(live_server.url + path("task_list", draft))  # nothing changed: no warning
    assert dialogs == []
    page.goto(live_server.url + section(draft, "kontaktperson"))
    page.get_by_label("Stilling").fill("Prosjektleder")
    page.goto(live_server.url + path("task_list", draft))
    assert dialogs == ["beforeunload"]
    page.goto(live_server.url + section(draft, "kontaktperson"))
    page.get_by_label("Stilling").fill("Rådgiver")
    page.get_by_role("button", name="Lagre og gå tilbake til oppgavelisten").click()
    page.wait_for_url("**" + path("task_list", draft))
    assert dialogs == ["beforeunload"]
    page.context.close()


def test_start_delete_and_discard_pages_pass_axe(live_home, live_server, browser):
    round = RoundFactory()
    draft = ApplicationFactory(round=round, title="Mitt første utkast")
    for viewport in (DESKTOP, PHONE):
        page = signed_in_page(browser, live_server, draft.created_by, viewport)
        page.goto(live_server.url + reverse("pilots:start", args=[round.pk]))
        page.get_by_role("button", name="Fortsett").click()
        expect(page.locator("[data-error-summary]")).to_contain_text("Velg om du vil fortsette et utkast")
        check(page)
        page.get_by_role("radio", name="Fortsett utkastet «Mitt første utkast»").check()
        page.get_by_role("button", name="Fortsett").click()
        page.wait_for_url("**" + path("task_list", draft))
        page.get_by_role("link", name="Slett utkastet").click()
        expect(page.get_by_role("heading", name="Vil du slette utkastet «Mitt første utkast»?")).to_be_visible()
        check(page)
        page.context.close()
    page = signed_in_page(browser, live_server, draft.created_by, DESKTOP)
    page.goto(live_server.url + path("delete_draft", draft))
    page.get_by_role("button", name="Ja, slett utkastet").click()
    expect(page.get_by_text("Utkastet «Mitt første utkast» er slettet.")).to_be_visible()
    assert not Application.objects.filter(pk=draft.pk).exists()
    page.context.close()
