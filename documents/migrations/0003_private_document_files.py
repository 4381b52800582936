"""Documents become DocumentFile: private storage and a random key in the address.

Every Wagtail document is copied with its id (so attachments, file facts and the
data tables in page bodies keep pointing at it), its file is copied from MEDIA_ROOT to
the private storage, and the rows that name the document model by content type (tags,
the search index, the reference index, the audit log) are moved to the new model.
The public copies are deleted once the migration has committed. Reversible."""

import django.db.models.deletion
import modelcluster.fields
import modelsearch.index
import taggit.managers
import wagtail.models.media
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import migrations, models, transaction

import documents.models
import documents.storage

# Models that name a document by content type: (app label, model, content type fields).
CONTENT_TYPE_ROWS = [
    ("taggit", "TaggedItem", ["content_type"]),
    ("wagtailsearch", "IndexEntry", ["content_type"]),
    ("wagtailcore", "ReferenceIndex", ["content_type", "base_content_type", "to_content_type"]),
    ("wagtailcore", "ModelLogEntry", ["content_type"]),
]
COPIED_FIELDS = ["id", "title", "file", "created_at", "uploaded_by_user_id", "collection_id", "file_size", "file_hash"]


def _copy_file(source, target, name):
    """Copy a stored file under the same name; a missing file stays missing."""
    if not name or not source.exists(name) or target.exists(name):
        return
    with source.open(name, "rb") as f:
        saved = target.save(name, f)
    assert saved == name, f"{name} was stored as {saved}"


def _content_types(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    old, _ = ContentType.objects.get_or_create(app_label="wagtaildocs", model="document")
    new, _ = ContentType.objects.get_or_create(app_label="documents", model="documentfile")
    return old, new


def _move_content_type_rows(apps, old, new):
    for app_label, model_name, fields in CONTENT_TYPE_ROWS:
        model = apps.get_model(app_label, model_name)
        for field in fields:
            model.objects.filter(**{field: old}).update(**{field: new})


def _copy_rows(source_model, target_model, schema_editor):
    """Copy the rows with their ids (a DocumentFile gets a fresh key from its default)."""
    rows = list(source_model.objects.order_by("pk"))
    copies = [target_model(**{f: getattr(row, f) for f in COPIED_FIELDS}) for row in rows]
    target_model.objects.bulk_create(copies)
    # auto_now_add set created_at to now: give the copies their upload times back.
    for copy, row in zip(copies, rows, strict=True):
        copy.created_at = row.created_at
    target_model.objects.bulk_update(copies, ["created_at"])
    with schema_editor.connection.cursor() as cursor:
        for sql in schema_editor.connection.ops.sequence_reset_sql(no_style(), [target_model]):
            cursor.execute(sql)
    return rows


def copy_to_private(apps, schema_editor):
    WagtailDocument = apps.get_model("wagtaildocs", "Document")
    DocumentFile = apps.get_model("documents", "DocumentFile")
    private = documents.storage.document_storage()
    for row in _copy_rows(WagtailDocument, DocumentFile, schema_editor):
        _copy_file(default_storage, private, row.file.name)
    _move_content_type_rows(apps, *_content_types(apps))


def copy_back_to_wagtail(apps, schema_editor):
    old, new = _content_types(apps)
    _move_content_type_rows(apps, new, old)
    DocumentFile = apps.get_model("documents", "DocumentFile")
    names = list(DocumentFile.objects.values_list("file", flat=True))
    DocumentFile.objects.all().delete()
    private = documents.storage.document_storage()
    transaction.on_commit(lambda: [private.delete(name) for name in names if name], using=schema_editor.connection.alias)


def remove_public_copies(apps, schema_editor):
    WagtailDocument = apps.get_model("wagtaildocs", "Document")
    names = list(WagtailDocument.objects.values_list("file", flat=True))
    WagtailDocument.objects.all().delete()
    transaction.on_commit(
        lambda: [default_storage.delete(name) for name in names if name], using=schema_editor.connection.alias
    )


def restore_public_copies(apps, schema_editor):
    WagtailDocument = apps.get_model("wagtaildocs", "Document")
    DocumentFile = apps.get_model("documents", "DocumentFile")
    private = documents.storage.document_storage()
    for row in _copy_rows(DocumentFile, WagtailDocument, schema_editor):
        _copy_file(private, default_storage, row.file.name)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("documents", "0002_stream_block_classes"),
        ("policy", "0003_stream_block_classes"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailsearch", "0010_add_text_fields"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="DocumentFile",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("title", models.CharField(max_length=255, verbose_name="title")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("file_size", models.PositiveBigIntegerField(editable=False, null=True)),
                ("file_hash", models.CharField(blank=True, editable=False, max_length=40)),
                (
                    "file",
                    models.FileField(
                        storage=documents.storage.document_storage, upload_to="documents", verbose_name="fil"
                    ),
                ),
                (
                    "key",
                    models.CharField(
                        default=documents.models.new_file_key, editable=False, max_length=32, unique=True
                    ),
                ),
                (
                    "collection",
                    models.ForeignKey(
                        default=wagtail.models.media.get_root_collection_id,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="wagtailcore.collection",
                        verbose_name="collection",
                    ),
                ),
                (
                    "tags",
                    taggit.managers.TaggableManager(
                        blank=True, help_text=None, through="taggit.TaggedItem", to="taggit.Tag", verbose_name="tags"
                    ),
                ),
                (
                    "uploaded_by_user",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="uploaded by user",
                    ),
                ),
            ],
            options={
                "verbose_name": "document",
                "verbose_name_plural": "documents",
                "abstract": False,
            },
            bases=(modelsearch.index.Indexed, models.Model),
        ),
        migrations.CreateModel(
            name="FeaturedDocument",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("sort_order", models.IntegerField(blank=True, editable=False, null=True)),
                (
                    "document",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="featured_on",
                        to="documents.documentpage",
                        verbose_name="dokument",
                    ),
                ),
                (
                    "page",
                    modelcluster.fields.ParentalKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="featured_documents",
                        to="policy.topicpage",
                    ),
                ),
            ],
            options={
                "verbose_name": "utvalgt dokument",
                "verbose_name_plural": "utvalgte dokumenter",
                "ordering": ["sort_order"],
                "abstract": False,
            },
        ),
        migrations.RunPython(copy_to_private, copy_back_to_wagtail),
        migrations.AlterField(
            model_name="documentattachment",
            name="document",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="documents.documentfile",
                verbose_name="fil",
            ),
        ),
        migrations.AlterField(
            model_name="documentfacts",
            name="document",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE, related_name="facts", to="documents.documentfile"
            ),
        ),
        migrations.RunPython(remove_public_copies, restore_public_copies),
    ]
