"""Signal handlers: read the facts of uploaded files, and purge the lists that show a
published or unpublished document. Connected in apps.py."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.contrib.frontend_cache.utils import purge_pages_from_cache
from wagtail.documents import get_document_model
from wagtail.signals import page_published, page_unpublished

from policy.models import TopicPage

from .models import DocumentFacts, DocumentIndexPage, DocumentPage
from .tasks import schedule_facts


@receiver(post_save, sender=get_document_model())
def read_facts_of_saved_document(sender, instance, raw=False, update_fields=None, **kwargs):
    """A new or replaced file gets its facts read in the background. Saves that only
    touch Wagtail's own metadata (file_size, file_hash on first access) are skipped."""
    if raw or (update_fields and set(update_fields) <= {"file_size", "file_hash"}):
        return
    instance.get_file_size()  # stored on the document, so labels show the size at once
    known = DocumentFacts.objects.filter(document=instance).values_list("file_hash", "status").first()
    if known and known[1] != DocumentFacts.Status.PENDING and known[0] == instance.get_file_hash():
        return
    schedule_facts(instance)


def pages_showing(document_page):
    """The pages whose HTML lists this document: the finder and the topic pages
    (with the topics above them, whose "Dokumenter" section includes sub-topics)."""
    pages = list(DocumentIndexPage.objects.ancestor_of(document_page))
    for topic in document_page.topics.all():
        pages.extend(TopicPage.objects.ancestor_of(topic, inclusive=True).live())
    return pages


@receiver(page_published)
@receiver(page_unpublished)
def purge_lists_of_documents(sender, instance, **kwargs):
    """Wagtail purges a published page itself; the lists that show it are ours to purge."""
    if isinstance(instance, DocumentPage):
        purge_pages_from_cache(pages_showing(instance))
