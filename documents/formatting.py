"""How an attachment describes itself before you click: "Retningslinjer (PDF, 2,3 MB, 48 sider)".

Sizes use binary multiples (as GOV.UK and most operating systems show them) and the
Norwegian decimal comma; page counts say "1 side" / "48 sider" (the same in bokmål
and nynorsk).
"""

KIB = 1024
MIB = 1024 * 1024
GIB = 1024 * 1024 * 1024

PAGE_WORDS = {"nb": ("side", "sider"), "nn": ("side", "sider"), "en": ("page", "pages")}
BYTE_WORD = {"nb": "byte", "nn": "byte", "en": "bytes"}


def _decimal(value, language):
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return text if language == "en" else text.replace(".", ",")


def format_file_size(size, language="nb"):
    """ "850 byte", "12 KB", "2,3 MB", "1,2 GB" (English: "2.3 MB")."""
    if size is None:
        return ""
    if size < KIB:
        return f"{size} {BYTE_WORD.get(language, 'byte')}"
    if round(size / KIB) < KIB:
        return f"{max(1, round(size / KIB))} KB"
    if round(size / MIB, 1) < KIB:
        return f"{_decimal(size / MIB, language)} MB"
    return f"{_decimal(size / GIB, language)} GB"


def format_page_count(count, language="nb"):
    if not count:
        return ""
    singular, plural = PAGE_WORDS.get(language, PAGE_WORDS["nb"])
    return f"{count} {singular if count == 1 else plural}"


def file_facts_text(document, facts=None, language="nb"):
    """ "PDF, 2,3 MB, 48 sider": the file type, its size, and its page count when it was read."""
    parts = [document.file_extension.upper() or "Fil"]
    size = document.file_size if document.file_size is not None else getattr(facts, "file_size", None)
    if size is not None:
        parts.append(format_file_size(size, language))
    if facts is not None and facts.status == facts.Status.READABLE and facts.page_count:
        parts.append(format_page_count(facts.page_count, language))
    return ", ".join(parts)


def attachment_label(title, document, facts=None, language="nb"):
    return f"{title} ({file_facts_text(document, facts, language)})"
