"""Mail through Mailgun's HTTP API (django-anymail), chosen by MAILER_URL: the settings,
and the newsletter's batch sending against a stand-in for Mailgun's send API on
loopback (one HTTP connection per claimed batch, every delivery recorded once, the
issue id sent along for the bounce reports, refusals failed and outages retried)."""

import base64
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from anymail.backends.mailgun import EmailBackend as MailgunBackend
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import mailers

from config.settings import mailer_from_url
from newsletter import sending, worker
from newsletter.apps import check_provider_webhook
from newsletter.models import Delivery, IssueDispatch

from .conftest import MAIL_BASE_URL
from .mailgun import SENDING_DOMAIN, MailgunAPI

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


# --- Settings ----------------------------------------------------------------------------


def test_a_mailgun_url_selects_anymails_mailgun_backend():
    config = mailer_from_url("mailgun://api:key-0123abcd@MG.Example.no?region=eu")

    assert config == {
        "BACKEND": "anymail.backends.mailgun.EmailBackend",
        "OPTIONS": {
            "api_key": "key-0123abcd",
            "sender_domain": "mg.example.no",
            "api_url": "https://api.eu.mailgun.net/v3",
            "requests_timeout": 10.0,
        },
    }
    assert mailer_from_url("mailgun://api:k@mg.example.no")["OPTIONS"]["api_url"] == "https://api.mailgun.net/v3"


@pytest.mark.parametrize(
    "url", ["mailgun://mg.example.no", "mailgun://api:@mg.example.no", "mailgun://api:k@mg.example.no?region=asia"]
)
def test_a_mailgun_url_without_key_or_with_an_unknown_region_is_refused(url):
    with pytest.raises(ImproperlyConfigured):
        mailer_from_url(url)


def test_plain_smtp_stays_as_it_was():
    config = mailer_from_url("smtp://bruker:hemmelig@smtp.example.no:587?tls=1")
    assert config["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert config["OPTIONS"]["host"] == "smtp.example.no" and config["OPTIONS"]["use_tls"] is True


def test_mailer_urls_from_the_environment_choose_each_mailers_backend():
    """The settings module as a deployment loads it: the newsletter through Mailgun
    (BULK_MAILER_URL=mailgun://…), transactional mail over plain SMTP."""
    script = (
        "import django; django.setup()\n"
        "from django.core.mail import mailers\n"
        "bulk = mailers['bulk']\n"
        "print('bulk', type(bulk).__module__, bulk.sender_domain, bulk.api_url)\n"
        "print('default', type(mailers['default']).__module__)\n"
    )
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="1",
        MAILER_URL="smtp://smtp.example.no:587?tls=1",
        BULK_MAILER_URL="mailgun://api:key-0123abcd@mg.example.no?region=eu",
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("\n")
    assert "bulk anymail.backends.mailgun mg.example.no https://api.eu.mailgun.net/v3/" in lines
    assert "default django.core.mail.backends.smtp" in lines


def test_mailgun_without_a_webhook_signing_key_is_warned_about(settings):
    settings.MAILERS = {**settings.MAILERS, "bulk": mailer_from_url("mailgun://api:k@mg.example.no")}
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": ""}
    assert [warning.id for warning in check_provider_webhook(None)] == ["newsletter.W002"]

    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": "signing-key"}
    assert check_provider_webhook(None) == []
    settings.MAILERS = {alias: mailer_from_url("smtp://smtp.example.no") for alias in ("default", "bulk")}
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": ""}
    assert check_provider_webhook(None) == [], "plain SMTP reports no bounces to a webhook"


# --- Sending an issue through the provider -------------------------------------------------


@pytest.fixture
def mailgun_api(settings):
    """The stand-in API, set as the bulk mailer through a mailgun:// URL."""
    with MailgunAPI() as api:
        url = f"mailgun://api:key-test@{SENDING_DOMAIN}?api_url={api.api_url}&timeout=5"
        settings.MAILERS = {**settings.MAILERS, "bulk": mailer_from_url(url)}
        yield api


def test_the_bulk_mailer_is_anymails_mailgun_backend(mailgun_api):
    mailer = mailers["bulk"]
    assert isinstance(mailer, MailgunBackend)
    assert (mailer.api_key, mailer.sender_domain) == ("key-test", SENDING_DOMAIN)


@pytest.mark.parametrize(("batch_size", "messages_per_connection"), [(5, [5, 5, 2]), (50, [12])])
def test_each_batch_goes_over_one_http_connection_and_each_delivery_once(
    issue, subscribe, mailgun_api, settings, batch_size, messages_per_connection, django_capture_on_commit_callbacks
):
    settings.NEWSLETTER_BATCH_SIZE = batch_size
    addresses = [f"person{n:02d}@example.no" for n in range(12)]
    for address in addresses:
        subscribe(address)

    with django_capture_on_commit_callbacks(execute=True):
        assert sending.start_sending(issue) == 12

    assert sorted(mailgun_api.per_connection.values(), reverse=True) == messages_per_connection
    assert sorted(mailgun_api.recipients()) == addresses, "every subscriber once, nobody twice"
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.SENT}
    assert IssueDispatch.objects.get().status == IssueDispatch.DONE

    request = mailgun_api.requests[0]
    assert request["path"] == f"/v3/{SENDING_DOMAIN}/messages"
    assert request["auth"] == "Basic " + base64.b64encode(b"api:key-test").decode()
    fields = request["fields"]
    assert fields["subject"] == [issue.title]
    assert fields["v:newsletter_issue"] == [str(issue.pk)], "the issue id comes back with bounce reports"
    assert fields["o:tag"] == ["nyhetsbrev"]
    assert fields["o:tracking-opens"] == ["no"] and fields["o:tracking-clicks"] == ["no"]
    assert fields["h:List-Unsubscribe"][0].startswith(f"<{MAIL_BASE_URL}/nyhetsbrev/avmeld/")
    assert fields["h:List-Unsubscribe-Post"] == ["List-Unsubscribe=One-Click"]


def test_a_refused_message_fails_at_once_and_an_outage_is_retried(
    issue, subscribe, mailgun_api, django_capture_on_commit_callbacks
):
    for address in ("god@example.no", "bad@example.no", "busy@example.no"):
        subscribe(address)

    with django_capture_on_commit_callbacks(execute=True):
        sending.start_sending(issue)

    rows = {row.subscriber.email: row for row in Delivery.objects.select_related("subscriber")}
    assert rows["god@example.no"].status == Delivery.SENT
    assert rows["bad@example.no"].status == Delivery.FAILED, "Mailgun answered 400: the address is refused"
    assert rows["busy@example.no"].status == Delivery.RETRY, "Mailgun answered 503: try again later"
    assert rows["busy@example.no"].next_attempt_at is not None
    assert IssueDispatch.objects.get().status == IssueDispatch.SENDING

    worker.drain(issue.pk)  # the retry is not due yet: nothing is sent again
    assert sorted(mailgun_api.recipients()) == ["bad@example.no", "busy@example.no", "god@example.no"]


def test_an_unreachable_provider_leaves_the_batch_for_a_retry(
    issue, subscribe, settings, django_capture_on_commit_callbacks
):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    url = f"mailgun://api:key-test@{SENDING_DOMAIN}?api_url=http://127.0.0.1:{closed_port}/v3&timeout=2"
    settings.MAILERS = {**settings.MAILERS, "bulk": mailer_from_url(url)}
    subscribe("ola@example.no")

    with django_capture_on_commit_callbacks(execute=True):
        sending.start_sending(issue)

    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.RETRY, "not stuck in 'sending', not failed for good"
    assert "Error posting to" in delivery.last_error
