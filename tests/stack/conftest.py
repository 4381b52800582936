"""The stack `make stack` runs (scripts/stack.sh: Varnish, two gunicorn app nodes with
production settings, Redis, the task workers and the scheduler), started once for this
package on free ports against the test database, and stopped when the package is done.

The nodes are other processes, so they see only committed data: the tests here are
transactional (`stack_home` builds the site with the factories and commits it). The
test process itself shares the stack's Redis and purges through Varnish, so what it
publishes reaches the nodes as an editor's publishing would. A machine without Varnish
fails here (`make test` installs it), never skips.
"""

from urllib.parse import quote

import pytest
from django.db import connection

from tests.conftest import load_register
from tests.perf import stack as stack_module

REDIS_BACKEND = "django.core.cache.backends.redis.RedisCache"
# Purge generations and cached pages live this long on the stack (PAGE_CACHE_SECONDS), so
# the grace test sees an expired copy within seconds.
MAX_AGE = 3


def database_url(settings_dict):
    """A DATABASE_URL for config/settings.py naming the test database."""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = quote(settings_dict.get("HOST") or "", safe="")
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{settings_dict['NAME']}"


@pytest.fixture(scope="package")
def stack(django_db_setup, tmp_path_factory):
    from django.conf import settings

    mail = tmp_path_factory.mktemp("stack-mail")
    try:
        with stack_module.running(
            DATABASE_URL=database_url(connection.settings_dict),
            # Sessions the tests make (signed with the key) must be read by the nodes.
            SECRET_KEY=settings.SECRET_KEY,
            MAILER_URL=f"filebased://{mail}",
            PAGE_CACHE_SECONDS=MAX_AGE,
            LOG_LEVEL="ERROR",
        ) as running:
            yield running
    except RuntimeError as error:
        pytest.fail(str(error))


@pytest.fixture
def stack_home(transactional_db, stack, settings):
    """The home page of the stack's site, at Varnish's address (so purges carry the Host
    visitors use), with caches emptied and the test process on the stack's Redis and
    purging through Varnish."""
    from tests.factories.policy import site_tree

    stack.forget_everything()
    settings.CACHES = {"default": {"BACKEND": REDIS_BACKEND, "LOCATION": stack.redis.location}}
    settings.WAGTAILFRONTENDCACHE = {
        "pagecache": {"BACKEND": "policy.pagecache.PageCacheBackend"},
        "varnish": {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend", "LOCATION": stack.url},
    }
    settings.SITE_URL = stack.url
    load_register()
    home = site_tree(hostname="127.0.0.1", port=stack.http_port)
    # Whatever a node kept for the flushed tree is dropped with the old generation.
    from policy.pagecache import new_site_generation

    new_site_generation()
    return home
