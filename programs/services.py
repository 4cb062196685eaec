"""What the rooms of programs share: text and file checks, the company check, the defaults.

The use cases live in each room: programs.admissions.services, programs.journey.services,
programs.concierge.services, programs.fund.services.
"""

from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError

from incubator import uploads
from programs import policies, stages
from programs.models import (
    MilestoneTemplate,
    ServiceTarget,
)

# Kept here for the callers that name them; programs.policies decides.
DECIDE_FUND = policies.DECIDE_FUND
OVERRIDE_STAGE_GUARD = policies.OVERRIDE_STAGE_GUARD
# Used when staff never set a target for a kind of request.
DEFAULT_TARGET_DAYS = 10
# The targets the first migration sets; staff change them in the admin.
DEFAULT_TARGETS = {
    "visa": 14,
    "company_registration": 30,
    "tax": 10,
    "financing": 30,
    "ip": 21,
    "translation": 5,
    "hiring": 21,
    "office": 7,
    "other": 10,
}


def defaults_ensure() -> None:
    """Create the default milestone templates and service targets that are missing.

    The migration creates them; this puts back what a flushed test database or
    a staff member's deletion removed (the demo and tests call it).
    """
    for position, default in enumerate(stages.DEFAULT_MILESTONES, start=1):
        MilestoneTemplate.objects.get_or_create(
            code=default.code,
            defaults={
                "stage": default.stage,
                "title_en": default.title_en,
                "title_ko": default.title_ko,
                "title_zh": default.title_zh,
                "due_days": default.due_days,
                "required": default.required,
                "position": position * 10,
            },
        )
    for kind, days in DEFAULT_TARGETS.items():
        ServiceTarget.objects.get_or_create(kind=kind, defaults={"days": days})


def _required_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def _excerpt(text: str, length: int = 300) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1] + "…"


def _stored_file(uploaded_file, max_bytes: int):
    """Return (file, original name, content type, size) of a checked upload."""
    checked, original_name, content_type = uploads.checked_upload(uploaded_file, max_bytes)
    return checked, original_name, content_type, checked.size


@contextmanager
def _files_removed_on_error():
    """Yield a list; the files put in it are deleted if the block raises."""
    saved: list = []
    try:
        yield saved
    except BaseException:
        for field_file in saved:
            field_file.storage.delete(field_file.name)
        raise


def _check_member(company_id: int, actor, permission: str | None = None) -> None:
    """Refuse a portal user acting on another company's rows; staff act on any (with
    `permission`, when one is named)."""
    if not policies.can_act_for(actor, company_id, permission):
        raise PermissionDenied
