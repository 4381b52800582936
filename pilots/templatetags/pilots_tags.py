"""Template filters for Norwegian dates, times and amounts (see pilots.formatting)."""

from django import template

from pilots import formatting

register = template.Library()

register.filter("oslo_date", formatting.oslo_date)
register.filter("oslo_time", formatting.oslo_time)
register.filter("oslo_datetime", formatting.oslo_datetime)
register.filter("kroner", formatting.kroner)
