"""Who handles a case: assigning it to a case handler (listing column and filters,
history), and declaring oneself disqualified (inhabil), which takes the person out of
everything about the case but what the applicant sent."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from pilots.applications.services import WorkflowError
from pilots.casework import assignment, services
from pilots.models import CaseAssignment, Disqualification, InternalNote, Review
from tests.factories.casework import CaseAssignmentFactory, DisqualificationFactory
from tests.factories.pilots import CLASS_5, CLASS_6, criteria, staff, submitted_application
from tests.pilots.casework import assert_refused

LIST = reverse("pilot_applications:index")


def inspect_url(application):
    return reverse("pilot_applications:inspect", args=[application.pk])


def assign_url(application):
    return reverse("pilot_applications:assign", args=[application.pk])


def disqualify_url(application):
    return reverse("pilot_applications:disqualify", args=[application.pk])


@pytest.fixture
def people(db):
    return {
        "kari": staff("Saksbehandler", first_name="Kari", last_name="Lie"),
        "per": staff("Saksbehandler", first_name="Per", last_name="Berg"),
        "beslutter": staff("Beslutter", first_name="Berit", last_name="Sjef"),
        "editor": staff("Editors", first_name="Redd", last_name="Aktør"),
    }


@pytest.fixture
def case(open_round):
    application = submitted_application(
        round=open_round, municipalities=[CLASS_6], title="Fjellbygd", status="in_assessment"
    )
    criteria(application.round)
    return application


def test_assign_change_and_remove_from_the_inspect_page(client, people, case):
    client.force_login(people["kari"])
    page = client.get(inspect_url(case))
    assert "Saksbehandler: ikke tildelt" in page.text

    response = client.post(assign_url(case), {"handler": people["per"].pk}, follow=True)
    assert "Saken er tildelt Per Berg." in response.text
    assert "Saksbehandler: Per Berg" in response.text
    assert CaseAssignment.objects.get(application=case).handler == people["per"]

    response = client.post(assign_url(case), {"handler": people["kari"].pk}, follow=True)
    assert "Saksbehandler: Kari Lie" in response.text
    assert "Saken er tildelt Kari Lie (før: Per Berg)" in response.text  # the history

    response = client.post(assign_url(case), {"handler": ""}, follow=True)
    assert "Saken er ikke lenger tildelt noen." in response.text
    assert "Saksbehandler: ikke tildelt" in response.text
    assert "Saken er ikke lenger tildelt Kari Lie" in response.text
    assert not CaseAssignment.objects.exists()


def test_only_case_handlers_can_be_assigned(client, people, case):
    client.force_login(people["kari"])
    response = client.post(assign_url(case), {"handler": people["editor"].pk}, follow=True)
    assert "Velg en saksbehandler." in response.text
    response = client.post(assign_url(case), {"handler": "ikke-et-tall"}, follow=True)
    assert "Velg en saksbehandler." in response.text
    assert not CaseAssignment.objects.exists()
    # A decision maker can handle cases too.
    client.post(assign_url(case), {"handler": people["beslutter"].pk})
    assert CaseAssignment.objects.get().handler == people["beslutter"]


def test_page_editors_cannot_assign_or_declare(client, people, case):
    client.force_login(people["editor"])
    assert_refused(client.post(assign_url(case), {"handler": people["per"].pk}))
    assert_refused(client.post(disqualify_url(case), {"confirm": "yes"}))
    assert not CaseAssignment.objects.exists() and not Disqualification.objects.exists()


def test_forms_need_the_csrf_token(people, case):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["kari"])
    assert client.post(assign_url(case), {"handler": people["per"].pk}).status_code == 403
    assert client.post(disqualify_url(case), {"confirm": "yes"}).status_code == 403
    assert not CaseAssignment.objects.exists() and not Disqualification.objects.exists()


def test_listing_shows_and_filters_by_case_handler(client, people, open_round):
    mine = submitted_application(round=open_round, municipalities=[CLASS_6], title="Fjellbygd")
    others = submitted_application(round=open_round, municipalities=[CLASS_5], title="Kystkultur")
    nobodys = submitted_application(round=open_round, municipalities=["1134"], title="Fjordlag")
    assignment.assign(mine, people["kari"], people["kari"])
    assignment.assign(others, people["per"], people["kari"])
    client.force_login(people["kari"])

    listing = client.get(LIST)
    assert "Saksbehandler" in listing.text and "Kari Lie" in listing.text and "Ikke tildelt" in listing.text

    def listed(query):
        text = client.get(f"{LIST}?{query}").text
        return {a.reference for a in (mine, others, nobodys) if a.reference in text}

    assert listed("case_handler=mine") == {mine.reference}
    assert listed("case_handler=none") == {nobodys.reference}
    assert listed(f"case_handler={people['per'].pk}") == {others.reference}
    assert listed("") == {mine.reference, others.reference, nobodys.reference}


def test_a_disqualified_handler_cannot_be_assigned(client, people, case):
    DisqualificationFactory(application=case, person=people["per"])
    with pytest.raises(WorkflowError, match="har erklært seg inhabil"):
        assignment.assign(case, people["per"], people["kari"])
    client.force_login(people["kari"])
    page = client.get(inspect_url(case))
    assert f'<option value="{people["per"].pk}"' not in page.text  # not offered
    response = client.post(assign_url(case), {"handler": people["per"].pk}, follow=True)
    assert "Per Berg har erklært seg inhabil i saken og kan ikke få den tildelt." in response.text
    assert not CaseAssignment.objects.exists()


def test_declaring_disqualification_is_listed_logged_and_ends_the_assignment(client, people, case):
    CaseAssignmentFactory(application=case, handler=people["per"])
    client.force_login(people["per"])
    refused = client.post(disqualify_url(case), {"reason": "Bror er ordfører"}, follow=True)
    assert "Kryss av for at du er inhabil i saken." in refused.text
    assert not Disqualification.objects.exists()

    response = client.post(disqualify_url(case), {"reason": "Bror er ordfører", "confirm": "yes"}, follow=True)
    assert "Du er registrert som inhabil i saken." in response.text
    assert "Saksbehandler: ikke tildelt" in response.text
    assert "Per Berg erklærte seg inhabil: Bror er ordfører" in response.text  # the history
    assert "Saken er ikke lenger tildelt Per Berg (inhabil)" in response.text
    assert not CaseAssignment.objects.exists()

    # Another case handler sees who stood aside and why.
    client.force_login(people["kari"])
    page = client.get(inspect_url(case))
    assert "Per Berg" in page.text and "Bror er ordfører" in page.text
    again = client.post(disqualify_url(case), {"confirm": "yes"})
    assert again.status_code == 302
    assert Disqualification.objects.count() == 2


def test_a_disqualified_handler_cannot_handle_the_case(people, case):
    kari = people["kari"]
    DisqualificationFactory(application=case, person=kari)
    criterion = case.round.criteria.first()
    for attempt in (
        lambda: services.save_review(case, kari, criterion, 4),
        lambda: services.add_note(case, kari, "Notat"),
        lambda: services.change_status(case, "shortlisted", kari),
        lambda: assignment.assign(case, people["per"], kari),
        lambda: assignment.unassign(case, kari),
    ):
        with pytest.raises(PermissionDenied, match="inhabil"):
            attempt()
    assert services.allowed_transitions(case, kari) == []
    case.refresh_from_db()
    assert case.status == "in_assessment"
    assert not Review.objects.exists() and not InternalNote.objects.exists()


def test_a_disqualified_decision_maker_cannot_decide_or_release(people, open_round):
    boss = people["beslutter"]
    shortlisted = submitted_application(round=open_round, municipalities=[CLASS_6], status="shortlisted")
    other = submitted_application(round=open_round, municipalities=[CLASS_5], status="shortlisted")
    DisqualificationFactory(application=shortlisted, person=boss)
    with pytest.raises(PermissionDenied, match="inhabil"):
        services.set_decision(shortlisted, "selected", boss)
    # «Ikke valgt» for the rest leaves the case alone for this person.
    assert services.prepare_not_selected_for_rest(open_round, boss) == 1
    other.refresh_from_db()
    shortlisted.refresh_from_db()
    assert (other.decision, shortlisted.decision) == ("not_selected", "")
    # Someone else prepares the decision; this person may not release it.
    services.set_decision(shortlisted, "selected", staff("Beslutter"))
    with pytest.raises(WorkflowError, match=f"inhabil i {shortlisted.reference}"):
        services.release_decisions(open_round, boss)
    shortlisted.refresh_from_db()
    assert shortlisted.status == "shortlisted"


def test_the_posted_forms_refuse_a_disqualified_handler(client, people, case):
    kari = people["kari"]
    DisqualificationFactory(application=case, person=kari)
    criterion = case.round.criteria.first()
    client.force_login(kari)
    for name, data in (
        ("save_reviews", {f"score_{criterion.pk}": "5"}),
        ("add_note", {"text": "Notat"}),
        ("change_status", {"status": "shortlisted"}),
    ):
        assert_refused(client.post(reverse(f"pilot_applications:{name}", args=[case.pk]), data))
    case.refresh_from_db()
    assert case.status == "in_assessment"
    assert not Review.objects.exists() and not InternalNote.objects.exists()


def test_a_disqualified_handler_reads_no_scores_or_notes(client, people, case):
    per = people["per"]
    criterion = case.round.criteria.first()
    services.save_review(case, per, criterion, 2, "Svak forankring i kommunestyret")
    services.add_note(case, per, "Ring rådmannen om budsjettet")
    kari = people["kari"]
    assignment.declare_disqualified(case, kari, "Nabo til prosjektlederen")
    client.force_login(kari)

    page = client.get(inspect_url(case)).text
    assert "Fjellbygd" in page  # what the applicant sent
    assert "Du har erklært deg inhabil i saken." in page
    for secret in ("Svak forankring i kommunestyret", "Ring rådmannen om budsjettet", "2 poeng", "Snittpoeng"):
        assert secret not in page, secret
    assert "Lagre vurderingen" not in page and "Endre status" not in page and "Erklær meg inhabil" not in page

    history = client.get(reverse("pilot_applications:history", args=[case.pk])).text
    assert "Vurdert «" not in history and "Internt notat" not in history
    assert "erklærte seg inhabil" in history

    row = next(line for line in client.get(LIST).text.splitlines() if "Inhabil" in line)
    assert row  # the score columns of the listing say «Inhabil»
    content = b"".join(client.get(f"{LIST}?export=csv").streaming_content).decode("utf-8-sig")
    exported = next(csv.DictReader(io.StringIO(content), delimiter=";"))
    assert (exported["Snittpoeng"], exported["Antall vurderinger"]) == ("Inhabil", "Inhabil")

    # Per, not disqualified, sees them all.
    client.force_login(per)
    page = client.get(inspect_url(case)).text
    assert "Svak forankring i kommunestyret" in page and "Ring rådmannen om budsjettet" in page
    assert "Nabo til prosjektlederen" in page


def test_the_portfolio_hides_scores_and_decisions_from_a_disqualified_decision_maker(client, people, open_round):
    boss = people["beslutter"]
    case = submitted_application(round=open_round, municipalities=[CLASS_6], status="shortlisted")
    criterion = criteria(open_round)[0]
    services.save_review(case, people["per"], criterion, 4)
    client.force_login(boss)
    url = reverse("pilot_applications:portfolio") + f"?round={open_round.pk}"
    row = client.get(url).text.split(f'id="soknad-{case.pk}"')[1].split("</tr>")[0]
    assert "4,0 (1)" in row and f'Velg<span class="visuallyhidden"> {case.reference}' in row
    assignment.declare_disqualified(case, boss)
    row = client.get(url).text.split(f'id="soknad-{case.pk}"')[1].split("</tr>")[0]
    assert "4,0" not in row and "Inhabil" in row and "Du er inhabil" in row
    assert "Velg<span" not in row
