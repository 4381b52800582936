"""Attachments in the request: stored at once as «Under kontroll» in private storage
under a random name, refused at the field only for what costs nothing to see (empty,
over 20 MB, not a PDF at all), rate-limited per applicant and per IP address, and
downloaded as `<name>.pdf` whatever the file was called. The content check itself
runs in the task worker: tests/pilots/test_uploads_check.py."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pilots.applications import services
from pilots.models import Attachment
from tests.factories.pdf import pdf_from_objects, text_pdf
from tests.factories.pilots import CLASS_6, ApplicationFactory
from tests.factories.portal import ApplicantFactory


def pdf_bytes():
    return text_pdf("Vedlegg", [["Vedlegg"]])


@pytest.fixture
def application(open_round, applicant):
    return ApplicationFactory(round=open_round, created_by=applicant, municipalities=[CLASS_6])


@pytest.fixture
def attachments_url(application):
    return reverse("pilots:attachments", args=[application.round_id, application.pk])


@pytest.fixture
def upload(client, applicant, attachments_url):
    client.force_login(applicant)

    def upload(name, content):
        return client.post(
            attachments_url, {"action": "upload", "kind": "other", "file": SimpleUploadedFile(name, content)}
        )

    return upload


def download(client, attachment):
    application = attachment.application
    return client.get(reverse("pilots:download_attachment", args=[application.round_id, application.pk, attachment.pk]))


def test_a_pdf_is_stored_at_once_as_under_kontroll_privately_and_downloads_as_pdf(
    client, upload, application, private_media
):
    response = upload("Kommunestyrevedtak.pdf", pdf_bytes())
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.check_status == "pending"
    path = Path(attachment.file.path)
    assert path.is_relative_to(private_media)
    assert not str(path).startswith(str(settings.MEDIA_ROOT))
    assert path.name != "Kommunestyrevedtak.pdf" and path.suffix == ".pdf"
    with pytest.raises(ValueError):
        attachment.file.url  # noqa: B018 - no public URL exists

    page = client.get(response["Location"])
    assert "Kommunestyrevedtak.pdf er lastet opp. Nå kontrollerer vi filen." in page.text
    assert "Under kontroll" in page.text
    assert "attachment_check.js" in page.text
    answer = download(client, attachment)
    assert answer.status_code == 200
    assert answer["Content-Disposition"].startswith('attachment; filename="Kommunestyrevedtak.pdf"')
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert answer["Cache-Control"] == "private, no-store"
    assert b"".join(answer.streaming_content).startswith(b"%PDF-")


def test_a_polyglot_html_file_is_kept_and_served_only_as_a_pdf(client, upload):
    """A file that is a PDF to a PDF reader and a web page to a browser: its name and
    its type say PDF, and the browser is told not to guess."""
    polyglot = pdf_from_objects(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
            b"<< /Length 41 >>\nstream\n<html><script>alert(1)</script></html>\nendstream",
        ]
    )
    assert upload("poly.html", polyglot).status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.original_name == "poly.pdf"
    assert Path(attachment.file.name).suffix == ".pdf"
    answer = download(client, attachment)
    assert answer["Content-Type"] == "application/pdf"
    assert answer["Content-Disposition"].startswith('attachment; filename="poly.pdf"')
    assert answer["X-Content-Type-Options"] == "nosniff"


def test_file_names_are_cleaned_to_a_plain_pdf_name(upload):
    upload("C:\\Dokumenter\\Søknad – vedlegg (1).PDF", pdf_bytes())
    upload("../../etc/rapport\u202egnp.exe", pdf_bytes())
    assert list(Attachment.objects.values_list("original_name", flat=True)) == [
        "Søknad – vedlegg (1).pdf",
        "rapportgnp.pdf",
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("vedtak.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + os.urandom(4000), "Filen er ikke en PDF."),
        ("tom.pdf", b"", "Filen er tom."),
    ],
    ids=["renamed executable", "empty file"],
)
def test_what_is_plainly_not_a_pdf_is_refused_at_the_field(upload, name, content, message):
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


def test_other_request_bodies_keep_djangos_default_limit(client, applicant, application):
    """Only files may be large: 3 MB of form text is refused before any view runs."""
    client.force_login(applicant)
    url = reverse("pilots:section", args=[application.round_id, application.pk, "prosjektet"])
    response = client.post(url, {"version": application.version, "summary": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 400


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


def test_uploads_are_limited_per_applicant(settings, upload):
    settings.PILOTS_UPLOADS_PER_USER = 3
    for number in range(3):
        assert upload(f"{number}.pdf", pdf_bytes()).status_code == 302
    response = upload("fjerde.pdf", pdf_bytes())
    assert response.status_code == 429
    assert "Du har lastet opp mange filer på kort tid. Vent ti minutter og prøv igjen." in response.text
    assert "ds-error-summary" in response.text
    assert 'aria-invalid="true"' in response.text
    assert Attachment.objects.count() == 3


def test_uploads_are_limited_per_ip_address(settings, client, upload, open_round):
    settings.PILOTS_UPLOADS_PER_IP = 2
    upload("1.pdf", pdf_bytes())
    upload("2.pdf", pdf_bytes())
    colleague = ApplicantFactory(email="per@kommune.example")
    theirs = ApplicationFactory(round=open_round, created_by=colleague, municipalities=[CLASS_6])
    client.force_login(colleague)
    url = reverse("pilots:attachments", args=[open_round.pk, theirs.pk])
    response = client.post(url, {"action": "upload", "kind": "other", "file": SimpleUploadedFile("3.pdf", pdf_bytes())})
    assert response.status_code == 429
    assert "Vent ti minutter" in response.text
    assert not theirs.attachments.exists()
