"""Where applicants' attachments are kept: the private folder (policy.storage), sent
only by the permission-checked download views, and the names they are shown by.

Referenced by the Attachment model and its migration, so these names must stay."""

import os
import unicodedata
import uuid

from policy.storage import PrivateStorage

_private_storage = PrivateStorage()
_RESERVED = set('"*/:<>?\\|')
NAME_LENGTH = 120


def private_storage():
    return _private_storage


def attachment_path(instance, filename):
    """A random name: the uploader's file name is kept only as metadata."""
    return f"pilots/{instance.application.round_id}/{uuid.uuid4().hex}.pdf"


def clean_pdf_name(name):
    """The name an attachment is listed and downloaded by: the uploader's name without
    folders, control or direction-changing characters, ending in `.pdf` whatever it
    ended in, since only PDFs are kept (`poly.html` becomes `poly.pdf`)."""
    base = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    stem = os.path.splitext(base)[0]
    kept = "".join(" " if ch in _RESERVED or unicodedata.category(ch)[0] in "CZ" else ch for ch in stem)
    stem = " ".join(kept.split()).strip(" .")[: NAME_LENGTH - 4].rstrip(" .")
    return f"{stem or 'vedlegg'}.pdf"
