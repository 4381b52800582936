"""Signing up: double opt-in, nothing stored before confirmation, the same answer
for every address state, rate limits, honeypot and proof of work."""

import base64
import html as html_lib
import json
import re
from datetime import UTC, datetime, timedelta

import altcha
import pytest
from django.core import mail
from django.test import Client, TestCase

from newsletter import proof, signup, subscriptions
from newsletter.models import ConsentEvent, Subscriber, Subscription, Suppression
from policy.models import RateLimitCounter
from tests.factories.newsletter import ConsentTextFactory

from .conftest import BLOCK_HEADING, CONSENT_TEXT, mail_path

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def requests_commit(monkeypatch):
    """Run each POST's on-commit callbacks when it returns, as its commit does outside
    the test's transaction: the sign-up mail goes through the outbox, sent on commit."""
    post = Client.post

    def post_and_commit(self, *args, **kwargs):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return post(self, *args, **kwargs)

    monkeypatch.setattr(Client, "post", post_and_commit)


def csrf_client():
    return Client(enforce_csrf_checks=True)


def solve(challenge):
    """What static/newsletter/pow-worker.js and signup.js do with the page's challenge."""
    solution = altcha.solve_challenge_v1(
        challenge["challenge"], challenge["salt"], challenge["algorithm"], challenge["maxNumber"]
    )
    payload = altcha.PayloadV1(
        challenge["algorithm"], challenge["challenge"], solution.number, challenge["salt"], challenge["signature"]
    )
    return payload.to_base64()


def form_data(client, page, email, **extra):
    """Load the form like a browser, solve the challenge like signup.js."""
    html = client.get(page.url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    challenge = re.search(r'data-pow-challenge="([^"]+)"', html).group(1)
    solution = solve(json.loads(html_lib.unescape(challenge)))
    return {"csrfmiddlewaretoken": token, "email": email, "consent": "on", "proof": solution, **extra}


def submit(client, page, email, **extra):
    return client.post(page.url, form_data(client, page, email, **extra))


def confirm_path(message):
    return mail_path(re.search(r"https?://\S+/nyhetsbrev/bekreft/\S+/", message.body).group(0))


def test_signup_page_shows_the_current_consent_text(signup_page, newsletter_list, client):
    html = client.get(signup_page.url).content.decode()
    assert "Meld deg på Distriktsbrevet" in html
    assert "Samtykke (versjon 1)" in html and CONSENT_TEXT in html
    ConsentTextFactory(newsletter_list=newsletter_list, version=2, text="Nå også med invitasjoner til webinarer.")
    html = client.get(signup_page.url).content.decode()
    assert "Samtykke (versjon 2)" in html and "Nå også med invitasjoner til webinarer." in html
    assert CONSENT_TEXT not in html


def test_signup_stores_nothing_until_confirmed(signup_page, newsletter_list, client):
    ConsentTextFactory(newsletter_list=newsletter_list, version=2)
    response = submit(client, signup_page, "  kari.nordmann@Example.NO ")
    assert response.status_code == 200
    assert "Sjekk e-posten din" in response.content.decode()
    assert not Subscriber.objects.exists()
    assert not ConsentEvent.objects.exists()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kari.nordmann@example.no"]
    assert message.subject == "Bekreft påmeldingen til Distriktsbrevet"

    path = confirm_path(message)
    page = client.get(path)
    assert page.status_code == 200
    assert "Bekreft påmeldingen" in page.content.decode()
    assert not Subscriber.objects.exists(), "a GET (mail scanners) must not confirm"

    confirmed = client.post(path)
    assert "Du er påmeldt Distriktsbrevet" in confirmed.content.decode()
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "kari.nordmann@example.no"
    assert Subscription.objects.get().status == Subscription.CONFIRMED
    # The events point at the consent text the person saw: the newest version.
    assert list(ConsentEvent.objects.values_list("kind", "consent_version")) == [
        ("requested", 2),
        ("confirmed", 2),
    ]


def test_confirming_twice_gives_one_subscription(signup_page, client):
    submit(client, signup_page, "ola@example.no")
    path = confirm_path(mail.outbox[0])
    assert client.post(path).status_code == 200
    assert client.post(path).status_code == 200
    assert Subscriber.objects.count() == 1
    assert Subscription.objects.count() == 1
    assert ConsentEvent.objects.filter(kind="confirmed").count() == 1


def _answer(response):
    """The visible answer with nothing that may vary between two requests."""
    body = response.content.decode()
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)
    return response.status_code, body


