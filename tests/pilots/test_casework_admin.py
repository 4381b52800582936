"""The applications viewset in the Wagtail admin: listing with scores, filters,
search and export; the inspect page; private attachments; and who sees nothing."""

import csv
import io
import re

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pilots.casework import services
from pilots.models import Application, County
from tests.factories.casework import AttachmentFactory
from tests.factories.pilots import (
    CLASS_4,
    CLASS_5,
    CLASS_6,
    CLASS_6B,
    CLASS_6C,
    ApplicationFactory,
    RoundFactory,
    criteria,
    staff,
    submitted_application,
)
from tests.factories.policy import StaffUserFactory
from tests.pilots.casework import assert_refused

LIST = reverse("pilot_applications:index")
PORTFOLIO = reverse("pilot_applications:portfolio")


@pytest.fixture
def cases(open_round):
    """Three submitted applications in Rogaland (real register), one with reviews
    (through the service, so the history shows them)."""
    first = submitted_application(
        round=open_round,
        municipalities=[CLASS_6, CLASS_4],
        title="Fjellbygd",
        themes="Bolig, næring",
        challenges="Nedgang i folketallet og få arbeidsplasser.",
        amount_applied=1_500_000,
    )
    second = submitted_application(round=open_round, municipalities=[CLASS_5], title="Kystkultur", themes="Kultur")
    third = submitted_application(
        round=open_round, municipalities=[CLASS_6B, CLASS_6C], title="Fjordlag", themes="Næring"
    )
    reviewers = [staff("Saksbehandler"), staff("Saksbehandler")]
    forankring, overforing, *_ = criteria(open_round)
    services.save_review(first, reviewers[0], forankring, 4, "Godt forankret")
    services.save_review(first, reviewers[0], overforing, 5)
    services.save_review(first, reviewers[1], forankring, 3)
    return {"first": first, "second": second, "third": third, "reviewers": reviewers}


def rows(response):
    """The reference numbers listed, in order (the title column names each one twice:
    the link and its "more actions" button)."""
    return list(dict.fromkeys(re.findall(r"BVA-\d\d-[0-9A-Z]{6}", response.text)))


def test_case_handler_sees_the_list_with_mean_score_and_review_count(client, cases):
    client.force_login(cases["reviewers"][0])
    response = client.get(LIST)
    assert response.status_code == 200
    listed = set(rows(response))
    assert listed == {cases[k].reference for k in ("first", "second", "third")}
    assert "4,0" in response.text  # (4 + 5 + 3) / 3
    dashboard = client.get("/admin/")
    assert LIST in dashboard.text and PORTFOLIO in dashboard.text  # menu items (sidebar JSON)
    assert "Søknader om bygdevekstavtale" in dashboard.text  # the statistics panel


def test_drafts_are_not_listed(client, cases, open_round, applicant):
    draft = ApplicationFactory(round=open_round, created_by=applicant, municipalities=[CLASS_5])
    client.force_login(cases["reviewers"][0])
    assert len(rows(client.get(LIST))) == 3
    assert client.get(reverse("pilot_applications:inspect", args=[draft.pk])).status_code == 404


def test_listing_query_count_does_not_grow_with_the_number_of_applications(client, cases, open_round):
    client.force_login(cases["reviewers"][0])
    client.get(LIST)
    with CaptureQueriesContext(connection) as three:
        client.get(LIST)
    for lead in ["1112", "1133", "1135", "1145", "1160"]:  # class 5 in SSB's 2023 index
        submitted_application(round=open_round, municipalities=[lead])
    more = Application.objects.exclude(status=Application.Status.DRAFT).count()
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST)
    assert len(rows(response)) == more > 3
    print(f"listing queries: {len(three)} for 3 applications, {len(many)} for {more}")
    assert len(many) == len(three)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=submitted", {"first", "second", "third"}),
        ("theme=kultur", {"second"}),
        ("centrality_class=4", {"first"}),
        ("centrality_class=5", {"second"}),
        ("q=Fjord", {"third"}),
    ],
)
def test_filters_and_search(client, cases, query, expected):
    client.force_login(cases["reviewers"][0])
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    assert set(rows(response)) == {cases[k].reference for k in expected}


def test_filter_by_round_and_county(client, cases, open_round):
    other_round = RoundFactory(name="Annen runde")
    client.force_login(cases["reviewers"][0])
    assert rows(client.get(f"{LIST}?round={other_round.pk}")) == []
    assert len(rows(client.get(f"{LIST}?round={open_round.pk}"))) == 3
    rogaland = cases["first"].lead.county
    oslo = County.objects.filter(name="Oslo").first()
    assert len(set(rows(client.get(f"{LIST}?county={rogaland.pk}")))) == 3
    assert rows(client.get(f"{LIST}?county={oslo.pk}")) == []


def test_sorting_by_mean_score(client, cases):
    client.force_login(cases["reviewers"][0])
    response = client.get(f"{LIST}?ordering=-mean_score_sort")
    assert response.status_code == 200
    assert rows(response)[0] == cases["first"].reference


