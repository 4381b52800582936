from django.apps import AppConfig


class PilotsConfig(AppConfig):
    name = "pilots"
    verbose_name = "Bygdevekstavtaler: søknader"

    def ready(self):
        from policy.registry import register_demo_loader

        from .demo import load_demo

        register_demo_loader("pilots", order=40, load=load_demo)
