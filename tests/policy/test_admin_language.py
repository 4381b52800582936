"""The admin's language for staff: Norwegian bokmål unless they choose English under
«Konto» (settings.WAGTAILADMIN_PERMITTED_LANGUAGES), whatever their browser asks for."""

import re

import pytest
from wagtail.users.models import UserProfile

from tests.factories.policy import page_editor

pytestmark = pytest.mark.django_db


def html_lang(html):
    return re.search(r'<html[^>]*\slang="([^"]+)"', html).group(1)


def test_new_staff_get_the_admin_in_bokmal(client, home):
    editor = page_editor()
    client.force_login(editor)
    html = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert html_lang(html) == "nb"
    assert '"label": "Sider"' in html  # Wagtail's own nb catalogue, in the menu
    assert '"label": "Pages"' not in html
    assert UserProfile.get_for_user(editor).get_preferred_language() == "nb"


def test_staff_may_choose_english(client, home):
    editor = page_editor()
    client.force_login(editor)
    account = client.get("/admin/account/").content.decode()
    assert re.search(r'<option value="en"[^>]*>\s*English', account)
    assert not re.search(r'<option value="nn"', account)  # Wagtail has no nynorsk admin
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "en"
    profile.save()
    html = client.get("/admin/").content.decode()
    assert html_lang(html) == "en"
    assert '"label": "Pages"' in html
