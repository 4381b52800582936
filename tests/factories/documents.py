"""Documents: the finder page, typed document pages, uploaded files and attachments.

Files are real uploads. By default a file is a small valid PDF from `text_pdf`, so
the background job that reads file facts counts real pages in its subprocess; give
`filename` and `data` for anything else (a CSV for a data table, a hostile PDF).

    index = DocumentIndexPageFactory(parent=home)
    pdf = DocumentFactory(title="Retningslinjer", pages=[["Kapittel 1"], ["Kapittel 2"]])
    page = DocumentPageFactory(parent=index, document_type=DocumentType.NOU, document_number="NOU 2021: 3")
    DocumentAttachmentFactory(page=page, document=pdf, title="Retningslinjer")

Saving a file schedules the facts on commit: inside a test, wrap the upload in
`django_capture_on_commit_callbacks(execute=True)` (or call `run_on_commit_hooks()`)
when the test needs the page count.
"""

import datetime

import factory
from django.core.files.base import ContentFile
from django.utils.text import slugify
from wagtail.documents import get_document_model

from documents.models import DocumentAttachment, DocumentIndexPage, DocumentPage, DocumentType, FeaturedDocument

from .pdf import text_pdf
from .policy import BasePageFactory


class DocumentIndexPageFactory(BasePageFactory):
    """ "Dokumenter", the finder. There may be only one per site (max_count)."""

    title = "Dokumenter"
    slug = "dokumenter"

    class Meta:
        model = DocumentIndexPage
        skip_postgeneration_save = True


class DocumentPageFactory(BasePageFactory):
    """A report (a type without an official number, so the page is valid as edited),
    dated one day later per page so that "newest first" is well defined.

    `topics` (TopicPages) and `body` (StreamField blocks as (type, value) pairs) go to
    the constructor, so they are part of the page before it is saved and published."""

    title = factory.Sequence(lambda n: f"Dokument {n}")
    document_type = DocumentType.REPORT
    date = factory.Sequence(lambda n: datetime.date(2020, 1, 1) + datetime.timedelta(days=n))
    topics = factory.LazyFunction(list)
    body = factory.LazyFunction(list)

    class Meta:
        model = DocumentPage
        skip_postgeneration_save = True


class DocumentFactory(factory.django.DjangoModelFactory):
    """A Wagtail document (in the root collection) with a real file. Its file is served
    only once a live page holds it (an attachment or a data table).

    Parameters: `pages` (one list of lines per PDF page) and `pdf_language` shape the
    default PDF; `data` and `filename` replace it with any bytes."""

    title = factory.Sequence(lambda n: f"Fil {n}")
    file = factory.LazyAttribute(lambda document: ContentFile(document.data, name=document.filename))

    class Meta:
        model = get_document_model()

    class Params:
        pages = (("Første side.",),)
        pdf_language = "nb-NO"
        data = factory.LazyAttribute(
            lambda document: text_pdf(document.title, document.pages, language=document.pdf_language)
        )
        filename = factory.LazyAttribute(lambda document: f"{slugify(document.title) or 'fil'}.pdf")


class DocumentAttachmentFactory(factory.django.DjangoModelFactory):
    """One attachment row on `page` (required). A row saved after the page was
    published is still shown: pages are served from the live table, and the next
    revision an editor saves includes it."""

    document = factory.SubFactory(DocumentFactory)
    title = factory.Sequence(lambda n: f"Vedlegg {n}")
    sort_order = factory.Sequence(lambda n: n)

    class Meta:
        model = DocumentAttachment


class FeaturedDocumentFactory(factory.django.DjangoModelFactory):
    """A document an editor chose for a topic page: `page` (a TopicPage) and `document`
    (a DocumentPage) are required. Like an attachment, a row saved after the topic page
    was published is shown at once; the next revision an editor saves includes it."""

    sort_order = factory.Sequence(lambda n: n)

    class Meta:
        model = FeaturedDocument


def data_table(document, caption, source="", lang=""):
    """A body block showing `document` (a CSV or XLSX upload) as a table, first row and
    first column as headers, as an editor would fill in the block."""
    return (
        "data_table",
        {
            "file": document,
            "caption": caption,
            "source": source,
            "header_row": True,
            "row_headers": True,
            "lang": lang,
        },
    )


def chapter(heading, body_html):
    """A chapter block: a heading in the table of contents and its rich text."""
    return ("chapter", {"heading": heading, "body": body_html})
