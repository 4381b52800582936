"""Dates, times and amounts written the Norwegian way, always in Europe/Oslo time,
whatever language the interface is in ("30. september 2022 kl. 23.59", "2 000 000 kr").

Plain functions, so services, e-mails and admin columns format exactly as the
templates do (the template filters in templatetags/pilots_tags.py are these)."""

import datetime
import zoneinfo

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")
MONTHS = [
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
]


def oslo_date(value):
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.astimezone(OSLO)
    return f"{value.day}. {MONTHS[value.month - 1]} {value.year}"


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
