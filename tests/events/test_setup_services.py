"""The services behind the rows staff set up in the events admin: meeting slots, online
sessions, competition rounds, criteria, entries and conflicts of interest, and the deletion
of events and delegations.

Each checks its policy (the event coordinators may; a viewer and a program officer may
not), leaves its audit record in its transaction, and refuses what would lose a record.
"""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from events import services
from events.delegations import services as delegations
from events.judging import services as judging
from events.matching import services as matching
from events.models import (
    CompetitionEntry,
    CompetitionRound,
    ConflictDeclaration,
    Delegation,
    Event,
    JudgingCriterion,
    Meeting,
    MeetingSlot,
    OnlineSession,
    ScheduleRun,
)
from events.online import services as online
from incubator import roles
from incubator.models import AuditRecord
from tests.companies.factories import MembershipFactory, UserFactory, staff_in
from tests.events.factories import (
    EventFactory,
    OnlineSessionFactory,
    PartnerRegistrationFactory,
    StartupRegistrationFactory,
    meeting_slots,
)

pytestmark = pytest.mark.django_db


def staff(role: str):
    # The role groups are the migrations' rows, put back after every flush (tests/conftest.py).
    return staff_in(role)


def competition_round(**fields) -> CompetitionRound:
    event = EventFactory(kind=Event.Kind.COMPETITION, meeting_tables=0, interpreters_per_slot=0)
    return CompetitionRound.objects.create(event=event, name_en="Final", **fields)


def entry_of(round_) -> CompetitionEntry:
    company = MembershipFactory().company
    return CompetitionEntry.objects.create(round=round_, company=company, title="Alpha arm")


def submitted_sheet(round_):
    """A judge's final scores for an entry of `round_`."""
    criterion = JudgingCriterion.objects.create(round=round_, name_en="Technology")
    entry = entry_of(round_)
    assignment = judging.judge_assign(entry=entry, judge=UserFactory(), actor=None)
    judging.score_submit(
        assignment=assignment, scores={criterion.pk: (7, "")}, judge=assignment.judge
    )
    return criterion, entry


# Each scenario: prepare() makes what the call needs, untouched by the policy; act(actor,
# prepared) calls the service and returns (the object, its company or None). A deleted
# object is returned with the key it had.


def _deleted(row, delete):
    pk = row.pk
    delete()
    row.pk = pk
    return row


def slot_prepare():
    event = EventFactory(meeting_tables=4, interpreters_per_slot=1)
    return {"event": event, "slot": meeting_slots(event, count=1)[0]}


def slot_create(actor, p):
    event = p["event"]
    start = event.starts_at + dt.timedelta(hours=2)
    slot = MeetingSlot(event=event, starts_at=start, ends_at=start + dt.timedelta(minutes=20))
    return matching.meeting_slot_save(slot=slot, actor=actor), None


def slot_update(actor, p):
    slot = p["slot"]
    slot.tables = 2
    return matching.meeting_slot_save(slot=slot, actor=actor), None


def slot_delete(actor, p):
    slot = p["slot"]
    return _deleted(slot, lambda: matching.meeting_slot_delete(slot=slot, actor=actor)), None


def session_prepare():
    return {"session": OnlineSessionFactory()}


def session_create(actor, p):
    event = p["session"].event
    session = OnlineSession(
        event=event,
        title_en="Tax in China",
        starts_at=event.starts_at + dt.timedelta(hours=2),
        ends_at=event.starts_at + dt.timedelta(hours=3),
        link="https://meeting.example.cn/j/424242",
    )
    return online.online_session_save(session=session, actor=actor), None


def session_update(actor, p):
    session = p["session"]
    session.title_en = "Tax in China, part 2"
    return online.online_session_save(session=session, actor=actor), None


def session_delete(actor, p):
    session = p["session"]
    return _deleted(
        session, lambda: online.online_session_delete(session=session, actor=actor)
    ), None


def delegation_delete(actor, p):
    event = EventFactory(kind=Event.Kind.DELEGATION_VISIT, meeting_tables=0)
    delegation = Delegation.objects.create(
        name_en="Founders' visit", arrives_at=event.starts_at, departs_at=event.ends_at
    )
    delegation.members.create(name="Jeong Han-gyeol")
    delete = lambda: delegations.delegation_delete(delegation=delegation, actor=actor)  # noqa: E731
    return _deleted(delegation, delete), None


def event_delete(actor, p):
    event = EventFactory(status=Event.Status.DRAFT)
    meeting_slots(event, count=2)
    return _deleted(event, lambda: services.event_delete(event=event, actor=actor)), None


def round_prepare():
    round_ = competition_round()
    return {"round": round_, "event": round_.event}


def round_create(actor, p):
    round_ = CompetitionRound(event=p["event"], name_en="Semi-final", order=2)
    return judging.round_save(round=round_, actor=actor), None


