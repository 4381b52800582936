"""Pagination that never fails on bad input: used by search, archives and finders."""

from django.core.paginator import Paginator
from django.utils.translation import gettext

from .forms import shown


def paginate(request, object_list, per_page, count=None):
    """Return (page_obj, notice). A bad or too large `?page=` shows the nearest
    valid page and a notice in the active language instead of an error. `count`, when the
    caller already knows it (a cached count), saves the COUNT query."""
    paginator = Paginator(object_list, per_page)
    if count is not None:
        paginator.count = count
    raw = request.GET.get("page", "1")
    notice = None
    try:
        number = int(raw)
    except (TypeError, ValueError):
        number = 1
        notice = gettext("Sidetallet «%(page)s» er ugyldig. Viser første side.") % {"page": shown(raw, 20)}
    else:
        if number < 1:
            number = 1
            notice = gettext("Sidetallet må være 1 eller høyere. Viser første side.")
        elif number > paginator.num_pages:
            notice = gettext("Side %(number)s finnes ikke. Viser siste side.") % {"number": number}
            number = paginator.num_pages
    return paginator.page(number), notice
