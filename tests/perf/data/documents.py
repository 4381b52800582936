"""Benchmark data: document pages with one attachment each and its file facts.

No real files are written: the Document rows point at names under BENCH_FOLDER
and carry their size, and DocumentFacts says what "reading" them found, which is
all the finder and the document page show. See common.py for the tagging.
"""

import datetime

from django.db import connection
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection

from documents.models import DocumentAttachment, DocumentFacts, DocumentIndexPage, DocumentPage, DocumentType
from tests.perf.data.common import BENCH_PREFIX, generate_pages, paragraph, remove_pages, sentence

BENCH_FOLDER = "documents/bench/"
# Types without an official number, so every generated page is valid as edited.
TYPES = [
    DocumentType.REPORT,
    DocumentType.LETTER,
    DocumentType.CONSULTATION,
    DocumentType.GUIDELINES,
    DocumentType.CIRCULAR,
    DocumentType.PLAN,
    DocumentType.STATISTICS,
]


def generate(count, progress):
    generate_pages(DocumentIndexPage, DocumentPage, count, progress, seed=4, row=_row, per_batch=_add_attachments)


def _row(n, rng):
    kind = rng.choice(TYPES)
    return {
        "title": f"{kind.label}: {sentence(rng)[:-1]} (testdokument {n + 1})",
        "slug": f"{BENCH_PREFIX}dokument-{n + 1}",
        "language": "nn" if n % 7 == 0 else "nb",
        "ingress": paragraph(rng, 2),
        "document_type": kind.value,
        "date": datetime.date(2000, 1, 1) + datetime.timedelta(days=rng.randrange(9300)),
        "body": [("chapter", {"heading": "Sammendrag", "body": f"<p>{paragraph(rng)}</p>"})],
    }


def _add_attachments(batch, rng):
    Document = get_document_model()
    root = Collection.get_first_root_node()
    now = timezone.now()
    documents = [
        Document(
            title=f"Vedlegg til testdokument {pk}",
            file=f"{BENCH_FOLDER}{BENCH_PREFIX}{pk}.pdf",
            file_size=rng.randrange(40_000, 8_000_000),
            collection=root,
        )
        for pk in batch
    ]
    Document.objects.bulk_create(documents)
    DocumentFacts.objects.bulk_create(
        DocumentFacts(
            document=d,
            status=DocumentFacts.Status.READABLE,
            file_size=d.file_size,
            content_type="application/pdf",
            page_count=rng.randrange(1, 120),
            checked_at=now,
        )
        for d in documents
    )
    DocumentAttachment.objects.bulk_create(
        DocumentAttachment(page_id=pk, document=d, sort_order=0, title="Dokumentet")
        for pk, d in zip(batch, documents, strict=True)
    )


def remove():
    removed = remove_pages(
        DocumentPage,
        extra_tables=[
            lambda ids: DocumentAttachment.objects.filter(page_id__in=ids),
            lambda ids: DocumentPage.topics.through.objects.filter(documentpage_id__in=ids),
        ],
    )
    documents = get_document_model().objects.filter(file__startswith=BENCH_FOLDER)
    DocumentFacts.objects.filter(document__in=documents)._raw_delete(connection.alias)
    DocumentAttachment.objects.filter(document__in=documents)._raw_delete(connection.alias)
    documents._raw_delete(connection.alias)
    return removed