def round_update(actor, p):
    round_ = p["round"]
    round_.judging_deadline = timezone.now() + dt.timedelta(days=40)
    return judging.round_save(round=round_, actor=actor), None


def round_delete(actor, p):
    round_ = p["round"]
    entry_of(round_)
    return _deleted(round_, lambda: judging.round_delete(round=round_, actor=actor)), None


def criterion_prepare():
    round_ = competition_round()
    criterion = JudgingCriterion.objects.create(round=round_, name_en="Market")
    return {"round": round_, "criterion": criterion}


def criterion_create(actor, p):
    criterion = JudgingCriterion(round=p["round"], name_en="Technology", weight=2, order=1)
    return judging.criterion_save(criterion=criterion, actor=actor), None


def criterion_update(actor, p):
    criterion = p["criterion"]
    criterion.max_score = 5
    return judging.criterion_save(criterion=criterion, actor=actor), None


def criterion_delete(actor, p):
    criterion = p["criterion"]
    delete = lambda: judging.criterion_delete(criterion=criterion, actor=actor)  # noqa: E731
    return _deleted(criterion, delete), None


def entry_prepare():
    round_ = competition_round()
    return {"round": round_, "entry": entry_of(round_), "company": MembershipFactory().company}


def entry_create(actor, p):
    entry = CompetitionEntry(round=p["round"], company=p["company"], title="Beta scan")
    return judging.entry_save(entry=entry, actor=actor), p["company"]


def entry_update(actor, p):
    entry = p["entry"]
    entry.pitch = "An arm that picks soybeans."
    return judging.entry_save(entry=entry, actor=actor), entry.company


def entry_delete(actor, p):
    entry = p["entry"]
    return _deleted(entry, lambda: judging.entry_delete(entry=entry, actor=actor)), entry.company


def conflict_prepare():
    conflict = ConflictDeclaration.objects.create(
        judge=UserFactory(), company=MembershipFactory().company, reason="Investor"
    )
    return {"conflict": conflict, "judge": UserFactory(), "company": MembershipFactory().company}


def conflict_create(actor, p):
    conflict = ConflictDeclaration(judge=p["judge"], company=p["company"], reason="Adviser")
    return judging.conflict_save(conflict=conflict, actor=actor), p["company"]


def conflict_update(actor, p):
    conflict = p["conflict"]
    conflict.reason = "Investor in its seed round"
    return judging.conflict_save(conflict=conflict, actor=actor), conflict.company


def conflict_delete(actor, p):
    conflict = p["conflict"]
    delete = lambda: judging.conflict_delete(conflict=conflict, actor=actor)  # noqa: E731
    return _deleted(conflict, delete), conflict.company


def nothing():
    return {}


SCENARIOS = {
    "meeting_slot.create": (slot_prepare, slot_create),
    "meeting_slot.update": (slot_prepare, slot_update),
    "meeting_slot.delete": (slot_prepare, slot_delete),
    "online_session.create": (session_prepare, session_create),
    "online_session.update": (session_prepare, session_update),
    "online_session.delete": (session_prepare, session_delete),
    "delegation.delete": (nothing, delegation_delete),
    "event.delete": (nothing, event_delete),
    "round.create": (round_prepare, round_create),
    "round.update": (round_prepare, round_update),
    "round.delete": (round_prepare, round_delete),
    "criterion.create": (criterion_prepare, criterion_create),
    "criterion.update": (criterion_prepare, criterion_update),
    "criterion.delete": (criterion_prepare, criterion_delete),
    "entry.create": (entry_prepare, entry_create),
    "entry.update": (entry_prepare, entry_update),
    "entry.delete": (entry_prepare, entry_delete),
    "conflict.create": (conflict_prepare, conflict_create),
    "conflict.update": (conflict_prepare, conflict_update),
    "conflict.delete": (conflict_prepare, conflict_delete),
}


@pytest.mark.parametrize("verb", SCENARIOS)
def test_the_coordinator_may_and_the_service_writes_its_audit_record(verb):
    prepare, act = SCENARIOS[verb]
    coordinator = staff(roles.EVENT_COORDINATOR)
    prepared = prepare()
    obj, company = act(coordinator, prepared)
    record = AuditRecord.objects.get(verb=verb)
    assert record.actor == coordinator
    assert record.object_type.model_class() is type(obj)
    assert record.object_id == str(obj.pk)
    assert record.company_id == (company.pk if company else None)
    assert isinstance(record.changes, dict) and record.changes
    gone = verb.endswith(".delete")
    assert type(obj).objects.filter(pk=obj.pk).exists() is not gone


