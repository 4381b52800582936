from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "policy"
    verbose_name = "Politikk og tema"

    def ready(self):
        from django.core.management import call_command

        from . import drafts, fragments, metrics, metrics_collectors, outbox, plumbing, ratelimit, registry, sitemap  # noqa: F401  (fragments and sitemap connect their signals)

        plumbing.install()
        registry.register_periodic_job(
            "publish_scheduled", every=60, run=lambda: call_command("publish_scheduled", verbosity=0)
        )
        registry.register_periodic_job("prune_rate_limits", every=3600, run=ratelimit.prune)
        registry.register_periodic_job("remove_abandoned_new_pages", every=3600, run=drafts.remove_abandoned_new_pages)
        # Mail whose send task was lost, or whose retry is due, is enqueued again.
        registry.register_periodic_job("outbox_sweep", every=60, run=outbox.sweep)
        registry.register_periodic_job("outbox_prune", every=3600, run=outbox.prune)
        # Figures for /metrics read at scrape time (feature apps register their own).
        metrics.register_collector("tasks", metrics_collectors.task_queues)
        metrics.register_collector("outbox", metrics_collectors.outbox_mail)
