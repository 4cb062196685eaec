"""The judges' reminder (incubator/reminders.py): two days before a round's judging
deadline, each judge with entries still unscored is told how many, with the deadline in the
event's zone and their own."""

import datetime as dt
from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from events.judging.models import JudgeAssignment
from events.reminders import when_for
from incubator.reminders import ReminderKind, occurrence_for

LEAD = dt.timedelta(days=2)


def is_judge(user) -> bool:
    return user.judge_assignments.exists()


def unscored_occurrences(*, since: dt.datetime, now: dt.datetime):
    assignments = (
        JudgeAssignment.objects.filter(
            submitted_at__isnull=True,
            judge__is_active=True,
            entry__round__released_at__isnull=True,
            entry__round__judging_deadline__gte=since + LEAD,
            entry__round__judging_deadline__lte=now + LEAD,
        )
        .select_related("judge", "entry__round__event")
        .order_by("entry__round_id", "judge_id", "entry__title")
    )
    waiting: dict[tuple, list[JudgeAssignment]] = defaultdict(list)
    for assignment in assignments:
        waiting[(assignment.entry.round_id, assignment.judge_id)].append(assignment)
    for mine in waiting.values():
        first = mine[0]
        round_, judge = first.entry.round, first.judge
        event = round_.event

        def build(user, round_=round_, event=event, mine=mine):
            return {
                "name": user.get_full_name(),
                "round": round_.name,
                "event": event.title,
                "deadline": when_for(round_.judging_deadline, None, event, user.time_zone),
                "entries": [assignment.entry.title for assignment in mine],
                "count": len(mine),
                "path": reverse("events:judging-home"),
            }

        yield occurrence_for(
            judge, obj_id=round_.pk, due_at=round_.judging_deadline - LEAD, build=build
        )


JUDGING_CLOSING = ReminderKind(
    "judging_closing",
    _("Judges: entries still to score, two days before a round closes"),
    unscored_occurrences,
    dt.timedelta(hours=12),
    optional=False,
    audience=is_judge,
)

KINDS = (JUDGING_CLOSING,)
