"""Small UI labels that follow a page's or an item's målform (nb, nn or en).

Long UI text goes through Django's translation machinery; these short labels sit
inside content written in a particular målform, so they must match that content
rather than the visitor's interface language. Feature apps add their own labels
with `register()`.
"""

DEFAULT_LANGUAGE = "nb"

LABELS = {
    "read_more": {"nb": "Les mer", "nn": "Les meir", "en": "Read more"},
    "contact": {"nb": "Kontakt", "nn": "Kontakt", "en": "Contact"},
    "phone": {"nb": "Telefon", "nn": "Telefon", "en": "Phone"},
    "email": {"nb": "E-post", "nn": "E-post", "en": "Email"},
    "address": {"nb": "Adresse", "nn": "Adresse", "en": "Address"},
    "visiting_address": {"nb": "Besøksadresse", "nn": "Besøksadresse", "en": "Visiting address"},
    "news_now": {"nb": "Aktuelt nå", "nn": "Aktuelt no", "en": "Latest news"},
    "documents": {"nb": "Dokumenter", "nn": "Dokument", "en": "Documents"},
    "topics": {"nb": "Tema", "nn": "Tema", "en": "Topics"},
    "subtopics": {"nb": "Undertema", "nn": "Undertema", "en": "Subtopics"},
}


def register(labels):
    """Add labels from a feature app: {"key": {"nb": ..., "nn": ..., "en": ...}}."""
    for key, values in labels.items():
        LABELS.setdefault(key, {}).update(values)


def label(key, language=DEFAULT_LANGUAGE):
    values = LABELS[key]
    return values.get(language) or values[DEFAULT_LANGUAGE]
