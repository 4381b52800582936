"""Mailgun's tracking webhook: signed hard bounces and complaints of a newsletter issue
put the address on the suppression list and count for the issue; anything unsigned,
wrongly signed, temporary or repeated changes nothing more."""

import base64
import time

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.test import Client
from django.urls import reverse

from newsletter import addresses, sending, worker
from newsletter.models import ConsentEvent, Delivery, ProviderEvent, Suppression
from tests.factories.newsletter import NewsletterIssuePageFactory
from tests.factories.policy import StaffUserFactory

from .mailgun import SIGNING_KEY, WEBHOOK_URL, complaint, hard_bounce, post_event, signed, soft_bounce

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def signing_key(settings):
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY}
    return SIGNING_KEY


@pytest.fixture
def newsletter_manager(db):
    """Staff in the "Nyhetsbrevansvarlig" group (made by a migration): may follow a sending."""
    user = StaffUserFactory(email="ansvarlig@example.no")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(Group.objects.get(name="Nyhetsbrevansvarlig"))
    return user


def suppression_of(address):
    return Suppression.objects.filter(address_hash=addresses.address_hash(address)).first()


def send_issue(issue, capture):
    """Send the issue now; returns the addresses it went to."""
    mail.outbox.clear()
    with capture(execute=True):
        sending.start_sending(issue)
    return sorted(to for message in mail.outbox for to in message.to)


def report_counts(client, issue):
    """{kind: count} as the issue's status page shows them."""
    html = client.get(f"/admin/nyhetsbrev/{issue.pk}/status/").content.decode()
    counts = {}
    for kind, label in ProviderEvent.KIND_CHOICES:
        for count in range(0, 50):
            if f'<tr data-report="{kind}"><td>{label}</td><td>{count}</td></tr>' in html:
                counts[kind] = count
    return counts


# --- Valid events ------------------------------------------------------------------------


def test_a_signed_hard_bounce_suppresses_the_address_and_counts_for_its_issue(
    issue, subscribe, client, newsletter_manager, django_capture_on_commit_callbacks
):
    subscribe("Borte@Example.no")
    send_issue(issue, django_capture_on_commit_callbacks)

    response = post_event(client, signed(hard_bounce("borte@example.no", issue.pk)))

    assert response.status_code == 200
    assert suppression_of("borte@example.no").reason == Suppression.BOUNCED
    event = ProviderEvent.objects.get()
    assert (event.kind, event.source, event.issue_id, event.provider) == (
        ProviderEvent.HARD_BOUNCE,
        ProviderEvent.NEWSLETTER,
        issue.pk,
        "mailgun",
    )
    assert event.address_hash == addresses.address_hash("borte@example.no")
    stored = " ".join(str(value) for value in ProviderEvent.objects.values_list().get()).lower()
    assert "borte" not in stored and "example.no" not in stored, "only the keyed hash of the address is kept"
    assert ConsentEvent.objects.filter(kind=ConsentEvent.SUPPRESSED, address_hash=event.address_hash).count() == 1

    client.force_login(newsletter_manager)
    assert report_counts(client, issue) == {ProviderEvent.HARD_BOUNCE: 1, ProviderEvent.COMPLAINT: 0}


def test_a_signed_complaint_suppresses_the_address_and_counts_for_its_issue(
    issue, subscribe, client, newsletter_manager, django_capture_on_commit_callbacks
):
    subscribe("lei@example.no")
    send_issue(issue, django_capture_on_commit_callbacks)

    response = post_event(client, signed(complaint("lei@example.no", issue.pk)))

    assert response.status_code == 200
    assert suppression_of("lei@example.no").reason == Suppression.COMPLAINT
    client.force_login(newsletter_manager)
    html = client.get(f"/admin/nyhetsbrev/{issue.pk}/status/").content.decode()
    assert "Tilbakemeldinger fra e-posttjenesten" in html
    assert report_counts(client, issue) == {ProviderEvent.HARD_BOUNCE: 0, ProviderEvent.COMPLAINT: 1}


def test_counts_belong_to_the_issue_the_mail_came_from(
    issue, subscribe, client, newsletter_manager, django_capture_on_commit_callbacks
):
    other = NewsletterIssuePageFactory(parent=issue.get_parent(), title="Kystkommuner", publish=True)
    for name in ("a", "b", "c"):
        subscribe(f"{name}@example.no")
    send_issue(issue, django_capture_on_commit_callbacks)
    send_issue(other, django_capture_on_commit_callbacks)

    post_event(client, signed(hard_bounce("a@example.no", issue.pk)))
    post_event(client, signed(hard_bounce("b@example.no", other.pk)))
    post_event(client, signed(complaint("c@example.no", other.pk)))

    client.force_login(newsletter_manager)
    assert report_counts(client, issue) == {ProviderEvent.HARD_BOUNCE: 1, ProviderEvent.COMPLAINT: 0}
    assert report_counts(client, other) == {ProviderEvent.HARD_BOUNCE: 1, ProviderEvent.COMPLAINT: 1}


