"""Authority to act for a municipality: an application locks a municipality for its
round only once it is established that the applicant may act for it (Altinn role,
registered e-mail domain, or a case handler's confirmation), and nobody without it
learns whether the municipality has applied.

The attack this guards against: someone signed in as tulling@gmail.com submits an
application for Askvoll and Fjaler with a budget of 1 kr, and the real Askvoll can
no longer apply."""

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import ModelLogEntry

from pilots.applications import authority, services
from pilots.models import Application, MunicipalityAuthority
from pilots.register.reference import EDITIONS, MunicipalityRecord, upsert_edition
from tests.conftest import signed_in_page
from tests.factories.pilots import ApplicationFactory, RoundFactory, municipality, register_email_domain, staff
from tests.factories.portal import ApplicantFactory
from tests.pilots.authority import (
    ASKVOLL,
    ASKVOLL_ORG,
    FJALER,
    OUTSIDER,
    TELLTALES,
    claims,
    one_krone_application,
    submit_over_http,
)
from tests.pilots.casework import assert_refused
from tests.test_reflow import check


@pytest.fixture
def askvoll(db):
    return register_email_domain(ASKVOLL, "askvoll.kommune.no")


def test_the_outsiders_submission_does_not_block_the_real_municipality(
    client, open_round, askvoll, django_capture_on_commit_callbacks
):
    outsider = one_krone_application(open_round, ApplicantFactory(email=OUTSIDER), [ASKVOLL, FJALER])
    with django_capture_on_commit_callbacks(execute=True):
        receipt = submit_over_http(client, outsider)
    assert "Vi har ikke bekreftet at søkeren kan søke på vegne av Askvoll kommune og Fjaler kommune." in (
        mail.outbox[0].body
    )
    outsider.refresh_from_db()
    assert outsider.status == Application.Status.SUBMITTED
    assert "Vi har ikke bekreftet at du kan søke på vegne av Askvoll kommune og Fjaler kommune." in receipt.text
    assert "Saksbehandler tar kontakt med kommunen" in receipt.text
    assert f"E-postadressen du logget inn med ({OUTSIDER}), er ikke på et e-postdomene" in receipt.text
    assert claims(open_round) == {}

    real = ApplicationFactory(
        round=open_round, created_by=ApplicantFactory(email="postmottak@askvoll.kommune.no"), municipalities=[ASKVOLL]
    )
    receipt = submit_over_http(client, real)
    real.refresh_from_db()
    assert real.status == Application.Status.SUBMITTED
    assert real.reference in receipt.text
    assert "Vi har ikke bekreftet" not in receipt.text
    assert claims(open_round) == {ASKVOLL: real.pk}
    recorded = MunicipalityAuthority.objects.get(application=real)
    assert recorded.get_source_display() == "Registrert e-postdomene"
    assert recorded.evidence == "Logget inn med e-post på askvoll.kommune.no"
    # The outsider stays unconfirmed for both.
    assert not MunicipalityAuthority.objects.filter(application=outsider).exists()


def test_the_outsider_never_learns_that_the_municipality_has_applied(client, open_round, askvoll):
    real = ApplicationFactory(
        round=open_round, created_by=ApplicantFactory(email="postmottak@askvoll.kommune.no"), municipalities=[ASKVOLL]
    )
    services.submit(real, real.created_by)
    assert claims(open_round) == {ASKVOLL: real.pk}

    outsider_user = ApplicantFactory(email=OUTSIDER)
    outsider = one_krone_application(open_round, outsider_user, [FJALER])
    client.force_login(outsider_user)
    section = reverse("pilots:section", args=[open_round.pk, outsider.pk, "kommuner"])
    chosen = client.post(
        section,
        {
            "version": outsider.version,
            "lead": municipality(ASKVOLL).pk,
            "partner_1": municipality(FJALER).pk,
            "action": "continue",
        },
        follow=True,
    )
    pages = [chosen, client.get(section)]
    pages.append(client.get(reverse("pilots:task_list", args=[open_round.pk, outsider.pk])))
    pages.append(client.get(reverse("pilots:check_answers", args=[open_round.pk, outsider.pk])))
    pages.append(submit_over_http(client, outsider))
    for page in pages:
        assert page.status_code == 200
        assert not any(word in page.text for word in TELLTALES), page.request["PATH_INFO"]
    assert "Kommunene kan søke." in pages[1].text
    assert "Vi har ikke bekreftet at du kan søke på vegne av Askvoll kommune og Fjaler kommune." in pages[2].text
    outsider.refresh_from_db()
    assert outsider.status == Application.Status.SUBMITTED
    assert claims(open_round) == {ASKVOLL: real.pk}


