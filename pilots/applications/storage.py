"""Where applicants' attachments are kept: the private folder (policy.storage), sent
only by the permission-checked download views.

Referenced by the Attachment model and its migration, so these names must stay."""

import uuid

from policy.storage import PrivateStorage

_private_storage = PrivateStorage()


def private_storage():
    return _private_storage


def attachment_path(instance, filename):
    """A random name: the uploader's file name is kept only as metadata."""
    return f"pilots/{instance.application.round_id}/{uuid.uuid4().hex}.pdf"
