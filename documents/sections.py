"""The "Dokumenter" section on every topic page."""

from .models import DocumentIndexPage, DocumentPage

LATEST = 5


def topic_documents_section(topic_page, request):
    """The latest documents on this topic or its sub-topics, and a link to the finder
    filtered by the topic. None (no section) when there are none."""
    documents = list(
        DocumentPage.objects.live()
        .public()
        .filter(
            pk__in=DocumentPage.topics.through.objects.filter(topicpage_id__in=topic_page.topic_tree_ids()).values(
                "documentpage_id"
            )
        )
        .order_by("-date", "-pk")[:LATEST]
    )
    if not documents:
        return None
    index = DocumentIndexPage.objects.live().first()
    finder_url = f"{index.get_url(request)}?topic={topic_page.pk}" if index else None
    return {"documents": documents, "finder_url": finder_url, "topic": topic_page}
