"""Document pages, attachments, data tables, file serving and the topic page section."""

import io
from urllib.parse import unquote

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from openpyxl import Workbook
from wagtail.documents import get_document_model

from documents.models import DocumentAttachment, DocumentIndexPage, DocumentPage, DocumentType
from documents.pdfgen import text_pdf
from documents.tables import MAX_ROWS, read_table
from policy.models import HomePage, TopicPage
from tests.documents.helpers import upload

pytestmark = pytest.mark.django_db

GUIDELINES = "/dokumenter/retningslinjer-lokalisering-statlege-arbeidsplassar/"
INDEX_PAGE = "/dokumenter/distriktsindeksen-2022/"
TABLE_PAGE = "/dokumenter/sentralitetsindeksen-2023-kommuner/"


def test_page_types_live_where_they_belong(documents_site):
    index = DocumentIndexPage.objects.get()
    assert DocumentIndexPage.can_create_at(documents_site) is False  # only one
    assert DocumentPage.can_create_at(index)
    assert not DocumentPage.can_create_at(documents_site)
    assert not DocumentPage.can_create_at(TopicPage.objects.first())


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


def test_nynorsk_document_page_with_attachment_label_and_request_link(documents_site, client):
    response = client.get(GUIDELINES)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="nn"' in html
    assert "Fastsett ved kgl.res. 12.08.2022" in html
    assert "Utgjevar" in html
    # The demo PDF has six pages; its size is a few KB.
    assert "Retningslinjer (PDF, 4 KB, 6 sider)" in html
    assert 'href="mailto:postmottak@kdd.dep.no?subject=Tilgjengeleg%20versjon%20av%20%C2%ABRetningslinjer%C2%BB' in html
    assert "Be om tilgjengeleg versjon" in html


def test_request_link_goes_to_the_contact_points_email(documents_site, client):
    page = DocumentPage.objects.get(slug="distriktsindeksen-2022")
    page.contact_point.email = "regional@kdd.example"
    page.contact_point.save()
    html = client.get(INDEX_PAGE).content.decode()
    assert 'href="mailto:regional@kdd.example?subject=Tilgjengelig%20versjon' in html


def attach(page, document, title, capture):
    with capture(execute=True):
        page.attachments.add(DocumentAttachment(document=document, title=title))
        page.save_revision().publish()


def test_unreadable_pdf_still_renders_label_without_pages(documents_site, client, django_capture_on_commit_callbacks):
    page = DocumentPage.objects.get(slug="distriktsindeksen-2022")
    with django_capture_on_commit_callbacks(execute=True):
        broken = upload("Ødelagt", "odelagt.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog")
    attach(page, broken, "Vedlegg som ikke kan leses", django_capture_on_commit_callbacks)
    html = client.get(INDEX_PAGE).content.decode()
    assert "Vedlegg som ikke kan leses (PDF, 34 byte)" in html


def test_page_count_appears_once_the_facts_are_read(documents_site, client, django_capture_on_commit_callbacks):
    page = DocumentPage.objects.get(slug="distriktsindeksen-2022")
    with django_capture_on_commit_callbacks(execute=False) as pending:
        document = upload("Vedlegg", "vedlegg.pdf", text_pdf("Vedlegg", [["a"], ["b"]]))
    attach(page, document, "Nytt vedlegg", django_capture_on_commit_callbacks)
    assert "Nytt vedlegg (PDF, 1 KB)</a>" in client.get(INDEX_PAGE).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        for callback in pending:
            callback()  # the worker reads the file later; the cached page is purged
    assert "Nytt vedlegg (PDF, 1 KB, 2 sider)</a>" in client.get(INDEX_PAGE).content.decode()


def test_distriktsindeksen_page_explains_the_index_with_table_of_contents(documents_site, client):
    html = client.get(INDEX_PAGE).content.decode()
    for text in [
        "SSBs sentralitetsindeks (40 prosent)",
        "Befolkningsvekst siste ti år (40 prosent)",
        "Sysselsettingsvekst siste ti år (10 prosent)",
        "Ensidig næringsstruktur",
        "de laveste verdiene har de største distriktsutfordringene",
    ]:
        assert text in html
    assert '<nav class="document__toc"' in html
    assert 'href="#kapittel-de-fire-indikatorene"' in html
    assert 'href="#kapittel-slik-leser-du-indeksen"' in html and 'id="kapittel-slik-leser-du-indeksen"' in html
    # The published examples are test data: never shown as the index.
    for value in ["79,6", "79.6", "Røyrvik", "88,3"]:
        assert value not in html


