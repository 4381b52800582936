"""Sign-in links that cannot be jammed or leaked: limits per address and IP, a visible
answer with «send again» when throttled, a newer link voiding the older, and a token
that exists only in the mail (not in the task table, the outbox, the database or the
logs): the outbox row holds a placeholder and the link is made when the mail is sent."""

import io
import logging
import re

import pytest
from django.apps import apps
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pilots.models import SignInToken
from policy import outbox
from policy.models import OutgoingMail
from tests.pilots.test_sign_in import SIGN_IN, _link, use_link
from tests.smtp_sink import serve
from tests.tasks import run_stored_tasks

ADDRESS = "ola@kommune.example"
OWNER_IP = "192.0.2.10"


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """POST from an IP and run on-commit callbacks (the mail task is queued on commit)."""

    def post(url, data=None, ip=OWNER_IP):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data or {}, REMOTE_ADDR=ip)

    return post


def _token(link):
    return link.rstrip("/").rsplit("/", 1)[1]


def test_strangers_cannot_jam_the_owners_sign_in(client, post, db):
    for number in range(8):
        response = post(SIGN_IN, {"email": ADDRESS}, ip=f"198.51.100.{number}")
        assert response["Location"] == reverse("pilots:sign_in_sent")
    response = post(SIGN_IN, {"email": ADDRESS})
    assert response.status_code == 302 and response["Location"] == reverse("pilots:sign_in_sent")
    assert len(mail.outbox) == 9
    assert use_link(client, _link(mail.outbox[-1])).status_code == 302
    assert "_auth_user_id" in client.session


def test_throttled_request_says_so_and_can_send_the_latest_link_again(client, post, db):
    for _ in range(5):
        assert post(SIGN_IN, {"email": ADDRESS})["Location"] == reverse("pilots:sign_in_sent")
    throttled = post(SIGN_IN, {"email": ADDRESS})
    assert throttled.status_code == 429
    assert "Vi sendte ingen ny lenke" in throttled.text
    assert "Send siste lenke på nytt" in throttled.text
    assert len(mail.outbox) == 5
    previous = _link(mail.outbox[-1])

    resent = post(reverse("pilots:resend_sign_in_link"), {"email": ADDRESS})
    assert resent.status_code == 302
    assert "sendt den på nytt" in client.get(resent["Location"]).text
    assert len(mail.outbox) == 6 and mail.outbox[-1].to == [ADDRESS]
    again = _link(mail.outbox[-1])
    assert again != previous
    assert use_link(client, previous).status_code == 410  # the resent mail replaces it
    assert use_link(client, again).status_code == 302

    # Sending again is limited too.
    for _ in range(2):
        post(reverse("pilots:resend_sign_in_link"), {"email": ADDRESS})
    limited = post(reverse("pilots:resend_sign_in_link"), {"email": ADDRESS})
    assert limited.status_code == 429
    assert "For mange forsøk" in limited.text


def test_resend_says_the_same_for_an_address_without_links(client, post, db):
    resent = post(reverse("pilots:resend_sign_in_link"), {"email": "ukjent@kommune.example"})
    assert resent.status_code == 302 and resent["Location"].startswith(reverse("pilots:sign_in_sent"))
    assert mail.outbox == []


def test_a_newer_link_voids_the_older(client, post, db):
    post(SIGN_IN, {"email": ADDRESS})
    post(SIGN_IN, {"email": ADDRESS})
    older, newer = _link(mail.outbox[0]), _link(mail.outbox[1])
    assert client.get(older).status_code == 410
    response = use_link(client, older)
    assert response.status_code == 410
    assert "erstattet av en nyere lenke" in response.text
    assert "Be om en ny lenke" in response.text
    assert use_link(client, newer).status_code == 302


class Collect(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines = []

    def emit(self, record):
        self.lines.append(self.format(record))


@pytest.fixture
def console_output():
    """What the configured log handlers (the root's console) write."""
    buffer = io.StringIO()
    handlers = [h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler)]
    streams = [handler.setStream(buffer) for handler in handlers]
    yield buffer
    for handler, stream in zip(handlers, streams, strict=True):
        handler.setStream(stream)


def every_row():
    """Every row of every table, as text."""
    return "".join(repr(list(model.objects.values())) for model in apps.get_models() if model._meta.managed)


@pytest.fixture
def request_logs():
    """Everything Django's request and server loggers write (their filters included)."""
    handler = Collect()
    loggers = [logging.getLogger(name) for name in ("django.request", "django.server")]
    for logger in loggers:
        logger.addHandler(handler)
    yield handler.lines
    for logger in loggers:
        logger.removeHandler(handler)


def test_the_token_is_only_in_the_mail(client, post, settings, request_logs, console_output, db):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "mail"]}}
    post(SIGN_IN, {"email": ADDRESS})
    assert mail.outbox == []  # queued, not sent
    run_stored_tasks()
    link = _link(mail.outbox[0])
    token = _token(link)

    client.get(link)
    use_link(client, link)  # used
    use_link(client, link)  # used again: 410 "Gone", which Django logs
    use_link(client, link.replace(token, token[::-1]))  # unknown
    client.get(link)  # the used link opened again: "Gone: /soknad/inn/…/"

    assert "Gone: /soknad/inn/[skjult]/" in request_logs
    assert not any(token in line for line in request_logs), request_logs
    rows = list(DBTaskResult.objects.values("args_kwargs", "return_value", "traceback"))
    queued = OutgoingMail.objects.get(key__startswith=f"pilots.sign-in:{SignInToken.objects.get().pk}:")
    assert rows[0]["args_kwargs"]["args"] == [queued.pk]  # the outbox row, whose text has no link
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert token not in repr(rows)
    assert token not in console_output.getvalue()
    assert "_auth_user_id" in client.session  # signed in once, and
    assert token not in every_row()  # nothing stored it: sessions, audit logs, task rows


@pytest.fixture
def smtp(settings):
    yield from serve(settings)


def test_a_link_asked_for_while_the_mail_server_is_down_arrives_once_it_is_back(client, post, smtp, db):
    """The page says the link is on its way once the mail is queued; the mail server
    refusing the first attempt loses nothing, and the retry sends one working link."""
    response = post(SIGN_IN, {"email": ADDRESS})
    assert response["Location"] == reverse("pilots:sign_in_sent")
    assert "Sjekk e-posten din" in client.get(response["Location"]).text
    queued = OutgoingMail.objects.get(key__startswith="pilots.sign-in:")
    assert (queued.state, queued.attempts) == ("pending", 1) and "refused" in queued.last_error.lower()

    smtp.up()
    OutgoingMail.objects.filter(pk=queued.pk).update(next_attempt_at=timezone.now())  # the backoff has passed
    assert outbox.sweep(now=timezone.now() + outbox.SWEEP_GRACE) == 1
    assert outbox.sweep(now=timezone.now() + outbox.SWEEP_GRACE * 2) == 0
    assert smtp.counts == {ADDRESS: 1}
    (body,) = smtp.bodies()
    link = re.search(r"/soknad/inn/[^/\s]+/", body).group(0)
    assert use_link(client, link).status_code == 302
    assert "_auth_user_id" in client.session
