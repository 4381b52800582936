"""Helpers for the benchmark data generators (tests/perf/generate.py). The query-count
tests of the documents and news apps use `bulk_add_pages` too, for their thousand pages.

Generated rows are tagged so that `--remove` deletes exactly them: pages by the
slug prefix BENCH_PREFIX, people by the e-mail domain BENCH_DOMAIN.

Wagtail pages are inserted in bulk, bypassing `add_child()` (one tree lock and
several queries per page would make 10,000 pages take many minutes): the
treebeard path, depth and the parent's numchild are computed here, the base
`wagtailcore_page` rows are bulk-created, and the page type's own table gets its
rows through the same multi-row INSERT Django uses for one row of a child model.
Pages are then put in the search index in bulk, as Wagtail would one by one.
"""

import random
import sys
import time

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from policy.models import TopicPage

BENCH_PREFIX = "bench-"
BENCH_DOMAIN = "bench.invalid"
BATCH = 1000

_PAGE_FIELDS = {f.name for f in Page._meta.concrete_fields} | {f.attname for f in Page._meta.concrete_fields}


class Progress:
    """A text progress bar on stderr: `label [#####.....] 512/1000`."""

    def __init__(self, label, total, stream=None, width=30):
        self.label, self.total, self.done, self.width = label, max(total, 1), 0, width
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self._draw()

    def expect(self, total):
        """Generators with several passes (insert, then index) announce their real total."""
        self.total = max(total, 1)
        self._draw()

    def __call__(self, n=1):
        self.done = min(self.total, self.done + n)
        self._draw()

    def _draw(self):
        filled = int(self.width * self.done / self.total)
        bar = "#" * filled + "." * (self.width - filled)
        seconds = time.monotonic() - self.started
        self.stream.write(f"\r{self.label:<12} [{bar}] {self.done}/{self.total} {seconds:5.1f} s")
        self.stream.flush()

    def finish(self):
        self.done = self.total
        self._draw()
        self.stream.write("\n")
        self.stream.flush()


SUBJECTS = [
    "kommunene",
    "distriktene",
    "regionene",
    "bygdene",
    "fylkeskommunene",
    "kommunesektoren",
    "lokalsamfunnene",
    "næringslivet",
    "de minst sentrale kommunene",
    "innbyggerne",
]
VERBS = ["styrker", "utvikler", "viderefører", "evaluerer", "forenkler", "prioriterer", "følger opp", "kartlegger"]
OBJECTS = [
    "bredbånd og mobildekning",
    "bolig og tomter",
    "tilgang på kompetanse",
    "regionale utviklingsmidler",
    "samarbeid over kommunegrensene",
    "distriktsindeksen",
    "nye arbeidsplasser",
    "kommunale tjenester",
    "inntektssystemet for kommunene",
    "bygdevekstavtaler",
    "senterstruktur",
    "grønn omstilling",
]


def sentence(rng):
    """A plausible Norwegian sentence for generated text (never presented as real)."""
    return f"{rng.choice(SUBJECTS).capitalize()} {rng.choice(VERBS)} {rng.choice(OBJECTS)}."


def paragraph(rng, sentences=4):
    return " ".join(sentence(rng) for _ in range(sentences))


