from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo content for a developer's machine (`make run`), built from the seed page.

    Installed only when DEMO_ENABLED (default: DEBUG) is on, so production never
    imports it. It is the one place allowed to import every feature app, because it
    fills all of them."""

    name = "demo"
    verbose_name = "Demoinnhold"
