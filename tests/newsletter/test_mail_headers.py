"""List-Unsubscribe and List-Unsubscribe-Post as a mail provider reads them: the raw
bytes of the sent message, with a 120-character unsubscribe URL. Python's email
package would RFC 2047-encode a token that long (`=?utf-8?q?=3Chttps…`), which Gmail
and Yahoo ignore, losing one-click unsubscribe (RFC 8058)."""

import email.policy
import re
from email.message import EmailMessage
from io import StringIO
from urllib.parse import unquote, urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from newsletter import emails, sending
from newsletter.headers import ListHeader
from newsletter.models import Subscription

pytestmark = pytest.mark.django_db

URL_LENGTH = 120
MAILTO = "avmelding@nyhetsbrev.example"


def base_url_for(subscription, length=URL_LENGTH):
    """A NEWSLETTER_BASE_URL that makes this subscriber's unsubscribe URL `length` long."""
    path = urlsplit(emails.unsubscribe_url(subscription.subscriber_id, subscription.newsletter_list_id)).path
    padding = length - len(f"https://nyhetsbrev.example{path}")
    assert 0 <= padding < 40, padding
    return f"https://nyhetsbrev{'x' * padding}.example"


def sent_issue(issue, capture):
    mail.outbox.clear()
    with capture(execute=True):
        sending.start_sending(issue)
    (message,) = mail.outbox
    return message


def header_lines(raw):
    """The header block of raw message bytes, one list item per physical line."""
    return raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n")


def field(lines, name):
    """One header field: its first line and its continuation lines (starting with whitespace)."""
    starts = [i for i, line in enumerate(lines) if line.lower().startswith(name.lower() + b":")]
    assert len(starts) == 1, f"{name!r} appears {len(starts)} times"
    start = end = starts[0]
    while end + 1 < len(lines) and lines[end + 1][:1] in (b" ", b"\t"):
        end += 1
    return lines[start : end + 1]


def test_a_long_unsubscribe_url_is_sent_as_one_plain_line(
    issue, subscribe, settings, django_capture_on_commit_callbacks
):
    subscription = subscribe("ola@example.no")
    settings.NEWSLETTER_BASE_URL = base_url_for(subscription)
    settings.NEWSLETTER_UNSUBSCRIBE_MAILTO = ""
    message = sent_issue(issue, django_capture_on_commit_callbacks)

    # As the SMTP backend sends it (CRLF), and as the file backend writes it.
    raw = message.message(policy=email.policy.SMTP).as_bytes()
    lines = header_lines(raw)
    (unsubscribe,) = field(lines, b"List-Unsubscribe")
    url = re.fullmatch(rb"List-Unsubscribe: <(https://[\x21-\x7e]+)>", unsubscribe).group(1).decode()
    assert len(url) == URL_LENGTH
    assert field(lines, b"List-Unsubscribe-Post") == [b"List-Unsubscribe-Post: List-Unsubscribe=One-Click"]
    assert b"List-Unsubscribe: <" + url.encode() + b">\n" in message.message().as_bytes()

    # The mail provider's one-click POST (RFC 8058), form-encoded, without cookies or CSRF token.
    response = Client(enforce_csrf_checks=True).post(
        urlsplit(url).path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert Subscription.objects.get().status == Subscription.UNSUBSCRIBED


def test_with_an_unsubscribe_address_the_header_folds_only_between_its_items(
    issue, subscribe, settings, django_capture_on_commit_callbacks
):
    subscription = subscribe("ola@example.no")
    settings.NEWSLETTER_BASE_URL = base_url_for(subscription)
    settings.NEWSLETTER_UNSUBSCRIBE_MAILTO = MAILTO
    message = sent_issue(issue, django_capture_on_commit_callbacks)

    lines = header_lines(message.message(policy=email.policy.SMTP).as_bytes())
    first, second = field(lines, b"List-Unsubscribe")
    url = re.fullmatch(rb"List-Unsubscribe: <(https://[\x21-\x7e]+)>,", first).group(1)
    assert len(url) == URL_LENGTH
    mailto = re.fullmatch(rb" <(mailto:[\x21-\x7e]+)>", second).group(1).decode()
    assert mailto.startswith(f"mailto:{MAILTO}?subject=unsubscribe%20")
    assert "postmottak" not in mailto
    assert field(lines, b"List-Unsubscribe-Post") == [b"List-Unsubscribe-Post: List-Unsubscribe=One-Click"]


def request_from_mailto(mailto, sender="ola@example.no"):
    """The mail a mail client sends for a mailto: link (RFC 6068)."""
    address, _, query = mailto.removeprefix("mailto:").partition("?")
    request = EmailMessage()
    request["From"], request["To"] = sender, address
    request["Subject"] = unquote(query.removeprefix("subject="))
    request.set_content("")
    return request.as_bytes()


def test_the_unsubscribe_address_is_handled_by_a_machine(
    issue, subscribe, settings, tmp_path, django_capture_on_commit_callbacks
):
    subscribe("ola@example.no")
    settings.NEWSLETTER_UNSUBSCRIBE_MAILTO = MAILTO
    message = sent_issue(issue, django_capture_on_commit_callbacks)
    mailto = re.search(r"<(mailto:[^>]+)>", message.extra_headers["List-Unsubscribe"]).group(1)

    forged = tmp_path / "forged.eml"
    forged.write_bytes(request_from_mailto(f"mailto:{MAILTO}?subject=unsubscribe%20tull"))
    out = StringIO()
    call_command("newsletter_unsubscribe_mail", str(forged), stdout=out)
    assert "nothing changed" in out.getvalue()
    assert Subscription.objects.get().status == Subscription.CONFIRMED

    request = tmp_path / "request.eml"
    request.write_bytes(request_from_mailto(mailto))
    out = StringIO()
    call_command("newsletter_unsubscribe_mail", str(request), stdout=out)
    assert out.getvalue() == "Unsubscribed.\n"
    assert Subscription.objects.get().status == Subscription.UNSUBSCRIBED


def test_a_header_item_cannot_smuggle_in_another_header():
    with pytest.raises(ValueError, match="not a plain ASCII <URI>"):
        ListHeader("List-Unsubscribe", "<https://nyhetsbrev.example/x>\r\nBcc: alle@example.no")
    with pytest.raises(ValueError, match="not a plain ASCII <URI>"):
        ListHeader("List-Unsubscribe", "<https://nyhetsbrev.example/ø>")
