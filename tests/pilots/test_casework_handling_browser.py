"""Case handling in headless Chromium at 1280 px: the refusal of a sixth pilot shows
where the decision maker is looking, «ikke valgt» for the rest asks first with the
list, and assigning and declaring disqualification on the inspect page; axe finds
nothing on these pages."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from pilots.casework import services
from pilots.models import Application, CaseAssignment, Criterion, Disqualification
from tests.conftest import assert_no_axe_violations
from tests.factories.pilots import RoundFactory, staff, submitted_application
from tests.factories.policy import give_admin_code, totp_device

pytestmark = pytest.mark.browser
S = Application.Status
LEADS = ["1111", "1112", "1133", "1134", "1135", "1144", "1145"]  # class 5 and 6 in SSB's 2023 index


@pytest.fixture
def round_with_shortlist(live_home):
    """Seven shortlisted applications in a round with room for five pilots, five of
    them already chosen; two more that are not assessed; a decision maker with the app
    for the second factor."""
    round = RoundFactory(max_pilots=5)
    maker = staff("Beslutter", username="beslutter", first_name="Berit", last_name="Sjef")
    totp_device(maker)
    shortlist = [
        submitted_application(round=round, municipalities=[lead], title=f"Prosjekt {n}", status=S.SHORTLISTED)
        for n, lead in enumerate(LEADS)
    ]
    for application in shortlist[:5]:
        services.set_decision(application, "selected", maker)
    fresh = submitted_application(round=round, municipalities=["1151"], title="Nyinnkommet")
    return {"round": round, "shortlist": shortlist, "fresh": fresh}


def sign_in(page, base_url):
    page.goto(base_url + "/admin/login/")
    page.fill("#id_username", "beslutter")
    page.fill("#id_password", "passord-123")
    page.keyboard.press("Enter")
    give_admin_code(page, totp_device(get_user_model().objects.get(username="beslutter")))
    page.wait_for_url(base_url + "/admin/")


def assert_no_axe_violations_once_shown(page):
    """Wagtail fades its messages in; axe measures their contrast once fully shown."""
    page.wait_for_function(
        """() => [...document.querySelectorAll('.messages li')].every((li) => {
            for (let e = li; e; e = e.parentElement) if (getComputedStyle(e).opacity !== '1') return false;
            return true;
        })"""
    )
    assert_no_axe_violations(page)


def test_the_sixth_pilot_refusal_is_in_view(live_server, round_with_shortlist, page):
    base = live_server.url
    sign_in(page, base)
    sixth = round_with_shortlist["shortlist"][5]
    page.goto(base + f"/admin/soknader/portefolje/?round={round_with_shortlist['round'].pk}")
    expect(page.get_by_text("5 av høyst 5")).to_be_visible()

    button = page.get_by_role("button", name=f"Velg {sixth.reference}", exact=True)
    button.scroll_into_view_if_needed()
    button.click()
    page.wait_for_url(re.compile(rf".*#vedtak-feil-{sixth.pk}$"))
    refusal = page.locator(f"#vedtak-feil-{sixth.pk}")
    expect(refusal).to_contain_text("Utlysingen kan ha høyst 5 piloter")
    expect(refusal).to_be_in_viewport()
    expect(refusal).to_be_focused()
    # It is in the row of the application that was refused.
    expect(page.locator(f"#soknad-{sixth.pk}")).to_contain_text("Utlysingen kan ha høyst 5 piloter")
    assert Application.objects.get(pk=sixth.pk).decision == ""
    assert_no_axe_violations_once_shown(page)


def test_not_selected_for_the_rest_asks_first(live_server, round_with_shortlist, page):
    base = live_server.url
    sign_in(page, base)
    rest = round_with_shortlist["shortlist"][5:]
    fresh = round_with_shortlist["fresh"]
    page.goto(base + f"/admin/soknader/portefolje/?round={round_with_shortlist['round'].pk}")
    page.get_by_role("link", name="Sett «ikke valgt» på resten …").click()

    expect(page.get_by_role("heading", name="2 søknader blir forberedt som «ikke valgt»")).to_be_visible()
    marked = page.get_by_role("table", name="Søknader som blir forberedt som «ikke valgt»")
    for application in rest:
        expect(marked.get_by_role("link", name=application.reference)).to_be_visible()
    left_alone = page.get_by_role("table", name="Søknader som ikke er vurdert og ikke blir endret")
    expect(left_alone.get_by_role("link", name=fresh.reference)).to_be_visible()
    expect(left_alone).to_contain_text("Sendt inn")
    assert_no_axe_violations_once_shown(page)
    assert not Application.objects.filter(decision="not_selected").exists()

    page.get_by_role("button", name="Sett «ikke valgt» på 2 søknader").click()
    expect(page.get_by_text("2 søknader er forberedt som «ikke valgt».")).to_be_visible()
    assert set(Application.objects.filter(decision="not_selected").values_list("pk", flat=True)) == {a.pk for a in rest}
    assert Application.objects.get(pk=fresh.pk).decision == ""


def test_assign_and_declare_disqualified_on_the_inspect_page(live_server, round_with_shortlist, page):
    base = live_server.url
    staff("Saksbehandler", first_name="Kari", last_name="Lie")
    case = round_with_shortlist["fresh"]
    Criterion.objects.create(round=case.round, name="Forankring")
    sign_in(page, base)
    page.goto(base + f"/admin/soknader/inspect/{case.pk}/")
    expect(page.get_by_role("heading", name="Saksbehandler: ikke tildelt")).to_be_visible()
    page.get_by_label("Tildel saken til").select_option(label="Kari Lie")
    page.get_by_role("button", name="Lagre tildelingen").click()
    expect(page.get_by_role("heading", name="Saksbehandler: Kari Lie")).to_be_visible()
    assert CaseAssignment.objects.get(application=case).handler.first_name == "Kari"
    assert_no_axe_violations_once_shown(page)

    page.get_by_label("Begrunnelse (valgfri, vises for andre saksbehandlere)").fill("Søsteren min leder prosjektet")
    page.get_by_label("Jeg er inhabil i denne saken").check()
    page.get_by_role("button", name="Erklær meg inhabil").click()
    expect(page.get_by_text("Du er registrert som inhabil i saken.")).to_be_visible()
    expect(page.get_by_text("Du har erklært deg inhabil i saken.")).to_be_visible()
    expect(page.get_by_role("heading", name="Vurderinger")).to_have_count(0)
    expect(page.get_by_role("button", name="Lagre vurderingen")).to_have_count(0)
    assert Disqualification.objects.filter(application=case, person__username="beslutter").exists()
    assert_no_axe_violations_once_shown(page)
