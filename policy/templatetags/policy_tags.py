from django import template
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext

from policy import links, navigation

register = template.Library()


def _page_language(context):
    page = context.get("page")
    return getattr(page, "language", None) or translation.get_language()


@register.simple_tag(takes_context=True)
def lang_attr(context, language):
    """` lang="nn"` when an item's målform differs from the page's, else nothing."""
    if language and language != _page_language(context):
        return format_html(' lang="{}"', language)
    return ""


@register.simple_tag(takes_context=True)
def site_navigation(context):
    """The main menu and footer links of the request's site (see policy.navigation)."""
    return navigation.for_request(context.get("request"))


@register.inclusion_tag("includes/pagination.html", takes_context=True)
def pagination(context, page_obj, label_text=None):
    """Designsystemet pagination whose links keep the other GET parameters (filters)."""
    params = context["request"].GET.copy()

    def url_for(number):
        params["page"] = number
        return "?" + params.urlencode()

    paginator = page_obj.paginator
    pages = [
        {
            "number": n,
            "url": None if n == paginator.ELLIPSIS else url_for(n),
            "current": n == page_obj.number,
        }
        for n in paginator.get_elided_page_range(page_obj.number, on_each_side=1, on_ends=1)
    ]
    return {
        "page_obj": page_obj,
        "pages": pages,
        "label_text": label_text or gettext("Sidenavigasjon"),
        "previous_url": url_for(page_obj.previous_page_number()) if page_obj.has_previous() else None,
        "next_url": url_for(page_obj.next_page_number()) if page_obj.has_next() else None,
    }


@register.simple_tag
def absolute_url(path):
    """SITE_URL plus `path`, for links that leave the page (social cards, feeds)."""
    return links.absolute_url(path)
