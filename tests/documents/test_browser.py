"""The finder and a document page with a data table in headless Chromium, with axe."""

import pytest

from tests.conftest import assert_no_axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def documents_live_site(transactional_db, live_server, django_capture_on_commit_callbacks):
    """A live server with the policy tree and the documents demo."""
    from wagtail.models import Site

    from documents.demo import load_documents_demo
    from policy.demo import load_policy_tree

    load_documents_demo(load_policy_tree())
    site = Site.objects.get(is_default_site=True)
    host, port = live_server.url.removeprefix("http://").split(":")
    site.hostname, site.port = host, int(port)
    site.save()
    return live_server


def test_finder_with_filters_applied(documents_live_site, page):
    page.goto(documents_live_site.url + "/dokumenter/")
    assert_no_axe_violations(page)
    type_group = page.get_by_role("group", name="Dokumenttype")
    type_group.get_by_label("NOU").check()
    type_group.get_by_label("Melding til Stortinget").check()
    page.get_by_role("group", name="Målform").get_by_label("Bokmål").check()
    page.get_by_label("Fra år").select_option("2019")
    page.get_by_role("button", name="Vis dokumenter").click()
    page.wait_for_url("**/dokumenter/?*type=nou*")
    results = page.locator(".finder__list h3")
    assert sorted(results.all_inner_texts()) == [
        "Det handler om Norge — Utredning om konsekvenser av demografiutfordringer i distriktene",
        "Levende lokalsamfunn for fremtiden — Distriktsmeldingen",
    ]
    assert page.get_by_role("heading", name="2 dokumenter").is_visible()
    assert page.locator('meta[name="robots"]').get_attribute("content") == "noindex, follow"
    assert page.get_by_label("NOU").is_checked()
    assert_no_axe_violations(page)


def test_finder_error_summary_is_accessible(documents_live_site, page):
    page.goto(documents_live_site.url + "/dokumenter/?type=ukjent&year_from=tjue")
    summary = page.locator("[data-error-summary]")
    assert summary.evaluate("el => el === document.activeElement")
    assert "Ukjent dokumenttype «ukjent» ble ignorert." in summary.inner_text()
    assert_no_axe_violations(page)


def test_document_page_with_sortable_data_table(documents_live_site, page):
    page.goto(documents_live_site.url + "/dokumenter/sentralitetsindeksen-2023-kommuner/")
    assert_no_axe_violations(page)
    table = page.get_by_role(
        "table", name="Sentralitetsindeks og sentralitetsklasse per kommune (kommuneinndeling 2024)"
    )
    first_cell = table.locator("tbody tr").first.locator("th")
    assert first_cell.inner_text() == "Oslo"

    sort = table.get_by_role("button", name="Sentralitetsindeks 2023")
    sort.focus()
    page.keyboard.press("Enter")
    header = table.locator("thead th").nth(2)
    assert header.get_attribute("aria-sort") == "ascending"
    assert first_cell.inner_text() == "Utsira"  # the lowest index value, 293
    sort.click()
    assert header.get_attribute("aria-sort") == "descending"
    assert first_cell.inner_text() == "Oslo"
    assert_no_axe_violations(page)


def test_nynorsk_document_page_with_attachment(documents_live_site, page):
    page.goto(documents_live_site.url + "/dokumenter/retningslinjer-lokalisering-statlege-arbeidsplassar/")
    assert page.locator("html").get_attribute("lang") == "nn"
    assert page.get_by_role("link", name="Retningslinjer (PDF, 4 KB, 6 sider)").is_visible()
    request = page.get_by_role("link", name="Be om tilgjengeleg versjon av «Retningslinjer»")
    assert request.get_attribute("href").startswith("mailto:")
    assert_no_axe_violations(page)
