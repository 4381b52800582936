"""A real SMTP server for mail tests: aiosmtpd on a free loopback port, with Django's
real SMTP backend pointed at it. Until `up()` nothing listens on the port, which is
how a mail server that is down looks to the sender."""

import email
import email.policy
import socket
import threading
from collections import Counter


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpSink:
    def __init__(self, port):
        self.port = port
        self.counts = Counter()  # accepted messages per recipient
        self.messages = []  # email.message.EmailMessage, in arrival order
        self.lock = threading.Lock()
        self.controller = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
            for rcpt in envelope.rcpt_tos:
                self.counts[rcpt.lower()] += 1
        return "250 Message accepted"

    def up(self):
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def down(self):
        if self.controller:
            self.controller.stop()
            self.controller = None

    def bodies(self):
        return [m.get_body(preferencelist=("plain",)).get_content() for m in self.messages]


def serve(settings):
    """For a fixture (`yield from serve(settings)`): the default mailer as Django's SMTP
    backend against a sink that is down until `sink.up()`."""
    sink = SmtpSink(free_port())
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": sink.port, "timeout": 5},
        }
    }
    yield sink
    sink.down()