def test_someone_established_for_the_municipality_is_told_it_has_applied(open_round, askvoll):
    """The municipality's own people may know: they are the municipality."""
    first = ApplicationFactory(
        round=open_round, created_by=ApplicantFactory(email="postmottak@askvoll.kommune.no"), municipalities=[ASKVOLL]
    )
    services.submit(first, first.created_by)
    colleague = ApplicantFactory(email="radmann@askvoll.kommune.no")
    second = ApplicationFactory(round=open_round, created_by=colleague, municipalities=[ASKVOLL])
    with pytest.raises(services.WorkflowError, match="Askvoll: Er allerede med i en annen søknad"):
        services.submit(second, colleague)


@pytest.mark.parametrize(
    ("address", "established"),
    [
        ("postmottak@askvoll.kommune.no", True),
        ("Ola.Nordmann@ASKVOLL.Kommune.NO", True),
        ("ola@skole.askvoll.kommune.no", False),  # a subdomain is another domain
        ("ola@askvoll.kommune.no.example.com", False),
        ("ola@notaskvoll.kommune.no", False),
        ("askvoll.kommune.no@gmail.com", False),
        (OUTSIDER, False),
    ],
)
def test_the_email_domain_must_match_exactly(askvoll, address, established):
    user = ApplicantFactory(email=address)
    assert (askvoll.pk in authority.look_up(user, [askvoll])) is established


def test_staff_keep_domains_and_organisation_number_in_the_admin(client, askvoll):
    client.force_login(staff(is_superuser=True))
    listing = client.get(reverse("wagtailsnippets_pilots_municipality:list"), {"q": "Askvoll"})
    assert listing.status_code == 200 and "askvoll.kommune.no" in listing.text
    url = reverse("wagtailsnippets_pilots_municipality:edit", args=[askvoll.pk])
    assert 'name="email_domains"' in client.get(url).text
    page = client.post(url, {"organisation_number": "12345", "email_domains": "postmottak@askvoll.kommune.no"})
    assert page.status_code == 200
    assert "Organisasjonsnummeret har ni sifre." in page.text
    assert "«postmottak@askvoll.kommune.no» er ikke et e-postdomene. Skriv bare det som står etter @" in page.text
    assert 'value="12345"' in page.text
    response = client.post(url, {"organisation_number": ASKVOLL_ORG, "email_domains": "Askvoll.Kommune.no, askvoll.no"})
    assert response.status_code == 302
    askvoll.refresh_from_db()
    assert (askvoll.organisation_number, askvoll.email_domains) == (ASKVOLL_ORG, ["askvoll.kommune.no", "askvoll.no"])
    # Nobody adds or deletes municipalities there: the register loader does.
    assert client.get(reverse("wagtailsnippets_pilots_municipality:add")).status_code in (302, 403)
    # Loading the register again keeps what staff entered.
    record = MunicipalityRecord(ASKVOLL, "Askvoll", "Askvoll", "", "", "", "", "46")
    upsert_edition(EDITIONS[-1], [], [record])
    askvoll.refresh_from_db()
    assert askvoll.email_domains == ["askvoll.kommune.no", "askvoll.no"]


# --- The case handler ----------------------------------------------------------------


def confirm(client, application, number, note="Ringte postmottak i kommunen, som bekreftet søknaden.", follow=True):
    url = reverse("pilot_applications:confirm_authority", args=[application.pk])
    return client.post(url, {"municipality": municipality(number).pk, "note": note}, follow=follow)


def test_a_case_handler_confirms_after_contacting_the_municipality(client, open_round):
    application = one_krone_application(open_round, ApplicantFactory(email="ordforer@gmail.com"), [ASKVOLL, FJALER])
    services.submit(application, application.created_by)
    handler = staff("Saksbehandler", first_name="Siri", last_name="Saksbehandler")
    client.force_login(handler)
    page = confirm(client, application, ASKVOLL, note="")
    assert "Skriv hvem i kommunen du har snakket med" in page.text
    page = confirm(client, application, ASKVOLL)
    assert "Det er bekreftet at søkeren kan søke på vegne av Askvoll kommune." in page.text
    assert claims(open_round) == {ASKVOLL: application.pk}
    recorded = MunicipalityAuthority.objects.get(application=application)
    assert (recorded.source, recorded.confirmed_by) == ("case-handler", handler)
    entry = ModelLogEntry.objects.get(action="pilots.authority_confirmed")
    assert entry.user == handler and entry.object_id == str(application.pk)
    assert entry.data["note"] == "Ringte postmottak i kommunen, som bekreftet søknaden."
    history = client.get(reverse("pilot_applications:history", args=[application.pk]))
    assert "Bekreftet at søkeren kan søke for Askvoll kommune: Ringte postmottak" in history.text
    # Fjaler is still unconfirmed, as the applicant's receipt says.
    client.force_login(application.created_by)
    receipt = client.get(reverse("pilots:receipt", args=[open_round.pk, application.pk]))
    assert "Vi har ikke bekreftet at du kan søke på vegne av Fjaler kommune." in receipt.text


