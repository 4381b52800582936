"""The "Dokumenter" section on every topic page."""

from django.db.models import Case, F, IntegerField, Q, Value, When

from .models import DocumentIndexPage, DocumentPage

LATEST = 5


def chosen_document_ids(topic_page):
    """The documents the editor chose for this topic, in the editor's order, each once.
    In a preview they are the form's rows, held in memory."""
    rows = topic_page.featured_documents.all().order_by("sort_order")
    return list(dict.fromkeys(row.document_id for row in rows if row.document_id))


def topic_documents(topic_page):
    """The documents the editor chose first, then the newest on this topic or its
    sub-topics, up to LATEST in all (more when the editor chose more). One query, so a
    document chosen and also among the newest is listed once."""
    chosen = chosen_document_ids(topic_page)
    tagged = DocumentPage.topics.through.objects.filter(topicpage_id__in=topic_page.topic_tree_ids())
    # A translation keeps its original's topics: English documents are not listed on
    # Norwegian topics (nor Norwegian ones on English topics), unless an editor chose them.
    tagged_here = Q(pk__in=tagged.values("documentpage_id"), locale_id=topic_page.locale_id)
    documents = DocumentPage.objects.live().public()
    if not chosen:
        # The usual case: newest first, read from the `documents_newest` index.
        return list(documents.filter(tagged_here).order_by("-date", "-pk")[:LATEST])
    chosen_order = Case(
        *[When(pk=pk, then=Value(position)) for position, pk in enumerate(chosen)],
        default=None,
        output_field=IntegerField(),
    )
    return list(
        documents.filter(Q(pk__in=chosen) | tagged_here)
        .annotate(chosen_order=chosen_order)
        .order_by(F("chosen_order").asc(nulls_last=True), "-date", "-pk")[: max(LATEST, len(chosen))]
    )


def topic_documents_section(topic_page, request):
    """The topic's documents and a link to the finder filtered by the topic. None (no
    section) when there are none."""
    documents = topic_documents(topic_page)
    if not documents:
        return None
    index = DocumentIndexPage.objects.live().filter(locale_id=topic_page.locale_id).order_by("path").first()
    finder_url = f"{index.get_url(request)}?topic={topic_page.slug}" if index else None
    return {"documents": documents, "finder_url": finder_url, "topic": topic_page}
