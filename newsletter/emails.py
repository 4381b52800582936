"""Newsletter mail: the issue (HTML with inlined CSS and a plain-text part, rendered
from the issue page's own content) and the short transactional mails.

Links in mail must be absolute; they are built from NEWSLETTER_BASE_URL (SITE_URL
unless set). The strict Content-Security-Policy applies to the web site only: mail
clients need inline styles, which css-inline produces from the <style> block of the
template.

Mail is written in bokmål (Regionalnytt is a bokmål newsletter), whatever language the
request or worker that builds it has active; an issue written in nynorsk gets its
frame (links, footer) in nynorsk.
"""

import re
from html.parser import HTMLParser
from urllib.parse import quote

import css_inline
from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from . import tokens
from .headers import ListHeader

UNSUBSCRIBE_PLACEHOLDER = "__NEWSLETTER_UNSUBSCRIBE_URL__"
MANAGE_PLACEHOLDER = "__NEWSLETTER_MANAGE_URL__"
# The subject of a mailto: unsubscribe request, followed by the signed token.
MAILTO_SUBJECT = "unsubscribe"
# Sent with every issue through a mail provider (anymail's tags and metadata; the SMTP
# backend ignores them) and read back from its bounce and complaint reports (bounces.py).
PROVIDER_TAG = "nyhetsbrev"
ISSUE_METADATA = "newsletter_issue"
_INLINER = css_inline.CSSInliner(load_remote_stylesheets=False)
_RELATIVE_HREF = re.compile(r'href="(/[^"]*)"')


def absolute(path):
    return settings.NEWSLETTER_BASE_URL.rstrip("/") + path


def page_url(page):
    _, _, path = page.get_url_parts()
    return absolute(path)


def unsubscribe_url(subscriber_id, list_id):
    token = tokens.make_unsubscribe_token(subscriber_id, list_id)
    return absolute(reverse("newsletter:unsubscribe", args=[token]))


def manage_url(subscriber_id):
    return absolute(reverse("newsletter:manage", args=[tokens.make_manage_token(subscriber_id)]))


def list_unsubscribe(unsubscribe, subscriber_id, list_id):
    """The List-Unsubscribe header: the one-click URL and, when a machine-handled address
    is configured, a mailto: whose subject carries the same signed token, for
    `manage.py newsletter_unsubscribe_mail` to act on."""
    uris = [f"<{unsubscribe}>"]
    if settings.NEWSLETTER_UNSUBSCRIBE_MAILTO:
        subject = quote(f"{MAILTO_SUBJECT} {tokens.make_unsubscribe_token(subscriber_id, list_id)}")
        uris.append(f"<mailto:{settings.NEWSLETTER_UNSUBSCRIBE_MAILTO}?subject={subject}>")
    return ListHeader("List-Unsubscribe", *uris)


class _TextConverter(HTMLParser):
    """Turns the issue's HTML body into readable plain text: links as "text (url)"."""

    BLOCKS = {"p", "h1", "h2", "h3", "h4", "li", "ul", "ol", "div", "tr"}

    def __init__(self):
        super().__init__()
        self.parts, self.href, self.in_style = [], None, False

    def handle_starttag(self, tag, attrs):
        if tag == "style":
            self.in_style = True
        elif tag == "a":
            self.href = dict(attrs).get("href")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag == "style":
            self.in_style = False
        elif tag == "a" and self.href:
            self.parts.append(f" ({self.href})")
            self.href = None
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self.in_style:
            self.parts.append(re.sub(r"\s+", " ", data))

    def text(self):
        joined = "".join(self.parts)
        lines = [line.strip() for line in joined.splitlines()]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def html_to_text(html):
    converter = _TextConverter()
    converter.feed(html)
    return converter.text()


class IssueTemplate:
    """The issue rendered once (template, CSS inlining) and personalised per recipient
    by swapping in that person's unsubscribe and manage links."""

    def __init__(self, issue):
        with translation.override(issue.language or settings.LANGUAGE_CODE):
            self._render(issue)

    def _render(self, issue):
        self.issue = issue
        self.subject = issue.title
        body_html = render_to_string("newsletter/email/issue_body.html", {"issue": issue})
        body_html = _RELATIVE_HREF.sub(lambda m: f'href="{absolute(m.group(1))}"', body_html)
        context = {
            "issue": issue,
            "body_html": body_html,
            "issue_url": page_url(issue),
            "unsubscribe_url": UNSUBSCRIBE_PLACEHOLDER,
            "manage_url": MANAGE_PLACEHOLDER,
        }
        self.html = _INLINER.inline(render_to_string("newsletter/email/issue.html", context))
        self.text = render_to_string("newsletter/email/issue.txt", {**context, "body_text": html_to_text(body_html)})

    def personalise(self, unsubscribe, manage):
        def fill(content):
            return content.replace(UNSUBSCRIBE_PLACEHOLDER, unsubscribe).replace(MANAGE_PLACEHOLDER, manage)

        return fill(self.html), fill(self.text)

    def message_for(self, subscriber, newsletter_list):
        unsubscribe = unsubscribe_url(subscriber.pk, newsletter_list.pk)
        html, text = self.personalise(unsubscribe, manage_url(subscriber.pk))
        message = EmailMultiAlternatives(
            subject=self.subject,
            body=text,
            to=[subscriber.email],
            headers={
                # RFC 2369 and RFC 8058: one-click unsubscribe from the mail client.
                "List-Unsubscribe": list_unsubscribe(unsubscribe, subscriber.pk, newsletter_list.pk),
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "List-Id": f"{newsletter_list.name} <{newsletter_list.slug}.nyhetsbrev.invalid>",
            },
        )
        message.attach_alternative(html, "text/html")
        message.tags = [PROVIDER_TAG]
        message.metadata = {ISSUE_METADATA: str(self.issue.pk)}
        # The ministry does not track who opens a mail or follows its links.
        message.track_opens = False
        message.track_clicks = False
        return message


def render_issue(issue, unsubscribe_url, manage_url):
    """For the admin's e-mail preview."""
    rendered = IssueTemplate(issue)
    rendered.html, rendered.text = rendered.personalise(unsubscribe_url, manage_url)
    return rendered


def test_message(issue, address):
    """A test for the editor: the links point at the issue itself, no delivery is made."""
    rendered = render_issue(issue, page_url(issue), page_url(issue))
    message = EmailMultiAlternatives(subject=f"[TEST] {rendered.subject}", body=rendered.text, to=[address])
    message.attach_alternative(rendered.html, "text/html")
    return message


def confirmation_message(email, newsletter_list, token):
    context = {
        "newsletter_list": newsletter_list,
        "confirm_url": absolute(reverse("newsletter:confirm", args=[token])),
    }
    with translation.override(settings.LANGUAGE_CODE):
        return EmailMessage(
            subject=_("Bekreft påmeldingen til %(name)s") % {"name": newsletter_list.name},
            body=render_to_string("newsletter/email/confirm.txt", context),
            to=[email],
        )


def already_subscribed_message(subscriber, newsletter_list):
    context = {"newsletter_list": newsletter_list, "manage_url": manage_url(subscriber.pk)}
    with translation.override(settings.LANGUAGE_CODE):
        return EmailMessage(
            subject=_("Du er allerede påmeldt %(name)s") % {"name": newsletter_list.name},
            body=render_to_string("newsletter/email/already_subscribed.txt", context),
            to=[subscriber.email],
        )