def test_centrality_table_from_reference_data(documents_site, client):
    html = client.get(TABLE_PAGE).content.decode()
    assert '<table class="ds-table" data-sortable' in html
    assert "<caption" in html and "Sentralitetsindeks og sentralitetsklasse per kommune" in html
    assert '<th scope="col">Sentralitetsklasse</th>' in html
    assert '<th scope="row">Oslo</th><td>0301</td><td>1000</td><td>1</td>' in html
    assert '<th scope="row">Utsira</th><td>1151</td><td>293</td><td>6</td>' in html
    assert html.count('<th scope="row">') == 357
    assert "Kilde: Statistisk sentralbyrå (SSB), sentralitetsindeksen 2023" in html
    assert "Last ned tabellen (CSV, 10 KB)" in html
    assert "table-sort.js" in html


def test_table_is_parsed_once_and_then_read_from_cache(db):
    document = upload("Liten", "liten.csv", b"Kommune,Klasse\nUtsira,6\n")
    assert read_table(document).rows == [["Kommune", "Klasse"], ["Utsira", "6"]]
    document.file.delete(save=False)  # the cached rows no longer need the file
    assert read_table(document).rows == [["Kommune", "Klasse"], ["Utsira", "6"]]


def test_csv_with_semicolons_and_truncation():
    rows = "\n".join(f"Kommune {i};{i},5" for i in range(MAX_ROWS + 50))
    document = upload("Stor", "stor.csv", ("Navn;Verdi\n" + rows).encode("utf-8"))
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
    table = read_table(upload("Ark", "ark.xlsx", buffer.getvalue()))
    assert table.rows == [["Kommune", "Andel"], ["Utsira", "0,25"], ["Oslo", "12"]]


def test_broken_table_file_shows_a_message_not_an_error(documents_site, client):
    page = DocumentPage.objects.get(slug="sentralitetsindeksen-2023-kommuner")
    document = get_document_model().objects.get(title__startswith="Sentralitetsindeksen")
    broken = upload("Ødelagt regneark", "odelagt.xlsx", b"PK\x03\x04 not really a zip")
    body = page.body.raw_data
    body[0]["value"]["file"] = broken.pk
    page.body = body
    page.save_revision().publish()
    response = client.get(TABLE_PAGE)
    assert response.status_code == 200
    assert "Tabellen kunne ikke leses." in response.content.decode()
    assert document.pk != broken.pk


@pytest.mark.parametrize(
    ("filename", "ascii_name", "utf8_name"),
    [
        ("Retningslinjer for lokalisering test.pdf", "Retningslinjer_for_lokalisering_test.pdf", None),
        ("Distriktsindeksen æøå.pdf", "Distriktsindeksen_aeoa.pdf", "Distriktsindeksen_æøå.pdf"),
    ],
)
def test_documents_are_served_with_type_and_filename(documents_site, client, filename, ascii_name, utf8_name):
    Document = get_document_model()
    document = Document(title="Fil")
    document.file.save(filename, ContentFile(b"%PDF-1.7\n%%EOF\n"), save=False)
    document.save()
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline;")
    assert f'filename="{ascii_name}"' in disposition
    if utf8_name:
        assert "filename*=UTF-8''" in disposition
        assert unquote(disposition.split("filename*=UTF-8''")[1]) == utf8_name
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_csv_is_served_as_attachment(documents_site, client):
    document = get_document_model().objects.get(title__startswith="Sentralitetsindeksen")
    response = client.get(document.url)
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")


def test_topic_page_lists_latest_documents_and_links_to_finder(documents_site, client):
    topic = TopicPage.objects.get(slug="bygdevekstavtaler")
    html = client.get(topic.url).content.decode()
    assert 'id="topic-documents-heading"' in html and ">Dokument<" in html  # nynorsk label
    assert "Rapport om pilotområder for bygdevekstavtaler (eksempel)" in html
    assert f'href="/dokumenter/?topic={topic.pk}"' in html
    policy_topic = TopicPage.objects.get(slug="regional-og-distriktspolitikk")
    html = client.get(policy_topic.url).content.decode()
    section = html.split('id="topic-documents-heading"')[1].split("</section>")[0]
    assert section.count("<h3") == 5  # the latest five, sub-topics included
    assert "Tildelingsbrev til et underliggende organ (eksempel)" in section


def test_demo_loader_is_idempotent(documents_site):
    from documents.demo import load_documents_demo

    pages, files = DocumentPage.objects.count(), get_document_model().objects.count()
    load_documents_demo(HomePage.objects.get())
    assert (DocumentPage.objects.count(), get_document_model().objects.count()) == (pages, files)
    assert DocumentPage.objects.get(slug="distriktsindeksen-2022").attachments.count() == 1


def test_pages_have_no_inline_script_or_style(documents_site, client):
    for url in [GUIDELINES, INDEX_PAGE, TABLE_PAGE, "/dokumenter/?type=nou"]:
        html = client.get(url).content.decode()
        assert "<style" not in html and " style=" not in html, url
        for chunk in html.split("<script")[1:]:
            assert chunk.lstrip().startswith("src="), url
