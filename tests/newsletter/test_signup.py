"""Signing up: double opt-in, nothing stored before confirmation, the same answer
for every address state, rate limits, honeypot and proof of work."""

import re

import pytest
from django.core import mail
from django.test import Client

from newsletter import pow, services
from newsletter.models import ConsentEvent, Subscriber, Subscription, Suppression
from policy.models import RateLimitCounter

pytestmark = pytest.mark.django_db

SIGNUP_URL = "/regionalnytt-meld-deg-pa/"
TOPIC_URL = "/kommuner-og-regioner/regional-og-distriktspolitikk/"


def csrf_client():
    return Client(enforce_csrf_checks=True)


def form_data(client, email, **extra):
    """Load the form like a browser, solve the challenge like signup.js."""
    html = client.get(SIGNUP_URL).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    challenge = re.search(r'data-pow-challenge="([^"]+)"', html).group(1)
    import html as html_lib
    import json

    solution = pow.solve(json.loads(html_lib.unescape(challenge)))
    return {"csrfmiddlewaretoken": token, "email": email, "consent": "on", "proof": solution, **extra}


def submit(client, email, **extra):
    return client.post(SIGNUP_URL, form_data(client, email, **extra))


def confirm_link(message):
    return re.search(r"http://[^\s]+/nyhetsbrev/bekreft/[^\s]+/", message.body).group(0)


def test_signup_stores_nothing_until_confirmed(newsletter_site, client):
    response = submit(client, "  kari.nordmann@Example.NO ")
    assert response.status_code == 200
    assert "Sjekk e-posten din" in response.content.decode()
    assert not Subscriber.objects.exists()
    assert not ConsentEvent.objects.exists()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kari.nordmann@example.no"]
    assert "Bekreft påmeldingen" in message.subject

    path = confirm_link(message).split("127.0.0.1:8000", 1)[1]
    page = client.get(path)
    assert page.status_code == 200
    assert "Bekreft påmeldingen" in page.content.decode()
    assert not Subscriber.objects.exists(), "a GET (mail scanners) must not confirm"

    confirmed = client.post(path)
    assert "Du er påmeldt Regionalnytt" in confirmed.content.decode()
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "kari.nordmann@example.no"
    assert Subscription.objects.get().status == Subscription.CONFIRMED
    assert list(ConsentEvent.objects.values_list("kind", "consent_version")) == [
        ("requested", 1),
        ("confirmed", 1),
    ]


def test_confirming_twice_gives_one_subscription(newsletter_site, client):
    submit(client, "ola@example.no")
    path = confirm_link(mail.outbox[0]).split("127.0.0.1:8000", 1)[1]
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


def test_same_answer_for_new_pending_subscribed_and_suppressed_addresses(newsletter_site, subscribe, client):
    subscribe("subscribed@example.no")
    services.suppress("suppressed@example.no")
    submit(client, "pending@example.no")  # requested, not confirmed yet
    mail.outbox.clear()

    answers = {
        state: _answer(submit(client, f"{state}@example.no"))
        for state in ("new", "pending", "subscribed", "suppressed")
    }
    assert len(set(answers.values())) == 1, "the answer must not reveal the address's state"
    assert answers["new"][0] == 200
    # Only the mailbox owner learns anything, and the suppressed address gets nothing.
    assert sorted(m.to[0] for m in mail.outbox) == ["new@example.no", "pending@example.no", "subscribed@example.no"]
    already = next(m for m in mail.outbox if m.to == ["subscribed@example.no"])
    assert "allerede påmeldt" in already.body and "/nyhetsbrev/abonnement/" in already.body


