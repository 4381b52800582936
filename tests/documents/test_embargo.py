"""Embargo: a document's file is served only while a live page that everyone may see
holds it, at an address nobody can guess, and to editors before that. Unpublishing,
deleting or replacing takes it away at once, caches included; scheduled publication
releases the page and its files together."""

import time
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection, Page, PageViewRestriction

from documents.models import DocumentAttachment, DocumentPage
from policy import registry
from tests.documents.helpers import CENTRALITY_CSV, centrality_table_page
from tests.factories.documents import (
    DocumentAttachmentFactory,
    DocumentFactory,
    DocumentIndexPageFactory,
    DocumentPageFactory,
)
from tests.factories.policy import StaffUserFactory, UserFactory

pytestmark = pytest.mark.django_db

HOST = "http://localhost"


@pytest.fixture
def index(home):
    return DocumentIndexPageFactory(parent=home)


@pytest.fixture
def editor():
    """A member of Wagtail's «Editors», who may choose and change documents."""
    user = StaffUserFactory()
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def page_with(index, document, **fields):
    page = DocumentPageFactory(parent=index, **fields)
    DocumentAttachmentFactory(page=page, document=document)
    return page


def status(client, document):
    return client.get(document.url).status_code


# --- Serving a released file ---------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "ascii_name", "utf8_name"),
    [
        ("Retningslinjer for lokalisering test.pdf", "Retningslinjer_for_lokalisering_test.pdf", None),
        ("Distriktsindeksen æøå.pdf", "Distriktsindeksen_aeoa.pdf", "Distriktsindeksen_æøå.pdf"),
    ],
)
def test_published_files_are_served_with_type_and_filename(index, client, filename, ascii_name, utf8_name):
    document = DocumentFactory(title="Fil", filename=filename, data=b"%PDF-1.7\n%%EOF\n")
    page_with(index, document)
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline;")
    assert f'filename="{ascii_name}"' in disposition
    if utf8_name:
        assert "filename*=UTF-8''" in disposition
        assert unquote(disposition.split("filename*=UTF-8''")[1]) == utf8_name
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["Cache-Control"] == f"public, max-age={settings.PAGE_CACHE_SECONDS}"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_csv_is_served_as_attachment(index, client):
    document = DocumentFactory(title="Tabell", filename="tabell.csv", data=CENTRALITY_CSV)
    page_with(index, document)
    response = client.get(document.url)
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")


def test_a_data_tables_file_is_released_with_its_page(index, client):
    page = centrality_table_page(index)
    table_file = page.body[0].value["file"]
    assert status(client, table_file) == 200
    page.unpublish()
    assert status(client, table_file) == 404


# --- Before release ---------------------------------------------------------------------


def test_a_draft_pages_file_is_404_to_visitors_and_open_to_editors(index, client, editor):
    document = DocumentFactory(title="Utkast til stortingsmelding")
    page_with(index, document, live=False)

    response = client.get(document.url)
    assert response.status_code == 404
    assert "Fant ikke siden" in response.content.decode()
    # A CDN must not keep the 404 once the file is published.
    assert "no-cache" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]

    client.force_login(UserFactory(email="saksbehandler@kommune.example"))  # signed in, but not staff
    assert status(client, document) == 404

    client.force_login(editor)
    response = client.get(document.url)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_a_file_on_no_page_is_404(client):
    assert status(client, DocumentFactory(title="Løst opplastet fil")) == 404


def test_a_file_added_in_a_draft_of_a_live_page_waits_for_that_draft(index, client):
    page = DocumentPageFactory(parent=index)
    embargoed = DocumentFactory(title="Nytt vedlegg under embargo")
    page.attachments.add(DocumentAttachment(document=embargoed, title="Vedlegg"))
    revision = page.save_revision()  # «Lagre utkast»
    assert status(client, embargoed) == 404
    revision.publish()
    assert status(client, embargoed) == 200


def test_a_page_only_some_may_see_does_not_release_its_files(index, client):
    document = DocumentFactory(title="Internt notat")
    page = page_with(index, document)
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    assert status(client, document) == 404


# --- The address ---------------------------------------------------------------------


def test_file_addresses_cannot_be_guessed(index, client):
    first, second = DocumentFactory(title="Første"), DocumentFactory(title="Andre")
    page_with(index, first)
    page_with(index, second)
    prefix, key, filename = first.url.rsplit("/", 2)
    assert prefix == "/dokumenter/fil"
    assert len(key) >= 24 and key != second.url.rsplit("/", 2)[1]
    assert status(client, first) == 200
    # Neither the sequential id nor a wrong key or file name finds the file.
    for url in [
        f"/dokumenter/fil/{first.pk}/{filename}",
        f"/dokumenter/fil/{'A' * len(key)}/{filename}",
        f"/dokumenter/fil/{key}/annet-navn.pdf",
    ]:
        assert client.get(url).status_code == 404, url


