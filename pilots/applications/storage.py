"""Where applicants' attachments are kept: a folder of their own, with no URL.

Referenced by the Attachment model and its migration, so these names must stay."""

import os
import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT and without a URL: they are
    only ever sent by the permission-checked download views. The folder is read from
    settings on every use, so tests (and deployments) can point it elsewhere."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


_private_storage = PrivateStorage()


def private_storage():
    return _private_storage


def attachment_path(instance, filename):
    """A random name: the uploader's file name is kept only as metadata."""
    return f"pilots/{instance.application.round_id}/{uuid.uuid4().hex}.pdf"
