"""Password-less sign-in: same answer for every address, single-use 15-minute links,
rate limits per address and IP and per IP (more in test_sign_in_links.py and
test_sign_in_accounts.py)."""

import datetime
import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from pilots.models import SignInToken
from policy import registry

SIGN_IN = reverse("pilots:sign_in")


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """POST and run on-commit callbacks (the mail task is queued on commit)."""

    def post(url, data=None):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data or {})

    return post


def _link(message):
    """The sign-in link's path; the link itself points to the public address (SITE_URL)."""
    match = re.search(re.escape(settings.SITE_URL) + r"(/soknad/inn/[^/\s]+/)", message.body)
    assert match, f"no sign-in link to {settings.SITE_URL} in: {message.body}"
    return match.group(1)


def use_link(client, link):
    """Press «Logg inn» on the link's page: the token travels in the form's body."""
    return client.post(reverse("pilots:use_sign_in_link"), {"token": link.rstrip("/").rsplit("/", 1)[1]})


def test_sign_in_with_a_link_once(client, post, db):
    response = post(SIGN_IN, {"email": " Ola@Kommune.Example ", "neste": "/soknad/"})
    assert response.status_code == 302 and response["Location"] == reverse("pilots:sign_in_sent")
    page = client.get(response["Location"])
    assert "Hvis adressen kan brukes, har vi sendt en lenke" in page.text
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ola@kommune.example"]
    link = _link(mail.outbox[0])
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert not SignInToken.objects.filter(token_hash__contains=token).exists()  # only a hash is stored

    # Following the link (as a mail scanner would) does not use it up; the page's
    # button posts the token in the body, and the link's own path takes no POST.
    page = client.get(link)
    assert page.status_code == 200
    assert f'action="{reverse("pilots:use_sign_in_link")}"' in page.text
    assert f'name="token" value="{token}"' in page.text
    assert client.post(link).status_code == 405
    response = use_link(client, link)
    assert response.status_code == 302 and response["Location"] == "/soknad/"
    user = get_user_model().objects.get(applicant_identity__subject="ola@kommune.example")
    assert user.email == "ola@kommune.example"
    assert not user.has_usable_password() and not user.is_staff
    assert client.get("/soknad/").status_code == 200

    client.logout()
    again = use_link(client, link)
    assert again.status_code == 410
    assert "Lenken virker ikke" in again.text


def test_expired_link_does_not_work(client, post, db):
    post(SIGN_IN, {"email": "ola@kommune.example"})
    SignInToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert use_link(client, _link(mail.outbox[0])).status_code == 410
    assert "_auth_user_id" not in client.session


def test_same_answer_for_every_address_and_rate_limit_per_address(client, post, db):
    for _ in range(5):
        response = post(SIGN_IN, {"email": "ola@kommune.example"})
        assert response.status_code == 302 and response["Location"] == reverse("pilots:sign_in_sent")
    # The sixth in the hour from this IP is not sent, and the page says so.
    response = post(SIGN_IN, {"email": "ola@kommune.example"})
    assert response.status_code == 429
    assert "Vi sendte ingen ny lenke" in response.text
    assert 'value="ola@kommune.example"' in response.text
    assert len(mail.outbox) == 5


def test_rate_limit_per_ip(client, post, db):
    for number in range(20):
        assert post(SIGN_IN, {"email": f"person{number}@kommune.example"}).status_code == 302
    response = post(SIGN_IN, {"email": "person99@kommune.example"})
    assert response.status_code == 429
    assert "for mange forsøk" in response.text
    assert len(mail.outbox) == 20


def test_bad_address_gets_a_message_at_the_field(client, post, db):
    response = post(SIGN_IN, {"email": "ikke-en-adresse"})
    assert response.status_code == 200
    assert "Skriv inn en gyldig e-postadresse" in response.text
    assert 'value="ikke-en-adresse"' in response.text
    assert "ds-error-summary" in response.text


def test_next_path_outside_the_portal_is_ignored(client, post, db):
    post(SIGN_IN, {"email": "ola@kommune.example", "neste": "https://evil.example/"})
    response = use_link(client, _link(mail.outbox[0]))
    assert response["Location"] == "/soknad/"


def test_pages_need_sign_in(client, post, db):
    response = client.get("/soknad/")
    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN + "?neste=/soknad/")


def test_expired_sign_in_links_are_pruned_by_the_scheduler(db):
    """The address someone typed is kept no longer than a day after its link expired."""
    now = timezone.now()
    old = SignInToken.objects.create(
        token_hash="a" * 64, email="gammel@kommune.example", expires_at=now - datetime.timedelta(days=2)
    )
    fresh = SignInToken.objects.create(
        token_hash="b" * 64, email="ny@kommune.example", expires_at=now - datetime.timedelta(hours=1)
    )
    jobs = {job.name: job for job in registry.periodic_jobs()}
    assert "pilots_retention" in jobs
    jobs["pilots_prune_sign_in_tokens"].run()
    assert list(SignInToken.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not SignInToken.objects.filter(pk=old.pk).exists()
