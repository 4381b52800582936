"""Document pages, attachments, data tables and the topic page section (file serving: test_embargo.py)."""

import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from documents.models import DocumentAttachment, DocumentIndexPage, DocumentPage, DocumentType
from documents.tables import MAX_ROWS, read_table
from tests.documents.helpers import (
    CENTRALITY_CAPTION,
    CENTRALITY_CSV,
    CENTRALITY_SOURCE,
    GUIDELINES_ATTACHMENT,
    centrality_table_page,
)
from tests.factories.documents import DocumentFactory
from tests.factories.pdf import text_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def table_page(library):
    return centrality_table_page(library.index)


def test_page_types_live_where_they_belong(library):
    home, index = library.home, library.index
    assert DocumentIndexPage.can_create_at(home) is False  # only one
    assert DocumentPage.can_create_at(index)
    assert not DocumentPage.can_create_at(home)
    assert not DocumentPage.can_create_at(library.topics.region)


@pytest.mark.parametrize(
    ("doc_type", "number", "error"),
    [
        (DocumentType.WHITE_PAPER, "", "Skriv dokumentnummeret"),
        (DocumentType.WHITE_PAPER, "St.meld. 5", "Meld. St. 5 (2019–2020)"),
        (DocumentType.WHITE_PAPER, "Meld. St. 5 (2019–2021)", "to år etter hverandre"),
        (DocumentType.NOU, "NOU 2020-15", "NOU 2020: 15"),
        (DocumentType.REPORT, "R-1/2020", "har ikke dokumentnummer"),
    ],
)
def test_document_number_is_validated_per_type(doc_type, number, error):
    page = DocumentPage(title="T", slug="t", document_type=doc_type, document_number=number, date="2020-01-01")
    with pytest.raises(ValidationError) as exc:
        page.clean()
    assert error in str(exc.value.message_dict["document_number"])


def test_document_number_accepts_hyphen_and_stores_en_dash():
    page = DocumentPage(
        title="T",
        slug="t",
        document_type=DocumentType.PROPOSITION,
        document_number="Prop. 1  S (2022-2023)",
        date="2022-10-06",
    )
    page.clean()
    assert page.document_number == "Prop. 1 S (2022–2023)"


