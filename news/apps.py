from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = "Aktuelt"

    def ready(self):
        from policy import labels, registry

        from . import cache, sections  # noqa: F401  (cache connects the purge signal handlers)

        labels.register(
            {
                "news": {"nb": "Nyhet", "nn": "Nyheit", "en": "News"},
                "press_release": {"nb": "Pressemelding", "nn": "Pressemelding", "en": "Press release"},
                "speech_article": {"nb": "Tale/artikkel", "nn": "Tale/artikkel", "en": "Speech/article"},
                "published": {"nb": "Publisert", "nn": "Publisert", "en": "Published"},
                "published_under": {"nb": "Publisert under", "nn": "Publisert under", "en": "Published under"},
                "last_updated": {"nb": "Sist oppdatert", "nn": "Sist oppdatert", "en": "Last updated"},
                "publisher": {"nb": "Utgiver", "nn": "Utgjevar", "en": "Publisher"},
                "change_history": {"nb": "Endringer", "nn": "Endringar", "en": "Changes"},
                "all_news_about": {"nb": "Alle saker om", "nn": "Alle saker om", "en": "All news about"},
            }
        )
        registry.register_topic_section(
            "news", order=10, template="news/topic_section.html", get_context=sections.news_now_context, cached=True
        )
        registry.register_home_section(
            "news", order=20, template="news/home_section.html", get_context=sections.home_news_context, cached=True
        )
