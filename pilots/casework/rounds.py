"""Rounds in the admin: the form, where deadlines are given to the second, and the
listing's export in Norwegian time (export.py).

Wagtail's date-time widget shows and reads minutes only, so saving a round whose
deadline is 23:59:59 would store 23:59:00. Here every time of a round is shown and
read as "30.09.2026 23:59:59" in Norwegian time (the admin's time zone), whatever the
admin language; the same without seconds is accepted too and means :00."""

from django.utils.translation import gettext
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import ObjectList
from wagtail.admin.widgets import AdminDateTimeInput
from wagtail.snippets.views.snippets import IndexView

from pilots.applications.models import Round

from .export import ExcelSafeExportMixin

DATETIME_FORMAT = "%d.%m.%Y %H:%M:%S"
INPUT_FORMATS = [DATETIME_FORMAT, "%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
TIME_FIELDS = ("opens_at", "closes_at", "supplement_deadline")


class RoundForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in TIME_FIELDS:
            if name in self.fields:
                field = self.fields[name]
                field.input_formats = INPUT_FORMATS
                field.widget = AdminDateTimeInput(attrs={"autocomplete": "off"}, format=DATETIME_FORMAT)
                field.help_text = " ".join(
                    filter(None, [str(field.help_text), gettext("Skriv dd.mm.åååå tt:mm:ss, norsk tid.")])
                )


edit_handler = ObjectList(Round.panels, base_form_class=RoundForm)


class RoundIndexView(ExcelSafeExportMixin, IndexView):
    pass
