"""A request whose database connection is lost (PostgreSQL restarting) is answered again
once on a fresh connection when that cannot do anything twice: reads always, a POST
only when nothing of it had been written; otherwise 503 with Retry-After, never 500.
The same against a real PostgreSQL: tests/policy/test_reconnect_postgres.py."""

import pytest
from django.contrib.auth.models import Group
from django.core.handlers.exception import convert_exception_to_response
from django.db import OperationalError, connection
from django.db.backends import utils
from django.http import HttpResponse
from django.test import Client

from policy import reconnect
from tests.factories.policy import TopicPageFactory

pytestmark = pytest.mark.django_db

LOSE = "SELECT 'the server went away'"


@pytest.fixture
def server(monkeypatch):
    """A database that drops the connection at a marked statement, `losses` times;
    the reconnection itself is counted, not made, and nothing is closed (the test
    runs in one transaction)."""
    state = {"losses": 1, "broken": True, "reconnected": 0, "match": LOSE}
    execute = utils.CursorWrapper._execute

    def failing(self, sql, params, *ignored):
        if state["match"] in sql and state["losses"]:
            state["losses"] -= 1
            raise OperationalError("server closed the connection unexpectedly")
        return execute(self, sql, params, *ignored)

    monkeypatch.setattr(utils.CursorWrapper, "_execute", failing)
    monkeypatch.setattr(reconnect, "_broken", lambda c: state["broken"])
    monkeypatch.setattr(reconnect, "wait_for_database", lambda: state.update(reconnected=state["reconnected"] + 1))
    monkeypatch.setattr(reconnect, "_close_broken", lambda: None)
    return state


def middleware(view):
    """The view as the rest of the stack hands it to the middleware: its exceptions as 500 answers."""
    return reconnect.ReconnectMiddleware(convert_exception_to_response(view))


def lose_connection():
    with connection.cursor() as cursor:
        cursor.execute(LOSE)


def test_a_read_is_answered_again_on_a_fresh_connection(server, rf):
    attempts = []

    def view(request):
        attempts.append(request.method)
        lose_connection()
        return HttpResponse(str(Group.objects.count()))

    response = middleware(view)(rf.get("/"))
    assert response.status_code == 200
    assert attempts == ["GET", "GET"]
    assert server["reconnected"] == 1


def test_a_post_that_wrote_is_never_run_twice(server, rf):
    def view(request):
        Group.objects.create(name="Fjellkommuner")
        lose_connection()
        return HttpResponse("lagret")

    response = middleware(view)(rf.post("/", {"name": "Fjellkommuner"}))
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert Group.objects.filter(name="Fjellkommuner").count() == 1
    assert server["reconnected"] == 0


def test_a_post_that_lost_its_connection_before_writing_is_run_once_more(server, rf):
    def view(request):
        lose_connection()
        Group.objects.create(name="Kystkommuner")
        return HttpResponse("lagret")

    response = middleware(view)(rf.post("/", {"name": "Kystkommuner"}))
    assert response.status_code == 200
    assert Group.objects.filter(name="Kystkommuner").count() == 1


def test_a_connection_that_could_not_be_opened_counts_as_lost(server, rf):
    attempts = []

    def view(request):
        attempts.append(1)
        if len(attempts) == 1:
            raise OperationalError("connection refused: the database system is starting up")
        return HttpResponse("ok")

    assert middleware(view)(rf.post("/")).status_code == 200
    assert len(attempts) == 2


def test_other_database_errors_are_not_retried(server, rf):
    server["broken"] = False  # e.g. a statement timeout: the connection is still good
    attempts = []

    def view(request):
        attempts.append(1)
        lose_connection()
        return HttpResponse("ok")

    assert middleware(view)(rf.get("/")).status_code == 500
    assert attempts == [1]
    assert server["reconnected"] == 0


def test_a_second_loss_answers_503_with_retry_after(server, rf):
    server["losses"] = 2

    def view(request):
        lose_connection()
        return HttpResponse("ok")

    response = middleware(view)(rf.get("/"))
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Prøv igjen om 5 sekunder" in response.content.decode()


def test_a_page_is_shown_although_its_first_query_lost_the_connection(server, home, settings):
    settings.PAGE_CACHE_ENABLED = False
    client = Client(raise_request_exception=False)  # as a visitor sees it: no test-only re-raise
    TopicPageFactory(parent=home, title="Fjellpolitikk", slug="fjellpolitikk")
    server["match"] = 'FROM "wagtailcore_page"'
    response = client.get("/fjellpolitikk/")
    assert response.status_code == 200
    assert "Fjellpolitikk" in response.content.decode()
    assert server["losses"] == 0 and server["reconnected"] == 1
