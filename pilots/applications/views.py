"""View code the applicant's portal and the admin share."""

from django.http import FileResponse


def private_download(attachment):
    """An attachment as a private download, for applicants and case handlers alike:
    never cached on the way and never sniffed into something other than a PDF, and
    always named `<name>.pdf`. The caller has checked that the person may see it."""
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.download_name,
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
