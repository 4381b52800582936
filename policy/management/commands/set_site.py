from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail.models import Site

DEFAULT_PORTS = {"http": 80, "https": 443}


class Command(BaseCommand):
    help = (
        "Give the default Wagtail Site the host name and port of SITE_URL, so that canonical "
        "links, og:url, the sitemap and the feeds point where the site answers. Idempotent: "
        "run it on every deploy (make run does)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--print-address",
            action="store_true",
            help="Print only host:port of SITE_URL, for the development server to listen on.",
        )

    def handle(self, *args, print_address, **options):
        parts = urlsplit(settings.SITE_URL)
        hostname, port = parts.hostname, parts.port or DEFAULT_PORTS[parts.scheme]
        with transaction.atomic():
            site = Site.objects.select_for_update().filter(is_default_site=True).first()
            if site is None:
                raise CommandError("There is no default Site: run `manage.py migrate`, or mark one as default.")
            other = Site.objects.filter(hostname=hostname, port=port).exclude(pk=site.pk).first()
            if other is not None:
                raise CommandError(
                    f"The Site {other.site_name or other.pk!r} already has {hostname}:{port}; "
                    "give it another host name, or remove it, first."
                )
            changed = (site.hostname, site.port) != (hostname, port)
            if changed:
                site.hostname, site.port = hostname, port
                site.save(update_fields=["hostname", "port"])
        if print_address:
            host = f"[{hostname}]" if ":" in hostname else hostname
            self.stdout.write(f"{host}:{port}")
        elif options["verbosity"]:
            self.stdout.write(f"The default Site {'is now' if changed else 'was already'} {site.root_url}.")
