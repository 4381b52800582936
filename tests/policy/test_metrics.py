"""/metrics for operators: Prometheus' text format, readable only with the bearer token
or from an allowed address (anyone else gets the site's ordinary 404), never cached;
task queues, the outbox and newsletter deliveries read from the database at scrape
time in a fixed number of queries; request latency by view name, never by path; and
refusals counted where a limit refuses.

The suite runs in prometheus_client's multiprocess mode (config/test_settings.py), as
production does; tests/policy/test_metrics_processes.py adds up real gunicorn workers."""

import datetime

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from newsletter import sending
from newsletter.models import Delivery, IssueDispatch
from policy import metrics, outbox, ratelimit
from policy.models import OutgoingMail
from tests.factories.newsletter import (
    NewsletterIndexPageFactory,
    NewsletterIssuePageFactory,
    NewsletterListFactory,
    subscribed,
)
from tests.factories.pdf import text_pdf
from tests.factories.pilots import CLASS_6, ApplicationFactory, RoundFactory, staff
from tests.factories.portal import ApplicantFactory
from tests.metrics import TOKEN, parse, scrape

pytestmark = pytest.mark.django_db

METRICS = "/metrics"
COUNT = "kr_http_request_duration_seconds_count"
REFUSALS = "kr_rate_limit_refusals_total"
DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "mail", "bulk", "uploads"]}
}