def test_csv_export_has_one_row_per_application(client, cases):
    client.force_login(cases["reviewers"][0])
    response = client.get(f"{LIST}?export=csv&theme=næring")
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(content), delimiter=";"))
    assert {r["Referanse"] for r in table} == {cases["first"].reference, cases["third"].reference}
    first = next(r for r in table if r["Referanse"] == cases["first"].reference)
    assert first["Status"] == "Sendt inn"
    assert first["Fylke (søkerkommune)"] == "Rogaland"
    assert "Utsira" in first["Kommuner"] and "Eigersund" in first["Kommuner"]
    assert first["Antall kommuner"] == "2"
    assert first["Antall vurderinger"] == "3"
    assert first["Søkt beløp (kr)"] == "1500000"


def test_xlsx_export(client, cases):
    client.force_login(cases["reviewers"][0])
    response = client.get(f"{LIST}?export=xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    assert header[:2] == ["Referanse", "Prosjekt"]
    references = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert references == {cases[k].reference for k in ("first", "second", "third")}


def test_inspect_shows_answers_municipalities_reviews_notes_and_history(client, cases):
    application = cases["first"]
    user = cases["reviewers"][0]
    services.add_note(application, user, "Ring kontaktpersonen om budsjettet")
    AttachmentFactory(application=application, original_name="kommunestyrevedtak.pdf")
    client.force_login(user)
    response = client.get(reverse("pilot_applications:inspect", args=[application.pk]))
    assert response.status_code == 200
    text = response.text
    for expected in (
        "Fjellbygd",
        "Nedgang i folketallet og få arbeidsplasser.",
        "Utsira",
        "Eigersund",
        "Rogaland",
        "Godt forankret",
        "Ring kontaktpersonen om budsjettet",
        "kommunestyrevedtak.pdf",
        "Vurdert «Forankring»: 4 poeng",
        application.contact.name,
    ):
        assert expected in text, expected


def test_attachment_download_is_permission_checked(client, cases):
    application = cases["first"]
    attachment = AttachmentFactory(application=application, original_name="budsjett.pdf")
    url = reverse("pilot_applications:download_attachment", args=[application.pk, attachment.pk])
    client.force_login(cases["reviewers"][0])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "budsjett.pdf" in response["Content-Disposition"]
    client.force_login(staff("Editors"))
    assert_refused(client.get(url))
    client.force_login(application.created_by)  # the applicant has no admin access at all
    assert client.get(url).status_code in (302, 403)


def test_reviews_in_the_admin_are_validated(client, cases):
    application = cases["second"]
    forankring = application.round.criteria.get(name="Forankring")
    client.force_login(cases["reviewers"][0])
    url = reverse("pilot_applications:save_reviews", args=[application.pk])
    response = client.post(url, {f"score_{forankring.pk}": "7", f"comment_{forankring.pk}": "x"}, follow=True)
    assert "Forankring: poeng må være et helt tall fra 1 til 5." in response.text
    assert not application.reviews.exists()
    client.post(url, {f"score_{forankring.pk}": "2", f"comment_{forankring.pk}": "Svak"})
    client.post(url, {f"score_{forankring.pk}": "3", f"comment_{forankring.pk}": "Bedre"})
    review = application.reviews.get()
    assert (review.score, review.comment) == (3, "Bedre")  # one per reviewer and criterion


@pytest.mark.parametrize("group", ["Editors", "Moderators", None])
def test_page_editors_see_nothing_of_applications(client, cases, group):
    user = staff(group)
    if group is None:
        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    dashboard = client.get("/admin/")
    assert dashboard.status_code == 200
    assert LIST not in dashboard.text and PORTFOLIO not in dashboard.text
    assert "Søknader om bygdevekstavtale" not in dashboard.text  # the statistics panel
    application = cases["first"]
    for url in (
        LIST,
        LIST + "?export=csv",
        reverse("pilot_applications:inspect", args=[application.pk]),
        reverse("pilot_applications:history", args=[application.pk]),
        reverse("pilot_applications:portfolio"),
    ):
        assert_refused(client.get(url))


def test_nobody_adds_edits_or_deletes_applications_in_the_admin(client, cases):
    admin = StaffUserFactory(is_superuser=True)
    client.force_login(admin)
    application = cases["first"]
    assert client.get(LIST).status_code == 200
    for url in (
        reverse("pilot_applications:add"),
        reverse("pilot_applications:edit", args=[application.pk]),
        reverse("pilot_applications:delete", args=[application.pk]),
    ):
        assert_refused(client.get(url))
    assert_refused(client.post(reverse("pilot_applications:delete", args=[application.pk])))
    assert Application.objects.filter(pk=application.pk).exists()


def test_scores_and_notes_are_never_shown_to_the_applicant(client, cases):
    application = cases["first"]
    services.add_note(application, cases["reviewers"][0], "Intern vurdering: svak økonomi")
    services.change_status(application, "in_assessment", cases["reviewers"][0], note="Intern merknad X")
    client.force_login(application.created_by)
    pages = [
        client.get(reverse("pilots:my_applications")),
        client.get(reverse("pilots:receipt", args=[application.round_id, application.pk])),
    ]
    for page in pages:
        assert page.status_code == 200
        for secret in ("Godt forankret", "svak økonomi", "Intern merknad X", "Snittpoeng", "Forankring", "poeng"):
            assert secret not in page.text
    assert "Under behandling" in pages[0].text
    assert client.get(LIST).status_code == 302  # not even the admin login is theirs
