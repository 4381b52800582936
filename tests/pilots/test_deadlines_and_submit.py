"""Deadlines by the server clock (Oslo time, grace, daylight saving), submitting,
withdrawing and the receipt."""

import datetime
import re

import pytest
from django.core import mail

from pilots.applications import deadlines, services
from pilots.applications.status import Status
from pilots.formatting import oslo_datetime
from pilots.models import Application, RoundMunicipalityClaim
from tests.factories.pilots import CLASS_4, CLASS_5, CLASS_6, ApplicationFactory, RoundFactory
from tests.pilots.conftest import oslo

UTC = datetime.UTC


@pytest.fixture
def round_2022(db):
    return RoundFactory(
        name="Bygdevekstavtaler 2022",
        opens_at=oslo(2022, 6, 1),
        closes_at=oslo(2022, 9, 30, 23, 59, 59),
        supplement_deadline=oslo(2022, 10, 21, 23, 59, 59),
        grace_minutes=60,
    )


def test_deadline_is_written_the_norwegian_way(round_2022):
    assert oslo_datetime(round_2022.closes_at) == "30. september 2022 kl. 23.59"
    # Stored in UTC: 21:59:59 (Oslo is UTC+2 in summer time).
    assert round_2022.closes_at.astimezone(UTC).hour == 21


@pytest.mark.parametrize(
    ("now", "on_time"),
    [
        (oslo(2022, 9, 30, 23, 59, 58), True),
        (oslo(2022, 9, 30, 23, 59, 59), True),
        (oslo(2022, 9, 30, 23, 59, 59, 999999), True),
        (oslo(2022, 10, 1, 0, 0, 0), False),
        (oslo(2022, 10, 1, 0, 0, 1), False),
    ],
    ids=["23:59:58", "23:59:59", "23:59:59.999999", "00:00:00", "00:00:01"],
)
def test_submitting_at_the_deadline_boundary(round_2022, applicant, now, on_time):
    application = ApplicationFactory(round=round_2022, created_by=applicant)
    if on_time:
        reference = services.submit(application, applicant, now=now)
        assert application.status == Application.Status.SUBMITTED
        assert reference.startswith("BVA-22-")
    else:
        with pytest.raises(services.WorkflowError, match="Fristen for å sende inn søknaden er ute"):
            services.submit(application, applicant, now=now)
        application.refresh_from_db()
        assert application.status == Application.Status.DRAFT
        assert not RoundMunicipalityClaim.objects.exists()


def test_grace_only_for_a_submission_started_before_the_deadline(round_2022, applicant, other_applicant):
    started = ApplicationFactory(round=round_2022, created_by=applicant, municipalities=[CLASS_6])
    services.mark_submission_started(started, now=oslo(2022, 9, 30, 23, 50))
    assert deadlines.can_submit_now(started, oslo(2022, 10, 1, 0, 59, 59))
    assert not deadlines.can_submit_now(started, oslo(2022, 10, 1, 1, 0, 0))
    # Answers lock at the deadline itself, even during grace.
    assert not deadlines.is_open_for_answers(started, oslo(2022, 10, 1, 0, 0, 0))
    assert services.submit(started, applicant, now=oslo(2022, 10, 1, 0, 30))

    not_started = ApplicationFactory(round=round_2022, created_by=other_applicant, municipalities=[CLASS_5])
    with pytest.raises(services.WorkflowError):
        services.submit(not_started, other_applicant, now=oslo(2022, 10, 1, 0, 0, 1))
    # Opening the declaration page after the deadline does not start a submission.
    services.mark_submission_started(not_started, now=oslo(2022, 10, 1, 0, 0, 1))
    assert not_started.submission_started_at is None


def test_round_closing_in_the_repeated_hour_of_daylight_saving(applicant):
    """30 October 2022: at 03:00 summer time the clocks went back to 02:00, so 02:30
    happened twice. The deadline is the first 02:30 (summer time, 00:30 UTC); a
    submission at 02:10 winter time (01:10 UTC) *looks* earlier on a wall clock but is
    40 minutes late. Comparing aware datetimes gets this right."""
    deadline = oslo(2022, 10, 30, 2, 30)  # fold=0: the first (summer time) 02:30
    assert deadline.astimezone(UTC) == datetime.datetime(2022, 10, 30, 0, 30, tzinfo=UTC)
    round = RoundFactory(opens_at=oslo(2022, 10, 1), closes_at=deadline, grace_minutes=0)
    application = ApplicationFactory(round=round, created_by=applicant)
    second_pass = datetime.datetime(2022, 10, 30, 1, 10, tzinfo=UTC)
    assert second_pass.astimezone(deadline.tzinfo).replace(tzinfo=None) < deadline.replace(tzinfo=None)
    with pytest.raises(services.WorkflowError, match="Fristen"):
        services.submit(application, applicant, now=second_pass)
    assert services.submit(application, applicant, now=datetime.datetime(2022, 10, 30, 0, 29, tzinfo=UTC))