def test_a_file_uploaded_in_the_admin_is_private_until_a_page_holds_it(index, client, editor):
    client.force_login(editor)
    upload = SimpleUploadedFile("budsjett.pdf", b"%PDF-1.7\n%%EOF\n", content_type="application/pdf")
    root = Collection.get_first_root_node()
    response = client.post("/admin/documents/add/", {"title": "Budsjettet", "file": upload, "collection": root.pk})
    assert response.status_code == 302
    document = get_document_model().objects.get(title="Budsjettet")
    assert Path(document.file.path).is_relative_to(settings.PRIVATE_MEDIA_ROOT)
    assert document.url in client.get(f"/admin/documents/edit/{document.pk}/").content.decode()
    assert "Budsjettet" in client.get("/admin/documents/").content.decode()
    assert "Budsjettet" in client.get("/admin/documents/chooser/").json()["html"]
    assert status(client, document) == 200  # the editor may open it
    client.logout()
    assert status(client, document) == 404
    page_with(index, document)
    assert status(client, document) == 200


def test_files_are_kept_outside_media_root(index):
    document = DocumentFactory(title="Privat fil")
    path = Path(document.file.path)
    assert path.is_file()
    assert path.is_relative_to(settings.PRIVATE_MEDIA_ROOT)
    assert not path.is_relative_to(settings.MEDIA_ROOT)
    with pytest.raises(NotImplementedError):
        document.file.url  # noqa: B018 - there is no public address


# --- Taking a file back ---------------------------------------------------------------------


def test_unpublishing_takes_the_file_away_at_once_and_purges_it(index, client, purged):
    document = DocumentFactory(title="Rapport som trekkes")
    page = page_with(index, document)
    assert status(client, document) == 200
    purged.clear()
    page.unpublish()
    assert status(client, document) == 404
    assert HOST + document.url in purged


def test_deleting_the_page_takes_the_file_away_and_purges_it(index, client, purged):
    document = DocumentFactory(title="Rapport som slettes")
    page = page_with(index, document)
    purged.clear()
    Page.objects.get(pk=page.pk).delete()
    assert status(client, document) == 404
    assert HOST + document.url in purged


def test_an_attachment_removed_in_a_new_version_is_taken_away_and_purged(index, client, purged):
    kept, removed = DocumentFactory(title="Beholdes"), DocumentFactory(title="Fjernes")
    page = DocumentPageFactory(parent=index)
    DocumentAttachmentFactory(page=page, document=kept)
    DocumentAttachmentFactory(page=page, document=removed)
    page = DocumentPage.objects.get(pk=page.pk)
    page.save_revision().publish()  # the version with both files
    assert status(client, removed) == 200
    purged.clear()
    page.attachments = [row for row in page.attachments.all() if row.document_id == kept.pk]
    page.save_revision().publish()
    assert status(client, removed) == 404
    assert status(client, kept) == 200
    assert HOST + removed.url in purged


def test_a_replaced_file_is_purged_under_its_old_and_new_name(index, client, purged):
    document = DocumentFactory(title="Tall", filename="tall-v1.pdf")
    page_with(index, document)
    old_url = document.url
    purged.clear()
    document.file.save("tall-v2.pdf", ContentFile(b"%PDF-1.7\n%%EOF\n"))
    assert {HOST + old_url, HOST + document.url} <= set(purged)
    assert client.get(old_url).status_code == 404
    assert status(client, document) == 200


# --- Scheduled publication ---------------------------------------------------------------------


def test_scheduled_publication_releases_the_page_and_its_file_together(index, client, purged):
    document = DocumentFactory(title="Statsbudsjettet under embargo")
    page = page_with(index, document, title="Statsbudsjettet", live=False)
    go_live = timezone.now() + timezone.timedelta(seconds=2)
    page.go_live_at = go_live
    page.save_revision().publish()  # what «Publiser» does with a go-live time set: schedule it
    publish_job = next(job for job in registry.periodic_jobs() if job.name == "publish_scheduled")

    publish_job.run()  # too early
    assert client.get(page.url).status_code == 404
    assert status(client, document) == 404

    purged.clear()
    time.sleep(max(0, (go_live - timezone.now()).total_seconds()) + 0.2)
    publish_job.run()
    assert client.get(page.url).status_code == 200
    assert status(client, document) == 200
    assert HOST + document.url in purged