@pytest.mark.parametrize("verb", SCENARIOS)
def test_a_viewer_and_a_program_officer_are_refused(verb):
    prepare, act = SCENARIOS[verb]
    for role in (roles.VIEWER, roles.PROGRAM_OFFICER):
        actor = staff(role)
        prepared = prepare()
        before = AuditRecord.objects.count()
        with pytest.raises(PermissionDenied):
            act(actor, prepared)
        assert AuditRecord.objects.count() == before, role


def test_the_update_records_what_moved_and_nothing_when_nothing_did():
    coordinator = staff(roles.EVENT_COORDINATOR)
    slot = slot_prepare()["slot"]
    slot.tables = 2
    matching.meeting_slot_save(slot=slot, actor=coordinator)
    record = AuditRecord.objects.get(verb="meeting_slot.update")
    assert record.changes == {"tables": [None, 2]}
    matching.meeting_slot_save(slot=slot, actor=coordinator)
    assert AuditRecord.objects.filter(verb="meeting_slot.update").count() == 1


# --- What a deletion would lose is refused, with the reason -------------------------------


def test_an_event_with_registrants_is_cancelled_not_deleted():
    coordinator = staff(roles.EVENT_COORDINATOR)
    event = EventFactory()
    StartupRegistrationFactory(event=event)
    with pytest.raises(ValidationError, match="cancel it instead"):
        services.event_delete(event=event, actor=coordinator)
    services.event_cancel(event=event, actor=coordinator, reason="Snow.")
    with pytest.raises(ValidationError, match="told it is cancelled"):
        services.event_delete(event=event, actor=coordinator)
    completed = EventFactory(status=Event.Status.COMPLETED)
    with pytest.raises(ValidationError, match="took place"):
        services.event_delete(event=completed, actor=coordinator)
    assert Event.objects.filter(pk__in=[event.pk, completed.pk]).count() == 2
    assert not AuditRecord.objects.filter(verb="event.delete").exists()


def test_submitted_scores_keep_their_round_entry_and_event():
    coordinator = staff(roles.EVENT_COORDINATOR)
    round_ = competition_round()
    _criterion, entry = submitted_sheet(round_)
    with pytest.raises(ValidationError, match="stay on record"):
        judging.entry_delete(entry=entry, actor=coordinator)
    with pytest.raises(ValidationError, match="stay on record"):
        judging.round_delete(round=round_, actor=coordinator)
    with pytest.raises(ValidationError, match="Judges submitted scores"):
        services.event_delete(event=round_.event, actor=coordinator)
    assert CompetitionEntry.objects.filter(pk=entry.pk).exists()


def test_the_criteria_of_a_published_round_stay_as_they_were_judged():
    coordinator = staff(roles.EVENT_COORDINATOR)
    round_ = competition_round(released_at=timezone.now())
    criterion = JudgingCriterion.objects.create(round=round_, name_en="Technology")
    criterion.weight = 3
    with pytest.raises(ValidationError, match="published"):
        judging.criterion_save(criterion=criterion, actor=coordinator)
    with pytest.raises(ValidationError, match="published"):
        judging.criterion_delete(criterion=criterion, actor=coordinator)
    new = JudgingCriterion(round=round_, name_en="Market")
    with pytest.raises(ValidationError, match="published"):
        judging.criterion_save(criterion=new, actor=coordinator)
    criterion.refresh_from_db()
    assert criterion.weight == 1


def test_a_scored_criterion_and_a_slot_holding_a_meeting_are_not_deleted():
    coordinator = staff(roles.EVENT_COORDINATOR)
    criterion, _entry = submitted_sheet(competition_round())
    with pytest.raises(ValidationError, match="scores"):
        judging.criterion_delete(criterion=criterion, actor=coordinator)

    event = EventFactory(meeting_tables=2, interpreters_per_slot=1)
    slot = meeting_slots(event, count=1)[0]
    founder = StartupRegistrationFactory(event=event)
    founder.company.consent_to_partners = True
    founder.company.save()
    partner = PartnerRegistrationFactory(event=event)
    matching.meeting_add(
        event=event, registration_a=founder, registration_b=partner, slot=slot, actor=coordinator
    )
    with pytest.raises(ValidationError, match="meetings"):
        matching.meeting_slot_delete(slot=slot, actor=coordinator)
    assert Meeting.objects.filter(slot=slot).exists()
    assert not AuditRecord.objects.filter(verb__endswith=".delete").exists()


def test_slots_wait_while_a_schedule_is_computed():
    coordinator = staff(roles.EVENT_COORDINATOR)
    prepared = slot_prepare()
    ScheduleRun.objects.create(
        event=prepared["event"], status=ScheduleRun.Status.RUNNING, started_at=timezone.now()
    )
    with pytest.raises(ValidationError, match="being computed"):
        slot_update(coordinator, prepared)
    with pytest.raises(ValidationError, match="being computed"):
        slot_create(coordinator, prepared)
