"""The case-handling demo: accounts (with DEBUG), applications in several statuses
marked DEMO, scores, idempotent."""

import io

from django.contrib.auth import authenticate
from django.urls import reverse

from pilots.casework_demo import load_casework_demo
from pilots.models import Application, Criterion, Review
from policy.models import HomePage


def test_demo_case_handling(pilots_demo, settings, client):
    settings.DEBUG = True
    out = io.StringIO()
    load_casework_demo(HomePage.objects.get(), out)
    load_casework_demo(HomePage.objects.get(), out)  # twice: nothing doubles
    demo = Application.objects.filter(title__startswith="DEMO")
    assert demo.count() == 6
    assert set(demo.values_list("status", flat=True)) == {
        "submitted",
        "in_assessment",
        "more_information",
        "shortlisted",
    }
    assert demo.filter(decision="selected").count() == 1
    assert Review.objects.filter(application__in=demo).count() == 14
    assert Criterion.objects.filter(name="Gjennomførbarhet").count() == 2  # both rounds
    assert "«saksbehandler» / «demo-saksbehandler»" in out.getvalue()

    handler = authenticate(username="saksbehandler", password="demo-saksbehandler")
    decider = authenticate(username="beslutter", password="demo-beslutter")
    assert handler and decider
    client.force_login(decider)
    listing = client.get(reverse("pilot_applications:index"))
    assert listing.text.count("DEMO: ") >= 6
    portfolio = client.get(reverse("pilots_admin:portfolio"))
    assert "1 av høyst 5" in portfolio.text and "Nordland" in portfolio.text


def test_no_demo_accounts_without_debug(pilots_demo, settings):
    from django.contrib.auth import get_user_model

    settings.DEBUG = False
    load_casework_demo(HomePage.objects.get(), io.StringIO())
    assert not get_user_model().objects.filter(username__in=["saksbehandler", "beslutter"]).exists()
    assert Application.objects.filter(title__startswith="DEMO").count() == 6
