"""What Varnish shares and what it never does: anonymous public pages are served from
its cache without anyone's cookies, tokens or name; forms, signed-in visitors and
their pages always reach a node; only the app nodes may purge, per host and path."""

import pytest
from django.conf import settings
from django.test import Client

from tests.factories.news import NewsIndexPageFactory, NewsPageFactory
from tests.factories.policy import TopicPageFactory
from tests.factories.portal import ApplicantFactory
from tests.stack.visits import CSRF_RE, cached_through, fetch

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "kari.fjellheim@fjellbygd.example"
ANALYTICS = "_ga=GA1.1.1234.5678; _pk_id.1.abcd=ef01"


@pytest.fixture
def pages(stack_home):
    topic = TopicPageFactory(parent=stack_home, title="Fjellbygder", slug="fjellbygder")
    archive = NewsIndexPageFactory(parent=stack_home, title="Aktuelt", slug="aktuelt")
    item = NewsPageFactory(parent=archive, title="Ny ordning for fjellbygder", slug="ny-ordning", topics=[topic])
    return {"topic": topic.url, "archive": archive.url, "feed": archive.url + "rss/", "item": item.url}


@pytest.fixture
def applicant_cookie(stack_home):
    """The session cookie of an applicant signed in with an e-mail link."""
    client = Client()
    client.force_login(ApplicantFactory(email=EMAIL))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def test_public_pages_are_shared_and_carry_nothing_personal(stack, pages):
    for name, path in pages.items():
        first = fetch(stack.url, path, headers={"Cookie": ANALYTICS})
        shared = cached_through(stack, path)
        assert first.status == 200, name
        assert shared.body == first.body, f"{name}: the visitor with analytics cookies got another copy"
        assert int(shared.headers["Age"]) >= 0
        assert "public" in shared.headers["Cache-Control"], name
        assert shared.cookies == [], f"{name} came from the cache with Set-Cookie"
        assert not CSRF_RE.search(shared.text), f"{name} came from the cache with a CSRF token"
        assert EMAIL not in shared.text
        # Personal answers differ by cookie; Varnish compresses and says so.
        vary = {v.strip().lower() for v in shared.headers.get("Vary", "").split(",")}
        assert "cookie" in vary and "*" not in vary, f"{name}: Vary {shared.headers.get('Vary')!r}"
        if shared.headers.get("Content-Encoding") == "gzip":
            assert "accept-encoding" in vary


def test_a_form_is_never_shared_and_every_visitor_gets_their_own_token(stack, stack_home):
    answers = [fetch(stack.url, "/soknad/logg-inn/") for _ in range(3)]
    tokens = set()
    for answer in answers:
        assert answer.status == 200
        assert not answer.from_cache
        assert "public" not in answer.headers.get("Cache-Control", "")
        assert any(c.startswith("csrftoken=") for c in answer.cookies)
        tokens.add(CSRF_RE.search(answer.text).group(1))
    assert len(tokens) == 3, "two visitors got the same CSRF token"


def test_a_visitor_with_a_csrf_cookie_goes_past_the_cache(stack, pages):
    cached_through(stack, pages["topic"])
    answer = fetch(stack.url, pages["topic"], headers={"Cookie": "csrftoken=abcdefghijklmnopqrstuvwxyz012345"})
    assert answer.status == 200 and not answer.from_cache


def test_a_signed_in_applicant_never_gets_a_cached_page(stack, pages, applicant_cookie):
    shared = cached_through(stack, pages["topic"])
    assert shared.from_cache
    for path in (pages["topic"], "/soknad/", "/soknad/", pages["archive"]):
        answer = fetch(stack.url, path, headers={"Cookie": f"{ANALYTICS}; {applicant_cookie}"})
        assert answer.status == 200, path
        assert not answer.from_cache, f"{path}: X-Varnish {answer.headers['X-Varnish']}"
        assert answer.headers["Age"] == "0"
        assert "private" in answer.headers["Cache-Control"], path
    own = fetch(stack.url, "/soknad/", headers={"Cookie": applicant_cookie})
    assert f"Logget inn som {EMAIL}" in own.text
    # Nobody else is shown the applicant's page, even right after it.
    anonymous = fetch(stack.url, "/soknad/")
    assert anonymous.status == 302 and EMAIL not in anonymous.text
    assert EMAIL not in fetch(stack.url, pages["topic"]).text


def test_purge_only_from_the_app_nodes_and_only_for_the_host_and_path(stack, pages):
    topic, archive = pages["topic"], pages["archive"]
    cached_through(stack, topic)
    cached_through(stack, archive)
    cached_through(stack, archive + "?page=2")
    host = f"127.0.0.1:{stack.http_port}"

    for method in ("PURGE", "BAN"):
        refused = fetch(stack.url, topic, method=method, headers={"Host": host}, source="127.0.0.2")
        assert refused.status == 405, method
    assert fetch(stack.url, topic).from_cache

    other_host = fetch(stack.url, topic, method="PURGE", headers={"Host": f"localhost:{stack.http_port}"})
    assert other_host.status == 200
    assert fetch(stack.url, topic).from_cache, "a purge for another host emptied this one"

    assert fetch(stack.url, archive, method="PURGE", headers={"Host": host}).status == 200
    assert not fetch(stack.url, archive).from_cache
    assert not fetch(stack.url, archive + "?page=2").from_cache, "a query-string variant survived its path's purge"
    assert fetch(stack.url, topic).from_cache, "a purge of one path emptied another"
