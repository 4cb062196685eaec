"""Where judges and partner people find their work in the portal (incubator.portal)."""

from django.contrib.auth import get_user_model
from django.db.models import Exists
from django.utils.translation import gettext_lazy

from events.judging.models import JudgeAssignment
from events.matching import selectors as matching_selectors
from incubator.portal import Visitor, register_destination


def _partner_person(visitor: Visitor) -> bool:
    return visitor.fact("partner_person", lambda user: hasattr(user, "partner_person"))


def _events_facts(user) -> dict[str, bool]:
    """Whether `user` judges and is registered for a matching session: the header asks both
    on every page, one query answers them."""
    return (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            judge=Exists(JudgeAssignment.objects.filter(judge=user)),
            matching=Exists(matching_selectors.matching_sessions_of(user)),
        )
        .values("judge", "matching")
        .get()
    )


def _judge(visitor: Visitor) -> bool:
    return visitor.fact("events", _events_facts)["judge"]


def _in_matching(visitor: Visitor) -> bool:
    return _partner_person(visitor) or visitor.fact("events", _events_facts)["matching"]


def register_destinations() -> None:
    """Judges land on their assignments, partner people on their events; matching is a link
    for partners and for everyone registered for a matching session."""
    register_destination(
        "judging",
        label=gettext_lazy("Judging"),
        applies=_judge,
        path="events:judging-home",
        rank=10,
    )
    register_destination(
        "my-events",
        label=gettext_lazy("My events"),
        applies=_partner_person,
        path="events:my-events",
        rank=20,
    )
    register_destination(
        "matching",
        label=gettext_lazy("Matching"),
        applies=_in_matching,
        path="events:matching-list",
        rank=55,
        home=False,
    )
