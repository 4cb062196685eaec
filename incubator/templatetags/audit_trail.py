"""A record's History link: its part of the audit trail (incubator.audit.trail_url)."""

from django import template

from incubator import audit

register = template.Library()


@register.filter
def trail_url(obj) -> str:
    return audit.trail_url(obj)
