"""What a page looked like before the publish that is happening now.

Purges need the previous live version: a news item moved to another topic must
leave the old topic's list, and a file dropped from a document must stop being
served. Wagtail's audit log keeps which revision each publish made live.
"""

from wagtail.models import PageLogEntry


def previously_published_revision(page, revision):
    """The revision that was live before `revision` was published, or None."""
    entry = (
        PageLogEntry.objects.filter(page=page, action="wagtail.publish", revision__isnull=False)
        .exclude(revision=revision)
        .select_related("revision")
        .order_by("-timestamp", "-pk")
        .first()
    )
    return entry.revision if entry else None
