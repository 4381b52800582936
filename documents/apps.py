from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Dokumenter"

    def ready(self):
        from policy import registry

        from . import signals  # noqa: F401  (signals connects the upload and purge signals)
        from .sections import topic_documents_section

        registry.register_topic_section(
            "documents",
            order=20,
            template="documents/topic_section.html",
            get_context=topic_documents_section,
            cached=True,
        )
        add_featured_documents_panel()


def add_featured_documents_panel():
    """Let editors choose a topic page's featured documents on the topic page itself.

    The extension point for a feature app that keeps per-topic content: the rows are
    an Orderable with a ParentalKey to policy.TopicPage in the app's own models (here
    FeaturedDocument), so they are part of the topic page's revisions, previews and
    publishing; the app adds an InlinePanel for them to TopicPage.content_panels here,
    in ready(), before Wagtail builds the edit form on first use. policy never imports
    the app."""
    from django.utils.translation import gettext_lazy as _
    from wagtail.admin.panels import InlinePanel

    from policy.models import TopicPage

    TopicPage.content_panels = [
        *TopicPage.content_panels,
        InlinePanel(
            "featured_documents",
            heading=_("Utvalgte dokumenter"),
            label=_("Dokument"),
            help_text=_(
                "Vises først under «Dokumenter» på temasiden, i denne rekkefølgen. "
                "Resten fylles opp med de nyeste dokumentene om temaet."
            ),
        ),
    ]