# --- Authentication ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda body: body["signature"].update(signature="0" * 64), id="wrong-signature"),
        pytest.param(lambda body: body["signature"].update(token="another-token"), id="token-changed"),
        pytest.param(lambda body: body.pop("signature"), id="no-signature"),
    ],
)
def test_an_unsigned_or_wrongly_signed_event_is_refused_and_changes_nothing(issue, subscribe, client, tamper):
    subscribe("borte@example.no")
    body = signed(hard_bounce("borte@example.no", issue.pk))
    tamper(body)

    response = post_event(client, body)

    assert response.status_code in (400, 403)
    assert not ProviderEvent.objects.exists()
    assert suppression_of("borte@example.no") is None


def test_an_event_signed_with_another_key_is_refused(issue, subscribe, client):
    subscribe("borte@example.no")

    response = post_event(client, signed(hard_bounce("borte@example.no", issue.pk), key="someone-elses-key"))

    assert response.status_code in (400, 403)
    assert not ProviderEvent.objects.exists() and suppression_of("borte@example.no") is None


@pytest.mark.parametrize(
    "age", [pytest.param(25 * 60 * 60, id="a-day-old"), pytest.param(-10 * 60, id="ten-minutes-ahead")]
)
def test_a_signature_outside_its_lifetime_is_refused(issue, subscribe, client, age):
    subscribe("borte@example.no")
    body = signed(hard_bounce("borte@example.no", issue.pk), timestamp=int(time.time() - age))

    assert post_event(client, body).status_code == 400
    assert not ProviderEvent.objects.exists() and suppression_of("borte@example.no") is None


def test_a_signature_from_mailguns_retry_window_is_accepted(issue, subscribe, client):
    subscribe("borte@example.no")
    body = signed(hard_bounce("borte@example.no", issue.pk), timestamp=int(time.time() - 8 * 60 * 60))

    assert post_event(client, body).status_code == 200
    assert suppression_of("borte@example.no").reason == Suppression.BOUNCED


def test_a_captured_signature_cannot_carry_another_event(issue, subscribe, client):
    """The signature covers timestamp and token only: someone who saw one real call
    must not be able to complain in any subscriber's name with it."""
    subscribe("borte@example.no")
    subscribe("uskyldig@example.no")
    real = signed(hard_bounce("borte@example.no", issue.pk))
    assert post_event(client, real).status_code == 200

    forged = {"signature": real["signature"], "event-data": complaint("uskyldig@example.no", issue.pk)}

    assert post_event(client, forged).status_code == 400
    assert suppression_of("uskyldig@example.no") is None
    assert ProviderEvent.objects.count() == 1


def test_with_a_webhook_secret_the_basic_auth_is_required_as_well(settings, issue, subscribe, client):
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY, "WEBHOOK_SECRET": "mailgun:s3cret-passord"}
    subscribe("borte@example.no")

    refused = post_event(client, signed(hard_bounce("borte@example.no", issue.pk)))
    assert refused.status_code in (400, 403)
    assert not ProviderEvent.objects.exists()

    credentials = base64.b64encode(b"mailgun:s3cret-passord").decode()
    accepted = post_event(
        client, signed(hard_bounce("borte@example.no", issue.pk)), HTTP_AUTHORIZATION=f"Basic {credentials}"
    )
    assert accepted.status_code == 200
    assert suppression_of("borte@example.no").reason == Suppression.BOUNCED


def test_without_a_signing_key_the_webhook_does_not_exist(settings, issue, client):
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": ""}

    response = post_event(client, signed(hard_bounce("borte@example.no", issue.pk), key=""))

    assert response.status_code == 404
    assert not ProviderEvent.objects.exists()


def test_the_webhook_needs_no_csrf_token(issue, subscribe):
    subscribe("borte@example.no")
    response = post_event(Client(enforce_csrf_checks=True), signed(hard_bounce("borte@example.no", issue.pk)))
    assert response.status_code == 200


# --- What changes nothing ----------------------------------------------------------------


def test_a_soft_bounce_suppresses_nothing(
    issue, subscribe, client, newsletter_manager, django_capture_on_commit_callbacks
):
    subscribe("full@example.no")

    response = post_event(client, signed(soft_bounce("full@example.no", issue.pk)))

    assert response.status_code == 200
    assert suppression_of("full@example.no") is None
    assert not ProviderEvent.objects.exists()
    assert send_issue(issue, django_capture_on_commit_callbacks) == ["full@example.no"]


