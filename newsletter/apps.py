from django.apps import AppConfig
from django.conf import settings
from django.core import checks


class NewsletterConfig(AppConfig):
    name = "newsletter"
    verbose_name = "Nyhetsbrev"

    def ready(self):
        from anymail.signals import tracking

        from policy import metrics, registry

        from . import bounces, delivery_metrics, jobs

        registry.register_periodic_job("newsletter_sweeper", every=60, run=jobs.run_sweeper)
        registry.register_periodic_job("newsletter_prune_signup_tasks", every=600, run=jobs.prune_signup_tasks)
        # The mail provider's hard bounces and complaints (webhooks.py) reach the suppression list.
        tracking.connect(bounces.on_tracking, dispatch_uid="newsletter.bounces")
        metrics.register_collector("newsletter", delivery_metrics.delivery_states)
        checks.register(check_hash_key, checks.Tags.security)
        checks.register(check_provider_webhook)


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


def check_provider_webhook(app_configs, **kwargs):
    """Mail sent through Mailgun whose bounce reports cannot arrive: bounced addresses
    would be mailed again and again, which providers punish by throttling the sender."""
    mailgun = [
        alias
        for alias, mailer in getattr(settings, "MAILERS", {}).items()
        if mailer.get("BACKEND", "").startswith("anymail.backends.mailgun")
    ]
    if not mailgun or getattr(settings, "ANYMAIL", {}).get("MAILGUN_WEBHOOK_SIGNING_KEY"):
        return []
    return [
        checks.Warning(
            f"Mail goes through Mailgun ({', '.join(mailgun)}) but MAILGUN_WEBHOOK_SIGNING_KEY is not set, "
            "so its tracking webhook is off and hard bounces and complaints are never suppressed.",
            hint="Set MAILGUN_WEBHOOK_SIGNING_KEY to Mailgun's HTTP webhook signing key and point the "
            "webhooks for permanent failures and spam complaints at /anymail/mailgun/tracking/.",
            id="newsletter.W002",
        )
    ]
