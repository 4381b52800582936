"""Mailgun as the tests meet it: webhook payloads in the shape Mailgun documents
(the JSON "event-data" with a "signature" block, signed with HMAC-SHA256 of timestamp
and token), and a stand-in for Mailgun's send API on loopback that notes every message
and the client connection it came over.

The payload field names are Mailgun's ("event-data", "severity", "reason",
"delivery-status", "user-variables", "tags"); the values are the tests' own."""

import hashlib
import hmac
import json
import secrets
import threading
import time
from collections import Counter
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

SIGNING_KEY = "test-webhook-signing-key-5f1c"
WEBHOOK_URL = "/anymail/mailgun/tracking/"
SENDING_DOMAIN = "mg.example.no"


def signed(event_data, key=SIGNING_KEY, token=None, timestamp=None):
    """A webhook body: the event and Mailgun's signature block over timestamp + token."""
    timestamp = str(timestamp or int(event_data.get("timestamp", time.time())))
    token = token or secrets.token_hex(25)
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    return {"signature": {"timestamp": timestamp, "token": token, "signature": signature}, "event-data": event_data}


def _message(recipient, subject):
    return {
        "headers": {
            "to": recipient,
            "message-id": f"{secrets.token_hex(8)}@{SENDING_DOMAIN}",
            "from": f"postmottak@{SENDING_DOMAIN}",
            "subject": subject,
        },
        "attachments": [],
        "size": 4210,
    }


def _sent_with(issue_id):
    """The tags and user variables a newsletter mail carries (none for other mail)."""
    if issue_id is None:
        return {"tags": [], "user-variables": {}}
    return {"tags": ["nyhetsbrev"], "user-variables": {"newsletter_issue": str(issue_id)}}


def hard_bounce(recipient, issue_id=None, subject="Utgave"):
    """Mailgun's "failed" with severity "permanent" and reason "bounce": the mailbox does not exist."""
    return {
        "event": "failed",
        "id": secrets.token_urlsafe(16),
        "severity": "permanent",
        "reason": "bounce",
        "recipient": recipient,
        "recipient-domain": recipient.rpartition("@")[2],
        "timestamp": time.time(),
        "log-level": "error",
        "message": _message(recipient, subject),
        "delivery-status": {
            "attempt-no": 1,
            "code": 550,
            "description": "",
            "message": "5.1.1 The email account that you tried to reach does not exist.",
            "mx-host": "mx.example.no",
            "session-seconds": 0.4,
            "tls": True,
        },
        **_sent_with(issue_id),
    }


def soft_bounce(recipient, issue_id=None, subject="Utgave"):
    """Mailgun's "failed" with severity "temporary": the provider will try again."""
    return {
        "event": "failed",
        "id": secrets.token_urlsafe(16),
        "severity": "temporary",
        "reason": "generic",
        "recipient": recipient,
        "timestamp": time.time(),
        "log-level": "warn",
        "message": _message(recipient, subject),
        "delivery-status": {
            "attempt-no": 2,
            "code": 452,
            "description": "Mailbox full",
            "message": "4.2.2 The email account that you tried to reach is over quota.",
            "retry-seconds": 1800,
        },
        **_sent_with(issue_id),
    }


def complaint(recipient, issue_id=None, subject="Utgave"):
    """Mailgun's "complained": the recipient marked the mail as spam."""
    return {
        "event": "complained",
        "id": secrets.token_urlsafe(16),
        "recipient": recipient,
        "timestamp": time.time(),
        "log-level": "warn",
        "message": _message(recipient, subject),
        **_sent_with(issue_id),
    }


def post_event(client, body, **extra):
    return client.post(WEBHOOK_URL, data=json.dumps(body), content_type="application/json", **extra)


# --- Mailgun's send API on loopback ---------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    # HTTP/1.1, so a client's session keeps its connection between messages.
    protocol_version = "HTTP/1.1"

    def do_POST(self):  # noqa: N802 - http.server's hook name
        length = int(self.headers.get("Content-Length", 0))
        fields = _form_fields(self.headers.get("Content-Type", ""), self.rfile.read(length))
        api = self.server.api
        recipient = fields.get("to", [""])[0]
        with api.lock:
            api.requests.append({"path": self.path, "auth": self.headers.get("Authorization"), "fields": fields})
            api.per_connection[self.client_address] += 1
        if recipient.startswith("bad@"):
            self._answer(400, {"message": "'to' parameter is not a valid address. please check documentation"})
        elif recipient.startswith("busy@"):
            self._answer(503, {"message": "Service temporarily unavailable"})
        else:
            self._answer(200, {"id": f"<{secrets.token_hex(8)}@{SENDING_DOMAIN}>", "message": "Queued. Thank you."})

    def _answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def _form_fields(content_type, body):
    """{name: [values]} of a urlencoded or multipart/form-data body."""
    if content_type.startswith("multipart/form-data"):
        message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body)
        fields = {}
        for part in message.iter_parts():
            fields.setdefault(part.get_param("name", header="content-disposition"), []).append(part.get_content())
        return fields
    return parse_qs(body.decode(), keep_blank_values=True)


class MailgunAPI:
    """A local Mailgun send API: `api_url` for the mailer; `requests` and
    `per_connection` (messages per client connection) for the test."""

    def __init__(self):
        self.requests = []
        self.per_connection = Counter()
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.api = self
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def api_url(self):
        return f"http://127.0.0.1:{self.server.server_port}/v3"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def recipients(self):
        return [request["fields"]["to"][0] for request in self.requests]
