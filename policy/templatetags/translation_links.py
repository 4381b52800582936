from django import template
from wagtail.models import Page

from policy import translations

register = template.Library()


@register.simple_tag
def page_alternates(page):
    """The page's other language versions: hreflang links and the header's language link
    (policy.translations). Kept on the page, which the head and the header both ask."""
    if not isinstance(page, Page):  # error pages and other views have no page
        return translations.NONE
    found = getattr(page, "_alternates", None)
    if found is None:
        found = page._alternates = translations.alternates(page)
    return found
