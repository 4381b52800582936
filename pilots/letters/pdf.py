"""PDF copies made with WeasyPrint from HTML templates: tagged PDF/UA-1 with a title
and lang="nb", so screen readers can read them."""

import logging
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

from pilots.applications.answers import summary_rows

from .content import letter_context

STYLESHEET = Path(__file__).with_name("pdf.css")
# WeasyPrint reports every rendering step at INFO (from its import on); only its
# warnings are worth a log line.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def _pdf(template, context):
    # Imported here: it takes a while, and only the PDF downloads need it.
    from weasyprint import CSS, HTML

    # The PDF says lang="nb": staff whose admin speaks English download the same letter.
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(template, context)
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=STYLESHEET)], pdf_variant="pdf/ua-1")


def decision_letter_pdf(application, letter, notice):
    return _pdf("pilots/letters/decision_letter_pdf.html", letter_context(application, letter, notice))


def application_pdf(application):
    """The application as last submitted: a released decision's application can no
    longer change, so its answers are the ones the ministry decided on."""
    return _pdf(
        "pilots/letters/application_pdf.html",
        {
            "application": application,
            "sections": summary_rows(application),
            "submitted_at": application.resubmitted_at or application.submitted_at,
        },
    )


def download(content, application, what):
    """A private PDF download named "<what>-<reference>.pdf" (the reference is letters,
    digits and dashes), never cached on the way nor sniffed as something else."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{what}-{application.reference or application.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
