"""Signal handlers: read the facts of uploaded files, and purge what shows a document
from the frontend cache (the page cache and any CDN) when it is published, unpublished,
deleted or replaced: the lists that show the page, and the files themselves, so an
unpublished file is gone from caches at once. Connected in apps.py."""

import json

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from wagtail.contrib.frontend_cache.utils import purge_pages_from_cache, purge_urls_from_cache
from wagtail.documents import get_document_model
from wagtail.models import Site
from wagtail.signals import page_published, page_unpublished

from policy.models import TopicPage
from policy.revisions import previously_published_revision

from .models import DocumentAttachment, DocumentFacts, DocumentIndexPage, DocumentPage
from .tasks import schedule_facts

Document = get_document_model()
METADATA_FIELDS = {"file_size", "file_hash"}


@receiver(post_save, sender=Document)
def read_facts_of_saved_document(sender, instance, raw=False, update_fields=None, **kwargs):
    """A new or replaced file gets its facts read in the background. Saves that only
    touch Wagtail's own metadata (file_size, file_hash on first access) are skipped."""
    if raw or (update_fields and set(update_fields) <= METADATA_FIELDS):
        return
    instance.get_file_size()  # stored on the document, so labels show the size at once
    known = DocumentFacts.objects.filter(document=instance).values_list("file_hash", "status").first()
    if known and known[1] != DocumentFacts.Status.PENDING and known[0] == instance.get_file_hash():
        return
    schedule_facts(instance)


def pages_showing(document_page):
    """The pages whose HTML lists this document: the finder and the topic pages
    (with the topics above them, whose "Dokumenter" section includes sub-topics, and
    the topics where an editor chose it)."""
    pages = list(DocumentIndexPage.objects.ancestor_of(document_page))
    for topic in document_page.topics.all():
        pages.extend(TopicPage.objects.ancestor_of(topic, inclusive=True).live())
    pages.extend(TopicPage.objects.live().filter(featured_documents__document=document_page).distinct())
    return pages


# --- The files a page shows ----------------------------------------------------------


def _data_table_file_ids(blocks):
    if isinstance(blocks, str):  # a revision keeps the body as JSON text
        blocks = json.loads(blocks or "[]")
    return {block["value"].get("file") for block in blocks or () if block.get("type") == "data_table"} - {None}


def file_ids_of_page(page):
    """The documents a page holds as it is stored (its live version, or its last one
    when it is not live)."""
    ids = set(DocumentAttachment.objects.filter(page=page).values_list("document_id", flat=True))
    return ids | _data_table_file_ids(page.body.raw_data)


def file_ids_of_revision(revision):
    content = revision.content if revision else {}
    ids = {row.get("document") for row in content.get("attachments", ())} - {None}
    return ids | _data_table_file_ids(content.get("body"))


def file_urls(documents):
    """Every absolute address of these documents' files, on every site."""
    roots = [site.root_url for site in Site.objects.all()]
    return sorted({root + document.url for document in documents for root in roots})


def purge_files(document_ids):
    if document_ids:
        purge_urls_from_cache(file_urls(Document.objects.filter(pk__in=document_ids)))


@receiver(page_published)
def purge_on_publish(sender, instance, revision=None, **kwargs):
    """Wagtail purges a published page itself; the lists that show it are ours to
    purge, and the files it showed before (one that was removed must not stay in a
    cache) and shows now."""
    if isinstance(instance, DocumentPage):
        purge_pages_from_cache(pages_showing(instance))
        previous = previously_published_revision(instance, revision)
        purge_files(file_ids_of_page(instance) | file_ids_of_revision(previous))


@receiver(page_unpublished)
def purge_on_unpublish(sender, instance, **kwargs):
    """Also sent when a live page is deleted: Wagtail unpublishes it first, while its
    attachments are still there."""
    if isinstance(instance, DocumentPage):
        purge_pages_from_cache(pages_showing(instance))
        purge_files(file_ids_of_page(instance))


# --- A replaced or deleted file --------------------------------------------------------


@receiver(pre_save, sender=Document)
def remember_old_address(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or not instance.pk or (update_fields and set(update_fields) <= METADATA_FIELDS):
        return
    old = Document.objects.filter(pk=instance.pk).only("key", "file").first()
    instance._old_file_urls = file_urls([old]) if old else []


@receiver(post_save, sender=Document)
def purge_replaced_file(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    """A replaced file (under the same or a new name) must not be served from a cache."""
    if raw or created or (update_fields and set(update_fields) <= METADATA_FIELDS):
        return
    urls = set(getattr(instance, "_old_file_urls", ())) | set(file_urls([instance]))
    purge_urls_from_cache(sorted(urls))


@receiver(post_delete, sender=Document)
def purge_deleted_file(sender, instance, **kwargs):
    purge_urls_from_cache(file_urls([instance]))
