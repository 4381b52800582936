"""The finder and a document page with a data table in headless Chromium, with axe."""

import datetime
from functools import partial

import pytest

from documents.models import DocumentType
from tests.conftest import assert_no_axe_violations
from tests.documents.helpers import (
    CENTRALITY_CAPTION,
    GUIDELINES_ATTACHMENT,
    centrality_table_page,
    guidelines_document,
)
from tests.factories.documents import DocumentIndexPageFactory, DocumentPageFactory
from tests.factories.policy import ContactPointFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def live_index(live_home):
    """ "Dokumenter" on the live server's site."""
    return DocumentIndexPageFactory(parent=live_home)


def test_finder_with_filters_applied(live_server, live_index, page):
    document = partial(DocumentPageFactory, parent=live_index)
    nou = document(
        title="Folketallet i bygdene",
        document_type=DocumentType.NOU,
        document_number="NOU 2020: 9",
        date=datetime.date(2020, 11, 20),
    )
    white_paper = document(
        title="Gode lokalsamfunn i hele landet",
        document_type=DocumentType.WHITE_PAPER,
        document_number="Meld. St. 7 (2019–2020)",
        date=datetime.date(2019, 10, 11),
    )
    # Each of these fails exactly one of the filters: målform, year, type.
    document(
        title="Ei utgreiing på nynorsk",
        language="nn",
        document_type=DocumentType.NOU,
        document_number="NOU 2021: 1",
        date=datetime.date(2021, 2, 1),
    )
    document(
        title="Ei eldre utredning",
        document_type=DocumentType.NOU,
        document_number="NOU 2018: 2",
        date=datetime.date(2018, 3, 1),
    )
    document(title="Rapport om bygdeavtaler", document_type=DocumentType.REPORT, date=datetime.date(2024, 2, 1))

    page.goto(live_server.url + live_index.url)
    assert_no_axe_violations(page)
    type_group = page.get_by_role("group", name="Dokumenttype")
    type_group.get_by_label("NOU").check()
    type_group.get_by_label("Melding til Stortinget").check()
    page.get_by_role("group", name="Målform").get_by_label("Bokmål").check()
    page.get_by_label("Fra år").select_option("2019")
    page.get_by_role("button", name="Vis dokumenter").click()
    page.wait_for_url("**/dokumenter/?*type=nou*")
    results = page.locator(".finder__list h3")
    assert sorted(results.all_inner_texts()) == sorted([nou.title, white_paper.title])
    assert page.get_by_role("heading", name="2 dokumenter").is_visible()
    assert page.locator('meta[name="robots"]').get_attribute("content") == "noindex, follow"
    assert page.get_by_label("NOU").is_checked()
    assert_no_axe_violations(page)


def test_finder_error_summary_is_accessible(live_server, live_index, page):
    DocumentPageFactory(parent=live_index)
    page.goto(live_server.url + live_index.url + "?type=ukjent&year_from=tjue")
    summary = page.locator("[data-error-summary]")
    assert summary.evaluate("el => el === document.activeElement")
    assert "Ukjent dokumenttype «ukjent» ble ignorert." in summary.inner_text()
    assert_no_axe_violations(page)


def test_document_page_with_sortable_data_table(live_server, live_index, page):
    document = centrality_table_page(live_index)
    page.goto(live_server.url + document.url)
    assert_no_axe_violations(page)
    table = page.get_by_role("table", name=CENTRALITY_CAPTION)
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


def test_nynorsk_document_page_with_attachment(live_server, live_index, page):
    unit = ContactPointFactory(email="lokalisering@departement.example")
    document = guidelines_document(live_index, contact_point=unit)
    page.goto(live_server.url + document.url)
    assert page.locator("html").get_attribute("lang") == "nn"
    assert page.get_by_role("link", name=f"{GUIDELINES_ATTACHMENT} (PDF, 3 KB, 6 sider)").is_visible()
    request = page.get_by_role("link", name=f"Be om tilgjengeleg versjon av «{GUIDELINES_ATTACHMENT}»")
    assert request.get_attribute("href").startswith("mailto:lokalisering@departement.example?")
    assert_no_axe_violations(page)
