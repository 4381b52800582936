"""Sending an issue: one delivery per eligible subscriber, never twice, suppression
checked again at send time, an outcome recorded for every row, the admin around it."""

import smtplib
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import RequestFactory
from django.utils import timezone
from wagtail.models import GroupPagePermission

from newsletter import sending, subscriptions, worker
from newsletter.models import Delivery, IssueDispatch, Subscription
from tests.factories.policy import StaffUserFactory, TopicPageFactory

from .conftest import MAIL_BASE_URL, make_issue

pytestmark = pytest.mark.django_db


class FlakyBackend(BaseEmailBackend):
    """Refuses "bad@" permanently (550) and drops the connection for "flaky@"."""

    sent = []

    def send_messages(self, messages):
        for message in messages:
            if message.to[0].startswith("bad@"):
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"No such user")})
            if message.to[0].startswith("flaky@"):
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
            FlakyBackend.sent.append(message.to[0])
        return len(messages)


def send_now(issue, capture, user=None):
    with capture(execute=True):
        return sending.start_sending(issue, user)


def test_send_creates_one_delivery_per_eligible_subscriber(
    home, newsletter_list, subscribe, django_capture_on_commit_callbacks
):
    topic = TopicPageFactory(parent=home, title="Fjellbygder", slug="fjellbygder")
    issue = make_issue(
        home,
        newsletter_list,
        title="Nytt fra fjellbygdene",
        body=[
            ("heading", {"text": "Flere unge flytter hjem", "level": "h2"}),
            ("paragraph", "<p>Tallene for 2025 er klare.</p>"),
            ("link_list", {"heading": "Les mer", "links": [{"page": topic, "url": "", "title": "", "lang": ""}]}),
        ],
    )
    for name in ("a", "b", "c", "left", "blocked"):
        subscribe(f"{name}@example.no")
    subscriptions.unsubscribe(
        Subscription.objects.get(subscriber__email="left@example.no").subscriber_id, issue.newsletter_list.pk
    )
    subscriptions.suppress("blocked@example.no")

    created = send_now(issue, django_capture_on_commit_callbacks)

    assert created == 3
    assert Delivery.objects.count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.no", "b@example.no", "c@example.no"]
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    assert IssueDispatch.objects.get().status == "done"
    message = mail.outbox[0]
    assert message.subject == "Nytt fra fjellbygdene"
    html = message.alternatives[0].content
    assert "<style" not in html and 'style="' in html, "CSS is inlined for mail clients"
    assert "Flere unge flytter hjem" in message.body and "Tallene for 2025 er klare." in message.body
    assert f"Fjellbygder ({MAIL_BASE_URL}/fjellbygder/)" in message.body, "links in mail are absolute"
    assert f'href="{MAIL_BASE_URL}/fjellbygder/"' in html


def test_pressing_send_again_adds_no_deliveries(issue, subscribe, django_capture_on_commit_callbacks):
    subscribe("a@example.no")
    subscribe("b@example.no")
    assert send_now(issue, django_capture_on_commit_callbacks) == 2
    subscribe("late@example.no")
    with pytest.raises(sending.SendingRefused):
        send_now(issue, django_capture_on_commit_callbacks)
    assert Delivery.objects.count() == 2
    assert len(mail.outbox) == 2


def test_send_refuses_an_unpublished_issue(issue, subscribe):
    subscribe("a@example.no")
    issue.unpublish()
    with pytest.raises(sending.SendingRefused):
        sending.start_sending(issue)
    assert not Delivery.objects.exists()


def test_suppression_and_unsubscribe_after_deliveries_were_made_are_honoured(
    issue, subscribe, django_capture_on_commit_callbacks
):
    for name in ("stays", "suppressed", "left"):
        subscribe(f"{name}@example.no")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        sending.start_sending(issue)
    assert Delivery.objects.filter(status="queued").count() == 3
    subscriptions.suppress("Suppressed@example.no")
    left = Subscription.objects.get(subscriber__email="left@example.no")
    subscriptions.unsubscribe(left.subscriber_id, left.newsletter_list_id)

    for callback in callbacks:  # the drain runs now
        callback()

    assert [m.to for m in mail.outbox] == [["stays@example.no"]]
    statuses = dict(Delivery.objects.values_list("subscriber__email", "status"))
    assert statuses == {"stays@example.no": "sent", "suppressed@example.no": "skipped", "left@example.no": "skipped"}


