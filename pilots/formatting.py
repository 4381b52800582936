"""Dates, times and amounts, always in Europe/Oslo time ("30. september 2022 kl. 23.59",
"2 000 000 kr").

Dates use Django's DATE_FORMAT of the active language (bokmål, nynorsk or English; any
other language gets bokmål's), the one date format of the whole site (public templates
use `|date:"DATE_FORMAT"`). Plain functions, so services, e-mails and admin columns
format exactly as the templates do (the template filters in
templatetags/pilots_tags.py are these)."""

import datetime
import zoneinfo

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")
LANGUAGES = ("nb", "nn", "en")
# Norwegian writes the time of day with a full stop; English with a colon.
TIME_FORMATS = {"en": "%H:%M"}


def _language():
    language = translation.get_language()
    return language if language in LANGUAGES else settings.LANGUAGE_CODE


def oslo_date(value):
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.astimezone(OSLO)
    with translation.override(_language()):
        return formats.date_format(value, "DATE_FORMAT")


def oslo_time(value):
    if not value:
        return ""
    return value.astimezone(OSLO).strftime(TIME_FORMATS.get(_language(), "%H.%M"))


def oslo_datetime(value):
    """ "30. september 2022 kl. 23.59" (a deadline at 23.59.59 is shown without seconds)."""
    if not value:
        return ""
    return gettext("%(date)s kl. %(time)s") % {"date": oslo_date(value), "time": oslo_time(value)}


def kroner(value):
    if value is None or value == "":
        return ""
    return f"{int(value):,}".replace(",", "\u00a0") + "\u00a0kr"
