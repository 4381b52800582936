"""Fixtures for the documents tests.

The demo documents are built once per test module inside an outer transaction
(each test then runs in a savepoint inside it, and everything is rolled back at
the end): building them reads three PDFs in subprocesses and publishes twelve
pages, which is too slow to repeat for every test. Only the policy tree and the
documents demo are loaded, so these tests do not depend on other feature apps.
"""

import pytest
from django.db import connection, transaction
from django.test import override_settings


@pytest.fixture(scope="session", autouse=True)
def media_in_tmp(tmp_path_factory):
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


def run_commit_hooks():
    """Run what would run on commit (search indexing, file facts) inside the outer transaction."""
    while connection.run_on_commit:
        callbacks, connection.run_on_commit = connection.run_on_commit, []
        for _savepoints, callback, _robust in callbacks:
            callback()


@pytest.fixture(scope="module")
def _documents_demo(django_db_setup, django_db_blocker):
    from documents.demo import load_documents_demo
    from policy.demo import load_policy_tree

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            home = load_policy_tree()
            load_documents_demo(home)
            run_commit_hooks()
            yield home.pk
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def documents_site(_documents_demo, db):
    """The home page, with the policy tree and the demo documents (file facts read)."""
    from policy.models import HomePage

    return HomePage.objects.get(pk=_documents_demo)
