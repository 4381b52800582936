from django import template

from documents import formatting

register = template.Library()


@register.filter
def attachment_label(attachment, language="nb"):
    """{{ attachment|attachment_label:page.language }} → "Retningslinjer (PDF, 2,3 MB, 48 sider)"."""
    return formatting.attachment_label(attachment.display_title, attachment.document, attachment.facts, language)


@register.filter
def file_facts(document, language="nb"):
    """{{ document|file_facts:page.language }} → "CSV, 9 KB"."""
    return formatting.file_facts_text(document, getattr(document, "facts", None), language)


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "") if mapping else ""
