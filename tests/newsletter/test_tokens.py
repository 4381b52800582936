"""Signed links: each is good for its own purpose only, confirmation links expire."""

import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core import signing
from django.utils import timezone

from newsletter import tokens
from newsletter.models import Subscriber

NOW = timezone.now()


def travel(monkeypatch, delta):
    """Move the signing module's clock forward (only that module's)."""
    real = time.time
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: real() + delta.total_seconds()))


def test_confirm_token_round_trip():
    token = tokens.make_confirm_token("Ola@Example.no", 3, 1, NOW)
    data = tokens.read_confirm_token(token)
    assert data["e"] == "Ola@Example.no" and data["l"] == 3 and data["v"] == 1


def test_confirm_token_expires_after_seven_days(monkeypatch):
    token = tokens.make_confirm_token("ola@example.no", 1, 1, NOW)
    travel(monkeypatch, timedelta(days=6, hours=23))
    assert tokens.read_confirm_token(token)["e"] == "ola@example.no"
    travel(monkeypatch, timedelta(days=7, minutes=1))
    with pytest.raises(tokens.InvalidToken):
        tokens.read_confirm_token(token)


def test_tampered_tokens_are_refused():
    token = tokens.make_confirm_token("ola@example.no", 1, 1, NOW)
    payload, rest = token.split(":", 1)
    tampered = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + ":" + rest
    with pytest.raises(tokens.InvalidToken):
        tokens.read_confirm_token(tampered)
    unsubscribe = tokens.make_unsubscribe_token(5, 1)
    with pytest.raises(tokens.InvalidToken):
        tokens.read_unsubscribe_token(unsubscribe.replace(":", ":x", 1))
    # Someone else's subscriber id under a valid-looking signature does not verify.
    forged = signing.dumps({"s": 6, "l": 1}, salt="another-salt")
    with pytest.raises(tokens.InvalidToken):
        tokens.read_unsubscribe_token(forged)


def test_tokens_are_good_for_their_own_purpose_only():
    confirm = tokens.make_confirm_token("ola@example.no", 1, 1, NOW)
    unsubscribe = tokens.make_unsubscribe_token(5, 1)
    manage = tokens.make_manage_token(5)
    with pytest.raises(tokens.InvalidToken):
        tokens.read_unsubscribe_token(confirm)
    with pytest.raises(tokens.InvalidToken):
        tokens.read_confirm_token(unsubscribe)
    with pytest.raises(tokens.InvalidToken):
        tokens.read_unsubscribe_token(manage)
    with pytest.raises(tokens.InvalidToken):
        tokens.read_manage_token(unsubscribe)
    assert tokens.read_unsubscribe_token(unsubscribe) == {"s": 5, "l": 1}
    assert tokens.read_manage_token(manage) == {"s": 5}


@pytest.mark.django_db
def test_confirm_page_refuses_expired_tampered_and_wrong_purpose_links(newsletter_list, client, monkeypatch):
    list_id = newsletter_list.pk
    wrong_purpose = tokens.make_unsubscribe_token(1, list_id)
    tampered = tokens.make_confirm_token("ola@example.no", list_id, 1, NOW)[:-3] + "abc"
    for token in (wrong_purpose, tampered):
        response = client.post(f"/nyhetsbrev/bekreft/{token}/")
        assert response.status_code == 400
        assert "Lenken virker ikke" in response.content.decode()
    expired = tokens.make_confirm_token("ola@example.no", list_id, 1, NOW)
    travel(monkeypatch, timedelta(days=8))
    assert client.post(f"/nyhetsbrev/bekreft/{expired}/").status_code == 400
    assert not Subscriber.objects.exists()