def test_permanent_failures_fail_and_transient_ones_retry_with_back_off(
    issue, subscribe, settings, django_capture_on_commit_callbacks
):
    settings.MAILERS = {**settings.MAILERS, "bulk": {"BACKEND": f"{__name__}.FlakyBackend"}}
    FlakyBackend.sent = []
    for name in ("good", "bad", "flaky"):
        subscribe(f"{name}@example.no")
    before = timezone.now()
    send_now(issue, django_capture_on_commit_callbacks)

    rows = {d.subscriber.email: d for d in Delivery.objects.select_related("subscriber")}
    assert FlakyBackend.sent == ["good@example.no"]
    assert rows["good@example.no"].status == "sent"
    assert rows["bad@example.no"].status == "failed"
    assert "550" in rows["bad@example.no"].last_error
    flaky = rows["flaky@example.no"]
    assert flaky.status == "retry" and flaky.attempts == 1
    assert flaky.next_attempt_at >= before + timedelta(seconds=worker.RETRY_BASE_SECONDS)
    assert IssueDispatch.objects.get().status == "sending"

    # Not due yet: the sweeper does not start a drain. Once due, it does, and the retry
    # is sent (a new, healthy connection this time).
    assert sending.sweep()[1] == 0
    FlakyBackend.sent = []
    settings.MAILERS = {**settings.MAILERS, "bulk": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    later = timezone.now() + timedelta(minutes=5)
    Delivery.objects.filter(pk=flaky.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))  # time passes
    with django_capture_on_commit_callbacks(execute=True):
        assert sending.sweep(now=later) == (0, 1)
    flaky.refresh_from_db()
    assert flaky.status == "sent" and flaky.attempts == 2
    assert IssueDispatch.objects.get().status == "done"


def test_sweeper_turns_stuck_rows_unknown_and_never_resends_them(issue, subscribe, django_capture_on_commit_callbacks):
    subscribe("a@example.no")
    subscribe("b@example.no")
    with django_capture_on_commit_callbacks(execute=False):
        sending.start_sending(issue)
    # A worker claimed a batch and died before recording anything.
    claimed = worker.claim_batch(issue.pk, "dead-worker", 1)
    Delivery.objects.filter(pk__in=claimed).update(claimed_at=timezone.now() - timedelta(minutes=30))

    with django_capture_on_commit_callbacks(execute=True):
        stuck, drains = sending.sweep(now=timezone.now() + timedelta(minutes=5))
    assert (stuck, drains) == (1, 1)
    statuses = sorted(Delivery.objects.values_list("status", flat=True))
    assert statuses == ["sent", "unknown"]
    assert len(mail.outbox) == 1
    assert sending.sweep(now=timezone.now() + timedelta(hours=1)) == (0, 0)
    assert len(mail.outbox) == 1
    assert IssueDispatch.objects.get().status == "done"


# --- Admin ---------------------------------------------------------------------


def admin_user(email):
    """A staff user who may open the Wagtail admin, and nothing more."""
    user = StaffUserFactory(email=email)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


@pytest.fixture
def editor(home):
    """May edit and publish every page below the home page (so also issues)."""
    user = admin_user("redaktor@example.no")
    group = Group.objects.create(name="Redaktører (test)")
    for permission in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group, page=home, permission=Permission.objects.get(codename=permission)
        )
    user.groups.add(group)
    return user


@pytest.fixture
def newsletter_manager(editor):
    """An editor in the "Nyhetsbrevansvarlig" group (made by a migration)."""
    editor.groups.add(Group.objects.get(name="Nyhetsbrevansvarlig"))
    return type(editor).objects.get(pk=editor.pk)


def test_send_needs_the_send_permission_and_a_confirmation(
    issue, subscribe, editor, newsletter_manager, client, django_capture_on_commit_callbacks
):
    subscribe("a@example.no")
    plain_editor = admin_user("vanlig@example.no")
    client.force_login(plain_editor)
    refused = client.post(f"/admin/nyhetsbrev/{issue.pk}/send/")
    assert refused.status_code in (302, 403) and refused.get("Location") != f"/admin/nyhetsbrev/{issue.pk}/status/"
    assert not Delivery.objects.exists()

    client.force_login(newsletter_manager)
    confirm_page = client.get(f"/admin/nyhetsbrev/{issue.pk}/send/")
    assert "til <strong>1</strong> påmeldte abonnenter" in confirm_page.content.decode()
    assert not Delivery.objects.exists(), "the first step only asks"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/nyhetsbrev/{issue.pk}/send/")
    assert response["Location"] == f"/admin/nyhetsbrev/{issue.pk}/status/"
    html = client.get(response["Location"]).content.decode()
    assert "Utsendingsstatus" in html
    assert '<tr data-status="sent"><td>Sendt</td><td>1</td></tr>' in html
    again = client.post(f"/admin/nyhetsbrev/{issue.pk}/send/", follow=True)
    assert "allerede sendt" in again.content.decode()
    assert Delivery.objects.count() == 1


