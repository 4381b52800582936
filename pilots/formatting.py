"""Dates, times and amounts written the Norwegian way, always in Europe/Oslo time,
whatever language the interface is in ("30. september 2022 kl. 23.59", "2 000 000 kr").

Dates use Django's bokmål DATE_FORMAT, the one date format of the whole site (public
templates use `|date:"DATE_FORMAT"`). Plain functions, so services, e-mails and admin
columns format exactly as the templates do (the template filters in
templatetags/pilots_tags.py are these)."""

import datetime
import zoneinfo

from django.utils import formats, translation

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")
# Applicants and case handlers read Norwegian, even when a staff member's admin is in English.
LANGUAGE = "nb"


def oslo_date(value):
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.astimezone(OSLO)
    with translation.override(LANGUAGE):
        return formats.date_format(value, "DATE_FORMAT")


def oslo_time(value):
    if not value:
        return ""
    return value.astimezone(OSLO).strftime("%H.%M")


def oslo_datetime(value):
    """ "30. september 2022 kl. 23.59" (a deadline at 23.59.59 is shown without seconds)."""
    if not value:
        return ""
    return f"{oslo_date(value)} kl. {oslo_time(value)}"


def kroner(value):
    if value is None or value == "":
        return ""
    return f"{int(value):,}".replace(",", "\u00a0") + "\u00a0kr"
