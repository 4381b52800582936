"""The admin sign-in page's button for the staff OpenID Provider (policy.staff_sign_in)."""

from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.urls import reverse

from policy import staff_sign_in

register = template.Library()


@register.inclusion_tag("wagtailadmin/staff_sign_in_button.html")
def staff_sign_in_button(next_path=""):
    """Nothing when no staff provider is configured."""
    if not staff_sign_in.is_enabled():
        return {"url": ""}
    query = "?" + urlencode({"next": next_path}) if next_path else ""
    return {"url": reverse("staff_oidc_start") + query, "name": settings.STAFF_OIDC_NAME}
