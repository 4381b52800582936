"""The language of newsletter mail: confirmations and notes are bokmål (Regionalnytt is
a bokmål newsletter) whatever language is active where they are made, and an issue's
frame (links, footer) follows the issue's own målform."""

import pytest
from django.core import mail
from django.utils import timezone, translation

from newsletter import subscriptions

from .conftest import LIST_NAME, make_issue
from .test_sending import send_now

pytestmark = pytest.mark.django_db


def signup_mail(capture, newsletter_list, email, language):
    """The mail a sign-up request leads to (through the outbox), the request handled
    with `language` active, as a nynorsk or English page's request would have it."""
    with capture(execute=True), translation.override(language):
        subscriptions.handle_signup_request(email, newsletter_list.pk, 1, timezone.now())
    return mail.outbox[-1]


@pytest.mark.parametrize("language", ["nn", "en"])
def test_the_confirmation_mail_is_bokmal(newsletter_list, django_capture_on_commit_callbacks, language):
    message = signup_mail(django_capture_on_commit_callbacks, newsletter_list, "kari@example.no", language)

    assert message.subject == f"Bekreft påmeldingen til {LIST_NAME}"
    assert message.body.startswith("Hei!\n\n")
    assert "Bekreft påmeldingen ved å åpne lenken og trykke på knappen «Bekreft påmeldingen»:" in message.body
    assert "Lenken virker i 7 dager." in message.body
    assert "Vennlig hilsen\nKommunal- og distriktsdepartementet" in message.body
    assert "Venleg helsing" not in message.body and "Kind regards" not in message.body


def test_the_already_subscribed_note_is_bokmal(newsletter_list, subscribe, django_capture_on_commit_callbacks):
    subscribe("ola@example.no")

    message = signup_mail(django_capture_on_commit_callbacks, newsletter_list, "ola@example.no", "nn")

    assert message.subject == f"Du er allerede påmeldt {LIST_NAME}"
    assert "Du er allerede påmeldt, så du trenger ikke gjøre noe." in message.body
    assert "Vil du melde deg av eller endre abonnementet, kan du gjøre det her:" in message.body


@pytest.mark.parametrize(
    ("language", "read_online", "reason"),
    [
        ("nb", "Les utgaven på nettsiden", "Du får denne e-posten fordi du har meldt deg på nyhetsbrevet"),
        ("nn", "Les utgåva på nettsida", "Du får denne e-posten fordi du har meldt deg på nyheitsbrevet"),
    ],
)
def test_an_issue_is_framed_in_its_own_malform(
    home, newsletter_list, subscribe, django_capture_on_commit_callbacks, language, read_online, reason
):
    issue = make_issue(home, newsletter_list, title="Fjellbygder", language=language)
    subscribe("kari@example.no")

    with translation.override("en"):  # what the sender's admin session might speak
        send_now(issue, django_capture_on_commit_callbacks)

    message = mail.outbox[-1]
    html = message.alternatives[0].content
    assert f"{read_online}: " in message.body
    assert f"{reason} {LIST_NAME}." in message.body
    assert f">{read_online}</a>" in html
    assert f'<html lang="{language}">' in html
    assert "Read this issue" not in message.body
