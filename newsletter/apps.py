from django.apps import AppConfig
from django.conf import settings
from django.core import checks


class NewsletterConfig(AppConfig):
    name = "newsletter"
    verbose_name = "Nyhetsbrev"

    def ready(self):
        from policy import registry

        from . import jobs

        registry.register_periodic_job("newsletter_sweeper", every=60, run=jobs.run_sweeper)
        registry.register_periodic_job("newsletter_prune_signup_tasks", every=600, run=jobs.prune_signup_tasks)
        checks.register(check_hash_key, checks.Tags.security)


def check_hash_key(app_configs, **kwargs):
    # Local development runs with DEBUG on and may use the derived key quietly.
    if getattr(settings, "NEWSLETTER_HASH_KEY", "") or settings.DEBUG:
        return []
    return [
        checks.Warning(
            "NEWSLETTER_HASH_KEY is not set; the suppression list's hashes are keyed with a key derived "
            "from SECRET_KEY.",
            hint="Set NEWSLETTER_HASH_KEY to a long random value and never change it: rotating SECRET_KEY "
            "would otherwise make the suppression list forget every address on it.",
            id="newsletter.W001",
        )
    ]
