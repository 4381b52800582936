from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = "Aktuelt"

    def ready(self):
        from policy import registry

        from . import cache, sections  # noqa: F401  (cache connects the purge signal handlers)

        registry.register_topic_section(
            "news", order=10, template="news/topic_section.html", get_context=sections.news_now_context, cached=True
        )
        registry.register_home_section(
            "news", order=20, template="news/home_section.html", get_context=sections.home_news_context, cached=True
        )
