from django import template

from programs.models import ServiceRequest, stage_label

register = template.Library()


@register.filter(name="stage_label")
def stage_label_filter(code: str) -> str:
    """Show a stage code in the active language: {{ transition.to_stage|stage_label }}."""
    return stage_label(code) if code else ""


@register.filter
def request_status(code: str) -> str:
    return ServiceRequest.Status(code).label if code in ServiceRequest.Status.values else code