@pytest.fixture(autouse=True)
def metrics_access(settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_IPS = []
    settings.TRUSTED_PROXY_COUNT = 0


def newsletter_sent_to(home, addresses, *, started_days_ago=0):
    """An issue whose sending has started: one queued delivery per address."""
    newsletter_list = NewsletterListFactory()
    archive = NewsletterIndexPageFactory(parent=home, newsletter_list=newsletter_list)
    issue = NewsletterIssuePageFactory(parent=archive, publish=True)
    for address in addresses:
        subscribed(address, newsletter_list)
    sending.start_sending(issue)  # the drains are enqueued on commit, which never comes here
    started = timezone.now() - datetime.timedelta(days=started_days_ago)
    IssueDispatch.objects.filter(issue=issue).update(started_at=started)
    return issue


# --- Who may read it ---------------------------------------------------------------


@pytest.mark.parametrize(
    "authorization",
    [None, f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}", f"Basic {TOKEN}", f"Token {TOKEN}", "Bearer "],
    ids=["none", "longer", "shorter", "basic", "other scheme", "empty"],
)
def test_without_the_token_it_is_the_sites_ordinary_not_found_page(client, home, authorization):
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    response = client.get(METRICS, **headers)
    unknown = client.get("/finnes-ikke/")
    assert response.status_code == unknown.status_code == 404
    assert "Fant ikke siden" in response.text and "Fant ikke siden" in unknown.text
    assert "kr_" not in response.text
    assert response["Cache-Control"] == "no-store"


def test_with_neither_a_token_nor_addresses_configured_nobody_reads_it(client, home, settings):
    settings.METRICS_TOKEN = ""
    assert client.get(METRICS, HTTP_AUTHORIZATION="Bearer ").status_code == 404
    assert client.get(METRICS, HTTP_AUTHORIZATION=f"Bearer {TOKEN}", REMOTE_ADDR="127.0.0.1").status_code == 404


def test_with_the_token_it_is_prometheus_text_that_no_cache_keeps(client, home, settings):
    settings.PAGE_CACHE_ENABLED = True
    response = client.get(METRICS, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies
    text = response.content.decode()
    assert "# TYPE kr_tasks_ready gauge" in text
    assert "# TYPE kr_http_request_duration_seconds histogram" in text
    assert parse(text)("kr_metrics_collector_up", collector="outbox") == 1
    # Nothing was stored for the next caller, who has no token.
    after = Client().get(METRICS)
    assert after.status_code == 404 and "X-Cache" not in after


def test_from_an_allowed_address_as_the_rate_limits_read_it(client, home, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = ["192.0.2.0/24", "2001:db8::1"]
    assert client.get(METRICS, REMOTE_ADDR="192.0.2.15").status_code == 200
    assert client.get(METRICS, REMOTE_ADDR="::ffff:192.0.2.15").status_code == 200
    assert client.get(METRICS, REMOTE_ADDR="2001:db8::1").status_code == 200
    assert client.get(METRICS, REMOTE_ADDR="198.51.100.4").status_code == 404
    # Without a trusted proxy a forged X-Forwarded-For changes nothing ...
    assert client.get(METRICS, REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_FOR="192.0.2.15").status_code == 404
    # ... behind one, the address the proxy saw is the one that counts, not the proxy's.
    settings.TRUSTED_PROXY_COUNT = 1
    assert client.get(METRICS, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.15").status_code == 200
    assert client.get(METRICS, REMOTE_ADDR="192.0.2.15", HTTP_X_FORWARDED_FOR="198.51.100.4").status_code == 404


# --- What it shows -----------------------------------------------------------------


def test_a_scrape_shows_queues_outbox_deliveries_and_refusals_as_they_are(client, home, settings):
    settings.TASKS = DATABASE_TASKS
    before = scrape(client)
    now = timezone.now()

    # Three mails wait for the mail worker, the oldest for two minutes; one is not due yet.
    oldest = outbox.send_outgoing_mail.enqueue(9001)
    DBTaskResult.objects.filter(pk=oldest.id).update(enqueued_at=now - datetime.timedelta(minutes=2))
    outbox.send_outgoing_mail.enqueue(9002)
    outbox.send_outgoing_mail.enqueue(9003)
    outbox.send_outgoing_mail.using(run_after=now + datetime.timedelta(hours=1)).enqueue(9004)

    # One outbox row failed (no recipient); one has waited eleven minutes for a worker.
    outbox.queue_mail(to=[], subject="Uten mottaker", body="Ingen får denne.", key="test.metrics:failed")
    waiting = outbox.queue_mail(to=["ola@kommune.example"], subject="Kvittering", body="Mottatt.", key="test.metrics:1")
    OutgoingMail.objects.filter(pk=waiting.pk).update(next_attempt_at=now - datetime.timedelta(minutes=11))

    # An issue going out to three subscribers, one delivered; an issue sent two months ago.
    issue = newsletter_sent_to(home, ["a@fjellbygd.example", "b@fjellbygd.example", "c@fjellbygd.example"])
    delivered = Delivery.objects.filter(issue=issue).order_by("pk").first()
    Delivery.objects.filter(pk=delivered.pk).update(status=Delivery.SENT)
    newsletter_sent_to(home, ["d@fjellbygd.example", "e@fjellbygd.example"], started_days_ago=60)

    # An applicant's upload over the limit, and a staff sign-in during a lock-out.
    settings.PILOTS_UPLOADS_PER_USER = 0
    applicant = ApplicantFactory(email="ola@kommune.example")
    application = ApplicationFactory(round=RoundFactory(), created_by=applicant, municipalities=[CLASS_6])
    uploader = Client()
    uploader.force_login(applicant)
    refused_upload = uploader.post(
        reverse("pilots:attachments", args=[application.round_id, application.pk]),
        {"action": "upload", "kind": "other", "file": SimpleUploadedFile("vedtak.pdf", text_pdf("Vedtak", [["Ja"]]))},
    )
    assert refused_upload.status_code == 429
    settings.AXES_FAILURE_LIMIT = 2
    staff("Beslutter", username="beslutter")
    statuses = [
        Client().post("/admin/login/", {"username": "beslutter", "password": "feil"}).status_code for _ in range(2)
    ]
    assert statuses == [200, 429]

    after = scrape(client)
    assert after("kr_tasks_ready", queue="mail") == 3
    assert after("kr_tasks_ready", queue="bulk") == 0
    assert 120 <= after("kr_tasks_oldest_ready_age_seconds", queue="mail") < 180
    assert after("kr_tasks_oldest_ready_age_seconds", queue="bulk") == 0
    assert [after("kr_outbox_mails", state=state) for state in ("pending", "sent", "failed", "void")] == [1, 0, 1, 0]
    assert after("kr_outbox_overdue_mails") == 1
    deliveries = {state: after("kr_newsletter_deliveries", state=state) for state in ("queued", "sent", "failed")}
    assert deliveries == {"queued": 2, "sent": 1, "failed": 0}
    assert after.delta(before, REFUSALS, scope="upload:user") == 1
    assert after.delta(before, REFUSALS, scope="staff-sign-in") == 1
    assert {
        labels["collector"]: after("kr_metrics_collector_up", **labels)
        for labels in after.labels_of("kr_metrics_collector_up")
    } == {"tasks": 1, "outbox": 1, "newsletter": 1}


def test_a_page_is_in_the_latency_histogram_under_its_page_type_never_its_path(client, topic, settings):
    settings.PAGE_CACHE_ENABLED = True
    visitor = Client()
    before = scrape(client)
    assert visitor.get(topic.url).status_code == 200
    assert visitor.get(topic.url)["X-Cache"] == "HIT"
    assert visitor.get("/healthz").status_code == 200
    assert visitor.get("/finnes-ikke/").status_code == 404
    after = scrape(client)

    assert after.delta(before, COUNT, view="page:policy.topicpage", status="2xx") == 1
    assert after.delta(before, COUNT, view="pagecache", status="2xx") == 1
    assert after.delta(before, COUNT, view="healthz", status="2xx") == 1
    assert after.delta(before, COUNT, view="wagtail_serve", status="4xx") == 1
    assert after.delta(before, COUNT, view="metrics", status="2xx") == 1  # the first scrape
    page = {"view": "page:policy.topicpage", "status": "2xx"}
    assert after("kr_http_request_duration_seconds_bucket", le="+Inf", **page) == after(COUNT, **page)
    assert after("kr_http_request_duration_seconds_sum", **page) > 0
    views = {labels["view"] for labels in after.labels_of(COUNT)}
    assert not [view for view in views if "/" in view or "fjellpolitikk" in view]


def test_the_scrape_asks_the_same_few_queries_whatever_the_data(client, home, settings):
    settings.TASKS = DATABASE_TASKS

    def queries():
        with CaptureQueriesContext(connection) as captured:
            scrape(client)
        return len(captured)

    empty = queries()
    for number in range(20):
        outbox.send_outgoing_mail.enqueue(number)
        outbox.queue_mail(to=[], subject="Uten mottaker", body="-", key=f"test.metrics:{number}")
    newsletter_sent_to(home, [f"abonnent{number}@fjellbygd.example" for number in range(10)])
    assert queries() == empty == 3  # one per collector: tasks, outbox, newsletter


def test_the_scrape_answers_while_the_cache_is_down(client, home, monkeypatch):
    def cache_down(*args, **kwargs):
        raise ConnectionError("Redis is restarting")

    for method in ("get", "get_many", "get_or_set", "set"):
        monkeypatch.setattr(cache, method, cache_down)
    figures = scrape(client)
    assert figures("kr_outbox_mails", state="failed") == 0


def test_a_failing_collector_shows_as_down_and_the_others_still_show(client, home, monkeypatch):
    def broken():
        raise RuntimeError("the figures are out of reach")

    monkeypatch.setitem(metrics._collectors, "broken", broken)
    figures = scrape(client)
    assert figures("kr_metrics_collector_up", collector="broken") == 0
    assert figures("kr_metrics_collector_up", collector="outbox") == 1
    assert figures("kr_outbox_mails", state="failed") == 0


def test_outside_multiprocess_mode_a_scrape_shows_this_process_own_figures(db):
    assert metrics.multiprocess_mode()  # how the suite runs, see config/test_settings.py
    before = parse(metrics.scrape(multiprocess=False).decode())
    assert not ratelimit.hit("test-metrics", "192.0.2.1", limit=0, window=60)
    after = parse(metrics.scrape(multiprocess=False).decode())
    assert after.delta(before, REFUSALS, scope="test-metrics") == 1