def chunks(items, size=BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def bulk_add_pages(parent, model, rows, progress=None):
    """Insert live pages of `model` under `parent`; `rows` are dicts of field values
    (Page fields and the model's own) with at least title and slug. Returns the new
    page ids in the order of `rows`. Pages must be childless leaves (no subpages)."""
    parent = Page.objects.select_for_update().get(pk=parent.pk)
    content_type = ContentType.objects.get_for_model(model)
    last = parent.get_last_child()
    step = Page._str2int(last.path[-Page.steplen :]) if last else 0
    now = timezone.now()
    own_fields = model._meta.local_concrete_fields
    ids = []
    with transaction.atomic():
        for batch in chunks(rows):
            pages, specifics = [], []
            for row in batch:
                step += 1
                page_values = {k: v for k, v in row.items() if k in _PAGE_FIELDS}
                published = page_values.pop("first_published_at", now)
                pages.append(
                    Page(
                        content_type=content_type,
                        path=Page._get_path(parent.path, parent.depth + 1, step),
                        depth=parent.depth + 1,
                        numchild=0,
                        draft_title=row["title"],
                        url_path=f"{parent.url_path}{row['slug']}/",
                        live=True,
                        has_unpublished_changes=False,
                        first_published_at=published,
                        last_published_at=published,
                        locale_id=parent.locale_id,
                        **page_values,
                    )
                )
                specifics.append({k: v for k, v in row.items() if k not in _PAGE_FIELDS})
            Page.objects.bulk_create(pages)
            objs = []
            for page, values in zip(pages, specifics, strict=True):
                obj = model(page_ptr_id=page.pk, **values)
                objs.append(obj)
                ids.append(page.pk)
            model._base_manager._insert(objs, fields=own_fields, using=connection.alias)
            if progress:
                progress(len(batch))
        Page.objects.filter(pk=parent.pk).update(numchild=Page.objects.child_of(parent).count())
    return ids


def generate_pages(parent_model, model, count, progress, *, seed, row, per_batch=None):
    """What every page generator does: add `count` pages of `model` under the first
    `parent_model` page (nothing when the site has none), numbered on from an earlier
    run's; `row(n, rng)` gives the field values of page n. Each page is tagged with a
    random live topic, and `per_batch(ids, rng)` adds what else a batch of pages needs
    (both in the insert's transaction); then the pages are put in the search index."""
    parent = parent_model.objects.first()
    if parent is None:
        return
    progress.expect(count * 2)
    rng = random.Random(seed)  # noqa: S311 - repeatable test data, not secrets
    topic_ids = list(TopicPage.objects.live().values_list("pk", flat=True))
    start = model.objects.filter(slug__startswith=BENCH_PREFIX).count()
    rows = [row(n, rng) for n in range(start, start + count)]
    through = model.topics.through
    page_column = model.topics.field.m2m_column_name()
    with transaction.atomic():
        ids = bulk_add_pages(parent, model, rows, progress)
        for batch in chunks(ids):
            if topic_ids:
                through.objects.bulk_create(
                    through(**{page_column: pk, "topicpage_id": rng.choice(topic_ids)}) for pk in batch
                )
            if per_batch:
                per_batch(batch, rng)
    index_pages(model, ids, progress)


def index_pages(model, ids, progress=None):
    """Put the pages in the search index, a thousand at a time."""
    backend = get_search_backend()
    for batch in chunks(ids):
        backend.add_bulk(model, list(model.objects.filter(pk__in=batch)))
        if progress:
            progress(len(batch))


def remove_pages(model, extra_tables=()):
    """Delete the tagged pages of `model` (slug prefix) with raw deletes: their search
    index entries, rows in `extra_tables` (querysets factories taking the ids), the
    page type's row and the base page row; then fix the parents' numchild."""
    from wagtail.models import ReferenceIndex
    from wagtail.search.models import IndexEntry

    ids = list(model.objects.filter(slug__startswith=BENCH_PREFIX).values_list("pk", flat=True))
    if not ids:
        return 0
    parent_paths = {path[: -Page.steplen] for path in Page.objects.filter(pk__in=ids).values_list("path", flat=True)}
    content_types = [ContentType.objects.get_for_model(m).pk for m in (Page, model)]
    with transaction.atomic():
        for batch in chunks(ids, 5000):
            str_ids = [str(pk) for pk in batch]
            IndexEntry.objects.filter(content_type_id__in=content_types, object_id__in=str_ids)._raw_delete(
                connection.alias
            )
            ReferenceIndex.objects.filter(content_type_id__in=content_types, object_id__in=str_ids)._raw_delete(
                connection.alias
            )
            for queryset in extra_tables:
                queryset(batch)._raw_delete(connection.alias)
            model._base_manager.filter(pk__in=batch)._raw_delete(connection.alias)
            Page.objects.filter(pk__in=batch)._raw_delete(connection.alias)
        for parent in Page.objects.filter(path__in=parent_paths):
            Page.objects.filter(pk=parent.pk).update(numchild=Page.objects.child_of(parent).count())
    return len(ids)
