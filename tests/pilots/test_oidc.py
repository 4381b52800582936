"""Applicant sign-in with ID-porten against a real OpenID Provider process (the local
one in scripts/oidc-provider.mjs): the whole journey in Chromium, and the answers that
must be refused (a tampered state, a wrong nonce, an expired ID token, too low a level).
"""

import html
import re
import time
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from pilots.models import ApplicantIdentity
from policy.models import StaffIdentity
from tests.conftest import assert_no_axe_violations
from tests.oidc_provider import clients, configure, running_provider, sign_in_at_provider
from tests.test_reflow import assert_headings_in_order, assert_reflows

SIGN_IN = reverse("pilots:sign_in")
START = reverse("pilots:idporten_start")


def start(client, next_path="/soknad/"):
    """Press "Logg inn med ID-porten"; returns the authorization request the site sent."""
    response = client.get(START, {"neste": next_path})
    assert response.status_code == 302
    return response["Location"]


def callback_path(url):
    """The provider's answer as a path for the test client."""
    parts = urlsplit(url)
    assert parts.netloc == "testserver", url
    return urlunsplit(("", "", parts.path, parts.query, ""))


def signed_in_user(client):
    return get_user_model().objects.filter(pk=client.session.get("_auth_user_id")).first()


def test_the_sign_in_page_offers_id_porten_only_when_configured(client, db, settings):
    settings.IDPORTEN_DISCOVERY_URL = ""
    page = client.get(SIGN_IN)
    assert "Logg inn med ID-porten" not in page.text and "Send meg en lenke" in page.text
    assert client.get(START).status_code == 404


def test_sign_in_asks_for_pkce_nonce_level_and_language(client, db, oidc_settings, oidc_provider):
    page = client.get(SIGN_IN, {"neste": "/soknad/utlysing/7/"})
    assert "Logg inn med ID-porten" in page.text and "Send meg en lenke" in page.text
    authorize = start(client)
    assert authorize.startswith(oidc_provider + "/auth?")
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["nonce"][0] and query["state"][0]
    assert query["acr_values"] == ["idporten-loa-substantial"]
    assert query["ui_locales"] == ["nb"]
    assert query["redirect_uri"] == ["http://testserver/soknad/logg-inn/idporten/svar/"]


def test_a_national_identity_number_signs_in_an_applicant(client, db, oidc_settings):
    answer = sign_in_at_provider(start(client, "/soknad/utlysing/7/"), "12345678901")
    response = client.get(callback_path(answer))
    assert response.status_code == 302 and response["Location"] == "/soknad/utlysing/7/"
    user = signed_in_user(client)
    identity = ApplicantIdentity.objects.get(user=user)
    assert (identity.method, identity.subject, identity.email) == ("idporten", "12345678901", "12345678901@eksempel.no")
    assert not user.is_staff and not user.groups.exists() and not user.has_usable_password()
    assert "Mine søknader" in client.get("/soknad/").text

    # The same person again: the same account, found by the identity number alone.
    client.logout()
    client.get(callback_path(sign_in_at_provider(start(client), "12345678901")))
    assert signed_in_user(client) == user


def test_a_tampered_state_is_refused(client, db, oidc_settings):
    answer = sign_in_at_provider(start(client), "12345678901")
    parts = urlsplit(answer)
    query = parse_qs(parts.query)
    query["state"] = ["endret" + query["state"][0]]
    tampered = urlunsplit(("", "", parts.path, urlencode(query, doseq=True), ""))
    response = client.get(tampered)
    assert response.status_code == 400
    assert "svaret ikke hørte til denne nettleserøkten" in response.text
    assert signed_in_user(client) is None and not ApplicantIdentity.objects.exists()


def test_an_answer_meant_for_another_browser_is_refused(client, db, oidc_settings):
    """Someone's answer (code and state) opened in another browser finds no sign-in there."""
    answer = sign_in_at_provider(start(client), "12345678901")
    other = Client()
    start(other)
    response = other.get(callback_path(answer))
    assert response.status_code == 400 and "Innloggingen ble ikke fullført" in response.text
    assert signed_in_user(other) is None and not ApplicantIdentity.objects.exists()


def test_a_wrong_nonce_is_refused(client, db, oidc_settings):
    answer = sign_in_at_provider(start(client), "12345678901")
    session = client.session
    [key] = [key for key, _value in session.items() if key.startswith("_state_idporten_")]
    stored = session[key]
    stored["data"]["nonce"] = "en-annen-nonce"
    session[key] = stored
    session.save()
    response = client.get(callback_path(answer))
    assert response.status_code == 400 and "Innloggingen kunne ikke fullføres" in response.text
    assert signed_in_user(client) is None and not ApplicantIdentity.objects.exists()


def test_a_level_below_the_one_asked_for_is_refused(client, db, oidc_settings):
    answer = sign_in_at_provider(start(client), "lav-12345678901")  # the provider answers idporten-loa-low
    response = client.get(callback_path(answer))
    assert response.status_code == 400 and "for lavt sikkerhetsnivå" in response.text
    assert signed_in_user(client) is None and not ApplicantIdentity.objects.exists()


