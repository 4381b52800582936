"""A lost database connection for real: the test's own PostgreSQL backend is ended
with pg_terminate_backend, as a restart or a fail-over ends it. A read is answered again
on a new connection; a POST is run once more only if nothing of it was written, and
otherwise answers 503 with Retry-After; a database that stays away answers 503, never 500.

Transactional tests: ending the backend ends any transaction a test would run in."""

import psycopg
import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from config.urls import urlpatterns as site_urls
from policy import reconnect
from tests.factories.policy import TopicPageFactory, site_tree

pytestmark = pytest.mark.django_db(transaction=True)


@csrf_exempt
def create_group(request):
    """Writes, then reads: a POST that can lose its connection after writing."""
    Group.objects.create(name=request.POST["name"])
    return HttpResponse(f"{Group.objects.count()} grupper")


def count_visits(request):
    """Changes the session, which the session middleware then saves."""
    request.session["visits"] = request.session.get("visits", 0) + 1
    return HttpResponse(str(request.session["visits"]))


urlpatterns = [path("gruppe/", create_group), path("besok/", count_visits), *site_urls]


def operator():
    """A second connection, as an operator's psql session."""
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"], port=settings["PORT"] or None, user=settings["USER"], dbname="postgres", autocommit=True
    )


def backend_pid():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def end_backend(pid):
    """End the backend and wait (up to 5 s) until it is gone."""
    with operator() as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s, 5000)", [pid]).fetchone()[0]


@pytest.fixture
def visitor(settings):
    settings.PAGE_CACHE_ENABLED = False
    # As a visitor sees it: no re-raising of the exception the first try met.
    return Client(raise_request_exception=False)


@pytest.fixture
def refuse_connections(monkeypatch):
    """The test database refuses new connections (as during a long restart) until the test ends."""
    monkeypatch.setattr(reconnect, "WAIT_SECONDS", 0.5)
    connection.ensure_connection()  # the connection the test then ends
    name = connection.settings_dict["NAME"]
    with operator() as admin:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
    try:
        yield
    finally:
        with operator() as admin:
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        connection.close()


def test_a_page_is_shown_after_its_connection_was_ended(visitor, caplog):
    TopicPageFactory(parent=site_tree(), title="Fjellpolitikk", slug="fjellpolitikk")
    assert visitor.get("/fjellpolitikk/").status_code == 200
    ended = backend_pid()
    end_backend(ended)

    response = visitor.get("/fjellpolitikk/")
    assert response.status_code == 200
    assert "Fjellpolitikk" in response.content.decode()
    assert backend_pid() != ended
    assert "answering it again" in caplog.text


@pytest.mark.urls(__name__)
def test_a_post_whose_connection_was_ended_before_it_wrote_is_run_once(visitor):
    end_backend(backend_pid())
    response = visitor.post("/gruppe/", {"name": "Fjellkommuner"})
    assert response.status_code == 200
    assert response.content.decode() == "1 grupper"
    assert list(Group.objects.values_list("name", flat=True)) == ["Fjellkommuner"]


@pytest.mark.urls(__name__)
def test_a_post_that_wrote_before_its_connection_was_ended_answers_503_and_is_not_run_again(visitor):
    def end_after_the_insert(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql.startswith("INSERT"):
            end_backend(backend_pid_of(context["connection"]))
        return result

    with connection.execute_wrapper(end_after_the_insert):
        response = visitor.post("/gruppe/", {"name": "Kystkommuner"})

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert "Siden er midlertidig utilgjengelig" in html
    assert "Det du sendte inn, kan allerede være lagret" in html
    assert list(Group.objects.values_list("name", flat=True)) == ["Kystkommuner"]


@pytest.mark.urls(__name__)
def test_a_session_that_lost_its_connection_while_being_saved_is_saved_on_a_new_one(visitor):
    """Django answers 400 («session interrupted») when it cannot save a changed session;
    after a lost connection that is answered again like any failed read."""
    assert visitor.get("/besok/").content == b"1"
    ended = []

    def end_before_the_session_update(execute, sql, params, many, context):
        if not ended and sql.startswith('UPDATE "django_session"'):
            ended.append(backend_pid_of(context["connection"]))
            end_backend(ended[0])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(end_before_the_session_update):
        response = visitor.get("/besok/")

    assert ended and backend_pid() != ended[0]
    assert (response.status_code, response.content) == (200, b"2")
    assert visitor.get("/besok/").content == b"3"  # the session kept the count


def test_a_database_that_stays_away_answers_503_not_500(visitor, refuse_connections):
    end_backend(backend_pid())
    response = visitor.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Prøv igjen om 5 sekunder" in response.content.decode()


def backend_pid_of(django_connection):
    return django_connection.connection.info.backend_pid