def test_nynorsk_document_page_with_attachment_label_and_request_link(library, client):
    response = client.get(library.guidelines.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="nn"' in html
    assert "Fastsett i statsråd 12.08.2022." in html
    assert "Utgjevar" in html
    # The six-page PDF from tests/documents/helpers.py is 3,292 bytes.
    assert f"{GUIDELINES_ATTACHMENT} (PDF, 3 KB, 6 sider)" in html
    assert (
        'href="mailto:lokalisering@departement.example?subject=Tilgjengeleg%20versjon%20av%20%C2%ABRetningslinjer%C2%BB'
        in html
    )
    assert "Be om tilgjengeleg versjon" in html


def test_request_link_goes_to_the_contact_points_email(library, client):
    page = library.mountain_index
    page.contact_point.email = "regional@kdd.example"
    page.contact_point.save()
    html = client.get(page.url).content.decode()
    assert 'href="mailto:regional@kdd.example?subject=Tilgjengelig%20versjon' in html


def test_request_link_without_a_unit_goes_to_the_ministry(library, client, settings):
    settings.DEFAULT_FROM_EMAIL = "Departementet <post@departement.example>"
    page = library.mountain_index
    page.contact_point = None
    page.save()
    html = client.get(page.url).content.decode()
    assert 'href="mailto:post@departement.example?subject=Tilgjengelig%20versjon' in html


def attach(page, document, title, capture):
    with capture(execute=True):
        page.attachments.add(DocumentAttachment(document=document, title=title))
        page.save_revision().publish()


def test_unreadable_pdf_still_renders_label_without_pages(library, client, django_capture_on_commit_callbacks):
    page = library.mountain_index
    with django_capture_on_commit_callbacks(execute=True):
        broken = DocumentFactory(title="Ødelagt", filename="odelagt.pdf", data=b"%PDF-1.7\n1 0 obj << /Type /Catalog")
    attach(page, broken, "Vedlegg som ikke kan leses", django_capture_on_commit_callbacks)
    html = client.get(page.url).content.decode()
    assert "Vedlegg som ikke kan leses (PDF, 34 byte)" in html


def test_page_count_appears_once_the_facts_are_read(library, client, django_capture_on_commit_callbacks):
    page = library.mountain_index
    with django_capture_on_commit_callbacks(execute=False) as pending:
        document = DocumentFactory(title="Vedlegg", filename="vedlegg.pdf", data=text_pdf("Vedlegg", [["a"], ["b"]]))
    attach(page, document, "Nytt vedlegg", django_capture_on_commit_callbacks)
    assert "Nytt vedlegg (PDF, 1 KB)</a>" in client.get(page.url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        for callback in pending:
            callback()  # the worker reads the file later; the cached page is purged
    assert "Nytt vedlegg (PDF, 1 KB, 2 sider)</a>" in client.get(page.url).content.decode()


def test_chapters_with_table_of_contents(library, client):
    html = client.get(library.mountain_index.url).content.decode()
    for text in [
        "Fjellindeksen rangerer kommunene etter hvor nær de ligger fjellet.",
        "Høyde over havet (50 prosent)",
        "Avstand til nærmeste fjelltopp (30 prosent)",
        "Lengde på merkede stier (20 prosent)",
        "de høyeste verdiene ligger nærmest fjellet",
    ]:
        assert text in html
    assert '<nav class="document__toc"' in html
    assert 'href="#kapittel-hva-er-fjellindeksen"' in html
    assert 'href="#kapittel-tre-indikatorer"' in html
    assert 'href="#kapittel-slik-leser-du-indeksen"' in html and 'id="kapittel-slik-leser-du-indeksen"' in html


def test_data_table_from_an_uploaded_csv(table_page, client):
    html = client.get(table_page.url).content.decode()
    assert '<table class="ds-table" data-sortable' in html
    assert "<caption" in html and CENTRALITY_CAPTION in html
    assert '<th scope="col">Sentralitetsklasse</th>' in html
    assert '<th scope="row">Oslo</th><td>0301</td><td>1000</td><td>1</td>' in html
    assert '<th scope="row">Utsira</th><td>1151</td><td>293</td><td>6</td>' in html
    assert html.count('<th scope="row">') == 4
    assert CENTRALITY_SOURCE in html
    assert f"Last ned tabellen (CSV, {len(CENTRALITY_CSV)} byte)" in html
    assert "table-sort.js" in html


def test_table_is_parsed_once_and_then_read_from_cache():
    document = DocumentFactory(title="Liten", filename="liten.csv", data=b"Kommune,Klasse\nUtsira,6\n")
    assert read_table(document).rows == [["Kommune", "Klasse"], ["Utsira", "6"]]
    document.file.delete(save=False)  # the cached rows no longer need the file
    assert read_table(document).rows == [["Kommune", "Klasse"], ["Utsira", "6"]]


def test_csv_with_semicolons_and_truncation():
    rows = "\n".join(f"Kommune {i};{i},5" for i in range(MAX_ROWS + 50))
    document = DocumentFactory(title="Stor", filename="stor.csv", data=("Navn;Verdi\n" + rows).encode("utf-8"))
    table = read_table(document)
    assert table.rows[0] == ["Navn", "Verdi"]
    assert table.rows[1] == ["Kommune 0", "0,5"]
    assert len(table.rows) == MAX_ROWS and table.truncated


def test_xlsx_table():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Kommune", "Andel"])
    sheet.append(["Utsira", 0.25])
    sheet.append(["Oslo", 12])
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_table(DocumentFactory(title="Ark", filename="ark.xlsx", data=buffer.getvalue()))
    assert table.rows == [["Kommune", "Andel"], ["Utsira", "0,25"], ["Oslo", "12"]]


def test_broken_table_file_shows_a_message_not_an_error(table_page, client):
    table_file = table_page.body[0].value["file"]
    broken = DocumentFactory(title="Ødelagt regneark", filename="odelagt.xlsx", data=b"PK\x03\x04 not really a zip")
    body = table_page.body.raw_data
    body[0]["value"]["file"] = broken.pk
    table_page.body = body
    table_page.save_revision().publish()
    response = client.get(table_page.url)
    assert response.status_code == 200
    assert "Tabellen kunne ikke leses." in response.content.decode()
    assert table_file.pk != broken.pk


def test_topic_page_lists_latest_documents_and_links_to_finder(library, client):
    village = library.topics.village
    html = client.get(village.url).content.decode()
    assert 'id="topic-documents-heading"' in html and ">Dokument<" in html  # nynorsk label
    assert library.report.title in html and library.consultation.title in html
    assert f'href="/dokumenter/?topic={village.slug}"' in html
    html = client.get(library.topics.region.url).content.decode()
    section = html.split('id="topic-documents-heading"')[1].split("</section>")[0]
    # The latest five, newest first, the sub-topic's report among them.
    latest = [library.allocation_letter, library.report, library.circular, library.statistics, library.plan]
    assert section.count("<h3") == 5
    positions = [section.index(f">{page.title}</a>") for page in latest]
    assert positions == sorted(positions)


def test_pages_have_no_inline_script_or_style(library, table_page, client):
    for url in [library.guidelines.url, library.mountain_index.url, table_page.url, "/dokumenter/?type=nou"]:
        html = client.get(url).content.decode()
        assert "<style" not in html and " style=" not in html, url
        for chunk in html.split("<script")[1:]:
            assert chunk.lstrip().startswith("src="), url
