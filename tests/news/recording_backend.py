"""A frontend cache backend that records what it was asked to purge, for tests."""

from wagtail.contrib.frontend_cache.backends.base import BaseBackend

PURGED_URLS = []


class RecordingBackend(BaseBackend):
    def purge(self, url):
        PURGED_URLS.append(url)
