"""The demo without DEBUG (as in `make bench`): content, but no accounts with known
passwords. A module of its own, so the fully loaded demo of test_load_demo.py is
not in the database here."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from demo.casework import load_casework_demo
from demo.pilots import load_demo as load_pilots_demo
from demo.site import load_policy_tree
from pilots.models import Application

pytestmark = pytest.mark.django_db


def test_no_demo_accounts_without_debug(settings):
    """Only the loaders the case-handling demo builds on (the rounds come from the
    pilots demo), which is quicker than the whole command."""
    settings.DEBUG = False
    home = load_policy_tree()
    load_pilots_demo(home, io.StringIO())
    load_casework_demo(home, io.StringIO())
    assert not get_user_model().objects.filter(username__in=["saksbehandler", "beslutter"]).exists()
    assert Application.objects.filter(title__startswith="DEMO").count() == 6


def test_the_demo_admin_needs_debug(settings):
    settings.DEBUG = False
    with pytest.raises(Exception, match="only created with DEBUG on"):
        call_command("load_demo", stdout=io.StringIO())
    assert not get_user_model().objects.filter(username="admin").exists()
