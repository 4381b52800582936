"""Background work: reading file facts after a document is uploaded."""

import logging

from django.db import transaction
from django.tasks import task
from django.utils import timezone
from wagtail.contrib.frontend_cache.utils import purge_pages_from_cache
from wagtail.documents import get_document_model

from .models import DocumentFacts, DocumentPage
from .pdf_facts import count_pdf_pages

logger = logging.getLogger(__name__)


@task(queue_name="default")
def read_document_facts(document_id):
    """Fill DocumentFacts for one Wagtail document. A file that cannot be read is marked
    unreadable; the page then shows the label without a page count."""
    document = get_document_model().objects.filter(pk=document_id).first()
    if document is None:
        return
    file_hash = document.get_file_hash()
    facts, _ = DocumentFacts.objects.get_or_create(document=document)
    if facts.file_hash == file_hash and facts.status != DocumentFacts.Status.PENDING:
        return  # already read from this very file
    facts.file_hash = file_hash
    facts.file_size = document.get_file_size()
    facts.content_type = document.content_type
    facts.page_count = None
    facts.problem = ""
    facts.status = DocumentFacts.Status.READABLE
    if document.file_extension.lower() == "pdf":
        with document.file.open("rb") as f:
            result = count_pdf_pages(f.read())
        facts.page_count = result.page_count
        if result.problem:
            facts.status = DocumentFacts.Status.UNREADABLE
            facts.problem = result.problem
            logger.warning("Document %s is unreadable: %s", document_id, result.problem)
    facts.checked_at = timezone.now()
    facts.save()
    # Pages that were cached while the facts were pending now get the page count.
    pages = DocumentPage.objects.live().filter(attachments__document=document).distinct()
    purge_pages_from_cache(pages)


def schedule_facts(document):
    """Mark the document's facts pending and read them once the upload is committed."""
    DocumentFacts.objects.update_or_create(
        document=document,
        defaults={"status": DocumentFacts.Status.PENDING, "file_hash": ""},
    )
    document_id = document.pk
    transaction.on_commit(lambda: read_document_facts.enqueue(document_id))
