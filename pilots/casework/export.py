"""The spreadsheet export of the applications listing, made safe for Excel.

Wagtail's export (SpreadsheetExportMixin) writes UTC times, a CSV without charset or
byte order mark, commas, and cells as typed. Here: times in Norwegian time (as text
in the CSV, as dates without a zone in the XLSX), CSV in UTF-8 with a BOM and ";" as
separator (what Excel expects in Norway), and no CSV cell that Excel would read as a
formula. The XLSX writer already stores such text as text (Wagtail sets the cell type).

A case the person is disqualified in gets no scores in the export, as in the listing."""

import csv
import datetime

from django.http import StreamingHttpResponse
from django.utils import timezone, translation
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.coreutils import multigetattr

from .assessment import hidden_score, review_count_text

CSV_DATETIME_FORMAT = "%d.%m.%Y %H:%M:%S"

#: A cell starting with one of these is a formula (or becomes one) in Excel and others.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value):
    """Text that a spreadsheet would evaluate gets a leading apostrophe, shown as text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def oslo_naive(value):
    return timezone.make_naive(value, timezone.get_default_timezone()) if timezone.is_aware(value) else value


def oslo_text(value):
    return oslo_naive(value).strftime(CSV_DATETIME_FORMAT)


def _contact(application, field):
    contact = getattr(application, "contact", None)
    return getattr(contact, field, "") if contact else ""


def _submitter(application):
    person = application.submitted_by or application.created_by
    name = person.get_full_name()
    return f"{name} <{person.email}>" if name else person.email or person.get_username()


def _mean_score(application):
    return round(application.mean_score, 2) if application.mean_score is not None else ""


def _handler(application):
    current = getattr(application, "assignment", None)
    return (current.handler.get_full_name() or current.handler.get_username()) if current else ""


#: Columns computed from the application rather than read from one attribute.
COMPUTED = {
    "contact_name": lambda a: _contact(a, "name"),
    "contact_email": lambda a: _contact(a, "email"),
    "contact_phone": lambda a: _contact(a, "phone"),
    "submitter": _submitter,
    "case_handler": _handler,
    "mean_score": lambda a: hidden_score() if getattr(a, "viewer_disqualified", False) else _mean_score(a),
    "review_count": review_count_text,
}


class _Echo:
    """A file-like object that returns what is written, for streaming csv rows."""

    def write(self, value):
        return value


class ExcelSafeExportMixin(SpreadsheetExportMixin):
    """Norwegian times, and a CSV that Excel in Norway opens as it should."""

    custom_value_preprocess = {
        **SpreadsheetExportMixin.custom_value_preprocess,
        datetime.datetime: {
            SpreadsheetExportMixin.FORMAT_XLSX: oslo_naive,
            SpreadsheetExportMixin.FORMAT_CSV: oslo_text,
        },
    }

    def write_csv_row(self, writer, row_dict):
        return writer.writerow(
            {
                field: formula_safe(self.preprocess_field_value(field, value, self.FORMAT_CSV))
                for field, value in row_dict.items()
            }
        )

    def stream_csv(self, queryset, language=None):
        """The rows are made while the response is sent, after the view has returned and
        with it the staff member's admin language: each row is made in `language`."""
        writer = csv.DictWriter(_Echo(), fieldnames=self.list_export, delimiter=";")
        yield "\ufeff"
        with translation.override(language):
            headings = {field: formula_safe(self.get_heading(queryset, field)) for field in self.list_export}
        yield writer.writerow(headings)
        for item in queryset:
            with translation.override(language):
                row = self.write_csv_row(writer, self.to_row_dict(item))
            yield row

    def write_csv_response(self, queryset):
        stream = self.stream_csv(queryset, translation.get_language())
        response = StreamingHttpResponse(stream, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.get_filename()}.csv"'
        return response


class ApplicationExportMixin(ExcelSafeExportMixin):
    """The applications listing's export, with the columns in COMPUTED."""

    # A decimal comma, as Norwegian Excel reads a CSV.
    custom_field_preprocess = {
        "mean_score": {SpreadsheetExportMixin.FORMAT_CSV: lambda value: str(value).replace(".", ",")},
    }

    def to_row_dict(self, item):
        return {
            field: COMPUTED[field](item) if field in COMPUTED else multigetattr(item, field)
            for field in self.list_export
        }
