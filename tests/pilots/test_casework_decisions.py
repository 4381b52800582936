"""Choosing pilots and releasing decisions: never more than the round's maximum,
one notice and exactly one e-mail per applicant (even when released twice or the
mail task runs twice), staff-edited templates, and the applicant's status page."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from wagtail.models import ModelLogEntry

from pilots.casework import services
from pilots.models import Application, Criterion, DecisionNotice, Review
from policy import outbox
from policy.models import OutgoingMail
from tests.factories.casework import DecisionEmailTemplateFactory, write_letters
from tests.factories.pilots import RoundFactory, staff, submitted_application
from tests.pilots.casework import assert_refused

S = Application.Status
LEADS = ["1111", "1112", "1133", "1134", "1135", "1144", "1145"]  # class 5 and 6 in SSB's 2023 index


@pytest.fixture
def decision_round(db):
    return RoundFactory(name="Bygdevekst 2026", max_pilots=5, budget_total=10_000_000)


@pytest.fixture
def shortlist(decision_round):
    """Seven shortlisted applications of 1.5 million each in a round with room for five
    pilots, each with its decision letter written."""
    applications = [
        submitted_application(
            round=decision_round,
            municipalities=[lead],
            title=f"Prosjekt {n}",
            amount_applied=1_500_000,
            status=S.SHORTLISTED,
        )
        for n, lead in enumerate(LEADS)
    ]
    write_letters(applications)
    return applications


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
    """As after a worker restart: the send task runs again for the same notice."""
    mail.outbox.clear()
    release_everything(shortlist, decision_maker)  # on-commit callbacks not run: nothing sent yet
    assert mail.outbox == []
    notice = DecisionNotice.objects.get(application=shortlist[0])
    queued = OutgoingMail.objects.get(key=f"pilots.decision:{notice.pk}")
    assert outbox.send_outgoing_mail.call(queued.pk) is True
    assert outbox.send_outgoing_mail.call(queued.pk) is False
    assert len(mail.outbox) == 1
    notice.refresh_from_db()
    assert notice.sent_at is not None and shortlist[0].created_by.email in notice.recipients


def test_a_mail_failure_leaves_the_notice_unsent_for_a_retry(shortlist, decision_maker, monkeypatch):
    release_everything(shortlist, decision_maker)
    notice = DecisionNotice.objects.get(application=shortlist[0])
    queued = OutgoingMail.objects.get(key=f"pilots.decision:{notice.pk}")

    def smtp_down(*args, **kwargs):
        raise OSError("SMTP nede")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", smtp_down)
    assert outbox.deliver(queued.pk) is False
    notice.refresh_from_db()
    queued.refresh_from_db()
    assert notice.sent_at is None and queued.attempts == 1 and "SMTP nede" in queued.last_error
    monkeypatch.undo()
    mail.outbox.clear()
    assert outbox.deliver(queued.pk) is False  # not before the backoff has passed
    OutgoingMail.objects.filter(pk=queued.pk).update(next_attempt_at=queued.created_at)
    assert outbox.deliver(queued.pk) is True
    assert len(mail.outbox) == 1
    notice.refresh_from_db()
    assert notice.sent_at is not None


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
    assert message.body.startswith("«Prosjekt 0» i Bygdevekst 2026: 1\u00a0500\u00a0000\u00a0kr søkt.\n")


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


def test_the_refused_sixth_pilot_is_told_in_its_row(client, shortlist, decision_maker):
    client.force_login(decision_maker)
    url = reverse("pilot_applications:portfolio") + f"?round={shortlist[0].round_id}"
    for application in shortlist[:5]:
        services.set_decision(application, "selected", decision_maker)
    sixth = shortlist[5]
    response = client.post(
        reverse("pilot_applications:set_decision", args=[sixth.pk]),
        {"decision": "selected", "next": f"{url}#soknad-{sixth.pk}"},
    )
    assert response["Location"] == f"{url}#vedtak-feil-{sixth.pk}"
    page = client.get(response["Location"]).text
    row = page[page.index(f'id="soknad-{sixth.pk}"') :]
    row = row[: row.index("</tr>")]
    assert f'id="vedtak-feil-{sixth.pk}"' in row
    assert "Utlysingen kan ha høyst 5 piloter" in row
    sixth.refresh_from_db()
    assert sixth.decision == ""
    # Shown once: the next visit has no refusal in the row.
    assert f'id="vedtak-feil-{sixth.pk}"' not in client.get(url).text


def test_not_selected_for_the_rest_lists_them_first_and_leaves_unassessed_ones(client, decision_round, decision_maker):
    shortlisted = submitted_application(round=decision_round, municipalities=["1111"], status=S.SHORTLISTED)
    scored = submitted_application(round=decision_round, municipalities=["1112"], status=S.IN_ASSESSMENT)
    unscored = submitted_application(round=decision_round, municipalities=["1133"], status=S.IN_ASSESSMENT)
    fresh = submitted_application(round=decision_round, municipalities=["1134"])
    waiting = submitted_application(round=decision_round, municipalities=["1135"], status=S.MORE_INFORMATION)
    criterion = Criterion.objects.create(round=decision_round, name="Forankring")
    services.save_review(scored, staff("Saksbehandler"), criterion, 3)
    confirm_url = reverse("pilot_applications:prepare_rest") + f"?round={decision_round.pk}"
    client.force_login(decision_maker)

    portfolio = client.get(reverse("pilot_applications:portfolio") + f"?round={decision_round.pk}").text
    assert f'href="{confirm_url}"' in portfolio and "Sett «ikke valgt» på resten" in portfolio

    page = client.get(confirm_url).text
    marked_part, unassessed_part = page.split("Ikke vurdert, blir ikke endret")
    assert "2 søknader blir forberedt som «ikke valgt»" in marked_part
    for application in (shortlisted, scored):
        assert application.reference in marked_part and application.reference not in unassessed_part
    for application in (unscored, fresh, waiting):
        assert application.reference in unassessed_part and application.reference not in marked_part
    assert Application.objects.exclude(decision="").count() == 0  # the page changes nothing

    # A case that became assessed after the page was shown is not changed by this confirmation.
    posted = {"round": decision_round.pk, "application": [shortlisted.pk, scored.pk]}
    services.save_review(unscored, staff("Saksbehandler"), criterion, 4)
    response = client.post(reverse("pilot_applications:prepare_rest"), posted, follow=True)
    assert "2 søknader er forberedt som «ikke valgt»." in response.text
    decisions = dict(Application.objects.values_list("pk", "decision"))
    assert decisions == {
        shortlisted.pk: "not_selected",
        scored.pk: "not_selected",
        unscored.pk: "",
        fresh.pk: "",
        waiting.pk: "",
    }


def test_case_handlers_cannot_use_not_selected_for_the_rest(client, decision_round):
    shortlisted = submitted_application(round=decision_round, municipalities=["1111"], status=S.SHORTLISTED)
    client.force_login(staff("Saksbehandler"))
    url = reverse("pilot_applications:prepare_rest")
    assert_refused(client.get(f"{url}?round={decision_round.pk}"))
    assert_refused(client.post(url, {"round": decision_round.pk, "application": [shortlisted.pk]}))
    shortlisted.refresh_from_db()
    assert shortlisted.decision == ""
