"""Staff accounts that cannot be borrowed or brute-forced: password throttling on the
admin's sign-in, a second factor for those who decide on public money, no e-mail
changes in the account page, and "signed-in users" privacy meaning staff.

Every test signs in through the real forms with a plain test client (no
`force_login` shortcut past the second factor), as a person or an attacker would."""

from datetime import timedelta
from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from policy.two_factor import new_recovery_codes
from tests.factories.documents import (
    DocumentAttachmentFactory,
    DocumentFactory,
    DocumentIndexPageFactory,
    DocumentPageFactory,
)
from tests.factories.pilots import staff
from tests.factories.policy import (
    StaffUserFactory,
    TopicPageFactory,
    UserFactory,
    totp_code,
    totp_device,
    verified_staff_client,
)

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "passord-123"  # tests.factories.pilots.staff's
LOCKED = "For mange mislykkede innlogginger"


def sign_in(client, username, password=PASSWORD, ip="127.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=ip)


def fail(client, username, times, ip="127.0.0.1"):
    for _ in range(times):
        response = sign_in(client, username, "feil-passord", ip=ip)
    return response


def signed_in(client):
    return "_auth_user_id" in client.session


# --- Password throttling -------------------------------------------------------------


def test_thirty_wrong_passwords_lock_the_username_out_even_for_the_right_one():
    staff("Beslutter", username="beslutter")
    client = Client()

    response = fail(client, "beslutter", 29)
    assert response.status_code == 200 and LOCKED not in response.content.decode()

    response = fail(client, "beslutter", 1)  # the 30th
    assert response.status_code == 429
    assert LOCKED in response.content.decode()

    response = sign_in(client, "beslutter")
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED in page and "Vent 20 minutter og prøv igjen" in page
    assert 'name="username"' in page  # still the sign-in form, with the message in it
    assert not signed_in(client)


def test_after_the_cool_off_the_right_password_works_again():
    staff("Beslutter", username="beslutter")
    client = Client()
    fail(client, "beslutter", 30)
    assert sign_in(client, "beslutter").status_code == 429

    # Twenty minutes later (the default cool-off) the attempts no longer count.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=21))
    response = sign_in(client, "beslutter")
    assert response.status_code == 302 and signed_in(client)


def test_the_lock_out_is_per_username_from_any_address():
    staff("Beslutter", username="beslutter")
    staff("Saksbehandler", username="kollega")
    fail(Client(), "beslutter", 30, ip="10.0.0.1")

    colleague = Client()  # same office address, other account
    assert sign_in(colleague, "kollega", ip="10.0.0.1").status_code == 302 and signed_in(colleague)

    elsewhere = Client()  # the locked account, from another address
    assert sign_in(elsewhere, "beslutter", ip="10.0.0.2").status_code == 429 and not signed_in(elsewhere)


def test_one_address_trying_many_accounts_is_locked_out_at_a_hundred():
    staff("Saksbehandler", username="kollega")
    attacker = Client()
    for name in ("anne", "bjorn", "cecilie", "david"):
        fail(attacker, name, 25, ip="10.0.0.9")  # under the username limit for each

    response = sign_in(attacker, "kollega", ip="10.0.0.9")
    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert not signed_in(attacker)

    other = Client()
    assert sign_in(other, "kollega", ip="10.0.0.10").status_code == 302 and signed_in(other)


# --- Second factor ------------------------------------------------------------------


def test_a_case_handler_without_an_app_is_sent_to_set_one_up_from_every_admin_page():
    staff("Saksbehandler", username="saksbehandler")
    client = Client()
    assert sign_in(client, "saksbehandler").status_code == 302

    for path in ("/admin/", "/admin/soknader/", "/admin/account/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/tofaktor/oppsett/?next=")


def test_setting_up_the_app_shows_a_qr_code_then_recovery_codes_once():
    staff("Saksbehandler", username="saksbehandler")
    client = Client()
    sign_in(client, "saksbehandler")

    page = client.get("/admin/tofaktor/oppsett/?next=/admin/soknader/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'src="data:image/svg+xml' in html and "Nøkkel:" in html and "otpauth://totp/" in html
    assert "script-src 'self'" in page["Content-Security-Policy"]
    assert "unsafe-inline" not in page["Content-Security-Policy"]
    device = TOTPDevice.objects.get(user__username="saksbehandler", confirmed=False)

    wrong = client.post("/admin/tofaktor/oppsett/", {"code": "000000", "next": "/admin/soknader/"})
    assert wrong.status_code == 200
    assert "Koden stemmer ikke" in wrong.content.decode()
    assert 'aria-invalid="true"' in wrong.content.decode()
    device.refresh_from_db()
    device.throttling_failure_count = 0  # the wait after one wrong code is a second
    device.save()

    response = client.post("/admin/tofaktor/oppsett/", {"code": totp_code(device), "next": "/admin/soknader/"})
    assert response.status_code == 302
    codes_page = client.get(response["Location"])
    codes = [token.token for token in StaticToken.objects.filter(device__user__username="saksbehandler")]
    assert len(codes) == 10 and all(code in codes_page.content.decode() for code in codes)
    assert 'href="/admin/soknader/"' in codes_page.content.decode()
    assert codes[0] not in client.get(response["Location"]).content.decode()  # shown once

    assert client.get("/admin/soknader/").status_code == 200


def test_signing_in_again_asks_for_the_apps_code():
    user = staff("Beslutter", username="beslutter")
    device = totp_device(user)
    client = Client()
    sign_in(client, "beslutter")

    response = client.get("/admin/soknader/")
    assert response["Location"] == "/admin/tofaktor/?next=%2Fadmin%2Fsoknader%2F"
    assert client.get("/admin/tofaktor/oppsett/")["Location"].startswith("/admin/tofaktor/?")  # no second app
    page = client.get(response["Location"])
    assert "Bekreft innloggingen" in page.content.decode()

    response = client.post("/admin/tofaktor/", {"code": totp_code(device), "next": "/admin/soknader/"})
    assert response["Location"] == "/admin/soknader/"
    assert client.get("/admin/soknader/").status_code == 200


def test_a_recovery_code_works_once():
    user = staff("Beslutter", username="beslutter")
    totp_device(user)
    code = new_recovery_codes(user)[0]

    first = Client()
    sign_in(first, "beslutter")
    assert first.post("/admin/tofaktor/", {"code": code.upper(), "next": "/admin/"})["Location"] == "/admin/"
    assert first.get("/admin/").status_code == 200

    second = Client()
    sign_in(second, "beslutter")
    response = second.post("/admin/tofaktor/", {"code": code, "next": "/admin/"})
    assert response.status_code == 200 and "Koden stemmer ikke" in response.content.decode()
    assert second.get("/admin/")["Location"].startswith("/admin/tofaktor/")


def test_wrong_codes_are_throttled_and_even_the_right_code_waits():
    user = staff("Saksbehandler", username="saksbehandler")
    device = totp_device(user)
    client = Client()
    sign_in(client, "saksbehandler")

    client.post("/admin/tofaktor/", {"code": "123456", "next": "/admin/"})
    device.refresh_from_db()
    assert device.throttling_failure_count == 1

    # After six wrong codes the next try must wait 2⁵ = 32 seconds.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=6, throttling_failure_timestamp=timezone.now()
    )
    response = client.post("/admin/tofaktor/", {"code": totp_code(device), "next": "/admin/"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "For mange feil koder. Vent" in html and "sekunder og prøv igjen" in html
    assert client.get("/admin/")["Location"].startswith("/admin/tofaktor/")


def test_superusers_must_give_a_code_but_editors_need_not():
    StaffUserFactory(username="admin", is_superuser=True, password=PASSWORD)
    staff("Editors", username="redaktor")

    admin = Client()
    sign_in(admin, "admin")
    assert admin.get("/admin/")["Location"].startswith("/admin/tofaktor/oppsett/")

    editor = Client()
    sign_in(editor, "redaktor")
    assert editor.get("/admin/").status_code == 200


def test_signing_out_ends_the_verified_session():
    user = staff("Beslutter", username="beslutter")
    device = totp_device(user)
    client = Client()
    sign_in(client, "beslutter")
    client.post("/admin/tofaktor/", {"code": totp_code(device), "next": "/admin/"})
    assert client.get("/admin/").status_code == 200

    client.post("/admin/logout/")
    sign_in(client, "beslutter")
    assert client.get("/admin/")["Location"].startswith("/admin/tofaktor/")


# --- Account page -------------------------------------------------------------------


def test_staff_cannot_change_their_own_email_address():
    user = staff("Beslutter", username="beslutter", email="beslutter@departement.example")
    client = verified_staff_client(user)

    page = client.get("/admin/account/")
    assert page.status_code == 200
    assert 'name="name_email-email"' not in page.content.decode()

    # Everything the account page sends, with an address added by hand.
    client.post(
        "/admin/account/",
        {
            "name_email-first_name": "Bente",
            "name_email-last_name": "Slutter",
            "name_email-email": "ny@kommune.example",
            "locale-preferred_language": "nb",
            "locale-current_time_zone": "Europe/Oslo",
            "theme-theme": "system",
            "theme-contrast": "system",
            "theme-density": "default",
        },
    )
    user.refresh_from_db()
    assert user.email == "beslutter@departement.example"
    assert user.first_name == "Bente"  # the form itself was saved


# --- "Signed-in users" privacy is for staff -------------------------------------------


def test_a_login_restricted_page_is_for_staff_not_applicants(home):
    page = TopicPageFactory(parent=home, title="Internt for seksjonen", slug="internt")
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)

    applicant = Client()
    applicant.force_login(UserFactory(email="soker@kommune.example"))  # signed in, not staff
    response = applicant.get(page.url)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/?next=")

    staff_member = verified_staff_client(staff("Editors"))
    response = staff_member.get(page.url)
    assert response.status_code == 200 and "Internt for seksjonen" in response.content.decode()


def test_a_document_in_a_login_restricted_collection_is_for_staff_not_applicants(home):
    internal = Collection.get_first_root_node().add_child(name="Internt")
    CollectionViewRestriction.objects.create(collection=internal, restriction_type=CollectionViewRestriction.LOGIN)
    document = DocumentFactory(title="Internt notat", collection=internal)
    holder = DocumentPageFactory(parent=DocumentIndexPageFactory(parent=home))
    DocumentAttachmentFactory(page=holder, document=document)

    applicant = Client()
    applicant.force_login(UserFactory(email="soker@kommune.example"))
    response = applicant.get(document.url)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/?next=")

    staff_member = verified_staff_client(staff("Editors"))
    response = staff_member.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_demo_prints_the_code_a_developer_signs_in_with(settings):
    settings.DEBUG = True
    staff("Beslutter", username="beslutter")
    client = Client()
    sign_in(client, "beslutter")
    client.get("/admin/tofaktor/oppsett/")  # the set-up page makes the app's key

    out = StringIO()
    call_command("demo_otp_code", "beslutter", stdout=out)
    response = client.post("/admin/tofaktor/oppsett/", {"code": out.getvalue().strip(), "next": "/admin/"})
    assert response.status_code == 302 and "gjenopprettingskoder" in response["Location"]


def test_resetting_a_lost_app_means_setting_up_a_new_one():
    user = staff("Beslutter", username="beslutter")
    totp_device(user)
    call_command("two_factor_reset", "beslutter", stdout=StringIO())

    client = Client()
    sign_in(client, "beslutter")
    assert client.get("/admin/")["Location"].startswith("/admin/tofaktor/oppsett/")


def test_a_password_alone_opens_no_private_page_and_no_unreleased_document(home):
    page = TopicPageFactory(parent=home, title="Internt for seksjonen", slug="internt")
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    unreleased = DocumentFactory(title="Utkast til melding")
    draft = DocumentPageFactory(parent=DocumentIndexPageFactory(parent=home), live=False)
    DocumentAttachmentFactory(page=draft, document=unreleased)
    user = StaffUserFactory(username="admin", is_superuser=True, password=PASSWORD)  # may see drafts' files
    totp_device(user)
    client = Client()
    sign_in(client, "admin")  # no code yet

    response = client.get(page.url)
    assert response.status_code == 302 and response["Location"] == "/admin/tofaktor/?next=%2Finternt%2F"
    assert client.get(unreleased.url).status_code == 404

    client.post("/admin/tofaktor/", {"code": totp_code(totp_device(user)), "next": page.url})
    assert client.get(page.url).status_code == 200
    assert client.get(unreleased.url).status_code == 200


# --- Sessions -----------------------------------------------------------------------


def test_a_staff_session_lasts_a_working_day_from_the_last_request():
    staff("Editors", username="redaktor")
    client = Client()
    response = client.post(LOGIN, {"username": "redaktor", "password": PASSWORD, "remember": "on"})
    assert response.cookies["sessionid"]["max-age"] == 10 * 3600

    # Every request renews it, so the ten hours count from the last thing done.
    assert client.get("/admin/").cookies["sessionid"]["max-age"] == 10 * 3600
    assert client.session.get_expiry_age() == 10 * 3600
