"""Building test files and many document pages quickly."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Locale, Page
from wagtail.search.backends import get_search_backend

from documents.models import DocumentPage, DocumentType


def make_pdf(objects, root=1):
    """A PDF from raw object bodies with a correct xref table (for hostile files)."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


NESTED_PDF = make_pdf(
    [
        b"<< /Type /Catalog /Pages 2 0 R /X " + b"[" * 100_000 + b"]" * 100_000 + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>",
    ]
)
# A page tree that claims two billion pages and points back at itself.
LYING_PAGE_TREE_PDF = make_pdf(
    [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 2000000000 >>",
        b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 2000000000 >>",
    ]
)


def upload(title, filename, data):
    Document = get_document_model()
    document = Document(title=title)
    document.file.save(filename, ContentFile(data), save=False)
    document.save()
    return document


def bulk_documents(index, count, *, topics=(), start_year=2000):
    """`count` live DocumentPages under `index`, created in a handful of queries
    (treebeard paths computed here), tagged and added to the search index."""
    content_type = ContentType.objects.get_for_model(DocumentPage)
    locale = Locale.get_default()
    index.refresh_from_db()
    first = index.numchild + 1
    now = timezone.now()
    types = DocumentType.values
    pages = []
    for i in range(count):
        slug = f"bulk-{first + i}"
        pages.append(
            Page(
                title=f"Testdokument {first + i} om kommunane",
                draft_title=f"Testdokument {first + i} om kommunane",
                slug=slug,
                content_type=content_type,
                path=Page._get_path(index.path, index.depth + 1, first + i),
                depth=index.depth + 1,
                numchild=0,
                url_path=f"{index.url_path}{slug}/",
                live=True,
                first_published_at=now,
                last_published_at=now,
                locale=locale,
            )
        )
    Page.objects.bulk_create(pages)
    documents = []
    for i, page in enumerate(pages):
        document = DocumentPage(
            page_ptr_id=page.pk,
            document_type=types[i % len(types)]
            if types[i % len(types)] not in ("meld_st", "nou", "prop")
            else "rapport",
            date=datetime.date(start_year + i % 25, 1 + i % 12, 1),
            language=("nb", "nn")[i % 2],
            ingress="Ein rapport om kommunane i distrikta.",
        )
        document.save_base(raw=True, force_insert=True)
        documents.append(document)
    Page.objects.filter(pk=index.pk).update(numchild=index.numchild + count)
    through = DocumentPage.topics.through
    through.objects.bulk_create([through(documentpage_id=d.pk, topicpage_id=t.pk) for d in documents for t in topics])
    get_search_backend().add_bulk(DocumentPage, list(DocumentPage.objects.filter(pk__in=[d.pk for d in documents])))
    # Fresh planner statistics, as autovacuum would give a real database after a bulk load.
    with connection.cursor() as cursor:
        for table in (
            "wagtailcore_page",
            "documents_documentpage",
            "documents_documentpage_topics",
            "wagtailsearch_indexentry",
        ):
            cursor.execute(f"ANALYZE {table}")
    return documents
