"""Change history as editors make it in the Wagtail admin: a major change shows
"Sist oppdatert" and its note; a minor change shows nothing."""

import pytest
from wagtail.test.utils.form_data import querydict_from_html

from news.models import NewsPage
from tests.factories.news import NewsPageFactory
from tests.factories.policy import StaffUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(archive, topic):
    return NewsPageFactory(parent=archive, title="Søknadsfrist for piloter", ingress="Første ingress.", topics=[topic])


@pytest.fixture
def editor_client(client):
    client.force_login(StaffUserFactory(is_superuser=True))
    return client


def edit_and_publish(client, item, **changes):
    """Open the admin edit form, change fields like an editor would, press Publish."""
    edit_url = f"/admin/pages/{item.pk}/edit/"
    html = client.get(edit_url).content.decode()
    data = querydict_from_html(html, form_id="page-edit-form")
    data.setdefault("body-count", "0")  # the StreamField editor is drawn by JavaScript; these items have no blocks
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    data["action-publish"] = "action-publish"
    return client.post(edit_url, data)


def test_major_change_shows_last_updated_and_note(item, editor_client, client):
    assert "Sist oppdatert" not in client.get(item.url).content.decode()
    response = edit_and_publish(
        editor_client, item, ingress="Ny ingress.", major_change="on", change_note="Lagt til søknadsfristen."
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    client.logout()
    html = client.get(item.url).content.decode()
    assert "Sist oppdatert" in html
    assert "Lagt til søknadsfristen." in html
    assert "Ny ingress." in html
    # The note is part of the published revision, so it survives later edits.
    assert NewsPage.objects.get(pk=item.pk).get_latest_revision().content["changes"][0]["note"] == (
        "Lagt til søknadsfristen."
    )


def test_minor_change_shows_nothing(item, editor_client, client):
    response = edit_and_publish(editor_client, item, title="Sak uten skrivefeil")
    assert response.status_code == 302
    client.logout()
    html = client.get(NewsPage.objects.get(pk=item.pk).url).content.decode()
    assert "Sak uten skrivefeil" in html
    assert "Sist oppdatert" not in html


def test_major_change_without_a_note_is_refused(item, editor_client):
    response = edit_and_publish(editor_client, item, major_change="on", change_note="")
    assert response.status_code == 200
    assert "Skriv hva som er endret" in response.content.decode()
    assert not NewsPage.objects.get(pk=item.pk).changes.exists()


def test_editors_can_open_the_create_form(archive, editor_client):
    html = editor_client.get(f"/admin/pages/add/news/newspage/{archive.pk}/").content.decode()
    assert "Dette er en vesentlig endring" in html
    assert "alternativ tekst" in html.lower()
