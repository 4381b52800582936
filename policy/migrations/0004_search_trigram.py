from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

# The plain-text columns of Wagtail's search index. policy.search matches a word inside
# a compound ("avtale" in "Bygdevekstavtaler") with ILIKE '%avtal%', which only a trigram
# index answers without reading every row. The names are those Wagtail's own
# `enable_trigram` command gives these indexes, so the two never make duplicates.
INDEXES = {
    "modelsearch_title_text_trgm": "title_text",
    "modelsearch_body_text_trgm": "body_text",
}


class Migration(migrations.Migration):
    """pg_trgm and trigram indexes, for compound-word matching and «Mente du …» suggestions in search."""

    dependencies = [
        ("policy", "0003_stream_block_classes"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [
        TrigramExtension(),
        *(
            migrations.RunSQL(
                sql=f"CREATE INDEX IF NOT EXISTS {name} ON wagtailsearch_indexentry USING gin ({column} gin_trgm_ops)",
                reverse_sql=f"DROP INDEX IF EXISTS {name}",
            )
            for name, column in INDEXES.items()
        ),
    ]
