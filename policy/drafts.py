"""Abandoned new pages: removed so that they do not hold on to their slugs.

Wagtail's page editor autosaves. On the "new page" form the first autosave (half a
second after the editor types a title) already creates the page as a draft, with
the slug made from the title. An editor who then leaves the form has left a draft
in the tree, and the next attempt at the same page is refused: the slug is taken.

A scheduled job (registered in apps.py) deletes such a page once it has lain
untouched for a day, but only when nobody can lose anything by it: never published
or scheduled, no sub-pages, not locked, not in a workflow, not linked to, one
revision only (nobody came back to it), and nothing in it but what the new-page
form fills in by itself (title, slug and defaults). A draft someone wrote in stays,
however old.
"""

import datetime
import logging

from django.utils import timezone
from wagtail.actions.delete_page import DeletePageAction
from wagtail.models import Page, ReferenceIndex

logger = logging.getLogger(__name__)

ABANDONED_AFTER = datetime.timedelta(days=1)
# Fields the new-page form fills in by itself or Wagtail keeps for its own use; the
# promote tab's texts for search engines are the editor's words, so they count.
_BOOKKEEPING = {name for field in Page._meta.concrete_fields for name in (field.name, field.attname)} - {
    "seo_title",
    "search_description",
}


def holds_content(page):
    """Whether the page's latest draft differs from an untouched new page of its type
    in anything but its title, slug and Wagtail's bookkeeping."""
    draft = page.get_latest_revision_as_object()
    untouched = type(draft)()

    def content(instance):
        data = instance.serializable_data()
        ignored = _BOOKKEEPING | {"pk", *(f.name for f in instance._meta.parents.values() if f)}
        return {key: value for key, value in data.items() if key not in ignored}

    return content(draft) != content(untouched)


def abandoned_new_pages(now=None):
    """Pages that were created and left: see the module's docstring."""
    cutoff = (now or timezone.now()) - ABANDONED_AFTER
    candidates = Page.objects.filter(
        live=False,
        first_published_at__isnull=True,
        last_published_at__isnull=True,
        go_live_at__isnull=True,
        expire_at__isnull=True,
        numchild=0,
        locked=False,
        alias_of__isnull=True,
        latest_revision_created_at__lt=cutoff,
    ).specific()
    for page in candidates:
        if (
            page.revisions.count() == 1
            and not page.revisions.filter(approved_go_live_at__isnull=False).exists()
            and not page.workflow_in_progress
            and not page.current_workflow_state
            and not ReferenceIndex.get_references_to(page).exists()
            and not holds_content(page)
        ):
            yield page


def remove_abandoned_new_pages(now=None):
    """Delete the abandoned new pages (logged in the page history as deletions by the
    system); returns how many."""
    removed = 0
    for page in list(abandoned_new_pages(now)):
        logger.info("Removing the abandoned new page %r (id %s, slug %r)", page.title, page.pk, page.slug)
        DeletePageAction(page).execute(skip_permission_checks=True)
        removed += 1
    return removed
