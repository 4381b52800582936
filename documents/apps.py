from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Dokumenter"

    def ready(self):
        from policy import labels, registry

        from . import signals  # noqa: F401  (signals connects the upload signal)
        from .labels import LABELS
        from .sections import topic_documents_section

        labels.register(LABELS)
        registry.register_topic_section(
            "documents", order=20, template="documents/topic_section.html", get_context=topic_documents_section
        )
