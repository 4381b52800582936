"""What an attachment says before you click: type, size and pages in Norwegian format."""

import pytest

from documents.formatting import attachment_label, format_file_size, format_page_count
from documents.models import DocumentFacts


@pytest.mark.parametrize(
    ("size", "language", "expected"),
    [
        (0, "nb", "0 byte"),
        (850, "nb", "850 byte"),
        (1024, "nb", "1 KB"),
        (12_600, "nb", "12 KB"),
        (1_048_064, "nb", "1 MB"),  # 1023.5 KB rounds up to the next unit, not "1024 KB"
        (int(2.3 * 1024 * 1024), "nb", "2,3 MB"),
        (int(2.3 * 1024 * 1024), "nn", "2,3 MB"),
        (int(2.3 * 1024 * 1024), "en", "2.3 MB"),
        (5 * 1024 * 1024, "nb", "5 MB"),
        (int(1.25 * 1024**3), "nb", "1,2 GB"),
    ],
)
def test_file_size_in_norwegian_format(size, language, expected):
    assert format_file_size(size, language) == expected


@pytest.mark.parametrize(
    ("count", "language", "expected"),
    [(1, "nb", "1 side"), (48, "nb", "48 sider"), (1, "nn", "1 side"), (48, "nn", "48 sider"), (2, "en", "2 pages")],
)
def test_page_count_singular_and_plural(count, language, expected):
    assert format_page_count(count, language) == expected


class FakeDocument:
    """Just the two attributes the label reads from a Wagtail document."""

    def __init__(self, extension, size):
        self.file_extension = extension
        self.file_size = size


def test_label_with_page_count():
    facts = DocumentFacts(status=DocumentFacts.Status.READABLE, page_count=48)
    label = attachment_label("Retningslinjer", FakeDocument("pdf", int(2.3 * 1024 * 1024)), facts)
    assert label == "Retningslinjer (PDF, 2,3 MB, 48 sider)"


def test_label_of_one_page_document():
    facts = DocumentFacts(status=DocumentFacts.Status.READABLE, page_count=1)
    assert attachment_label("Brev", FakeDocument("pdf", 40_000), facts) == "Brev (PDF, 39 KB, 1 side)"


def test_unreadable_or_pending_pdf_has_no_page_count():
    for status in (DocumentFacts.Status.UNREADABLE, DocumentFacts.Status.PENDING):
        facts = DocumentFacts(status=status, page_count=None)
        assert attachment_label("Rapport", FakeDocument("pdf", 3 * 1024 * 1024), facts) == "Rapport (PDF, 3 MB)"
    assert attachment_label("Rapport", FakeDocument("pdf", 3 * 1024 * 1024), None) == "Rapport (PDF, 3 MB)"


def test_spreadsheet_label():
    assert attachment_label("Data", FakeDocument("xlsx", 9_500), None) == "Data (XLSX, 9 KB)"