def test_an_expired_id_token_is_refused(client, db, settings):
    """A provider whose ID tokens live one second from the code's issue: redeemed at
    once the token is good, redeemed three seconds later it has expired."""
    with running_provider(clients("http://testserver"), id_token_ttl=1) as issuer:
        configure(settings, issuer, clock_skew=0)
        settings.SITE_URL = "http://testserver"
        answer = sign_in_at_provider(start(client), "12345678901")
        assert client.get(callback_path(answer)).status_code == 302
        client.logout()

        answer = sign_in_at_provider(start(client), "10987654321")
        time.sleep(3)
        response = client.get(callback_path(answer))
    assert response.status_code == 400 and "Innloggingen kunne ikke fullføres" in response.text
    assert signed_in_user(client) is None
    assert not ApplicantIdentity.objects.filter(subject="10987654321").exists()


def test_the_applicant_provider_never_gives_a_staff_account(client, db, oidc_settings):
    """Login "saksbehandler" carries staff groups in its claims; through ID-porten it
    is an applicant like anyone else."""
    client.get(callback_path(sign_in_at_provider(start(client), "saksbehandler")))
    user = signed_in_user(client)
    assert user.applicant_identity.subject == "saksbehandler"
    assert not user.is_staff and not user.is_superuser and not user.groups.exists()
    assert not StaffIdentity.objects.exists()
    assert client.get("/admin/").status_code == 302  # to the admin sign-in


def test_sign_out_ends_the_session_at_id_porten_too(client, db, oidc_settings, oidc_provider):
    client.get(callback_path(sign_in_at_provider(start(client), "12345678901")))
    id_token = client.session["oidc_logout"]["id_token"]
    response = client.post(reverse("pilots:sign_out"))
    assert response.status_code == 200 and "Fortsett til ID-porten" in response.text
    link = re.search(r'href="([^"]+)">Fortsett til ID-porten', response.text).group(1)
    end_session = urlsplit(html.unescape(link))
    assert f"{end_session.scheme}://{end_session.netloc}{end_session.path}" == oidc_provider + "/session/end"
    query = parse_qs(end_session.query)
    assert query["id_token_hint"] == [id_token]
    assert query["post_logout_redirect_uri"] == ["http://testserver/soknad/logget-ut/"]
    assert signed_in_user(client) is None


@pytest.fixture
def live_oidc(live_home, settings, oidc_provider):
    """ID-porten at the local provider, for the live server (SITE_URL is the live server)."""
    configure(settings, oidc_provider)
    return live_home


def test_the_whole_journey_in_a_browser(page, live_server, live_oidc, oidc_provider):
    end_session_requests = []
    page.on("request", lambda r: end_session_requests.append(r.url) if "/session/end" in r.url else None)
    page.goto(live_server.url + SIGN_IN)
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Logg inn med ID-porten").click()

    page.wait_for_url(oidc_provider + "/interaction/**")
    page.get_by_label("Brukernavn").fill("12345678901")
    page.get_by_role("button", name="Logg inn").click()
    page.get_by_role("heading", name="Mine søknader").wait_for()
    assert page.url == live_server.url + "/soknad/"
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_url(oidc_provider + "/session/end**")
    assert "id_token_hint=" in end_session_requests[0]
    page.get_by_role("button", name="Logg ut").click()  # the provider asks to confirm
    page.get_by_role("heading", name="Du er logget ut").wait_for()
    assert page.url.startswith(live_server.url + "/soknad/logget-ut/")

    # The Django session is gone: the portal asks for a sign-in again.
    page.goto(live_server.url + "/soknad/")
    assert urlsplit(page.url).path == SIGN_IN


def test_the_sign_in_pages_reflow_at_320_px(browser, live_server, live_oidc):
    context = browser.new_context(locale="nb-NO", viewport={"width": 320, "height": 640})
    phone = context.new_page()
    try:
        phone.goto(live_server.url + SIGN_IN)
        phone.get_by_role("link", name="Logg inn med ID-porten").wait_for()
        assert_reflows(phone)
        assert_headings_in_order(phone)
        phone.goto(live_server.url + reverse("pilots:idporten_callback") + "?code=x&state=ukjent")
        phone.get_by_role("heading", name="Innloggingen ble ikke fullført").wait_for()
        assert_reflows(phone)
        assert_no_axe_violations(phone)
    finally:
        context.close()


def test_a_provider_that_does_not_answer_gets_a_message_not_a_500(client, db, oidc_settings):
    with running_provider(clients("http://testserver")) as issuer:
        pass  # started and stopped: nothing listens on its port any more
    oidc_settings.IDPORTEN_DISCOVERY_URL = issuer + "/.well-known/openid-configuration"
    response = client.get(START)
    assert response.status_code == 503 and "Innloggingstjenesten svarer ikke" in response.text
