"""The page cache for anonymous visitors: hits, what is never cached, and purging."""

import pytest
from django.core.cache import cache
from django.test import Client

from tests.factories.policy import StaffUserFactory, TopicPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic(home):
    return TopicPageFactory(parent=home, title="Fjellpolitikk")


@pytest.fixture
def cached(settings, topic):
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    return Client()


def test_second_anonymous_visit_is_a_hit(cached, topic):
    first = cached.get(topic.url)
    second = cached.get(topic.url)
    assert first["X-Cache"] == "MISS"
    assert second["X-Cache"] == "HIT"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert "Content-Security-Policy" in second


def test_signed_in_users_bypass_the_cache(cached, topic):
    cached.get(topic.url)
    editor = Client()
    editor.force_login(StaffUserFactory())
    response = editor.get(topic.url)
    assert "X-Cache" not in response
    assert "private" in response["Cache-Control"]


def test_posts_and_not_found_are_not_cached(cached, topic):
    assert "X-Cache" not in cached.post(topic.url)
    cached.get("/finnes-ikke/")
    assert "X-Cache" not in cached.get("/finnes-ikke/")


def test_publishing_purges_the_page_and_its_query_variants(cached, topic, django_capture_on_commit_callbacks):
    cached.get(topic.url)
    cached.get(topic.url + "?utm=x")
    assert cached.get(topic.url)["X-Cache"] == "HIT"
    topic.ingress = "Ny ingress etter publisering."
    with django_capture_on_commit_callbacks(execute=True):
        topic.save_revision().publish()
    fresh = cached.get(topic.url)
    assert fresh["X-Cache"] == "MISS"
    assert "Ny ingress etter publisering." in fresh.content.decode()
    assert cached.get(topic.url + "?utm=x")["X-Cache"] == "MISS"


def test_health_check_is_never_cached(cached):
    cached.get("/healthz")
    assert "X-Cache" not in cached.get("/healthz")
