"""How an e-mail address becomes a stable identity.

Normalisation: surrounding whitespace is removed and the domain is lower-cased
(domains are case-insensitive). The local part is kept as typed for delivery,
because RFC 5321 allows a server to treat it case-sensitively. For identity
(uniqueness, the suppression hash) the whole address is case-folded: nearly every
real mailbox ignores case, and a suppression must not be dodged by typing "Ola@"
instead of "ola@".

The suppression list stores only a keyed hash (HMAC-SHA256 with
NEWSLETTER_HASH_KEY), so "never mail me" survives erasure without keeping the
address; the key keeps the hash from being reversed with a list of known addresses.
"""

import hashlib
import hmac

from django.conf import settings


def normalise(address):
    """The address as stored and mailed: stripped, with a lower-case domain."""
    address = (address or "").strip()
    local, at, domain = address.rpartition("@")
    if not at:
        return address
    return f"{local}@{domain.lower()}"


def identity(address):
    """The case-folded form used for uniqueness and hashing."""
    return normalise(address).lower()


def hash_key():
    """NEWSLETTER_HASH_KEY, or a key derived from SECRET_KEY (checks warn about that)."""
    configured = getattr(settings, "NEWSLETTER_HASH_KEY", "")
    if configured:
        return configured.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"newsletter-hash-key", hashlib.sha256).digest()


def address_hash(address):
    return hmac.new(hash_key(), identity(address).encode(), hashlib.sha256).hexdigest()