def test_only_case_handlers_confirm(client, open_round):
    application = one_krone_application(open_round, ApplicantFactory(email=OUTSIDER), [ASKVOLL])
    services.submit(application, application.created_by)
    client.force_login(staff("Editors"))
    assert_refused(confirm(client, application, ASKVOLL, follow=False))
    client.force_login(application.created_by)
    assert confirm(client, application, ASKVOLL, follow=False).status_code == 302  # to the admin login
    assert claims(open_round) == {}
    assert not MunicipalityAuthority.objects.exists()


def test_confirmation_is_refused_when_another_application_holds_the_municipality(client, open_round, askvoll):
    outsider = one_krone_application(open_round, ApplicantFactory(email=OUTSIDER), [ASKVOLL])
    services.submit(outsider, outsider.created_by)
    real = ApplicationFactory(
        round=open_round, created_by=ApplicantFactory(email="postmottak@askvoll.kommune.no"), municipalities=[ASKVOLL]
    )
    services.submit(real, real.created_by)
    client.force_login(staff("Saksbehandler"))
    page = confirm(client, outsider, ASKVOLL)
    assert f"Askvoll kommune er allerede med i søknad {real.reference}" in page.text
    assert "Bekreftelsen er ikke lagret." in page.text
    assert claims(open_round) == {ASKVOLL: real.pk}
    assert not MunicipalityAuthority.objects.filter(application=outsider).exists()
    assert not ModelLogEntry.objects.filter(action="pilots.authority_confirmed").exists()


def test_case_handlers_see_unconfirmed_and_conflicting_applications_side_by_side(client, open_round, askvoll):
    outsider = one_krone_application(open_round, ApplicantFactory(email=OUTSIDER), [ASKVOLL, FJALER])
    services.submit(outsider, outsider.created_by)
    real = ApplicationFactory(
        round=open_round,
        created_by=ApplicantFactory(email="postmottak@askvoll.kommune.no"),
        municipalities=[ASKVOLL],
        title="Askvoll veks",
    )
    services.submit(real, real.created_by)
    alone = ApplicationFactory(round=open_round, municipalities=["1151"], title="Utsira alene", authorised=True)
    services.submit(alone, alone.created_by)
    client.force_login(staff("Saksbehandler"))

    page = client.get(reverse("pilot_applications:inspect", args=[outsider.pk]))
    assert "Askvoll kommune: ikke bekreftet – 2 søknader" in page.text
    assert "Fjaler kommune: ikke bekreftet" in page.text
    panel = page.text.split('id="fullmakt"')[1].split("</section>")[0]
    assert outsider.reference in panel and real.reference in panel
    assert OUTSIDER in panel and "postmottak@askvoll.kommune.no" in panel
    assert "Registrert e-postdomene: Logget inn med e-post på askvoll.kommune.no" in panel
    assert "Bekreft fullmakt" in panel

    listing = reverse("pilot_applications:index")
    conflict = client.get(listing, {"authority": "conflict"}).text
    assert outsider.reference in conflict and real.reference in conflict and alone.reference not in conflict
    unconfirmed = client.get(listing, {"authority": "unconfirmed"}).text
    assert outsider.reference in unconfirmed
    assert real.reference not in unconfirmed and alone.reference not in unconfirmed


# --- In the browser --------------------------------------------------------------------


@pytest.mark.browser
def test_the_applicant_sees_that_the_authority_is_unconfirmed(live_home, live_server, browser):
    outsider = one_krone_application(RoundFactory(), ApplicantFactory(email=OUTSIDER), [ASKVOLL, FJALER])
    task_list = live_server.url + reverse("pilots:task_list", args=[outsider.round_id, outsider.pk])
    for viewport in ({"width": 1280, "height": 900}, {"width": 320, "height": 640}):
        page = signed_in_page(browser, live_server, outsider.created_by, viewport)
        page.goto(task_list)
        notice = page.locator(".ds-alert", has_text="Kommunen har ikke bekreftet søknaden ennå")
        assert notice.get_by_role("heading", name="Kommunen har ikke bekreftet søknaden ennå").is_visible()
        assert "Vi har ikke bekreftet at du kan søke på vegne av Askvoll kommune og Fjaler kommune." in (
            notice.inner_text()
        )
        assert "Saksbehandler tar da kontakt med kommunen" in notice.inner_text()
        check(page)  # axe, heading order and no sideways scrolling
        page.context.close()

    services.submit(outsider, outsider.created_by)
    page = signed_in_page(browser, live_server, outsider.created_by, {"width": 1280, "height": 900})
    page.goto(live_server.url + reverse("pilots:receipt", args=[outsider.round_id, outsider.pk]))
    assert page.get_by_role("heading", name="Søknaden er sendt inn").is_visible()
    assert page.get_by_text("Saksbehandler tar kontakt med kommunen for å bekrefte").is_visible()
    check(page)
    page.context.close()
