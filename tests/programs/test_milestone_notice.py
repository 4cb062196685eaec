"""A milestone the company marks done is told to the center, in each reader's language."""

import pytest

from incubator.models import OutboxMessage
from incubator.multilingual import localized
from incubator.services import render_message
from programs import stages
from programs.journey import services as journey_services

pytestmark = pytest.mark.django_db


def test_a_milestone_the_company_marks_done_is_told_to_the_center(enrollment, member, officer):
    # It told nobody: the officer found out on the next visit to the admin.
    milestone = enrollment.milestones.exclude(code=stages.LOCAL_ENTITY_MILESTONE).first()
    journey_services.milestone_complete(
        milestone=milestone, actor=member, evidence="Lease signed on 2026-12-01."
    )

    message = OutboxMessage.objects.get(kind="milestone_done")
    assert message.recipient == officer.email and message.language == "zh-hans"
    mail = render_message(message)
    assert localized(milestone, "title", "zh-hans") in mail.subject
    assert "Lease signed on 2026-12-01." in mail.body
    assert f"/admin/programs/milestone/{milestone.pk}/change/" in mail.body


def test_a_milestone_the_staff_mark_done_tells_nobody(enrollment, officer):
    milestone = enrollment.milestones.exclude(code=stages.LOCAL_ENTITY_MILESTONE).first()
    journey_services.milestone_complete(milestone=milestone, actor=officer, evidence="Seen.")
    assert not OutboxMessage.objects.filter(kind="milestone_done").exists()
