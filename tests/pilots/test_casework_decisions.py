"""Choosing pilots and releasing decisions: never more than the round's maximum,
one notice and exactly one e-mail per applicant (even when released twice or the
mail task runs twice), staff-edited templates, and the applicant's status page."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from wagtail.models import ModelLogEntry

import pilots.casework.tasks
from pilots.casework import services
from pilots.casework.tasks import send_decision_notice
from pilots.models import Application, DecisionNotice, Review
from tests.factories.casework import DecisionEmailTemplateFactory
from tests.factories.pilots import RoundFactory, staff, submitted_application
from tests.pilots.casework import assert_refused

S = Application.Status
LEADS = ["1111", "1112", "1133", "1134", "1135", "1144", "1145"]  # class 5 and 6 in SSB's 2023 index


@pytest.fixture
def decision_round(db):
    return RoundFactory(name="Bygdevekst 2026", max_pilots=5, budget_total=10_000_000)


@pytest.fixture
def shortlist(decision_round):
    """Seven shortlisted applications of 1.5 million each in a round with room for five pilots."""
    return [
        submitted_application(
            round=decision_round,
            municipalities=[lead],
            title=f"Prosjekt {n}",
            amount_applied=1_500_000,
            status=S.SHORTLISTED,
        )
        for n, lead in enumerate(LEADS)
    ]


@pytest.fixture
def decision_maker(db):
    return staff("Beslutter")


def test_a_sixth_pilot_is_refused(shortlist, decision_maker):
    for application in shortlist[:5]:
        services.set_decision(application, "selected", decision_maker)
    with pytest.raises(services.WorkflowError, match="høyst 5 piloter"):
        services.set_decision(shortlist[5], "selected", decision_maker)
    assert Application.objects.filter(decision="selected").count() == 5
    # Un-choosing one makes room again.
    services.set_decision(shortlist[0], "", decision_maker)
    services.set_decision(shortlist[5], "selected", decision_maker)
    assert Application.objects.filter(decision="selected").count() == 5
    entry = ModelLogEntry.objects.filter(action="pilots.decision_prepared", object_id=str(shortlist[5].pk)).get()
    assert entry.message == "Vedtak forberedt: Foreslått valgt"


def test_case_handlers_cannot_choose_or_release(shortlist):
    case_handler = staff("Saksbehandler")
    with pytest.raises(PermissionDenied):
        services.set_decision(shortlist[0], "selected", case_handler)
    with pytest.raises(PermissionDenied):
        services.release_decisions(shortlist[0].round, case_handler)


def test_only_shortlisted_applications_can_be_chosen(decision_round, decision_maker):
    application = submitted_application(round=decision_round, municipalities=["1151"], status=S.IN_ASSESSMENT)
    with pytest.raises(services.WorkflowError, match="kortlisten"):
        services.set_decision(application, "selected", decision_maker)
    services.set_decision(application, "not_selected", decision_maker)  # anyone active may get a "no"


def test_a_pending_decision_is_invisible_to_the_applicant(client, shortlist, decision_maker):
    application = shortlist[0]
    services.set_decision(application, "selected", decision_maker)
    client.force_login(application.created_by)
    page = client.get(reverse("pilots:my_applications"))
    assert "Under behandling" in page.text
    assert "Valgt" not in page.text and "valgt" not in page.text


def release_everything(shortlist, decision_maker):
    for application in shortlist[:5]:
        services.set_decision(application, "selected", decision_maker)
    services.prepare_not_selected_for_rest(shortlist[0].round, decision_maker)
    return services.release_decisions(shortlist[0].round, decision_maker)


def test_release_sends_one_mail_per_applicant_even_when_released_twice(
    shortlist, decision_maker, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        released = release_everything(shortlist, decision_maker)
    assert released == 7
    assert DecisionNotice.objects.count() == 7
    assert DecisionNotice.objects.filter(sent_at__isnull=False).count() == 7
    decision_mails = [m for m in mail.outbox if m.subject.startswith("Vedtak:")]
    assert len(decision_mails) == 7
    assert sorted(m.to[0] for m in decision_mails) == sorted(a.created_by.email for a in shortlist)
    selected_mail = next(m for m in decision_mails if shortlist[0].reference in m.subject)
    assert "er valgt som pilotområde" in selected_mail.subject
    assert shortlist[0].title in selected_mail.body
    rejected = next(m for m in decision_mails if shortlist[6].reference in m.subject)
    assert "ikke valgt" in rejected.subject

    with django_capture_on_commit_callbacks(execute=True):
        assert services.release_decisions(shortlist[0].round, decision_maker) == 0
    assert len([m for m in mail.outbox if m.subject.startswith("Vedtak:")]) == 7
    assert Application.objects.filter(status=S.SELECTED).count() == 5
    assert Application.objects.filter(status=S.NOT_SELECTED).count() == 2
    log = ModelLogEntry.objects.filter(action="pilots.decisions_released").order_by("pk")
    assert [e.data["released"] for e in log] == [7, 0]


def test_the_mail_task_run_twice_sends_once(shortlist, decision_maker):
    """As after a worker restart: the same task is run again for a notice."""
    mail.outbox.clear()
    release_everything(shortlist, decision_maker)  # on-commit callbacks not run: nothing sent yet
    assert mail.outbox == []
    notice = DecisionNotice.objects.get(application=shortlist[0])
    assert send_decision_notice.call(notice.pk) is True
    assert send_decision_notice.call(notice.pk) is False
    assert len(mail.outbox) == 1
    notice.refresh_from_db()
    assert notice.sent_at is not None and shortlist[0].created_by.email in notice.recipients


def test_a_mail_failure_leaves_the_notice_unsent_for_a_retry(shortlist, decision_maker, monkeypatch):
    release_everything(shortlist, decision_maker)
    notice = DecisionNotice.objects.get(application=shortlist[0])

    def smtp_down(*args, **kwargs):
        raise OSError("SMTP nede")

    monkeypatch.setattr(pilots.casework.tasks, "send_mail", smtp_down)
    with pytest.raises(OSError):
        send_decision_notice.call(notice.pk)
    notice.refresh_from_db()
    assert notice.sent_at is None
    monkeypatch.undo()
    mail.outbox.clear()
    assert send_decision_notice.call(notice.pk) is True
    assert len(mail.outbox) == 1


def test_staff_edited_template_is_used(shortlist, decision_maker, django_capture_on_commit_callbacks):
    DecisionEmailTemplateFactory(
        outcome="selected", subject="Gratulerer, {reference}!", body="«{title}» i {round}: {amount} søkt."
    )
    mail.outbox.clear()
    services.set_decision(shortlist[0], "selected", decision_maker)
    with django_capture_on_commit_callbacks(execute=True):
        services.release_decisions(shortlist[0].round, decision_maker)
    (message,) = mail.outbox
    assert message.subject == f"Gratulerer, {shortlist[0].reference}!"
    assert message.body == "«Prosjekt 0» i Bygdevekst 2026: 1\u00a0500\u00a0000\u00a0kr søkt."


def test_template_with_an_unknown_placeholder_is_refused(db):
    template = DecisionEmailTemplateFactory.build(outcome="selected", subject="Hei {navn}", body="x")
    with pytest.raises(ValidationError) as error:
        template.full_clean()
    assert "Ukjent eller ugyldig plassholder" in str(error.value)


def test_applicant_sees_the_outcome_after_release(client, shortlist, decision_maker):
    release_everything(shortlist, decision_maker)
    chosen, rejected = shortlist[0], shortlist[6]
    client.force_login(chosen.created_by)
    assert "Valgt som pilotområde" in client.get(reverse("pilots:my_applications")).text
    receipt = client.get(reverse("pilots:receipt", args=[chosen.round_id, chosen.pk]))
    assert "Valgt som pilotområde" in receipt.text
    client.force_login(rejected.created_by)
    assert "Ikke valgt som pilotområde" in client.get(reverse("pilots:my_applications")).text


def test_portfolio_and_release_through_the_admin(client, shortlist, decision_maker, django_capture_on_commit_callbacks):
    client.force_login(decision_maker)
    url = reverse("pilot_applications:portfolio") + f"?round={shortlist[0].round_id}"
    page = client.get(url)
    assert page.status_code == 200
    assert "0 av høyst 5" in page.text
    assert "Rogaland" in page.text
    for application in shortlist[:6]:
        response = client.post(
            reverse("pilot_applications:set_decision", args=[application.pk]),
            {"decision": "selected", "next": url},
            follow=True,
        )
    assert "Utlysingen kan ha høyst 5 piloter" in response.text
    page = client.get(url)
    assert "5 av høyst 5" in page.text
    assert "7\u00a0500\u00a0000\u00a0kr" in page.text  # 5 × 1.5 million
    assert "10\u00a0000\u00a0000\u00a0kr" in page.text  # the round's budget
    no_confirm = client.post(reverse("pilot_applications:release"), {"round": shortlist[0].round_id}, follow=True)
    assert "Kryss av for at du vil frigi vedtakene." in no_confirm.text
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            reverse("pilot_applications:release"), {"round": shortlist[0].round_id, "confirm": "yes"}, follow=True
        )
    assert "5 vedtak er frigitt" in done.text
    assert len(mail.outbox) == 5
    assert not Review.objects.exists()


def test_case_handler_sees_the_portfolio_without_decision_buttons(client, shortlist):
    client.force_login(staff("Saksbehandler"))
    page = client.get(reverse("pilot_applications:portfolio"))
    assert page.status_code == 200
    assert shortlist[0].reference in page.text
    assert "Frigi vedtakene" not in page.text
    assert_refused(
        client.post(reverse("pilot_applications:release"), {"round": shortlist[0].round_id, "confirm": "yes"})
    )
    assert not DecisionNotice.objects.exists()
