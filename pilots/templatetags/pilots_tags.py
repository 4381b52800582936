"""Template filters for Norwegian dates, times and amounts (see pilots.formatting)."""

from django import template

from pilots import formatting
from pilots.applications import deadlines

register = template.Library()

register.filter("oslo_date", formatting.oslo_date)
register.filter("oslo_time", formatting.oslo_time)
register.filter("oslo_datetime", formatting.oslo_datetime)
register.filter("kroner", formatting.kroner)


@register.filter
def supplement_deadline(round):
    """The round's one supplement deadline, written as every page and mail writes it."""
    return formatting.oslo_datetime(deadlines.supplement_deadline(round))
