from django.apps import AppConfig


class PilotsConfig(AppConfig):
    name = "pilots"
    verbose_name = "Bygdevekstavtaler: søknader"

    def ready(self):
        from django.conf import settings

        from policy import registry

        from .casework.retention import apply_retention
        from .portal import sections
        from .portal.auth import prune_sign_in_tokens
        from .portal.uploads import sweep_pending

        registry.register_home_section(
            "open_calls", order=10, template="pilots/home_section.html", get_context=sections.open_calls_context
        )
        # What the privacy statement promises: old applications anonymised, used-up sign-in links gone.
        registry.register_periodic_job(
            "pilots_retention", every=24 * 3600, run=lambda: apply_retention(settings.PILOTS_RETENTION_YEARS)
        )
        registry.register_periodic_job("pilots_prune_sign_in_tokens", every=3600, run=prune_sign_in_tokens)
        # A file whose check died with its worker is checked again, so submitting never waits for ever.
        registry.register_periodic_job("pilots_sweep_attachment_checks", every=300, run=sweep_pending)
