from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    """pg_trgm, for prefix and compound-word matching and «Mente du …» suggestions in search."""

    dependencies = [("policy", "0003_stream_block_classes")]

    operations = [TrigramExtension()]