def test_the_same_event_twice_is_recorded_and_counted_once(
    issue, subscribe, client, newsletter_manager, django_capture_on_commit_callbacks
):
    subscribe("borte@example.no")
    send_issue(issue, django_capture_on_commit_callbacks)
    body = signed(hard_bounce("borte@example.no", issue.pk))

    assert post_event(client, body).status_code == 200
    assert post_event(client, body).status_code == 200

    assert ProviderEvent.objects.count() == 1
    assert ConsentEvent.objects.filter(kind=ConsentEvent.SUPPRESSED).count() == 1
    client.force_login(newsletter_manager)
    assert report_counts(client, issue)[ProviderEvent.HARD_BOUNCE] == 1


def test_a_transactional_bounce_is_recorded_without_suppressing_anyone(
    issue, subscribe, client, django_capture_on_commit_callbacks
):
    """A sign-in link or receipt that bounced: recorded without an issue; the newsletter
    keeps mailing that address and every other one until a newsletter mail bounces."""
    subscribe("ola@example.no")
    subscribe("kari@example.no")

    response = post_event(client, signed(hard_bounce("ola@example.no", issue_id=None, subject="Lenke for å logge inn")))

    assert response.status_code == 200
    event = ProviderEvent.objects.get()
    assert (event.source, event.issue_id) == (ProviderEvent.TRANSACTIONAL, None)
    assert not Suppression.objects.exists()
    assert send_issue(issue, django_capture_on_commit_callbacks) == ["kari@example.no", "ola@example.no"]


# --- The suppressed address gets no more newsletter mail ---------------------------------


def test_a_bounced_address_gets_no_further_issue(issue, subscribe, client, django_capture_on_commit_callbacks):
    for name in ("borte", "lei", "kari"):
        subscribe(f"{name}@example.no")
    assert send_issue(issue, django_capture_on_commit_callbacks) == [
        "borte@example.no",
        "kari@example.no",
        "lei@example.no",
    ]

    post_event(client, signed(hard_bounce("borte@example.no", issue.pk)))
    post_event(client, signed(complaint("lei@example.no", issue.pk)))

    next_issue = NewsletterIssuePageFactory(parent=issue.get_parent(), title="Neste utgave", publish=True)
    assert send_issue(next_issue, django_capture_on_commit_callbacks) == ["kari@example.no"]
    assert Delivery.objects.filter(issue=next_issue).count() == 1


def test_a_bounce_during_a_sending_stops_the_rows_not_yet_sent(issue, subscribe, client):
    """Deliveries made before the bounce arrived are skipped, not sent, at send time."""
    for name in ("borte", "kari"):
        subscribe(f"{name}@example.no")
    sending.start_sending(issue)  # the rows exist; no drain has run yet

    post_event(client, signed(hard_bounce("borte@example.no", issue.pk)))
    mail.outbox.clear()
    worker.drain(issue.pk)

    assert [message.to for message in mail.outbox] == [["kari@example.no"]]
    statuses = dict(Delivery.objects.values_list("subscriber__email", "status"))
    assert statuses == {"borte@example.no": Delivery.SKIPPED, "kari@example.no": Delivery.SENT}


def test_the_webhook_url_is_the_one_documented_for_mailgun():
    assert reverse("mailgun_tracking") == WEBHOOK_URL


# --- Staff read the reports ----------------------------------------------------------------


def test_newsletter_staff_list_the_reports_read_only(issue, subscribe, client, newsletter_manager):
    subscribe("borte@example.no")
    post_event(client, signed(hard_bounce("borte@example.no", issue.pk)))
    post_event(client, signed(complaint("ola@example.no", issue_id=None, subject="Kvittering")))

    client.force_login(newsletter_manager)
    listing = client.get("/admin/nyhetsbrev/avvisninger/")

    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Avvisninger og klager" in html
    assert "Permanent avvist" in html and issue.title in html
    assert "Klage (markert som søppelpost)" in html and "Annen e-post fra nettstedet" in html
    assert addresses.address_hash("ola@example.no")[:12] in html
    assert "ola@example.no" not in html and "borte@example.no" not in html
    assert client.get("/admin/nyhetsbrev/avvisninger/new/").status_code in (302, 403, 404)


def test_staff_outside_the_newsletter_group_cannot_list_the_reports(client):
    editor = StaffUserFactory(email="redaktor@example.no")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)

    response = client.get("/admin/nyhetsbrev/avvisninger/")

    assert response.status_code in (302, 403)
