"""What the case-handling tests share besides the factories: how the admin refuses."""


def assert_refused(response):
    """Wagtail turns a PermissionDenied inside the admin into a redirect to the
    dashboard with "Sorry, you do not have permission…" (outside it: a plain 403)."""
    assert response.status_code in (302, 403), response.status_code
    if response.status_code == 302:
        assert response["Location"] == "/admin/"
