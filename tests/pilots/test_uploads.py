"""Attachments: PDFs checked by content, size limits with a clear message, private
storage and a permission-checked download."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pilots.applications import services
from pilots.models import Attachment
from tests.factories.pdf import text_pdf
from tests.factories.pilots import CLASS_6, ApplicationFactory


def pdf_bytes():
    return text_pdf("Vedlegg", [["Vedlegg"]])


@pytest.fixture
def application(open_round, applicant):
    return ApplicationFactory(round=open_round, created_by=applicant, municipalities=[CLASS_6])


@pytest.fixture
def upload(client, applicant, application):
    client.force_login(applicant)
    url = reverse("pilots:attachments", args=[application.round_id, application.pk])

    def upload(name, content):
        return client.post(url, {"action": "upload", "file": SimpleUploadedFile(name, content)})

    return upload


def test_a_real_pdf_is_stored_privately_and_downloaded_as_attachment(client, upload, application, private_media):
    response = upload("Kommunestyrevedtak.pdf", pdf_bytes())
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    path = Path(attachment.file.path)
    assert path.is_relative_to(private_media)
    assert not str(path).startswith(str(settings.MEDIA_ROOT))
    assert path.name != "Kommunestyrevedtak.pdf" and path.suffix == ".pdf"
    with pytest.raises(ValueError):
        attachment.file.url  # noqa: B018 - no public URL exists

    page = client.get(response["Location"])
    assert "Kommunestyrevedtak.pdf er lastet opp." in page.text
    download = client.get(
        reverse("pilots:download_attachment", args=[application.round_id, application.pk, attachment.pk])
    )
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="Kommunestyrevedtak.pdf"')
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Cache-Control"] == "private, no-store"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("vedtak.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + os.urandom(4000), "Filen er ikke en PDF."),
        ("vedtak.pdf", pdf_bytes()[:300], "PDF-filen er skadet eller ufullstendig."),
        ("tom.pdf", b"", "Filen er tom."),
    ],
    ids=["renamed executable", "truncated pdf", "empty file"],
)
def test_bad_files_are_refused_with_a_message_at_the_field(upload, name, content, message):
    response = upload(name, content)
    assert response.status_code == 200
    assert message in response.text
    assert "ds-error-summary" in response.text
    assert 'aria-invalid="true"' in response.text
    assert not Attachment.objects.exists()


def test_25_mb_gets_a_clear_message_and_is_not_stored(upload, private_media):
    content = b"%PDF-1.7\n" + b"0" * (25 * 1024 * 1024)
    response = upload("stor.pdf", content)
    assert response.status_code == 200
    assert "Filen er større enn 20 MB." in response.text
    assert not Attachment.objects.exists()
    assert not any(Path(private_media).rglob("*.pdf"))


def test_at_most_ten_files(upload, application, applicant):
    for number in range(10):
        services.add_attachment(application, ContentFile(pdf_bytes(), name=f"{number}.pdf"), applicant)
    response = upload("elleve.pdf", pdf_bytes())
    assert "allerede 10 vedlegg" in response.text
    assert Attachment.objects.count() == 10


def test_supplementary_attachment_after_submission(upload, application, applicant):
    services.submit(application, applicant)
    response = upload("vedtak.pdf", pdf_bytes())
    assert response.status_code == 302
    assert Attachment.objects.get().supplementary is True