def test_submit_is_idempotent_and_claims_municipalities(open_round, applicant, django_capture_on_commit_callbacks):
    application = ApplicationFactory(
        round=open_round,
        created_by=applicant,
        municipalities=[CLASS_6, CLASS_4],
        title="Bygdevekst på øyene",
        amount_applied=1_500_000,
        own_contribution=500_000,
        budget=[("Prosjektleder", 1_200_000), ("Tiltak", 800_000)],
        authorised=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        reference = services.submit(application, applicant)
    assert re.fullmatch(r"BVA-\d\d-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{6}", reference)
    assert reference[4:6] == open_round.closes_at.astimezone(oslo(2000, 1, 1).tzinfo).strftime("%y")
    assert services.submit(application, applicant) == reference
    assert set(RoundMunicipalityClaim.objects.values_list("municipality__number", flat=True)) == {CLASS_6, CLASS_4}
    # The receipt went out once, through the mail queue, with the answers in it.
    assert len(mail.outbox) == 1
    receipt = mail.outbox[0]
    assert reference in receipt.subject
    assert "Bygdevekst på øyene" in receipt.body
    assert "Utsira" in receipt.body and "Eigersund" in receipt.body
    assert "Prosjektleder: 1\u00a0200\u00a0000\u00a0kr" in receipt.body
    assert receipt.to == [applicant.email]


def test_a_municipality_is_in_one_submitted_application_per_round(open_round, applicant, other_applicant):
    first = ApplicationFactory(round=open_round, created_by=applicant, municipalities=[CLASS_6], authorised=True)
    second = ApplicationFactory(
        round=open_round, created_by=other_applicant, municipalities=[CLASS_5, CLASS_6], authorised=True
    )
    services.submit(first, applicant)
    with pytest.raises(services.WorkflowError, match="Utsira"):
        services.submit(second, other_applicant)
    services.withdraw(first, applicant)
    assert first.status == Application.Status.WITHDRAWN
    assert services.submit(second, other_applicant)
    # Another round is unaffected.
    later = RoundFactory()
    assert services.submit(ApplicationFactory(round=later, created_by=applicant, municipalities=[CLASS_6]), applicant)


def test_incomplete_or_ineligible_applications_are_refused(open_round, applicant):
    application = ApplicationFactory(round=open_round, created_by=applicant, municipalities=[CLASS_4])
    with pytest.raises(services.WorkflowError, match="Kommunene kan ikke søke. Eigersund: Sentralitetsklasse 4"):
        services.submit(application, applicant)
    application = ApplicationFactory(round=open_round, created_by=applicant, municipalities=[CLASS_6])
    application.budget_lines.all().delete()
    with pytest.raises(services.WorkflowError, match="ikke ferdig utfylt: Budsjett"):
        services.submit(application, applicant)


def test_withdraw_until_a_decision_and_supplements_until_their_own_deadline(round_2022, applicant):
    application = ApplicationFactory(round=round_2022, created_by=applicant)
    services.submit(application, applicant, now=oslo(2022, 9, 20, 12))
    assert deadlines.can_add_supplement(application, oslo(2022, 10, 21, 23, 59, 59))
    assert not deadlines.can_add_supplement(application, oslo(2022, 10, 22, 0, 0, 0))
    # After the application deadline, while the case is still active, withdrawing is allowed.
    services.withdraw(application, applicant, now=oslo(2022, 10, 1, 0, 0, 0))
    assert not RoundMunicipalityClaim.objects.filter(application=application).exists()


def test_no_withdrawal_after_a_released_decision(round_2022, applicant):
    application = ApplicationFactory(round=round_2022, created_by=applicant, authorised=True)
    services.submit(application, applicant, now=oslo(2022, 9, 20, 12))
    Application.objects.filter(pk=application.pk).update(status=Status.NOT_SELECTED)
    application.refresh_from_db()
    with pytest.raises(services.WorkflowError, match="etter at vedtaket er gjort"):
        services.withdraw(application, applicant, now=oslo(2022, 9, 21, 12))
    application.refresh_from_db()
    assert application.status == Status.NOT_SELECTED


def test_stale_version_is_refused(open_round, applicant):
    application = ApplicationFactory(round=open_round, created_by=applicant)
    loaded_version = application.version
    services.save_answers(application, loaded_version, lambda a: setattr(a, "title", "Første"))
    with pytest.raises(services.StaleVersion, match="Noen andre har endret søknaden"):
        services.save_answers(application, loaded_version, lambda a: setattr(a, "title", "Andre"))
    application.refresh_from_db()
    assert application.title == "Første"
