from django import template

from documents import formatting

register = template.Library()


@register.filter
def attachment_label(attachment, language=None):
    """{{ attachment|attachment_label }} → "Retningslinjer (PDF, 2,3 MB, 48 sider)", in the
    active language or in `language` when given."""
    return formatting.attachment_label(attachment.display_title, attachment.document, attachment.facts, language)


@register.filter
def file_facts(document, language=None):
    """{{ document|file_facts }} → "CSV, 9 KB", in the active language or in `language`."""
    return formatting.file_facts_text(document, getattr(document, "facts", None), language)


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "") if mapping else ""
