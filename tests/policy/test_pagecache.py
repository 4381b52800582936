"""The page cache for anonymous visitors: hits, what is never cached, and purging."""

import pytest
from django.test import Client

from policy.models import TopicPage

pytestmark = pytest.mark.django_db

TOPIC_URL = "/kommuner-og-regioner/regional-og-distriktspolitikk/"


@pytest.fixture
def cached(settings, demo_site):
    settings.PAGE_CACHE_ENABLED = True
    from django.core.cache import cache

    cache.clear()
    return Client()


def test_second_anonymous_visit_is_a_hit(cached):
    first = cached.get(TOPIC_URL)
    second = cached.get(TOPIC_URL)
    assert first["X-Cache"] == "MISS"
    assert second["X-Cache"] == "HIT"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert "Content-Security-Policy" in second


def test_signed_in_users_bypass_the_cache(cached, django_user_model):
    cached.get(TOPIC_URL)
    editor = Client()
    editor.force_login(django_user_model.objects.create_user("editor", password="x"))
    response = editor.get(TOPIC_URL)
    assert "X-Cache" not in response
    assert "private" in response["Cache-Control"]


def test_posts_and_not_found_are_not_cached(cached):
    assert "X-Cache" not in cached.post(TOPIC_URL)
    cached.get("/finnes-ikke/")
    assert "X-Cache" not in cached.get("/finnes-ikke/")


def test_publishing_purges_the_page_and_its_query_variants(cached, django_capture_on_commit_callbacks):
    cached.get(TOPIC_URL)
    cached.get(TOPIC_URL + "?utm=x")
    assert cached.get(TOPIC_URL)["X-Cache"] == "HIT"
    topic = TopicPage.objects.get(slug="regional-og-distriktspolitikk")
    topic.ingress = "Ny ingress etter publisering."
    with django_capture_on_commit_callbacks(execute=True):
        topic.save_revision().publish()
    fresh = cached.get(TOPIC_URL)
    assert fresh["X-Cache"] == "MISS"
    assert "Ny ingress etter publisering." in fresh.content.decode()
    assert cached.get(TOPIC_URL + "?utm=x")["X-Cache"] == "MISS"


def test_health_check_is_never_cached(cached):
    cached.get("/healthz")
    assert "X-Cache" not in cached.get("/healthz")


def test_every_live_page_is_shared_only_when_it_has_no_form_token(cached):
    """Pages with a CSRF token (forms) must never be cached for everyone; all other
    live pages must be, or the page cache and the CDN do nothing for them."""
    from wagtail.models import Page

    checked = 0
    for page in Page.objects.live().public().specific().filter(depth__gt=1):
        response = cached.get(page.url)
        if response.status_code != 200:
            continue
        checked += 1
        has_token = b'name="csrfmiddlewaretoken"' in response.content
        cache_control = response["Cache-Control"]
        if has_token:
            assert "private" in cache_control, page.url
        else:
            assert "public" in cache_control, f"{page.url} is not cacheable: {cache_control}"
    assert checked >= 10
