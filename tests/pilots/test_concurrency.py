"""Races on the real database: threads with their own connections, committing for real."""

import threading

import pytest
from django.db import connection, connections

from pilots.applications import services
from pilots.models import Application, RoundMunicipalityClaim
from tests.conftest import load_register
from tests.factories.pilots import CLASS_4, CLASS_5, CLASS_6, ApplicationFactory, RoundFactory
from tests.factories.policy import UserFactory


@pytest.fixture(autouse=True)
def register(transactional_db):
    """These tests commit for real, so the flush after each one empties the register."""
    load_register()


def race(*calls):
    """Start every call at the same moment in its own thread (own DB connection)."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = ("ok", call())
        except Exception as error:  # noqa: BLE001 - the outcome is what the test checks
            results[index] = ("error", error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def test_the_same_application_submitted_twice_at_once_gets_one_reference():
    user = UserFactory(email="ola@kommune.example")
    application = ApplicationFactory(
        round=RoundFactory(), created_by=user, municipalities=[CLASS_6, CLASS_4], authorised=True
    )
    connection.close()
    results = race(
        lambda: services.submit(Application.objects.get(pk=application.pk), user),
        lambda: services.submit(Application.objects.get(pk=application.pk), user),
    )
    assert [kind for kind, _ in results] == ["ok", "ok"], results
    assert results[0][1] == results[1][1]
    application.refresh_from_db()
    assert application.reference == results[0][1]
    assert RoundMunicipalityClaim.objects.count() == 2


def test_two_applications_naming_the_same_municipality_at_once():
    round = RoundFactory()
    first = ApplicationFactory(
        round=round, created_by=UserFactory(email="ola@kommune.example"), municipalities=[CLASS_6], authorised=True
    )
    second = ApplicationFactory(
        round=round,
        created_by=UserFactory(email="kari@kommune.example"),
        municipalities=[CLASS_5, CLASS_6],
        authorised=True,
    )
    connection.close()
    results = race(
        lambda: services.submit(Application.objects.get(pk=first.pk), first.created_by),
        lambda: services.submit(Application.objects.get(pk=second.pk), second.created_by),
    )
    outcomes = sorted(kind for kind, _ in results)
    assert outcomes == ["error", "ok"], results
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, services.WorkflowError)
    assert "Utsira" in str(error)
    submitted = Application.objects.filter(status=Application.Status.SUBMITTED)
    assert submitted.count() == 1
    assert RoundMunicipalityClaim.objects.filter(municipality__number=CLASS_6).count() == 1
    # The loser is still a draft with all its answers; nothing half-claimed is left behind.
    loser = Application.objects.exclude(pk=submitted.get().pk).get()
    assert loser.status == Application.Status.DRAFT and loser.reference is None
    assert RoundMunicipalityClaim.objects.filter(application=loser).count() == 0
