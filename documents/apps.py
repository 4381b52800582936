from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Dokumenter"

    def ready(self):
        from policy import labels, registry

        from . import bench, signals  # noqa: F401  (signals connects the upload signal)
        from .demo import load_documents_demo
        from .labels import LABELS
        from .sections import topic_documents_section

        labels.register(LABELS)
        registry.register_topic_section(
            "documents", order=20, template="documents/topic_section.html", get_context=topic_documents_section
        )
        registry.register_demo_loader("documents", order=30, load=load_documents_demo)
        registry.register_bench_generator(
            "documents", order=20, generate=bench.generate, remove=bench.remove, default=10000
        )
