from django.apps import AppConfig


class PilotsConfig(AppConfig):
    name = "pilots"
    verbose_name = "Bygdevekstavtaler: søknader"

    def ready(self):
        from django.conf import settings

        from policy import outbox, registry

        from .casework import tasks as casework_tasks
        from .casework.retention import apply_retention
        from .portal import sections
        from .portal import tasks as portal_tasks
        from .portal.auth import prune_sign_in_tokens
        from .portal.uploads import sweep_pending

        registry.register_home_section(
            "open_calls",
            order=10,
            template="pilots/home_section.html",
            get_context=sections.open_calls_context,
            cached=True,
            changes_at=sections.next_round_change,
        )
        # What the privacy statement promises: old applications anonymised, used-up sign-in links gone.
        registry.register_periodic_job(
            "pilots_retention", every=24 * 3600, run=lambda: apply_retention(settings.PILOTS_RETENTION_YEARS)
        )
        registry.register_periodic_job("pilots_prune_sign_in_tokens", every=3600, run=prune_sign_in_tokens)
        # A file whose check died with its worker is checked again, so submitting never waits for ever.
        registry.register_periodic_job("pilots_sweep_attachment_checks", every=300, run=sweep_pending)
        # Sign-in and invitation links are made when their mail is sent, never stored.
        outbox.register_link_maker(portal_tasks.SIGN_IN_KEY, portal_tasks.sign_in_url)
        outbox.register_link_maker(portal_tasks.INVITATION_KEY, portal_tasks.invitation_url)
        # A decision's complaint deadline runs from when its mail was sent.
        outbox.register_on_sent(casework_tasks.DECISION_KEY, casework_tasks.record_sent)
