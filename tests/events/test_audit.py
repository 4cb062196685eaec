"""Every state-changing service of events writes its audit record, in its transaction:
the actor, the verb, the object, the company it concerns, and what changed."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from events import checkin_services, services
from events.delegations import services as delegations
from events.judging import services as judging
from events.judging.models import CompetitionEntry, CompetitionRound, JudgingCriterion, Score
from events.matching import runs as schedule_runs
from events.matching import services as matching
from events.models import Delegation, Event, Registration
from events.online import services as online
from incubator import roles
from incubator.models import AuditRecord
from tests.companies.factories import MembershipFactory, UserFactory, staff_in
from tests.events.factories import (
    EventFactory,
    GuestRegistrationFactory,
    OnlineSessionFactory,
    PartnerRegistrationFactory,
    StartupRegistrationFactory,
    meeting_slots,
)

pytestmark = pytest.mark.django_db


staff = staff_in


class World:
    """What the scenarios need, made lazily."""

    def __init__(self):
        self.coordinator = staff(roles.EVENT_COORDINATOR)
        self.manager = staff(roles.CENTER_MANAGER)

    def matching(self):
        event = EventFactory(meeting_tables=2, interpreters_per_slot=1)
        slots = meeting_slots(event, count=2)
        founder = StartupRegistrationFactory(event=event)
        founder.company.consent_to_partners = True
        founder.company.save()
        partner = PartnerRegistrationFactory(event=event)
        return event, slots, founder, partner

    def judging(self, *, submitted=False):
        event = EventFactory(kind=Event.Kind.COMPETITION, meeting_tables=0)
        round_ = CompetitionRound.objects.create(event=event, name_en="Final")
        criterion = JudgingCriterion.objects.create(round=round_, name_en="Tech", order=1)
        entry = CompetitionEntry.objects.create(
            round=round_, company=MembershipFactory().company, title="Alpha"
        )
        assignment = judging.judge_assign(entry=entry, judge=UserFactory(), actor=self.coordinator)
        if submitted:
            judging.score_submit(
                assignment=assignment, scores={criterion.pk: (7, "")}, judge=assignment.judge
            )
        return round_, criterion, entry, assignment


# Each scenario does the service call and returns (the object, its company or None).


def registration_create(w):
    member = MembershipFactory()
    registration = services.registration_create(event=EventFactory(), user=member.user)
    return registration, registration.company


def registration_create_guest(w):
    registration = services.registration_create_guest(
        event=EventFactory(), name="Zhao Wei", email="zhao@hit.example.cn", actor=w.coordinator
    )
    return registration, None


def registration_update(w):
    registration = GuestRegistrationFactory()
    services.registration_update(
        registration=registration, actor=w.coordinator, data={"name": "Zhao Min"}
    )
    return registration, None


def registration_cancel(w):
    registration = StartupRegistrationFactory()
    services.registration_cancel(registration=registration, actor=registration.user)
    return registration, registration.company


def registration_promote(w):
    event = EventFactory(capacity=1)
    holder = GuestRegistrationFactory(event=event)
    waiting = StartupRegistrationFactory(event=event, status="waitlisted", waitlist_position=1)
    services.registration_cancel(registration=holder, actor=w.coordinator)
    return waiting, waiting.company


def event_under_way():
    # Check-in is for the event's day only.
    now = dt.datetime.now(dt.UTC)
    return EventFactory(starts_at=now - dt.timedelta(hours=1), ends_at=now + dt.timedelta(hours=6))


def registration_check_in(w):
    registration = StartupRegistrationFactory(event=event_under_way())
    checkin_services.registration_check_in(registration=registration, actor=w.coordinator)
    return registration, registration.company


def registration_check_in_undo(w):
    registration, company = registration_check_in(w)
    checkin_services.registration_check_in_undo(registration=registration, actor=w.coordinator)
    return registration, company


def event_create(w):
    start = dt.datetime(2030, 1, 1, 2, tzinfo=dt.UTC)
    event = services.event_create(
        actor=w.coordinator,
        data={
            "kind": Event.Kind.TRAINING,
            "title_en": "Tax in China",
            "starts_at": start,
            "ends_at": start + dt.timedelta(hours=2),
        },
    )
    return event, None


def event_update(w):
    event = EventFactory()
    services.event_update(event=event, actor=w.coordinator, data={"venue_ko": "하얼빈"})
    return event, None


def event_publish(w):
    event = EventFactory(status=Event.Status.DRAFT)
    services.event_publish(event=event, actor=w.coordinator)
    return event, None


def event_cancel(w):
    event = EventFactory()
    services.event_cancel(event=event, actor=w.coordinator, reason="Snow.")
    return event, None


def event_complete(w):
    event = EventFactory(  # it took place: a coming event is not completed
        starts_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
        ends_at=dt.datetime(2020, 1, 1, 8, tzinfo=dt.UTC),
    )
    services.event_complete(event=event, actor=w.coordinator)
    return event, None


def attendance_set(w):
    session = OnlineSessionFactory()
    registration = StartupRegistrationFactory(event=session.event)
    online.session_attendance_set(
        session=session, registration_ids=[registration.pk], actor=w.coordinator
    )
    return session, None


def delegation_save(w):
    event = EventFactory(kind=Event.Kind.DELEGATION_VISIT)
    delegation = Delegation(
        name_en="Founders' visit", arrives_at=event.starts_at, departs_at=event.ends_at
    )
    delegations.delegation_save(delegation=delegation, actor=w.coordinator)
    return delegation, None


def availability_set(w):
    _event, slots, founder, _partner = w.matching()
    matching.availability_set(registration=founder, slot_ids=[slots[0].pk], actor=founder.user)
    return founder, founder.company


def meeting_request_create(w):
    _event, _slots, founder, partner = w.matching()
    request = matching.meeting_request_create(from_registration=founder, to_registration=partner)
    return request, founder.company


def meeting_request_answer(w):
    _event, _slots, founder, partner = w.matching()
    request = matching.meeting_request_create(from_registration=founder, to_registration=partner)
    AuditRecord.objects.all().delete()
    matching.meeting_request_respond(request=request, actor=partner.user, accept=False)
    return request, founder.company


def meeting_add(w):
    event, slots, founder, partner = w.matching()
    meeting = matching.meeting_add(
        event=event,
        registration_a=founder,
        registration_b=partner,
        slot=slots[0],
        actor=w.coordinator,
    )
    return meeting, None


def meeting_lock(w):
    meeting, _company = meeting_add(w)
    AuditRecord.objects.all().delete()
    matching.meeting_lock(meeting=meeting, locked=False, actor=w.coordinator)
    return meeting, None


def meeting_remove(w):
    meeting, _company = meeting_add(w)
    AuditRecord.objects.all().delete()
    matching.meeting_remove(meeting=meeting, actor=w.coordinator)
    return meeting, None


def schedule_generate(w):
    event, *_rest = w.matching()
    run = schedule_runs.schedule_run_start(event=event, actor=w.coordinator)
    return run, None


def schedule_apply(w):
    event, _slots, founder, partner = w.matching()
    run = schedule_runs.schedule_run_start(event=event, actor=w.coordinator)
    AuditRecord.objects.all().delete()
    schedule_runs.schedule_run_execute(run_id=run.pk, time_limit=1.0)
    return run, None


def judge_assign(w):
    _round, _criterion, entry, assignment = w.judging()
    return assignment, entry.company


def judge_unassign(w):
    _round, _criterion, entry, assignment = w.judging()
    AuditRecord.objects.all().delete()
    judging.judge_unassign(assignment=assignment, actor=w.coordinator)
    return assignment, entry.company


def score_submit(w):
    _round, criterion, entry, assignment = w.judging()
    AuditRecord.objects.all().delete()
    judging.score_submit(
        assignment=assignment, scores={criterion.pk: (7, "")}, judge=assignment.judge
    )
    return assignment, entry.company


def score_correct(w):
    _round, _criterion, entry, _assignment = w.judging(submitted=True)
    AuditRecord.objects.all().delete()
    score = Score.objects.get()
    judging.score_correct(score=score, value=6, reason="Typo.", actor=w.manager)
    return score, entry.company


def round_release(w):
    round_, *_rest = w.judging(submitted=True)
    AuditRecord.objects.all().delete()
    judging.round_release(round=round_, actor=w.coordinator)
    return round_, None


SCENARIOS = {
    "registration.create": registration_create,
    "registration.create ": registration_create_guest,  # a guest, by staff
    "registration.update": registration_update,
    "registration.cancel": registration_cancel,
    "registration.promote": registration_promote,
    "registration.check_in": registration_check_in,
    "registration.check_in_undo": registration_check_in_undo,
    "event.create": event_create,
    "event.update": event_update,
    "event.publish": event_publish,
    "event.cancel": event_cancel,
    "event.complete": event_complete,
    "attendance.set": attendance_set,
    "delegation.create": delegation_save,
    "availability.set": availability_set,
    "meeting_request.create": meeting_request_create,
    "meeting_request.answer": meeting_request_answer,
    "meeting.add": meeting_add,
    "meeting.lock": meeting_lock,
    "meeting.remove": meeting_remove,
    "schedule.generate": schedule_generate,
    "schedule.apply": schedule_apply,
    "judge.assign": judge_assign,
    "judge.unassign": judge_unassign,
    "score.submit": score_submit,
    "score.correct": score_correct,
    "round.release": round_release,
}


@pytest.mark.parametrize("verb", SCENARIOS)
def test_the_service_writes_its_audit_record(verb):
    world = World()
    obj, company = SCENARIOS[verb](world)
    records = AuditRecord.objects.filter(verb=verb.strip())
    assert records.exists(), list(AuditRecord.objects.values_list("verb", flat=True))
    record = records.latest("pk")
    assert record.object_id == str(obj.pk)
    assert record.object_type.model_class() is type(obj)
    assert record.company_id == (company.pk if company else None)
    assert isinstance(record.changes, dict) and record.changes
    assert not {"token", "password"} & set(record.changes)


def test_the_actor_is_who_acted():
    world = World()
    registration = StartupRegistrationFactory()
    services.registration_cancel(registration=registration, actor=world.coordinator)
    record = AuditRecord.objects.get(verb="registration.cancel")
    assert record.actor == world.coordinator
    assert record.changes == {"event": registration.event_id, "status": ["registered", "cancelled"]}


def test_a_refused_change_leaves_no_record():
    registration = StartupRegistrationFactory(status=Registration.Status.CANCELLED)
    with pytest.raises(ValidationError, match="cancelled already"):
        services.registration_cancel(registration=registration, actor=registration.user)
    assert not AuditRecord.objects.exists()
