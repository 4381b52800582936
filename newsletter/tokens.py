"""Signed links in newsletter mail. Each purpose has its own salt, so a token made
for one purpose is refused for every other.

- confirm: carries the address, list and consent version until the person confirms
  (nothing is stored before that); expires after 7 days.
- unsubscribe: subscriber + list; never expires (RFC 8058 links must keep working).
- manage: subscriber; never expires, so the link in an old issue still works.
"""

from datetime import timedelta

from django.core import signing

CONFIRM_SALT = "newsletter-confirm"
UNSUBSCRIBE_SALT = "newsletter-unsubscribe"
MANAGE_SALT = "newsletter-manage"
CONFIRM_MAX_AGE = timedelta(days=7)


class InvalidToken(Exception):
    """Tampered, expired or made for another purpose."""


def make_confirm_token(email, list_id, consent_version, requested_at):
    return signing.dumps(
        {"e": email, "l": list_id, "v": consent_version, "t": requested_at.isoformat()},
        salt=CONFIRM_SALT,
        compress=True,
    )


def read_confirm_token(token):
    try:
        return signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature as error:  # SignatureExpired is a BadSignature
        raise InvalidToken from error


def make_unsubscribe_token(subscriber_id, list_id):
    return signing.dumps({"s": subscriber_id, "l": list_id}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token):
    try:
        return signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature as error:
        raise InvalidToken from error


def make_manage_token(subscriber_id):
    return signing.dumps({"s": subscriber_id}, salt=MANAGE_SALT)


def read_manage_token(token):
    try:
        return signing.loads(token, salt=MANAGE_SALT)
    except signing.BadSignature as error:
        raise InvalidToken from error
