"""The Altinn source of authority to act for a municipality, against a local double of
Altinn's authorized-parties API: a real HTTP server in a thread, answering as Altinn
does. Nothing of our own code is replaced."""

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse

from pilots.applications import authority
from pilots.models import Application, MunicipalityAuthority
from tests.factories.pilots import ApplicationFactory, municipality
from tests.factories.portal import ApplicantFactory
from tests.pilots.authority import ASKVOLL, ASKVOLL_ORG, claims, submit_over_http


class AltinnDouble(BaseHTTPRequestHandler):
    """Answers like Altinn's resourceowner/authorizedparties: the parties a person may
    act for, from `parties` keyed by national identity number; `status` forces an error."""

    parties = {}
    status = 200
    requests = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append({"path": self.path, "body": body, "headers": dict(self.headers)})
        if type(self).status != 200:
            self.send_response(type(self).status)
            self.end_headers()
            return
        answer = json.dumps(type(self).parties.get(body["value"], [])).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


@pytest.fixture
def altinn(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), AltinnDouble)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    AltinnDouble.parties, AltinnDouble.status, AltinnDouble.requests = {}, 200, []
    host, port = server.server_address
    settings.ALTINN_AUTHORIZATION_URL = (
        f"http://{host}:{port}/accessmanagement/api/v1/resourceowner/authorizedparties?includeAltinn2=true"
    )
    settings.ALTINN_TOKEN = "altinn-token-for-tests"
    settings.ALTINN_SUBSCRIPTION_KEY = "subscription-key-for-tests"
    yield AltinnDouble
    server.shutdown()
    server.server_close()


@pytest.fixture
def askvoll_with_org(db):
    askvoll = municipality(ASKVOLL)
    askvoll.organisation_number = ASKVOLL_ORG
    askvoll.save(update_fields=["organisation_number"])
    return askvoll


# ID-porten gives no e-mail address, so the contact person's is typed in.
CONTACT = {"email": "kontakt@askvoll.kommune.no"}


def idporten_applicant(pid):
    return ApplicantFactory(email="", username=f"applicant-{pid}", identity__method="idporten", identity__subject=pid)


def party(number, roles):
    return {"name": "ASKVOLL KOMMUNE", "organizationNumber": number, "type": "Organization", "isDeleted": False,
            "authorizedRoles": roles, "subunits": []}  # fmt: skip


def test_an_altinn_role_for_the_municipality_establishes_it(client, open_round, altinn, askvoll_with_org):
    altinn.parties = {"01017000001": [party("999000002", ["DAGL"]), party(ASKVOLL_ORG, ["UTINN"])]}
    application = ApplicationFactory(
        round=open_round, created_by=idporten_applicant("01017000001"), municipalities=[ASKVOLL], contact=CONTACT
    )
    receipt = submit_over_http(client, application)
    assert "Vi har ikke bekreftet" not in receipt.text
    assert claims(open_round) == {ASKVOLL: application.pk}
    assert MunicipalityAuthority.objects.get(application=application).evidence == (
        f"Rolle i Altinn for organisasjonsnummer {ASKVOLL_ORG}"
    )
    request = altinn.requests[-1]
    assert request["path"].startswith("/accessmanagement/api/v1/resourceowner/authorizedparties")
    assert request["body"] == {"type": "urn:altinn:person:identifier-no", "value": "01017000001"}
    assert request["headers"]["Authorization"] == "Bearer altinn-token-for-tests"
    assert request["headers"]["Ocp-Apim-Subscription-Key"] == "subscription-key-for-tests"


def test_no_altinn_role_for_the_municipality_is_not_enough(client, open_round, altinn, askvoll_with_org):
    altinn.parties = {"01017000002": [party("999000002", ["DAGL"]), party(ASKVOLL_ORG, [])]}
    application = ApplicationFactory(
        round=open_round, created_by=idporten_applicant("01017000002"), municipalities=[ASKVOLL], contact=CONTACT
    )
    client.force_login(application.created_by)
    page = client.get(reverse("pilots:task_list", args=[open_round.pk, application.pk]))
    assert "Vi har ikke bekreftet at du kan søke på vegne av Askvoll kommune." in page.text
    assert "Vi fant ingen rolle for deg i Altinn for kommunen." in page.text
    submit_over_http(client, application)
    assert claims(open_round) == {}


def test_an_altinn_error_is_logged_and_leaves_the_authority_unconfirmed(client, open_round, altinn, askvoll_with_org):
    altinn.status = 503
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logger = logging.getLogger("pilots.applications.altinn")
    logger.addHandler(handler)
    try:
        application = ApplicationFactory(
            round=open_round, created_by=idporten_applicant("01017000003"), municipalities=[ASKVOLL], contact=CONTACT
        )
        client.force_login(application.created_by)
        page = client.get(reverse("pilots:task_list", args=[open_round.pk, application.pk]))
        assert page.status_code == 200
        assert "Vi har ikke bekreftet at du kan søke på vegne av Askvoll kommune." in page.text
        receipt = submit_over_http(client, application)
    finally:
        logger.removeHandler(handler)
    assert receipt.status_code == 200
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert claims(open_round) == {}
    assert any("HTTP 503" in record.getMessage() for record in records)


def test_only_the_sources_in_the_setting_are_asked(settings, altinn, askvoll_with_org):
    settings.PILOTS_AUTHORITY_SOURCES = ["pilots.applications.authority.RegisteredEmailDomain"]
    altinn.parties = {"01017000004": [party(ASKVOLL_ORG, ["DAGL"])]}
    assert authority.look_up(idporten_applicant("01017000004"), [askvoll_with_org]) == {}
    assert altinn.requests == []
