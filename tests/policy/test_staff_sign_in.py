"""Staff sign-in through an OpenID Provider (Ansattporten in production, the local
scripts/oidc-provider.mjs here, as a real process): the provider's groups claim decides
the Wagtail groups, the identity is (issuer, subject) and never a username or address."""

from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from pilots.casework.permissions import ensure_groups
from policy.models import StaffIdentity
from tests.conftest import assert_no_axe_violations
from tests.oidc_provider import configure, sign_in_at_provider

LOGIN = reverse("wagtailadmin_login")
START = reverse("staff_oidc_start")
User = get_user_model()


@pytest.fixture
def groups(db):
    """The groups the claim maps to; a transactional test's flush may have emptied them."""
    ensure_groups(Group, Permission)
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(Permission.objects.get(codename="access_admin"))


def start(client, next_path=None):
    response = client.get(START, {"next": next_path} if next_path else {})
    assert response.status_code == 302
    return response["Location"]


def callback_path(url):
    parts = urlsplit(url)
    assert parts.netloc == "testserver", url
    return urlunsplit(("", "", parts.path, parts.query, ""))


def sign_in(client, login, next_path=None):
    return client.get(callback_path(sign_in_at_provider(start(client, next_path), login)))


def signed_in_user(client):
    return User.objects.filter(pk=client.session.get("_auth_user_id")).first()


def test_the_button_shows_only_when_a_provider_is_configured(client, db, settings):
    settings.STAFF_OIDC_DISCOVERY_URL = ""
    assert "Logg inn med Ansattporten" not in client.get(LOGIN).text
    assert client.get(START).status_code == 404


def test_a_case_handler_signs_in_and_lands_in_the_admin(client, groups, oidc_settings, oidc_provider):
    page = client.get(LOGIN)
    assert "Logg inn med Ansattporten" in page.text
    authorize = start(client)
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"] and query["nonce"][0] and query["state"][0]
    assert query["client_id"] == ["ansatt-test"]

    response = client.get(callback_path(sign_in_at_provider(authorize, "saksbehandler")))
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    user = signed_in_user(client)
    assert [g.name for g in user.groups.all()] == ["Saksbehandler"]
    assert user.is_staff and not user.is_superuser and not user.has_usable_password()
    assert user.email == "saksbehandler@eksempel.no"
    identity = StaffIdentity.objects.get(user=user)
    assert (identity.issuer, identity.subject) == (oidc_provider, "saksbehandler")
    assert not hasattr(user, "applicant_identity")


def test_the_next_admin_page_is_followed(client, groups, oidc_settings):
    response = sign_in(client, "redaktor", "/admin/pages/")
    assert response["Location"] == "/admin/pages/"
    assert [g.name for g in signed_in_user(client).groups.all()] == ["Editors"]
    client.logout()
    assert sign_in(client, "redaktor", "https://annen.example/admin/")["Location"] == "/admin/"


def test_the_identity_not_the_name_or_address_finds_the_account(client, groups, oidc_settings):
    """A password account named like the login, with the same address, is not taken
    over; the provider's account keeps its identity when renamed in the admin, and its
    groups follow the claim, not what was added by hand."""
    local = User.objects.create_user("saksbehandler", "saksbehandler@eksempel.no", "passord-123", is_staff=True)
    sign_in(client, "saksbehandler")
    user = signed_in_user(client)
    assert user != local and not local.groups.exists()

    User.objects.filter(pk=user.pk).update(username="omdopt", email="annen@eksempel.no")
    user.groups.add(Group.objects.get(name="Beslutter"))
    client.logout()
    sign_in(client, "saksbehandler")
    assert signed_in_user(client) == user
    assert [g.name for g in user.groups.all()] == ["Saksbehandler"]
    assert User.objects.filter(staff_identity__isnull=False).count() == 1


def test_someone_without_a_mapped_group_is_refused_and_gets_no_account(client, groups, oidc_settings):
    users_before = User.objects.count()
    response = sign_in(client, "12345678901")  # the provider gives no groups
    assert response.status_code == 302 and response["Location"] == LOGIN
    page = client.get(LOGIN)
    assert "Du har ingen rolle som gir tilgang til publiseringsløsningen" in page.text
    assert signed_in_user(client) is None
    assert User.objects.count() == users_before and not StaffIdentity.objects.exists()


def test_a_role_taken_away_at_the_provider_is_taken_away_here(client, groups, oidc_settings, oidc_provider):
    user = User.objects.create_user("tidligere", is_staff=True)
    user.groups.add(Group.objects.get(name="Beslutter"))
    StaffIdentity.objects.create(user=user, issuer=oidc_provider, subject="12345678901")
    sign_in(client, "12345678901")
    assert signed_in_user(client) is None and not user.groups.exists()


def test_a_tampered_state_is_refused(client, groups, oidc_settings):
    answer = sign_in_at_provider(start(client), "saksbehandler")
    parts = urlsplit(answer)
    query = parse_qs(parts.query)
    query["state"] = ["feil"]
    response = client.get(urlunsplit(("", "", parts.path, urlencode(query, doseq=True), "")))
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert "svaret ikke hørte til denne nettleserøkten" in client.get(LOGIN).text
    assert signed_in_user(client) is None and not StaffIdentity.objects.exists()


def test_the_admin_sign_in_in_a_browser(page, live_server, live_home, settings, oidc_provider):
    ensure_groups(Group, Permission)
    configure(settings, oidc_provider)
    page.goto(live_server.url + LOGIN)
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Logg inn med Ansattporten").click()
    page.get_by_label("Brukernavn").fill("beslutter")
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(live_server.url + "/admin/")
    assert User.objects.get(staff_identity__subject="beslutter").groups.get().name == "Beslutter"
