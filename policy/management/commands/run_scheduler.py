import logging
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from policy import registry

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Run periodic jobs (Wagtail's scheduled publishing and those feature apps register) "
        "until stopped. In production, run one instance, or call the jobs from cron with --once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run every job once and exit.")
        parser.add_argument("--tick", type=float, default=5.0, help="Seconds between checks.")

    def handle(self, *args, once=False, tick=5.0, **options):
        last_run = {}
        while True:
            now = time.monotonic()
            for job in registry.periodic_jobs():
                if once or now - last_run.get(job.name, -job.every) >= job.every:
                    last_run[job.name] = now
                    try:
                        job.run()
                    except Exception:
                        # One failing job must not stop scheduled publishing.
                        logger.exception("Periodic job %s failed", job.name)
                    finally:
                        close_old_connections()
            if once:
                return
            time.sleep(tick)