def test_status_page_refreshes_while_sending(issue, subscribe, newsletter_manager, client):
    subscribe("a@example.no")
    sending.start_sending(issue)  # on-commit drains never run inside the test transaction
    client.force_login(newsletter_manager)
    html = client.get(f"/admin/nyhetsbrev/{issue.pk}/status/").content.decode()
    assert '<meta http-equiv="refresh" content="5">' in html
    assert '<tr data-status="queued"><td>I kø</td><td>1</td></tr>' in html


def test_issue_header_buttons_follow_the_sending_permissions(issue, editor, client):
    client.force_login(editor)
    html = client.get(f"/admin/pages/{issue.pk}/edit/").content.decode()
    assert f'href="/admin/nyhetsbrev/{issue.pk}/test/"' in html
    assert f'href="/admin/nyhetsbrev/{issue.pk}/status/"' in html
    assert f'href="/admin/nyhetsbrev/{issue.pk}/send/"' not in html, "editing does not allow sending"

    editor.groups.add(Group.objects.get(name="Nyhetsbrevansvarlig"))
    client.force_login(type(editor).objects.get(pk=editor.pk))
    html = client.get(f"/admin/pages/{issue.pk}/edit/").content.decode()
    assert f'href="/admin/nyhetsbrev/{issue.pk}/send/"' in html


def test_sending_screens_refuse_users_who_may_not_edit_the_issue(issue, client):
    client.force_login(admin_user("vanlig@example.no"))
    for view in ("status", "test"):
        response = client.get(f"/admin/nyhetsbrev/{issue.pk}/{view}/")
        assert response.status_code in (302, 403), view
    assert client.post(f"/admin/nyhetsbrev/{issue.pk}/test/").status_code in (302, 403)
    assert not mail.outbox


def test_send_test_to_myself_makes_no_delivery(issue, subscribe, editor, client):
    subscribe("a@example.no")
    client.force_login(editor)
    response = client.post(f"/admin/nyhetsbrev/{issue.pk}/test/")
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["redaktor@example.no"]]
    assert mail.outbox[0].subject.startswith("[TEST] ")
    assert not Delivery.objects.exists() and not IssueDispatch.objects.exists()


def test_issue_has_an_email_preview_mode(issue, editor):
    assert dict(issue.preview_modes) == {"": "Nettside", "email": "E-post"}
    request = RequestFactory().get("/")
    request.user = editor
    html = issue.serve_preview(request, "email").content.decode()
    assert "<style" not in html and 'style="' in html
    assert "Meld deg av" in html


def test_subscriber_admin_is_for_the_restricted_group_with_export(subscribe, editor, newsletter_manager, client):
    subscribe("ola@example.no")
    plain_editor = admin_user("vanlig@example.no")
    client.force_login(plain_editor)
    assert client.get("/admin/nyhetsbrev/abonnenter/").status_code in (302, 403)
    assert "Abonnenter på nyhetsbrev" not in client.get("/admin/").content.decode()

    client.force_login(newsletter_manager)
    listing = client.get("/admin/nyhetsbrev/abonnenter/?status=confirmed")
    assert listing.status_code == 200 and "ola@example.no" in listing.content.decode()
    export = client.get("/admin/nyhetsbrev/abonnenter/?export=csv")
    assert export.status_code == 200
    csv = b"".join(export.streaming_content).decode() if export.streaming else export.content.decode()
    assert "ola@example.no" in csv and "Distriktsbrevet" in csv
    # Read-only: no adding or editing subscribers by hand.
    assert client.get("/admin/nyhetsbrev/abonnenter/new/").status_code in (302, 403)
    dashboard = client.get("/admin/").content.decode()
    assert "Abonnenter på nyhetsbrev" in dashboard and "<strong>1</strong> påmeldte" in dashboard
