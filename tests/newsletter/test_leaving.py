"""Leaving: RFC 8058 one-click unsubscribe, the manage page, erasure."""

import re
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client

from newsletter import addresses, sending, subscriptions, tokens
from newsletter.emails import IssueTemplate
from newsletter.models import ConsentEvent, Delivery, Subscriber, Subscription, Suppression

from .conftest import mail_path

pytestmark = pytest.mark.django_db


def unsubscribe_path(subscription):
    return f"/nyhetsbrev/avmeld/{tokens.make_unsubscribe_token(subscription.subscriber_id, subscription.newsletter_list_id)}/"


def test_every_issue_mail_carries_rfc8058_headers(issue, subscribe, newsletter_list, settings):
    settings.NEWSLETTER_UNSUBSCRIBE_MAILTO = "avmelding@nyhetsbrev.example"
    subscription = subscribe("ola@example.no")
    message = IssueTemplate(issue).message_for(subscription.subscriber, newsletter_list)
    header = message.extra_headers["List-Unsubscribe"]
    match = re.fullmatch(
        r"<(https?://[^>]+/nyhetsbrev/avmeld/[^>]+/)>, <mailto:avmelding@nyhetsbrev\.example\?subject=unsubscribe%20\S+>",
        header,
    )
    assert match, header
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Id"] == "Distriktsbrevet <distriktsbrevet.nyhetsbrev.invalid>"
    # The link in the header is the one that works.
    path = mail_path(match.group(1))
    response = Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Subscription.objects.get().status == Subscription.UNSUBSCRIBED


