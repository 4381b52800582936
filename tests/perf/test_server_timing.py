"""The benchmark's per-request figures (policy/servertiming.py): a Server-Timing header
with Python CPU ms and the request's queries, only when SERVER_TIMING is on."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories.policy import TopicPageFactory
from tests.perf.pages import parse_server_timing

pytestmark = pytest.mark.django_db

SHAPE = re.compile(r'^cpu;dur=\d+\.\d\d, db;dur=\d+\.\d\d;desc="\d+ queries"$')


@pytest.fixture
def topic(home):
    return TopicPageFactory(parent=home, title="Fjellpolitikk")


def test_no_header_unless_enabled(settings, topic):
    settings.PAGE_CACHE_ENABLED = False
    response = Client().get(topic.url)
    assert response.status_code == 200
    assert "Server-Timing" not in response


def test_header_counts_the_requests_queries_and_cpu(settings, topic):
    settings.PAGE_CACHE_ENABLED = False
    settings.SERVER_TIMING = True
    client = Client()
    client.get(topic.url)  # the first request also loads the middleware, whose set-up is not the page's
    with CaptureQueriesContext(connection) as captured:
        response = client.get(topic.url)
    assert response.status_code == 200
    assert SHAPE.match(response["Server-Timing"]), response["Server-Timing"]
    figures = parse_server_timing(response["Server-Timing"])
    assert figures["queries"] == len(captured.captured_queries) > 0
    assert figures["cpu_ms"] > 0
    assert "Fjellpolitikk" in response.content.decode()


def test_header_on_answers_that_are_not_pages(settings):
    settings.SERVER_TIMING = True
    response = Client().get("/finnes-ikke/")
    assert response.status_code == 404
    assert SHAPE.match(response["Server-Timing"])
