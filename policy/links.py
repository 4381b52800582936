"""Absolute links for places that leave the page: mail, feeds, robots.txt, social cards.

They are built from SITE_URL, the site's one public address, never from the request's
Host header: a link in a mail must point to the real site whichever address the
request came in on."""

from django.conf import settings


def absolute_url(path):
    """SITE_URL plus `path` ("/aktuelt/"); a URL that is already absolute is returned as it is."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL + path
