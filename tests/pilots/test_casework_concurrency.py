"""Two decision makers at once, on the real database (threads with their own
connections, committing for real): never a sixth pilot, never a second mail."""

import pytest
from django.core import mail
from django.db import connection

from pilots.casework import services
from pilots.models import Application, DecisionNotice
from tests.conftest import load_register
from tests.factories.casework import write_letters
from tests.factories.pilots import RoundFactory, staff, submitted_application
from tests.pilots.test_concurrency import race

pytestmark = pytest.mark.django_db(transaction=True)
S = Application.Status
LEADS = ["1111", "1112", "1133", "1134", "1135", "1144"]


@pytest.fixture
def six_shortlisted(transactional_db):
    """Six shortlisted applications in a round with room for five pilots (the register
    is reloaded: the flush between transactional tests empties it)."""
    load_register()
    round = RoundFactory(max_pilots=5)
    applications = [submitted_application(round=round, municipalities=[lead], status=S.SHORTLISTED) for lead in LEADS]
    write_letters(applications)
    return applications


def test_two_decision_makers_choosing_the_fifth_pilot_at_once(six_shortlisted):
    first, second = staff("Beslutter"), staff("Beslutter")
    for application in six_shortlisted[:3]:
        services.set_decision(application, "selected", first)
    fourth, fifth = six_shortlisted[3], six_shortlisted[4]
    services.set_decision(fourth, "selected", first)
    # Four chosen; two people now choose one more each at the same moment, twice over
    # (the 5th and 6th): exactly one of each pair may get through.
    sixth = six_shortlisted[5]
    services.set_decision(fourth, "", first)  # back to three chosen
    connection.close()
    results = race(
        lambda: services.set_decision(Application.objects.get(pk=fourth.pk), "selected", first),
        lambda: services.set_decision(Application.objects.get(pk=fifth.pk), "selected", second),
        lambda: services.set_decision(Application.objects.get(pk=sixth.pk), "selected", second),
    )
    outcomes = sorted(kind for kind, _ in results)
    assert outcomes == ["error", "ok", "ok"], results
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, services.WorkflowError) and "høyst 5 piloter" in str(error)
    assert Application.objects.filter(decision="selected").count() == 5


def test_two_releases_at_once_send_one_mail_per_applicant(six_shortlisted):
    first, second = staff("Beslutter"), staff("Beslutter")
    for application in six_shortlisted[:5]:
        services.set_decision(application, "selected", first)
    services.set_decision(six_shortlisted[5], "not_selected", first)
    round = six_shortlisted[0].round
    mail.outbox.clear()
    connection.close()
    results = race(
        lambda: services.release_decisions(round, first),
        lambda: services.release_decisions(round, second),
    )
    assert sorted(value for _, value in results) == [0, 6], results
    assert DecisionNotice.objects.count() == 6
    assert DecisionNotice.objects.filter(sent_at__isnull=True).count() == 0
    assert len(mail.outbox) == 6
    assert len({m.to[0] for m in mail.outbox}) == 6
    assert Application.objects.filter(status=S.SELECTED).count() == 5
