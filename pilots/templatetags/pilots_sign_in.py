"""What the sign-in page offers besides the e-mail link (see pilots.portal.oidc)."""

from django import template

from pilots.portal import oidc

register = template.Library()


@register.simple_tag
def idporten_sign_in_url(next_path):
    """The address of "Logg inn med ID-porten", or "" when ID-porten is not configured."""
    return oidc.start_url(next_path or "") if oidc.is_enabled() else ""
