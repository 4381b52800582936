"""Private files: applicants' attachments and the files of documents.

They live under PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT, so neither the development
server nor a web server or bucket in front of MEDIA_ROOT can hand them out; only the
apps' permission-checked views send them. In production this becomes a private
bucket's storage class."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class NoPublicURL(ValueError, NotImplementedError):
    """Django's storages say "no URL" with ValueError; Wagtail's document serve view
    listens for NotImplementedError before it streams a file instead. Both apply."""


class PrivateStorage(FileSystemStorage):
    """The folder is read from settings on every use, so tests (and deployments) can
    point it elsewhere after the storage was created."""

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

    def url(self, name):
        raise NoPublicURL("Private files have no public URL; they are sent by permission-checked views.")
