"""Reading page counts in a bounded subprocess: real, broken and hostile PDFs."""

import pytest

from documents.models import DocumentFacts
from documents.pdf_facts import count_pdf_pages
from tests.documents.helpers import LYING_PAGE_TREE_PDF, NESTED_PDF
from tests.factories.documents import DocumentFactory
from tests.factories.pdf import text_pdf

GOOD_PDF = text_pdf("Retningslinjer for lokalisering", [["Kapittel 1"], ["Kapittel 2"], ["Kapittel 3"]])


def test_counts_pages_of_a_real_pdf():
    assert count_pdf_pages(GOOD_PDF).page_count == 3


@pytest.mark.parametrize(
    "data",
    [GOOD_PDF[: len(GOOD_PDF) // 2], NESTED_PDF, LYING_PAGE_TREE_PDF, b"%PDF-1.4\n" + b"\x00" * 500, b"not a pdf"],
    ids=["truncated", "deeply-nested", "lying-page-tree", "garbage", "not-pdf"],
)
def test_broken_and_hostile_pdfs_are_unreadable(data):
    result = count_pdf_pages(data)
    assert result.page_count is None
    assert result.problem


def test_memory_and_time_limits_stop_the_reader():
    # With too little address space the reader cannot even start; with no time it is killed.
    assert count_pdf_pages(GOOD_PDF, memory_bytes=30 * 1024 * 1024).page_count is None
    result = count_pdf_pages(GOOD_PDF, wall_seconds=0.001)
    assert result.page_count is None and "longer" in result.problem


@pytest.mark.django_db
def test_upload_reads_facts_in_the_background(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = DocumentFactory(title="Retningslinjer", filename="retningslinjer.pdf", data=GOOD_PDF)
        assert DocumentFacts.objects.get(document=document).status == "pending"
    facts = DocumentFacts.objects.get(document=document)
    assert (facts.status, facts.page_count, facts.content_type) == ("readable", 3, "application/pdf")
    assert facts.file_size == len(GOOD_PDF)
    document.refresh_from_db()
    assert facts.file_hash == document.file_hash != ""


@pytest.mark.django_db
def test_hostile_upload_is_marked_unreadable(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = DocumentFactory(title="Farlig", filename="farlig.pdf", data=LYING_PAGE_TREE_PDF)
    facts = DocumentFacts.objects.get(document=document)
    assert facts.status == "unreadable"
    assert facts.page_count is None
    assert "cyclic" in facts.problem.lower()


@pytest.mark.django_db
def test_renaming_a_document_does_not_read_it_again(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = DocumentFactory(title="Retningslinjer", filename="retningslinjer.pdf", data=GOOD_PDF)
    checked_at = DocumentFacts.objects.get(document=document).checked_at
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        document.title = "Nytt namn"
        document.save()
    assert callbacks == []
    assert DocumentFacts.objects.get(document=document).checked_at == checked_at


@pytest.mark.django_db
def test_csv_upload_is_readable_without_pages(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = DocumentFactory(title="Tabell", filename="tabell.csv", data=b"a,b\n1,2\n")
    facts = DocumentFacts.objects.get(document=document)
    assert (facts.status, facts.page_count, facts.content_type) == ("readable", None, "text/csv")
