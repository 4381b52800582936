"""Blocks for a document's body: chapters (with a table of contents) and data tables."""

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.text import slugify
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock

from policy.blocks import TEXT_FEATURES, CalloutBlock, LanguageBlock, ParagraphBlock

from .tables import MAX_ROWS, read_table

TABLE_EXTENSIONS = ("csv", "xlsx")


class ChapterBlock(blocks.StructBlock):
    """One chapter of a long document; the page lists chapters in its table of contents."""

    heading = blocks.CharBlock(label="Kapitteloverskrift")
    body = blocks.RichTextBlock(features=["h3", "h4", *TEXT_FEATURES], label="Tekst")

    class Meta:
        icon = "doc-full"
        label = "Kapittel"
        template = "documents/blocks/chapter.html"

    @staticmethod
    def anchor(value):
        return "kapittel-" + (slugify(value["heading"]) or "uten-tittel")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["anchor"] = self.anchor(value)
        return context


class DataTableBlock(blocks.StructBlock):
    """An uploaded CSV or XLSX file shown as an accessible table, with the file offered for download."""

    file = DocumentChooserBlock(label="Fil (CSV eller XLSX)")
    caption = blocks.CharBlock(label="Tabelltittel", help_text="Vises over tabellen og forteller hva den viser.")
    source = blocks.CharBlock(
        label="Kilde", required=False, help_text="For eksempel «Kilde: Statistisk sentralbyrå (SSB)»."
    )
    header_row = blocks.BooleanBlock(label="Første rad er kolonneoverskrifter", required=False, default=True)
    row_headers = blocks.BooleanBlock(label="Første kolonne er radoverskrifter", required=False, default=True)
    lang = LanguageBlock()

    class Meta:
        icon = "table"
        label = "Datatabell"
        template = "documents/blocks/data_table.html"

    def clean(self, value):
        value = super().clean(value)
        document = value.get("file")
        if document and document.file_extension.lower() not in TABLE_EXTENSIONS:
            raise StructBlockValidationError(block_errors={"file": ValidationError("Velg en CSV- eller XLSX-fil.")})
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        table = read_table(value["file"]) if value.get("file") else None
        page = (parent_context or {}).get("page")
        language = value.get("lang") or getattr(page, "language", None) or translation.get_language()
        context["table"] = table
        context["table_id"] = "tabell-" + (slugify(value.get("caption") or "")[:50] or "data")
        context["language"] = language
        if table and table.truncated:
            with translation.override(language):
                context["truncated_note"] = translation.gettext(
                    "Tabellen viser de første %(rows)s radene. Last ned fila for å se alle."
                ) % {"rows": MAX_ROWS}
        return context


class DocumentStreamBlock(blocks.StreamBlock):
    """A document's body: text, chapters (listed in the table of contents), data tables
    and fact boxes."""

    paragraph = ParagraphBlock()
    chapter = ChapterBlock()
    data_table = DataTableBlock()
    callout = CalloutBlock()
