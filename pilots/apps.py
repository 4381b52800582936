from django.apps import AppConfig


class PilotsConfig(AppConfig):
    name = "pilots"
    verbose_name = "Bygdevekstavtaler: søknader"

    def ready(self):
        from policy.registry import register_bench_generator, register_demo_loader

        from . import bench
        from .casework_demo import load_casework_demo
        from .demo import load_demo

        register_demo_loader("pilots", order=40, load=load_demo)
        register_demo_loader("pilots_casework", order=45, load=load_casework_demo)
        register_bench_generator("applications", order=40, generate=bench.generate, remove=bench.remove, default=2000)