def test_same_answer_for_new_pending_subscribed_and_suppressed_addresses(signup_page, subscribe, client):
    subscribe("subscribed@example.no")
    subscriptions.suppress("suppressed@example.no")
    submit(client, signup_page, "pending@example.no")  # requested, not confirmed yet
    mail.outbox.clear()

    answers = {
        state: _answer(submit(client, signup_page, f"{state}@example.no"))
        for state in ("new", "pending", "subscribed", "suppressed")
    }
    assert len(set(answers.values())) == 1, "the answer must not reveal the address's state"
    assert answers["new"][0] == 200
    # Only the mailbox owner learns anything, and the suppressed address gets nothing.
    assert sorted(m.to[0] for m in mail.outbox) == ["new@example.no", "pending@example.no", "subscribed@example.no"]
    already = next(m for m in mail.outbox if m.to == ["subscribed@example.no"])
    assert already.subject == "Du er allerede påmeldt Distriktsbrevet"
    assert "allerede påmeldt" in already.body and "/nyhetsbrev/abonnement/" in already.body


def test_form_errors_are_norwegian_next_to_the_field_and_keep_input(signup_page, client):
    data = form_data(client, signup_page, "ikke-en-adresse")
    del data["consent"]
    response = client.post(signup_page.url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Det er 2 feil i skjemaet" in html
    assert "Skriv inn en gyldig e-postadresse" in html
    assert "Du må samtykke for å melde deg på." in html
    assert 'value="ikke-en-adresse"' in html
    assert 'aria-invalid="true"' in html
    assert not mail.outbox


def test_block_on_cached_topic_page_posts_without_csrf_and_only_prefills(topic_page, signup_page):
    client = csrf_client()
    topic = client.get(topic_page.url)
    html = topic.content.decode()
    assert BLOCK_HEADING in html
    assert "public" in topic["Cache-Control"]
    assert "csrfmiddlewaretoken" not in html
    action = re.search(r'<form class="newsletter-cta__form" method="post" action="([^"]+)"', html).group(1)
    assert action == f"/nyhetsbrev/pamelding/{signup_page.pk}/"

    step1 = client.post(action, {"email": "ola@example.no"})
    step1_html = step1.content.decode()
    assert step1.status_code == 200
    assert "Meld deg på Distriktsbrevet" in step1_html
    assert 'value="ola@example.no"' in step1_html
    assert "csrfmiddlewaretoken" in step1_html
    assert "private" in step1["Cache-Control"]
    assert not mail.outbox and not Subscriber.objects.exists()

    # Step 2 carries the token (browsers send the cookie set by step 1).
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', step1_html).group(1)
    step2 = client.post(signup_page.url, {"csrfmiddlewaretoken": token, "email": "ola@example.no", "consent": "on"})
    assert "Sjekk e-posten din" in step2.content.decode()
    assert [m.to for m in mail.outbox] == [["ola@example.no"]]


def test_direct_post_to_signup_page_without_csrf_token_is_refused(signup_page):
    response = csrf_client().post(signup_page.url, {"email": "ola@example.no", "consent": "on"})
    assert response.status_code == 403
    assert not mail.outbox


def test_honeypot_gets_the_same_answer_but_no_mail(signup_page, client):
    normal = _answer(submit(client, signup_page, "a@example.no"))
    mail.outbox.clear()
    trapped = _answer(submit(client, signup_page, "b@example.no", website="http://spam.example"))
    assert trapped == normal
    assert not mail.outbox


def test_without_proof_of_work_the_form_works_with_a_lower_limit(signup_page, client):
    for n in range(3):
        data = form_data(client, signup_page, f"nojs{n}@example.no", proof="")
        assert client.post(signup_page.url, data).status_code == 200
    assert len(mail.outbox) == 3
    blocked = client.post(signup_page.url, form_data(client, signup_page, "nojs4@example.no", proof=""))
    assert blocked.status_code == 429
    assert "For mange forsøk" in blocked.content.decode()
    # With a solved challenge the same visitor can still sign up.
    assert submit(client, signup_page, "withjs@example.no").status_code == 200
    assert len(mail.outbox) == 4


def test_a_solved_challenge_is_accepted_once(db):
    challenge = proof.create_challenge()
    solution = solve(challenge)
    assert proof.verify(solution)
    assert not proof.verify(solution)
    assert not proof.verify("bm90LWpzb24=")
    forged = {**challenge, "signature": "0" * 64}
    assert not proof.verify(solve(forged))


def test_the_altcha_check_refuses_replays_forgeries_expiry_and_junk(db):
    challenge = proof.create_challenge()
    solution = solve(challenge)
    assert proof.verify(solution), "a valid solution passes"
    assert not proof.verify(solution), "the same solution twice is a replay"
    payload = json.loads(base64.b64decode(solution))
    respelled = {**payload, "number": str(payload["number"]), "salt": payload["salt"].removesuffix("&")}
    assert not proof.verify(base64.b64encode(json.dumps(respelled).encode()).decode()), "a respelled replay too"

    other_key = altcha.create_challenge_v1(hmac_key="not-our-key", max_number=1000).to_dict()
    assert not proof.verify(solve(other_key)), "a challenge signed with another key is forged"
    wrong_number = {**json.loads(base64.b64decode(solve(proof.create_challenge()))), "number": -1}
    assert not proof.verify(base64.b64encode(json.dumps(wrong_number).encode()).decode())

    expired = altcha.create_challenge_v1(
        hmac_key=proof.hmac_key(), max_number=1000, expires=datetime.now(UTC) - timedelta(seconds=1)
    ).to_dict()
    assert not proof.verify(solve(expired)), "an expired challenge is refused even when signed by us"

    not_a_string = {**payload, "salt": 5}
    for junk in (
        "",
        "%%%",
        base64.b64encode(b"5").decode(),
        base64.b64encode(json.dumps(not_a_string).encode()).decode(),
    ):
        assert not proof.verify(junk), junk


def test_a_replayed_solution_on_the_form_counts_as_no_solution(signup_page, client):
    data = form_data(client, signup_page, "first@example.no")
    assert client.post(signup_page.url, data).status_code == 200
    for n in range(signup.NO_PROOF_IP_LIMIT):
        replay = {**data, "email": f"replay{n}@example.no"}
        assert client.post(signup_page.url, replay).status_code == 200
    blocked = client.post(signup_page.url, {**data, "email": "one-more@example.no"})
    assert blocked.status_code == 429
    assert submit(client, signup_page, "fresh@example.no").status_code == 200


def test_one_address_gets_at_most_three_mails_an_hour(signup_page, client):
    for _ in range(5):
        assert submit(client, signup_page, "flood@example.no").status_code == 200
    assert len(mail.outbox) == 3


def test_ip_rate_limit_holds_in_the_database(signup_page, client, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(signup.IP_LIMIT):
        submit(client, signup_page, f"ip{n}@example.no")
    response = submit(client, signup_page, "one-too-many@example.no")
    assert response.status_code == 429
    assert RateLimitCounter.objects.filter(count__gt=signup.IP_LIMIT).exists()


def test_suppressed_address_cannot_confirm_an_old_link(signup_page, client):
    submit(client, signup_page, "late@example.no")
    path = confirm_path(mail.outbox[0])
    subscriptions.suppress("LATE@example.no")
    response = client.post(path)
    assert "Påmeldingen ble ikke registrert" in response.content.decode()
    assert not Subscriber.objects.exists()
    assert Suppression.objects.count() == 1
