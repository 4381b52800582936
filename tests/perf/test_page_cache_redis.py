"""The page cache on a real Redis: CACHE_URL selects Django's Redis backend, a repeat
visit is served with one Redis command and no database query, and publishing purges.

Each test module run starts its own redis-server on a Unix socket (tests/perf/redisserver.py);
`make setup` installs it, and a machine without it fails here rather than skipping.
"""

import os
import subprocess
import sys

import pytest
from django.test import Client

from tests.conftest import ROOT
from tests.factories.policy import TopicPageFactory
from tests.perf import redisserver
from tests.perf.pages import parse_server_timing, redis_commands

pytestmark = pytest.mark.django_db

REDIS_BACKEND = "django.core.cache.backends.redis.RedisCache"


@pytest.fixture(scope="module")
def redis_server():
    try:
        with redisserver.running(max_memory="32mb") as server:
            yield server
    except RuntimeError as error:
        pytest.fail(str(error))


@pytest.fixture
def on_redis(settings, redis_server):
    """The site with its cache on the test's redis-server and the page cache on."""
    redis_server.command("FLUSHALL")
    settings.CACHES = {"default": {"BACKEND": REDIS_BACKEND, "LOCATION": redis_server.location}}
    settings.PAGE_CACHE_ENABLED = True
    settings.SERVER_TIMING = True
    return Client()


@pytest.fixture
def topic(home):
    return TopicPageFactory(parent=home, title="Fjellpolitikk", ingress="Ingress før publisering.")


SHOW_CACHE = """
import sys, environ
environ.Env.read_env = lambda *args, **kwargs: None  # this checkout's .env must not leak in
from django.core.cache import caches
cache = caches["default"]
print(type(cache).__module__ + "." + type(cache).__name__)
if len(sys.argv) > 1:
    cache.set("kr-check", "lagret i Redis")
    print(cache.get("kr-check"))
"""


def show_cache(**env):
    environment = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": "s" * 60,
        "ALLOWED_HOSTS": "www.example.no",
        "SITE_URL": "https://www.example.no",
        **env,
    }
    args = ["roundtrip"] if "CACHE_URL" in env else []
    result = subprocess.run(
        [sys.executable, "-c", SHOW_CACHE, *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_cache_url_selects_django_redis_backend(redis_server):
    assert show_cache(CACHE_URL=redis_server.cache_url) == [REDIS_BACKEND, "lagret", "i", "Redis"]
    assert redis_server.command("DBSIZE") == 1


def test_without_cache_url_the_database_cache_stays_the_default():
    assert show_cache() == ["django.core.cache.backends.db.DatabaseCache"]


def test_repeat_visit_is_one_redis_command_and_no_query(on_redis, topic, redis_server):
    first = on_redis.get(topic.url)
    redis_server.reset_stats()
    second = on_redis.get(topic.url)
    calls = redis_commands(redis_server)
    assert (first["X-Cache"], second["X-Cache"]) == ("MISS", "HIT")
    assert second.content == first.content
    assert "Ingress før publisering." in second.content.decode()
    assert calls == {"mget": 1}
    assert parse_server_timing(second["Server-Timing"])["queries"] == 0


def test_publishing_purges_the_page_on_redis(on_redis, topic, django_capture_on_commit_callbacks):
    on_redis.get(topic.url)
    on_redis.get(topic.url + "?utm=x")
    assert on_redis.get(topic.url + "?utm=x")["X-Cache"] == "HIT"
    topic.ingress = "Ny ingress etter publisering."
    with django_capture_on_commit_callbacks(execute=True):
        topic.save_revision().publish()
    fresh = on_redis.get(topic.url)
    assert fresh["X-Cache"] == "MISS"
    assert "Ny ingress etter publisering." in fresh.content.decode()
    assert on_redis.get(topic.url + "?utm=x")["X-Cache"] == "MISS"
    assert on_redis.get(topic.url)["X-Cache"] == "HIT"
