"""In the browser: an upload is listed «Under kontroll», and when the task worker has
checked it the row says «Godkjent» without a reload (the page's script polls), with
the change announced to screen readers; the page passes axe, has its headings in
order and does not scroll sideways at 320 px."""

import pytest
from django.urls import reverse

from tests.conftest import signed_in_page
from tests.factories.pdf import text_pdf
from tests.factories.pilots import CLASS_6, ApplicationFactory, RoundFactory
from tests.factories.portal import ApplicantFactory
from tests.tasks import run_stored_tasks
from tests.test_reflow import check


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 320, "height": 640}])
def test_the_check_result_appears_without_a_reload(live_home, live_server, browser, settings, tmp_path, viewport):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "mail", "bulk", "uploads"]}
    }
    applicant = ApplicantFactory(email="ola@kommune.example")
    application = ApplicationFactory(round=RoundFactory(), created_by=applicant, municipalities=[CLASS_6])
    page = signed_in_page(browser, live_server, applicant, viewport)
    page.goto(live_server.url + reverse("pilots:attachments", args=[application.round_id, application.pk]))
    pdf = tmp_path / "Kommunestyrevedtak.pdf"
    pdf.write_bytes(text_pdf("Kommunestyrevedtak", [["Vedtak om å søke"]]))
    page.get_by_role("radio", name="Kommunestyrevedtak").check()
    page.get_by_label("Last opp en PDF-fil").set_input_files(pdf)
    page.get_by_role("button", name="Last opp", exact=True).click()
    page.get_by_text("Kommunestyrevedtak.pdf er lastet opp.").wait_for()
    row = page.locator("tr", has_text="Kommunestyrevedtak.pdf")
    assert row.locator(".ds-tag").inner_text() == "Under kontroll"
    check(page)

    run_stored_tasks()
    row.locator(".ds-tag", has_text="Godkjent").wait_for()
    assert page.locator("[data-check-announcer]").inner_text() == "Kommunestyrevedtak.pdf: Godkjent"
    check(page)
    page.context.close()
