"""Applicant accounts kept apart from staff: the e-mail link signs in only the
applicant identity of the address, never a staff account with that username or
e-mail, and staff see no applicant's applications whatever e-mail they give themselves."""

import importlib

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse

from pilots.applications import services
from pilots.models import ApplicantIdentity
from tests.factories.pdf import text_pdf
from tests.factories.pilots import CLASS_6, ApplicationFactory, staff
from tests.factories.policy import UserFactory
from tests.factories.portal import ApplicantFactory
from tests.pilots.test_sign_in import SIGN_IN, _link, use_link

ADDRESS = "ola@kommune.example"


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    def post(url, data=None):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data or {})

    return post


def test_staff_account_with_the_address_is_not_signed_in_by_the_link(client, post, db):
    editor = staff(username=ADDRESS, email=ADDRESS, is_superuser=True)
    post(SIGN_IN, {"email": ADDRESS})
    response = use_link(client, _link(mail.outbox[0]))
    assert response.status_code == 302

    signed_in = int(client.session["_auth_user_id"])
    assert signed_in != editor.pk
    applicant = get_user_model().objects.get(pk=signed_in)
    assert applicant.username.startswith("applicant-")
    assert not (applicant.is_staff or applicant.is_superuser or applicant.has_usable_password())
    assert not applicant.groups.exists()
    assert applicant.applicant_identity.subject == ADDRESS
    # No way into the admin with this session.
    admin = client.get("/admin/")
    assert admin.status_code == 302 and "/admin/login/" in admin["Location"]
    # Applicants' sessions are the short ones.
    assert client.session.get_expiry_age() == settings.APPLICANT_SESSION_SECONDS

    # The next link for the address signs in the same applicant again.
    client.logout()
    post(SIGN_IN, {"email": ADDRESS.upper()})
    use_link(client, _link(mail.outbox[-1]))
    assert int(client.session["_auth_user_id"]) == applicant.pk
    assert get_user_model().objects.filter(is_staff=False).count() == 1


def test_staff_with_an_applicants_address_sees_none_of_their_applications(client, db):
    owner = ApplicantFactory(email=ADDRESS)
    application = ApplicationFactory(created_by=owner, municipalities=[CLASS_6], title="Bygdevekst på Utsira")
    upload = ContentFile(text_pdf("Vedtak", [["Kommunestyrets vedtak"]]), name="vedtak.pdf")
    attachment = services.add_attachment(application, upload, owner)
    client.force_login(owner)
    client.post(
        reverse("pilots:invite", args=[application.round_id, application.pk]), {"email": "kari@kommune.example"}
    )
    client.logout()

    for address in (ADDRESS, "kari@kommune.example"):
        editor = staff(email=address)  # as if typed under /admin/account/
        client.force_login(editor)
        args = [application.round_id, application.pk]
        for url in (
            reverse("pilots:task_list", args=args),
            reverse("pilots:attachments", args=args),
            reverse("pilots:download_attachment", args=[*args, attachment.pk]),
            reverse("pilots:declaration", args=args),
            reverse("pilots:withdraw", args=args),
        ):
            assert client.get(url).status_code == 404, (address, url)
        assert client.post(reverse("pilots:declaration", args=args), {"confirm": "on"}).status_code == 404
        assert "Bygdevekst på Utsira" not in client.get(reverse("pilots:my_applications")).text
    application.refresh_from_db()
    assert application.submitted_at is None


def test_a_user_without_applicant_identity_has_no_applications(client, db):
    """A plain account whose username is the creator's address (say, made by hand in
    the admin) is not the applicant."""
    owner = ApplicantFactory(email=ADDRESS)
    application = ApplicationFactory(created_by=owner, municipalities=[CLASS_6])
    client.force_login(UserFactory(username=ADDRESS + ".x", email=ADDRESS))
    assert client.get(reverse("pilots:task_list", args=[application.round_id, application.pk])).status_code == 404


def test_existing_applicants_get_an_identity_from_the_migration(db):
    """The data migration keeps the applications of people who signed in before
    identities existed (their username was the address), and only theirs."""
    earlier = UserFactory(username="Ola@Kommune.Example", email="ola@kommune.example")
    with_password = UserFactory(email="per@kommune.example", password="hemmelig-123")
    editor = staff(username="redaktor@departement.example", email="redaktor@departement.example")
    plain = UserFactory(username="ikke-en-adresse", email="")
    migration = importlib.import_module("pilots.migrations.0005_applicant_identity")

    migration.give_applicants_an_identity(apps, None)

    identity = ApplicantIdentity.objects.get(user=earlier)
    assert (identity.method, identity.subject, identity.email) == ("email-link", ADDRESS, ADDRESS)
    assert not ApplicantIdentity.objects.filter(user__in=[with_password, editor, plain]).exists()
