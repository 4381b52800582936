"""Faults on the stack under load: an app node killed, Redis restarted, both nodes
frozen. Visitors go through Varnish the whole time; each test says what they saw."""

import contextlib
import signal
import threading
import time

import pytest
from django.test import Client

from pilots.models import Application
from tests.conftest import assert_no_axe_violations
from tests.factories.news import NewsIndexPageFactory, NewsPageFactory
from tests.factories.pilots import ApplicationFactory, RoundFactory
from tests.factories.policy import TopicPageFactory
from tests.factories.portal import ApplicantFactory
from tests.stack.conftest import MAX_AGE
from tests.stack.load import Applicant, Readers
from tests.stack.visits import cached_through, fetch

pytestmark = pytest.mark.django_db(transaction=True)

BOTH_HEALTHY = {"app1": "healthy", "app2": "healthy"}
APPLICANTS = 6


@pytest.fixture
def paths(stack_home):
    topic = TopicPageFactory(parent=stack_home, title="Fjellbygder", slug="fjellbygder")
    archive = NewsIndexPageFactory(parent=stack_home, title="Aktuelt", slug="aktuelt")
    item = NewsPageFactory(parent=archive, title="Ny ordning for fjellbygder", slug="ny-ordning", topics=[topic])
    return ["/", topic.url, archive.url, item.url]


@pytest.fixture
def applicants(stack, stack_home):
    """Applicants with complete drafts (one municipality each) and a signed-in session."""
    round = RoundFactory(eligible_classes=[1, 2, 3, 4, 5, 6], conditional_classes=[])
    municipalities = round.municipalities().filter(centralities__edition=round.centrality_edition)[:APPLICANTS]
    people = []
    for n, municipality in enumerate(municipalities):
        application = ApplicationFactory(
            round=round,
            created_by=ApplicantFactory(email=f"soker{n}@kommune{n}.example"),
            municipalities=[municipality.number],
            authorised=True,
        )
        client = Client()
        client.force_login(application.created_by)
        cookie = f"sessionid={client.cookies['sessionid'].value}"
        people.append(Applicant(stack.url, cookie, round.pk, application.pk))
    assert len(people) == APPLICANTS
    return people


@pytest.fixture
def restore(stack):
    """Whatever a test broke is running and healthy again for the next one."""
    yield
    for service in ("app1", "app2"):
        with contextlib.suppress(OSError, ValueError):  # a killed node has no group left
            stack.signal(service, signal.SIGCONT)
    stack.start_missing()
    stack.wait_for_health(BOTH_HEALTHY)


def test_a_killed_node_loses_no_anonymous_request_and_no_application(stack, paths, applicants, restore):
    stack.wait_for_health(BOTH_HEALTHY)
    readers = Readers(stack.url, paths, seconds=6).start()
    time.sleep(1.5)
    stack.kill_node(1)
    killed_at = time.monotonic()
    senders = [threading.Thread(target=a.send_in, daemon=True) for a in applicants]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join(timeout=120)
    readers.join()

    after_kill = [r for r in readers.requests if r.ended > killed_at]
    assert len(after_kill) >= 10, "too little load after the kill to tell"
    failures = [
        (r.path, r.status, round(r.started - killed_at, 2), round(r.ended - killed_at, 2)) for r in readers.failures()
    ]
    assert failures == [], f"{len(failures)} of {len(readers.requests)} anonymous requests failed: {failures[:8]}"
    assert [a.acknowledged for a in applicants] == [True] * APPLICANTS
    # A press that reached no node got Varnish's page in Norwegian, not a stack trace.
    for page in set().union(*(a.error_pages for a in applicants)):
        assert "Nettstedet er midlertidig utilgjengelig" in page
    for applicant in applicants:
        stored = Application.objects.get(pk=applicant.application_pk)
        assert stored.status != Application.Status.DRAFT and stored.reference
        assert Application.objects.filter(reference=stored.reference).count() == 1
    assert stack.node_health()["app1"] == "sick"
    print(
        f"\nnode killed: {len(readers.requests)} anonymous requests ({len(after_kill)} after the kill), 0 failed; "
        f"{APPLICANTS} applications acknowledged once each, {sum(a.errors for a in applicants)} presses answered 5xx"
    )


def test_restarting_redis_under_load_fails_no_more_than_the_requests_in_flight(stack, paths, applicants, restore):
    readers = Readers(stack.url, paths, seconds=6).start()
    # The signed-in applicant on their own page: sessions, and a page no cache holds.
    own_pages = Readers(stack.url, ["/soknad/"], threads=1, seconds=6, headers={"Cookie": applicants[0].cookie})
    own_pages.start()
    time.sleep(1.5)
    stopping = time.monotonic()
    stack.signal("redis", signal.SIGTERM)
    while stack.running("redis"):
        time.sleep(0.01)
    gone = time.monotonic()
    stack.restart("redis")
    back = time.monotonic()
    readers.join()
    own_pages.join()

    requests = readers.requests + own_pages.requests
    failed = [r for r in requests if r.failed]
    in_flight = readers.in_flight(stopping, gone) + own_pages.in_flight(stopping, gone)
    during = [r for r in requests if r.started >= gone]
    assert len(during) >= 10, "too little load after the restart to tell"
    assert len(failed) <= len(in_flight), (
        f"{len(failed)} failed of {len(requests)}; {len(in_flight)} were in flight when Redis went away"
    )
    assert stack.redis.command("PING") == "PONG"
    print(
        f"\nRedis restarted: gone {gone - stopping:.2f} s after SIGTERM, back {back - gone:.2f} s later; "
        f"{len(requests)} requests, "
        f"{len(failed)} failed, {len(in_flight)} in flight when it went away"
    )


def test_frozen_nodes_varnish_serves_the_stale_copy(stack, paths, restore, page):
    topic = paths[1]
    fresh = cached_through(stack, topic)
    time.sleep(MAX_AGE + 0.5)  # the copy has expired
    for service in ("app1", "app2"):
        stack.signal(service, signal.SIGSTOP)
    stack.wait_for_health({"app1": "sick", "app2": "sick"})
    started = time.monotonic()
    stale = fetch(stack.url, topic, timeout=10)
    assert time.monotonic() - started < 1
    assert stale.status == 200
    assert stale.body == fresh.body
    assert int(stale.headers["Age"]) > MAX_AGE
    # What nobody has a copy of gets Varnish's own page: in Norwegian, and accessible.
    assert page.goto(stack.url + "/ingen-kopi/").status == 503
    assert page.locator("h1").inner_text() == "Nettstedet er midlertidig utilgjengelig"
    assert page.evaluate("document.documentElement.lang") == "nb"
    assert_no_axe_violations(page)
    print(f"\nboth nodes frozen: the stale copy (Age {stale.headers['Age']} s) in {time.monotonic() - started:.2f} s")