def test_form_errors_are_norwegian_next_to_the_field_and_keep_input(newsletter_site, client):
    data = form_data(client, "ikke-en-adresse")
    del data["consent"]
    response = client.post(SIGNUP_URL, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Det er 2 feil i skjemaet" in html
    assert "Skriv inn en gyldig e-postadresse" in html
    assert "Du må samtykke for å melde deg på." in html
    assert 'value="ikke-en-adresse"' in html
    assert 'aria-invalid="true"' in html
    assert not mail.outbox


def test_block_on_cached_topic_page_posts_without_csrf_and_only_prefills(newsletter_site, signup_page):
    client = csrf_client()
    topic = client.get(TOPIC_URL)
    html = topic.content.decode()
    assert "public" in topic["Cache-Control"]
    assert "csrfmiddlewaretoken" not in html
    action = re.search(r'<form class="newsletter-cta__form" method="post" action="([^"]+)"', html).group(1)
    assert action == f"/nyhetsbrev/pamelding/{signup_page.pk}/"

    step1 = client.post(action, {"email": "ola@example.no"})
    step1_html = step1.content.decode()
    assert step1.status_code == 200
    assert 'value="ola@example.no"' in step1_html
    assert "csrfmiddlewaretoken" in step1_html
    assert "private" in step1["Cache-Control"]
    assert not mail.outbox and not Subscriber.objects.exists()

    # Step 2 carries the token (browsers send the cookie set by step 1).
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', step1_html).group(1)
    step2 = client.post(SIGNUP_URL, {"csrfmiddlewaretoken": token, "email": "ola@example.no", "consent": "on"})
    assert "Sjekk e-posten din" in step2.content.decode()
    assert [m.to for m in mail.outbox] == [["ola@example.no"]]


def test_direct_post_to_signup_page_without_csrf_token_is_refused(newsletter_site):
    response = csrf_client().post(SIGNUP_URL, {"email": "ola@example.no", "consent": "on"})
    assert response.status_code == 403
    assert not mail.outbox


def test_honeypot_gets_the_same_answer_but_no_mail(newsletter_site, client):
    normal = _answer(submit(client, "a@example.no"))
    mail.outbox.clear()
    trapped = _answer(submit(client, "b@example.no", website="http://spam.example"))
    assert trapped == normal
    assert not mail.outbox


def test_without_proof_of_work_the_form_works_with_a_lower_limit(newsletter_site, client):
    for n in range(3):
        data = form_data(client, f"nojs{n}@example.no", proof="")
        assert client.post(SIGNUP_URL, data).status_code == 200
    assert len(mail.outbox) == 3
    blocked = client.post(SIGNUP_URL, form_data(client, "nojs4@example.no", proof=""))
    assert blocked.status_code == 429
    assert "For mange forsøk" in blocked.content.decode()
    # With a solved challenge the same visitor can still sign up.
    assert submit(client, "withjs@example.no").status_code == 200
    assert len(mail.outbox) == 4


def test_a_solved_challenge_is_accepted_once(newsletter_site):
    challenge = pow.create_challenge()
    solution = pow.solve(challenge)
    assert pow.verify(solution)
    assert not pow.verify(solution)
    assert not pow.verify("bm90LWpzb24=")
    forged = {**challenge, "signature": "0" * 64}
    assert not pow.verify(pow.solve(forged))


def test_one_address_gets_at_most_three_mails_an_hour(newsletter_site, client):
    for _ in range(5):
        assert submit(client, "flood@example.no").status_code == 200
    assert len(mail.outbox) == 3


def test_ip_rate_limit_holds_in_the_database(newsletter_site, client, settings):
    from newsletter import views

    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(views.IP_LIMIT):
        submit(client, f"ip{n}@example.no")
    response = submit(client, "one-too-many@example.no")
    assert response.status_code == 429
    assert RateLimitCounter.objects.filter(count__gt=views.IP_LIMIT).exists()


def test_suppressed_address_cannot_confirm_an_old_link(newsletter_site, client):
    submit(client, "late@example.no")
    path = confirm_link(mail.outbox[0]).split("127.0.0.1:8000", 1)[1]
    services.suppress("LATE@example.no")
    response = client.post(path)
    assert "Påmeldingen ble ikke registrert" in response.content.decode()
    assert not Subscriber.objects.exists()
    assert Suppression.objects.count() == 1
