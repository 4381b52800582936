import email
import email.policy
import logging
import re
import sys

from django.core.management.base import BaseCommand

from newsletter import subscriptions, tokens
from newsletter.emails import MAILTO_SUBJECT

logger = logging.getLogger("newsletter")
TOKEN_IN_SUBJECT = re.compile(rf"\b{MAILTO_SUBJECT}\s+(\S+)", re.IGNORECASE)


class Command(BaseCommand):
    help = (
        "Handle one mail sent to NEWSLETTER_UNSUBSCRIBE_MAILTO, the mailto: in List-Unsubscribe: "
        "unsubscribe the person and list named by the signed token in its subject. Pipe that "
        "address's mail to it, e.g. in /etc/aliases: "
        'avmelding: "|/srv/kr/.venv/bin/python /srv/kr/manage.py newsletter_unsubscribe_mail". '
        "It always exits 0: an error would make the mail server bounce to a sender that may be forged."
    )

    def add_arguments(self, parser):
        parser.add_argument("message", nargs="?", help="A file with the message; standard input when left out.")

    def handle(self, *args, message=None, **options):
        if message:
            with open(message, "rb") as source:
                raw = source.read()
        else:
            raw = sys.stdin.buffer.read()
        subject = str(email.message_from_bytes(raw, policy=email.policy.default).get("Subject", ""))
        match = TOKEN_IN_SUBJECT.search(subject)
        try:
            data = tokens.read_unsubscribe_token(match.group(1) if match else "")
            found = subscriptions.unsubscribe(data["s"], data["l"])
        except (tokens.InvalidToken, KeyError, TypeError):
            found = False
        if found:
            self.stdout.write("Unsubscribed.")
        else:
            # Nothing to act on (a person writing, spam, a forged token); the https link still works.
            logger.info("A mail to the unsubscribe address carried no valid unsubscribe token.")
            self.stdout.write("No valid unsubscribe token in the subject; nothing changed.")