def test_one_click_post_unsubscribes_without_login_or_csrf(subscribe):
    subscription = subscribe("ola@example.no")
    client = Client(enforce_csrf_checks=True)
    response = client.post(unsubscribe_path(subscription), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "Du er meldt av Distriktsbrevet" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.status == Subscription.UNSUBSCRIBED
    assert ConsentEvent.objects.filter(kind="unsubscribed").count() == 1
    # Posting again is harmless.
    assert client.post(unsubscribe_path(subscription)).status_code == 200
    assert ConsentEvent.objects.filter(kind="unsubscribed").count() == 1


def test_get_never_unsubscribes_it_shows_a_button(subscribe):
    subscription = subscribe("ola@example.no")
    for _ in range(3):  # link scanners prefetch, sometimes repeatedly
        response = Client().get(unsubscribe_path(subscription))
        assert response.status_code == 200
    html = response.content.decode()
    assert '<form method="post">' in html and "Meld meg av" in html
    subscription.refresh_from_db()
    assert subscription.status == Subscription.CONFIRMED


def test_bad_unsubscribe_link_changes_nothing(subscribe):
    subscription = subscribe("ola@example.no")
    manage_token = tokens.make_manage_token(subscription.subscriber_id)  # wrong purpose
    response = Client().post(f"/nyhetsbrev/avmeld/{manage_token}/")
    assert response.status_code == 400
    subscription.refresh_from_db()
    assert subscription.status == Subscription.CONFIRMED


def test_manage_page_lets_a_subscriber_leave_and_come_back(subscribe, client):
    subscription = subscribe("ola@example.no")
    path = f"/nyhetsbrev/abonnement/{tokens.make_manage_token(subscription.subscriber_id)}/"
    html = client.get(path).content.decode()
    assert "ola@example.no" in html and "Du er påmeldt." in html
    left = client.post(path, {"list": subscription.newsletter_list_id, "action": "leave"})
    assert "Du er meldt av Distriktsbrevet." in left.content.decode()
    assert Subscription.objects.get().status == Subscription.UNSUBSCRIBED
    back = client.post(path, {"list": subscription.newsletter_list_id, "action": "join"})
    assert "Du er meldt på Distriktsbrevet igjen." in back.content.decode()
    assert Subscription.objects.get().status == Subscription.CONFIRMED
    assert list(ConsentEvent.objects.values_list("kind", flat=True)) == [
        "requested",
        "confirmed",
        "unsubscribed",
        "resubscribed",
    ]


def test_addresses_are_normalised_and_unique_ignoring_case(subscribe):
    assert addresses.normalise("  Ola.Nordmann@EXAMPLE.No ") == "Ola.Nordmann@example.no"
    subscribe("Ola.Nordmann@EXAMPLE.No")
    subscribe("ola.nordmann@example.no")
    assert Subscriber.objects.count() == 1
    assert Subscriber.objects.get().email == "Ola.Nordmann@example.no"


def assert_no_table_holds(text):
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE tablename LIKE 'newsletter%%'")
        tables = [name for (name,) in cursor.fetchall()]
        assert "newsletter_subscriber" in tables
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {table} WHERE row_to_json({table})::text ILIKE %s", [f"%{text}%"])  # noqa: S608
            assert cursor.fetchone()[0] == 0, table


def test_erase_command_removes_the_person_but_keeps_the_suppression(subscribe, issue, newsletter_list):
    subscription = subscribe("ola@example.no")
    subscribe("kari@example.no")
    call_command("newsletter_erase", "OLA@example.no", stdout=StringIO())
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["kari@example.no"]
    assert not Subscription.objects.filter(subscriber_id=subscription.subscriber_id).exists()
    digest = addresses.address_hash("ola@example.no")
    assert Suppression.objects.filter(address_hash=digest, reason="erased").exists()
    erased = ConsentEvent.objects.get(kind="erased")
    assert erased.address_hash == digest
    assert_no_table_holds("ola@")
    # Never mailed again: not on a send, and a new sign-up gets no mail.
    assert sending.start_sending(issue) == 1
    assert Delivery.objects.get().subscriber.email == "kari@example.no"
    mail.outbox.clear()
    subscriptions.handle_signup_request("ola@example.no", newsletter_list.pk, 1, "2024-01-01T00:00:00+00:00")
    assert not mail.outbox


def test_consent_events_are_append_only(subscribe):
    subscribe("ola@example.no")
    event = ConsentEvent.objects.first()
    event.kind = "erased"
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()
    with pytest.raises(PermissionDenied):
        ConsentEvent.objects.all().update(kind="erased")
    # The database refuses too, whatever code path tries.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE newsletter_consentevent SET kind = 'erased'")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM newsletter_consentevent")
    assert ConsentEvent.objects.filter(kind="erased").count() == 0


def test_a_subscriber_erases_their_address_from_the_manage_page(
    subscribe, issue, newsletter_list, django_capture_on_commit_callbacks
):
    subscription = subscribe("ola@example.no")
    subscribe("kari@example.no")
    with django_capture_on_commit_callbacks(execute=True):
        sending.start_sending(issue)
    manage = f"/nyhetsbrev/abonnement/{tokens.make_manage_token(subscription.subscriber_id)}/"
    client = Client(enforce_csrf_checks=True)
    html = client.get(manage).content.decode()
    erase = re.search(r'<a class="ds-link" href="([^"]+)">Slett adressen min</a>', html).group(1)
    assert erase == manage + "slett/"

    # The link only asks: mail scanners follow links.
    asking = client.get(erase)
    assert asking.status_code == 200
    assert "Vil du slette adressen din?" in asking.content.decode()
    assert "ola@example.no" in asking.content.decode()
    assert client.post(erase).status_code == 403, "a form from another site cannot erase"
    assert Subscriber.objects.filter(email="ola@example.no").exists()

    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', asking.content.decode()).group(1)
    done = client.post(erase, {"csrfmiddlewaretoken": csrf})
    assert done.status_code == 200
    assert "Adressen din er slettet" in done.content.decode()
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["kari@example.no"]
    assert not Subscription.objects.filter(subscriber_id=subscription.subscriber_id).exists()
    digest = addresses.address_hash("ola@example.no")
    assert Suppression.objects.filter(address_hash=digest, reason="erased").exists()
    assert ConsentEvent.objects.filter(address_hash=digest, kind="erased").count() == 1
    assert Delivery.objects.filter(subscriber=None).count() == 1, "the issue's delivery row stays, without the person"
    assert_no_table_holds("ola@")

    # Asking again (a double click) says the same; the manage link no longer opens anything.
    again = client.post(erase, {"csrfmiddlewaretoken": csrf})
    assert again.status_code == 200 and "Adressen din er slettet" in again.content.decode()
    assert ConsentEvent.objects.filter(kind="erased").count() == 1
    assert client.get(manage).status_code == 400
    mail.outbox.clear()
    subscriptions.handle_signup_request("ola@example.no", newsletter_list.pk, 1, "2024-01-01T00:00:00+00:00")
    assert not mail.outbox, "an erased address is never mailed again"


def test_an_erase_link_made_for_another_purpose_is_refused(subscribe):
    subscription = subscribe("ola@example.no")
    token = tokens.make_unsubscribe_token(subscription.subscriber_id, subscription.newsletter_list_id)
    client = Client()
    assert client.get(f"/nyhetsbrev/abonnement/{token}/slett/").status_code == 400
    assert client.post(f"/nyhetsbrev/abonnement/{token}/slett/").status_code == 400
    assert client.get("/nyhetsbrev/abonnement/tull/slett/").status_code == 400
    assert Subscriber.objects.filter(email="ola@example.no").exists()
