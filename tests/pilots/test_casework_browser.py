"""The case-handling flow in headless Chromium on the Wagtail admin: a decision
maker signs in, filters the list, opens an application, scores it, shortlists it,
chooses pilots in the portfolio and releases the decisions (the release form by
keyboard alone); the applicants get one e-mail each."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import expect

from pilots.casework import services
from pilots.models import Application, DecisionNotice
from tests.factories.casework import write_letters
from tests.factories.pilots import RoundFactory, criteria, staff, submitted_application
from tests.factories.policy import UserFactory, give_admin_code, totp_device

pytestmark = pytest.mark.browser
S = Application.Status


def case(round, email, municipalities, title, status):
    return submitted_application(
        round=round, created_by=UserFactory(email=email), municipalities=municipalities, title=title, status=status
    )


@pytest.fixture
def cases(live_home):
    """Three applications in Rogaland (the two that end up on the shortlist name three
    municipalities between them), a round with four criteria and room for five
    pilots, and a decision maker who signs in with a password."""
    round = RoundFactory(max_pilots=5)
    forankring, *_ = criteria(round)
    shortlisted = case(round, "a@kommune.example", ["1151", "1101"], "Fjellbygd", S.SHORTLISTED)
    assessed = case(round, "b@kommune.example", ["1111"], "Kystkultur", S.IN_ASSESSMENT)
    other = case(round, "c@kommune.example", ["1134"], "Fjordlag", S.IN_ASSESSMENT)
    services.save_review(other, staff("Saksbehandler"), forankring, 2)  # assessed, so «ikke valgt» for the rest
    case(round, "d@kommune.example", ["1144"], "Nyinnkommet", S.SUBMITTED)  # not assessed: left alone
    write_letters([shortlisted, assessed, other])
    totp_device(staff("Beslutter", username="beslutter"))  # the app for the second factor
    return {"round": round, "shortlisted": shortlisted, "assessed": assessed, "other": other}


def sign_in(page, base_url):
    page.goto(base_url + "/admin/login/")
    page.fill("#id_username", "beslutter")
    page.fill("#id_password", "passord-123")
    page.keyboard.press("Enter")
    give_admin_code(page, totp_device(get_user_model().objects.get(username="beslutter")))
    page.wait_for_url(base_url + "/admin/")


def test_from_list_to_release(live_server, cases, page):
    base = live_server.url
    sign_in(page, base)
    expect(page.get_by_text("Søknader om bygdevekstavtale")).to_be_visible()  # dashboard statistics

    page.goto(base + f"/admin/soknader/?status=in_assessment&round={cases['round'].pk}")
    link = page.get_by_role("link", name=cases["assessed"].reference)
    expect(link).to_be_visible()
    expect(page.get_by_text("Fjellbygd")).to_have_count(0)
    link.click()
    page.wait_for_url(re.compile(r".*/inspect/\d+/"))
    expect(page.get_by_role("heading", name="Status: Til vurdering")).to_be_visible()

    for name, score in (("Forankring", "4"), ("Overføringsverdi", "5")):
        page.locator("fieldset", has_text=name).get_by_label("Poeng (1–5)").select_option(score)
    page.get_by_role("button", name="Lagre vurderingen").click()
    expect(page.get_by_text("Vurderingen er lagret (2 kriterier).")).to_be_visible()

    page.get_by_label("Ny status").select_option(label="Aktuell (kortliste)")
    page.get_by_label("Merknad (valgfri, kommer i historikken)").fill("Sterk søknad")
    page.get_by_role("button", name="Endre status").click()
    expect(page.get_by_text("Status er endret til «Aktuell (kortliste)».")).to_be_visible()
    expect(
        page.get_by_text("Status endret fra «Til vurdering» til «Aktuell (kortliste)»: Sterk søknad")
    ).to_be_visible()

    page.get_by_role("link", name="Til porteføljen").click()
    expect(page.get_by_text("0 av høyst 5")).to_be_visible()
    county_table = page.get_by_role("table", name=re.compile("Søknader per fylke"))
    # Rogaland: none chosen yet, two shortlisted, three municipalities.
    expect(county_table.get_by_role("row", name="Rogaland 0 2 3", exact=True)).to_be_visible()
    for application in (cases["shortlisted"], cases["assessed"]):
        page.get_by_role("button", name=f"Velg {application.reference}").click()
    expect(page.get_by_text("2 av høyst 5")).to_be_visible()
    page.get_by_role("link", name="Sett «ikke valgt» på resten …").click()
    expect(page.get_by_role("heading", name="1 søknad blir forberedt som «ikke valgt»")).to_be_visible()
    expect(page.get_by_role("heading", name="Ikke vurdert, blir ikke endret (1)")).to_be_visible()
    page.get_by_role("button", name="Sett «ikke valgt» på 1 søknad").click()
    expect(page.get_by_text("1 søknad er forberedt som «ikke valgt».")).to_be_visible()

    # The release form, by keyboard alone.
    mail.outbox.clear()
    checkbox = page.get_by_label(re.compile("Jeg vil frigi 3 vedtak nå"))
    checkbox.focus()
    page.keyboard.press("Space")
    expect(checkbox).to_be_checked()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Frigi vedtakene"
    page.keyboard.press("Enter")
    expect(page.get_by_text("3 vedtak er frigitt.")).to_be_visible()

    assert DecisionNotice.objects.filter(sent_at__isnull=False).count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == ["a@kommune.example", "b@kommune.example", "c@kommune.example"]
    assert set(Application.objects.filter(title__in=["Fjellbygd", "Kystkultur"]).values_list("status", flat=True)) == {
        "selected"
    }
