"""How an attachment describes itself before you click: "Retningslinjer (PDF, 2,3 MB, 48 sider)".

Sizes use binary multiples (as GOV.UK and most operating systems show them) and the
decimal separator of the language (a comma in Norwegian); the words come from the
message catalogues. Each function speaks the active language, or `language` when given
(an item in another målform than the page around it).
"""

import contextlib

from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

KIB = 1024
MIB = 1024 * 1024
GIB = 1024 * 1024 * 1024


def _speaking(language):
    return translation.override(language) if language else contextlib.nullcontext()


def _decimal(value):
    value = round(value, 1)
    return number_format(value, 0 if value == int(value) else 1)


def format_file_size(size, language=None):
    """ "850 byte", "12 KB", "2,3 MB", "1,2 GB" (English: "2.3 MB")."""
    if size is None:
        return ""
    with _speaking(language):
        return _file_size(size)


def _file_size(size):
    if size < KIB:
        return ngettext("%(size)s byte", "%(size)s byte", size) % {"size": size}
    if round(size / KIB) < KIB:
        return f"{max(1, round(size / KIB))} KB"
    if round(size / MIB, 1) < KIB:
        return f"{_decimal(size / MIB)} MB"
    return f"{_decimal(size / GIB)} GB"


def format_page_count(count, language=None):
    if not count:
        return ""
    with _speaking(language):
        return ngettext("%(count)s side", "%(count)s sider", count) % {"count": count}


def file_facts_text(document, facts=None, language=None):
    """ "PDF, 2,3 MB, 48 sider": the file type, its size, and its page count when it was read."""
    with _speaking(language):
        return _file_facts(document, facts)


def _file_facts(document, facts):
    parts = [document.file_extension.upper() or gettext("Fil")]
    size = document.file_size if document.file_size is not None else getattr(facts, "file_size", None)
    if size is not None:
        parts.append(format_file_size(size))
    if facts is not None and facts.status == facts.Status.READABLE and facts.page_count:
        parts.append(format_page_count(facts.page_count))
    return ", ".join(parts)


def attachment_label(title, document, facts=None, language=None):
    return f"{title} ({file_facts_text(document, facts, language)})"
