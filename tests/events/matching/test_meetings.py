"""1:1 meetings: availability, requests, staff edits, scheduler runs and their pages."""

import datetime as dt
import re
from collections import Counter
from decimal import Decimal

import icalendar
import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from companies.models import Membership
from events.judging import demo as judging_demo
from events.judging import selectors as judging_selectors
from events.matching import bound as schedule_bound
from events.matching import demo as matching_demo
from events.matching import matchmaking
from events.matching import runs as schedule_runs
from events.matching import selectors as meeting_reads
from events.matching import services as meetings
from events.matching import tasks as meeting_tasks
from events.models import (
    Availability,
    CompetitionRound,
    Event,
    JudgeAssignment,
    Meeting,
    MeetingRequest,
    Registration,
    ScheduleRun,
    Score,
)
from incubator import roles
from incubator.models import OutboxMessage
from incubator.services import render_message
from tests.companies.factories import PASSWORD, StaffFactory, UserFactory
from tests.events.factories import (
    EventFactory,
    PartnerRegistrationFactory,
    StartupRegistrationFactory,
    meeting_slots,
)

pytestmark = pytest.mark.django_db


def role_group(name: str) -> Group:
    return Group.objects.get(name=name)  # the migrations' rows, put back after each flush


# The worker finds the task through events/tasks.py; the eager test runner through this import.
# Long work goes to the heavy queue, named on the task (the routes are built from it).
assert meeting_tasks.schedule_meetings_task.name == schedule_runs.SCHEDULE_TASK
assert meeting_tasks.schedule_meetings_task.queue == "heavy"

MUST = MeetingRequest.Priority.MUST
WOULD_LIKE = MeetingRequest.Priority.WOULD_LIKE


# --- Helpers ------------------------------------------------------------------------------


@pytest.fixture
def event():
    # With three partners, at most three meetings share a slot: four tables never run out.
    return EventFactory(meeting_tables=4, interpreters_per_slot=1)


@pytest.fixture
def slots(event):
    return meeting_slots(event, count=10)


def available(registration, slots):
    Availability.objects.bulk_create(
        [Availability(registration=registration, slot=slot) for slot in slots]
    )
    return registration


def founder(event, slots=(), **fields):
    registration = StartupRegistrationFactory(event=event, **fields)
    registration.company.consent_to_partners = True
    registration.company.save(update_fields=["consent_to_partners"])
    return available(registration, slots)


def investor(event, slots=(), **fields):
    return available(PartnerRegistrationFactory(event=event, **fields), slots)


def agreed(a, b, priority=WOULD_LIKE):
    """Return an accepted request from a to b, made through the services."""
    request = meetings.meeting_request_create(
        from_registration=a, to_registration=b, priority=priority
    )
    return meetings.meeting_request_respond(request=request, actor=b.user, accept=True)


def assert_nobody_double_booked(event):
    seen = Counter()
    for slot_id, a, b in Meeting.objects.filter(event=event).values_list(
        "slot_id", "registration_a_id", "registration_b_id"
    ):
        seen[(slot_id, a)] += 1
        seen[(slot_id, b)] += 1
    assert [key for key, n in seen.items() if n > 1] == []


def placed(event):
    return {
        (m.registration_a_id, m.registration_b_id): (m.slot_id, m.table)
        for m in Meeting.objects.filter(event=event)
    }


def run_schedule(event, actor, capture, **options):
    with capture(execute=True):
        run = schedule_runs.schedule_run_start(event=event, actor=actor, **options)
    run.refresh_from_db()
    return run


@pytest.fixture
def coordinator():
    user = StaffFactory(password=PASSWORD)
    user.groups.add(role_group(roles.EVENT_COORDINATOR))
    return user


# --- Requests -----------------------------------------------------------------------------


def test_a_request_to_oneself_is_refused(event, slots):
    startup = founder(event, slots)
    with pytest.raises(ValidationError, match="yourself"):
        meetings.meeting_request_create(from_registration=startup, to_registration=startup)
    assert not MeetingRequest.objects.exists()


def test_a_request_to_someone_not_at_the_event_is_refused(event, slots):
    startup = founder(event, slots)
    elsewhere = investor(EventFactory())
    with pytest.raises(ValidationError, match="not registered for this event") as error:
        meetings.meeting_request_create(from_registration=startup, to_registration=elsewhere)
    assert elsewhere.name not in str(error.value)
    cancelled = investor(event, status=Registration.Status.CANCELLED)
    with pytest.raises(ValidationError, match="not registered for this event"):
        meetings.meeting_request_create(from_registration=startup, to_registration=cancelled)
    assert not MeetingRequest.objects.exists()


def test_startups_meet_partners_and_partners_meet_consenting_startups(event):
    one, two = founder(event), founder(event)
    with pytest.raises(ValidationError, match="startups meet partners"):
        meetings.meeting_request_create(from_registration=one, to_registration=two)
    shy = StartupRegistrationFactory(event=event)  # company did not consent
    partner = investor(event)
    assert list(meeting_reads.participants_for(registration=partner)) == sorted(
        [one, two], key=lambda r: r.search_name
    )
    with pytest.raises(ValidationError):
        meetings.meeting_request_create(from_registration=partner, to_registration=shy)
    assert list(meeting_reads.participants_for(registration=one)) == [partner]


def test_a_request_is_answered_by_its_recipient_and_both_are_told(event):
    startup, partner = founder(event), investor(event)
    request = meetings.meeting_request_create(
        from_registration=startup, to_registration=partner, priority=MUST, message="Hello"
    )
    received = OutboxMessage.objects.get(kind="meeting_request_received")
    assert received.recipient == partner.user.email
    assert received.payload["other"] == startup.name
    with pytest.raises(PermissionDenied):
        meetings.meeting_request_respond(request=request, actor=startup.user, accept=True)
    meetings.meeting_request_respond(request=request, actor=partner.user, accept=False)
    request.refresh_from_db()
    assert request.status == MeetingRequest.Status.DECLINED
    assert OutboxMessage.objects.get(kind="meeting_request_answered").recipient == (
        startup.user.email
    )
    with pytest.raises(ValidationError, match="answered this request already"):
        meetings.meeting_request_respond(request=request, actor=partner.user, accept=True)


def test_asking_someone_who_asked_you_agrees_the_meeting(event):
    startup, partner = founder(event), investor(event)
    first = meetings.meeting_request_create(
        from_registration=startup, to_registration=partner, priority=MUST
    )
    second = meetings.meeting_request_create(
        from_registration=partner, to_registration=startup, priority=MUST
    )
    first.refresh_from_db()
    assert (first.status, second.status) == ("accepted", "accepted")
    accepted = MeetingRequest.objects.filter(status="accepted").values_list(
        "from_registration_id", "to_registration_id", "priority"
    )
    pair = (min(startup.pk, partner.pk), max(startup.pk, partner.pk))
    assert meeting_reads.pair_priorities(accepted) == {pair: matchmaking.MUTUAL_MUST}
    with pytest.raises(ValidationError, match="already asked"):
        meetings.meeting_request_create(from_registration=startup, to_registration=partner)


def test_pair_priorities():
    assert meeting_reads.pair_priorities(
        [(1, 2, "must"), (2, 1, "would_like"), (3, 4, "would_like")]
    ) == {
        (1, 2): matchmaking.MUST,
        (3, 4): matchmaking.WOULD_LIKE,
    }


def test_requests_close_at_the_deadline(event):
    event.meeting_requests_deadline = timezone.now() - dt.timedelta(minutes=1)
    event.save(update_fields=["meeting_requests_deadline"])
    startup, partner = founder(event), investor(event)
    with pytest.raises(ValidationError, match="closed"):
        meetings.meeting_request_create(from_registration=startup, to_registration=partner)


# --- Availability -------------------------------------------------------------------------


def test_availability_is_replaced_and_a_slot_of_another_event_saves_nothing(event, slots):
    startup = founder(event, slots[:2])
    meetings.availability_set(
        registration=startup, slot_ids=[s.pk for s in slots[1:4]], languages=["ko", "zh"]
    )
    startup.refresh_from_db()
    assert set(startup.availabilities.values_list("slot_id", flat=True)) == {
        s.pk for s in slots[1:4]
    }
    assert startup.languages == {"ko", "zh"}

    other_slot = meeting_slots(EventFactory(), count=1)[0]
    with pytest.raises(ValidationError, match="not part of this event"):
        meetings.availability_set(
            registration=startup, slot_ids=[slots[0].pk, other_slot.pk], languages=["en"]
        )
    startup.refresh_from_db()
    assert startup.languages == {"ko", "zh"}
    assert startup.availabilities.count() == 3
    with pytest.raises(ValidationError, match="at least one language"):
        meetings.availability_set(registration=startup, slot_ids=[], languages=[])


def test_availability_is_set_by_the_participant_or_the_coordinators(event, slots, coordinator):
    startup = founder(event, slots[:2])
    viewer = StaffFactory()
    viewer.groups.add(role_group(roles.VIEWER))
    for actor in (viewer, investor(event).user):
        with pytest.raises(PermissionDenied):
            meetings.availability_set(registration=startup, slot_ids=[slots[5].pk], actor=actor)
    assert startup.availabilities.count() == 2
    meetings.availability_set(registration=startup, slot_ids=[slots[5].pk], actor=coordinator)
    meetings.availability_set(registration=startup, slot_ids=[], actor=startup.user)
    assert not startup.availabilities.exists()


# --- Staff edits --------------------------------------------------------------------------


def test_a_meeting_added_by_hand_gets_a_free_table_and_an_interpreter(event, slots, coordinator):
    startup = founder(event, slots, speaks_ko=True, speaks_en=False)
    partner = investor(event, slots)  # speaks zh and en: no common language
    meeting = meetings.meeting_add(
        event=event,
        registration_a=partner,
        registration_b=startup,
        slot=slots[0],
        actor=coordinator,
    )
    assert (meeting.table, meeting.interpreter, meeting.locked) == (1, 1, True)
    assert meeting.registration_a_id < meeting.registration_b_id
    other = founder(event, slots)
    with pytest.raises(ValidationError, match="already has a meeting in this slot"):
        meetings.meeting_add(
            event=event, registration_a=other, registration_b=partner, slot=slots[0], actor=None
        )
    foreign_slot = meeting_slots(EventFactory(), count=1)[0]
    with pytest.raises(ValidationError, match="not part of the event"):
        meetings.meeting_add(
            event=event, registration_a=other, registration_b=partner, slot=foreign_slot, actor=None
        )
    meetings.meeting_lock(meeting=meeting, locked=False, actor=coordinator)
    meeting.refresh_from_db()
    assert not meeting.locked
    meetings.meeting_remove(meeting=meeting, actor=coordinator)
    assert not Meeting.objects.exists()


# --- Scheduler runs -----------------------------------------------------------------------


@pytest.fixture
def session(event, slots):
    """Four startups and three partners, everyone free in ten slots; each startup wants each
    partner. Whoever loses three slots keeps at least four common free slots with each partner."""
    startups = [founder(event, slots) for _ in range(4)]
    partners = [investor(event, slots, speaks_ko=True) for _ in range(3)]
    for s in startups:
        for p in partners:
            agreed(s, p)
    return startups, partners


def test_the_task_schedules_every_accepted_request_and_mails_each_agenda(
    event, slots, session, coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    startups, partners = session
    startups[0].user.language, startups[0].user.time_zone = "ko", "Asia/Seoul"
    startups[0].user.save()
    OutboxMessage.objects.all().delete()
    mailoutbox.clear()

    run = run_schedule(event, coordinator, django_capture_on_commit_callbacks)

    assert (run.status, run.progress) == (ScheduleRun.Status.DONE, 100)
    assert (run.requests_count, run.scheduled_count, run.unscheduled_count) == (12, 12, 0)
    assert run.moved_count == 0
    assert Meeting.objects.filter(event=event, schedule_run=run).count() == 12
    assert_nobody_double_booked(event)

    agendas = OutboxMessage.objects.filter(kind="meeting_agenda")
    assert agendas.count() == 7
    assert {m.status for m in agendas} == {"sent"}
    korean = agendas.get(recipient=startups[0].user.email)
    assert korean.language == "ko"
    assert len(korean.payload["meetings"]) == 3
    assert "한국 시간(KST)" in korean.payload["meetings"][0]["when"]
    assert korean.payload["event"] == event.title_ko
    assert len(mailoutbox) == 7

    # The same task delivered twice does nothing more.
    schedule_runs.schedule_run_execute(run_id=run.pk)
    assert OutboxMessage.objects.filter(kind="meeting_agenda").count() == 7


def test_a_rerun_after_one_availability_change_moves_only_their_meetings(
    event, slots, session, coordinator, django_capture_on_commit_callbacks
):
    startups, partners = session
    run_schedule(event, coordinator, django_capture_on_commit_callbacks)
    before = placed(event)
    changed = startups[1]
    theirs = {pair: where for pair, where in before.items() if changed.pk in pair}
    busy = {slot for slot, _table in theirs.values()}
    meetings.availability_set(
        registration=changed, slot_ids=[s.pk for s in slots if s.pk not in busy]
    )
    OutboxMessage.objects.all().delete()

    run = run_schedule(event, coordinator, django_capture_on_commit_callbacks)

    after = placed(event)
    assert set(after) == set(before)  # everyone still meets everyone
    moved = {pair for pair in before if before[pair] != after[pair]}
    assert moved == set(theirs)
    assert run.moved_count == len(theirs) == 3
    assert all(after[pair][0] not in busy for pair in theirs)
    assert_nobody_double_booked(event)
    told = set(
        OutboxMessage.objects.filter(kind="meeting_agenda").values_list("recipient", flat=True)
    )
    affected = {pk for pair in moved for pk in pair}
    assert told == {r.user.email for r in Registration.objects.filter(pk__in=affected)}


def agenda_mail_of(registration):
    message = OutboxMessage.objects.get(kind="meeting_agenda", recipient=registration.user.email)
    return render_message(message)


def test_a_rerun_agenda_marks_new_and_moved_meetings_and_lists_the_gone_ones(
    event, slots, session, coordinator, django_capture_on_commit_callbacks
):
    startups, partners = session
    run_schedule(event, coordinator, django_capture_on_commit_callbacks)
    first = agenda_mail_of(startups[0])
    assert "New meeting" not in first.body and "changed" not in first.subject
    newcomer = investor(event, slots)
    agreed(startups[0], newcomer)
    changed = startups[1]
    busy = {slot for slot, _table in (w for p, w in placed(event).items() if changed.pk in p)}
    meetings.availability_set(
        registration=changed, slot_ids=[s.pk for s in slots if s.pk not in busy]
    )
    OutboxMessage.objects.all().delete()

    run_schedule(event, coordinator, django_capture_on_commit_callbacks)

    mail = agenda_mail_of(startups[0])
    assert "have changed" in mail.subject
    assert mail.body.count("[New meeting]") == 1 and "Moved meeting" not in mail.body
    assert newcomer.name in mail.body.split("[New meeting]")[1].splitlines()[1]
    moved = agenda_mail_of(changed).body
    assert moved.count("[Moved meeting]") == 3 and moved.count("Before: ") == 3

    meetings.availability_set(registration=changed, slot_ids=[])
    OutboxMessage.objects.all().delete()
    run_schedule(event, coordinator, django_capture_on_commit_callbacks)

    partner_mail = agenda_mail_of(partners[0])
    gone = partner_mail.body.split("No longer on your schedule:")[1]
    assert changed.name in gone
    assert "No longer on your schedule:" in agenda_mail_of(changed).body


def test_locked_meetings_stay_where_staff_put_them(
    event, slots, session, coordinator, django_capture_on_commit_callbacks
):
    startups, partners = session
    locked = meetings.meeting_add(
        event=event,
        registration_a=startups[0],
        registration_b=partners[0],
        slot=slots[0],
        table=3,
        actor=coordinator,
    )
    run_schedule(event, coordinator, django_capture_on_commit_callbacks)
    locked_again = Meeting.objects.get(pk=locked.pk)
    assert (locked_again.slot_id, locked_again.table, locked_again.locked) == (slots[0].pk, 3, True)
    assert Meeting.objects.filter(event=event).count() == 12
    assert_nobody_double_booked(event)
    assert not Meeting.objects.filter(slot=slots[0], table=3).exclude(pk=locked.pk).exists()
    # A re-run with everyone unchanged moves nothing, and the locked meeting still stays.
    run = run_schedule(event, coordinator, django_capture_on_commit_callbacks)
    assert run.moved_count == 0
    assert Meeting.objects.filter(pk=locked.pk, slot=slots[0], table=3).exists()


def test_unscheduled_requests_are_stored_with_their_reason(
    event, slots, coordinator, django_capture_on_commit_callbacks
):
    early, late = founder(event, slots[:2]), investor(event, slots[4:6])
    agreed(early, late)
    run = run_schedule(event, coordinator, django_capture_on_commit_callbacks)
    assert run.unscheduled == [
        {"a": min(early.pk, late.pk), "b": max(early.pk, late.pk), "reason": "no_common_slot"}
    ]
    assert meeting_reads.reason_label("no_common_slot") == "no time slot where both are available"
    # Someone with nothing scheduled is told so on the first run.
    assert OutboxMessage.objects.filter(kind="meeting_agenda").count() == 2


def test_a_second_run_is_refused_while_one_is_computing(event, slots, coordinator):
    schedule_runs.schedule_run_start(event=event, actor=coordinator)  # not executed: still queued
    with pytest.raises(ValidationError, match="being computed"):
        schedule_runs.schedule_run_start(event=event, actor=coordinator)
    startup, partner = founder(event, slots), investor(event, slots)
    with pytest.raises(ValidationError, match="being computed"):
        meetings.meeting_add(
            event=event, registration_a=startup, registration_b=partner, slot=slots[0], actor=None
        )


def test_a_run_needs_slots_and_a_matching_session(coordinator):
    with pytest.raises(ValidationError, match="time slots"):
        schedule_runs.schedule_run_start(event=EventFactory(), actor=coordinator)
    training = EventFactory(kind=Event.Kind.TRAINING)
    with pytest.raises(ValidationError, match="not a matching session"):
        schedule_runs.schedule_run_start(event=training, actor=coordinator)


def test_progress_is_written_in_steps_and_100_only_when_done(
    event, slots, session, coordinator, monkeypatch
):
    seen = []
    real = matchmaking.schedule

    def observed(problem, progress=None, **options):
        for done in range(0, 101):
            progress(done, 100)
            seen.append(ScheduleRun.objects.get().progress)
        return real(problem, None, **options)

    monkeypatch.setattr(matchmaking, "schedule", observed)
    run = schedule_runs.schedule_run_start(event=event, actor=coordinator)
    run = schedule_runs.schedule_run_execute(run_id=run.pk)
    # The schedule fills 90% of the bar; its upper bound, computed next, the rest.
    assert sorted(set(seen)) == list(range(0, 91, 5))
    assert run.progress == 100


def test_a_failing_run_is_marked_failed_and_keeps_the_old_schedule(
    event, slots, session, coordinator, django_capture_on_commit_callbacks, monkeypatch
):
    run_schedule(event, coordinator, django_capture_on_commit_callbacks)
    before = placed(event)

    def broken(problem, progress=None, **options):
        raise ValueError("locked meetings overlap")

    monkeypatch.setattr(matchmaking, "schedule", broken)
    run = run_schedule(event, coordinator, django_capture_on_commit_callbacks)
    assert run.status == ScheduleRun.Status.FAILED
    assert "locked meetings overlap" in run.error
    assert placed(event) == before
    schedule_runs.schedule_run_start(event=event, actor=coordinator)  # not blocked by the failure


def test_loading_a_session_takes_the_same_queries_whatever_its_size(
    django_assert_num_queries, coordinator
):
    def session_of(size):
        event = EventFactory()
        slots = meeting_slots(event, count=4)
        people = [founder(event, slots) for _ in range(size)]
        partners = [investor(event, slots) for _ in range(size)]
        for s, p in zip(people, partners, strict=True):
            agreed(s, p)
        meetings.meeting_add(
            event=event,
            registration_a=people[0],
            registration_b=partners[0],
            slot=slots[0],
            actor=coordinator,
        )
        return event

    for size in (2, 8):
        event = session_of(size)
        # slots + meetings + participants (with their accounts) + availability + requests
        with django_assert_num_queries(5):
            loaded = meeting_reads.load_schedule_problem(event)
        assert len(loaded.problem.participants) == 2 * size
        assert len(loaded.problem.locked) == 1


# --- Pages --------------------------------------------------------------------------------


def signed_in(client, user):
    client.force_login(user)
    client.cookies["lang"] = "en"
    return client


def test_participant_pages_and_bad_input(client, event, slots):
    startup, partner = founder(event, slots), investor(event, slots)
    signed_in(client, startup.user)
    page = client.get(reverse("events:matching-session", args=[event.pk]))
    assert page.status_code == 200
    assert "Generate schedule" not in page.content.decode()

    people = client.get(reverse("events:matching-participants", args=[event.pk]))
    assert partner.name in people.content.decode()

    url = reverse("events:meeting-request-create", args=[event.pk])
    response = client.post(url, {"to": startup.pk, "priority": "must"}, follow=True)
    assert "You cannot request a meeting with yourself." in response.content.decode()
    outsider = investor(EventFactory())
    response = client.post(url, {"to": outsider.pk, "priority": "must"}, follow=True)
    # A registration of another event is nobody the sender may see: no name in the error.
    assert "This person is not registered for this event." in response.content.decode()
    assert outsider.name not in response.content.decode()
    assert not MeetingRequest.objects.exists()

    response = client.post(
        url, {"to": partner.pk, "priority": "must", "message": "Hi"}, follow=True
    )
    assert f"Your request is sent to {partner.name}." in response.content.decode()

    foreign = meeting_slots(EventFactory(), count=1)[0]
    response = client.post(
        reverse("events:matching-availability", args=[event.pk]),
        {"slots": [slots[0].pk, foreign.pk], "languages": ["en"]},
    )
    assert response.status_code == 400
    assert "A chosen time slot is not part of this event." in response.content.decode()
    assert startup.availabilities.count() == len(slots)

    # The partner answers.
    request = MeetingRequest.objects.get()
    signed_in(client, partner.user)
    response = client.post(
        reverse("events:meeting-request-respond", args=[request.pk]), {"answer": "accept"}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "accepted"


def test_someone_not_registered_cannot_reach_a_session(client, event, slots):
    stranger = Membership.objects.create(
        user=UserFactory(), company=founder(EventFactory()).company
    ).user
    signed_in(client, stranger)
    # The session's pages say how to take part; its calendar file is not there to see.
    for name in ("matching-session", "matching-participants", "meeting-agenda"):
        response = client.get(reverse(f"events:{name}", args=[event.pk]))
        assert response.status_code == 302
        assert response.url == reverse("events:event-detail", args=[event.pk])
    assert client.get(reverse("events:meeting-agenda-ics", args=[event.pk])).status_code == 404
    request = meetings.meeting_request_create(
        from_registration=founder(event), to_registration=investor(event)
    )
    url = reverse("events:meeting-request-respond", args=[request.pk])
    assert client.post(url, {"answer": "accept"}).status_code == 404


def test_agenda_page_and_calendar_in_both_zones(
    client, event, slots, coordinator, django_capture_on_commit_callbacks
):
    startup, partner = founder(event, slots), investor(event, slots)
    startup.user.time_zone = "Asia/Seoul"
    startup.user.save()
    agreed(startup, partner)
    run_schedule(event, coordinator, django_capture_on_commit_callbacks)
    meeting = Meeting.objects.get()

    signed_in(client, startup.user)
    page = client.get(reverse("events:meeting-agenda", args=[event.pk])).content.decode()
    start = meeting.slot.starts_at
    assert f"{timezone.localtime(start, dt.timezone(dt.timedelta(hours=8))):%H:%M}" in page
    assert f"{timezone.localtime(start, dt.timezone(dt.timedelta(hours=9))):%H:%M}" in page
    assert partner.name in page
    # The columns are named by the zones' labels, never by their ids.
    assert "Asia/Shanghai" not in page and "Asia/Seoul" not in page
    # Each cell's label (its column's header on a wide screen) names its zone: the time in
    # the cell does not say it again.
    row = re.search(rf'<tr data-meeting="{meeting.pk}">.*?</tr>', page, re.S).group(0)
    assert row.count("(CST)") == 1 and row.count("(KST)") == 1
    assert 'data-label="China time (CST)"' in row and 'data-label="Korea time (KST)"' in row
    session = client.get(reverse("events:matching-session", args=[event.pk])).content.decode()
    assert "Asia/Shanghai" not in session

    response = client.get(reverse("events:meeting-agenda-ics", args=[event.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    [vevent] = calendar.walk("VEVENT")
    assert vevent["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert vevent.decoded("DTSTART") == start
    assert partner.name in str(vevent["SUMMARY"])


def test_staff_pages_need_the_meeting_permissions(client, event, slots, coordinator):
    url = reverse("events:schedule", args=[event.pk])
    assert client.get(url).status_code == 302  # to sign-in
    signed_in(client, founder(event).user)
    assert client.get(url).status_code == 403
    viewer = StaffFactory()
    viewer.groups.add(role_group(roles.VIEWER))
    signed_in(client, viewer)
    assert client.get(url).status_code == 200
    response = client.post(reverse("events:schedule-generate", args=[event.pk]))
    assert response.status_code == 403
    assert not ScheduleRun.objects.exists()


def test_staff_generate_the_schedule_and_follow_its_progress(
    client, event, slots, session, coordinator, django_capture_on_commit_callbacks
):
    signed_in(client, coordinator)
    page = client.get(reverse("events:schedule", args=[event.pk])).content.decode()
    assert "Generate schedule" in page
    assert 'data-count="accepted">12' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:schedule-generate", args=[event.pk]))
    run = ScheduleRun.objects.get()
    assert response.url == reverse("events:schedule-run", args=[event.pk, run.pk])
    progress = client.get(reverse("events:schedule-run-progress", args=[event.pk, run.pk]))
    assert progress.json() == {
        "status": "done",
        "status_label": "done",
        "progress": 100,
        "done": True,
    }
    page = client.get(response.url).content.decode()
    assert 'value="100"' in page and 'data-count="scheduled">12' in page
    assert "progress.js" not in page  # nothing to follow any more
    # Every request is met: the bound, computed in the same task, proves it optimal.
    run.refresh_from_db()
    assert run.total_weight > 0 and run.upper_bound == run.total_weight
    assert run.bound_share == 100 and run.is_optimal
    assert re.search(r'data-count="quality"[^>]*>optimal</dd>', page)
    schedule_page = client.get(reverse("events:schedule", args=[event.pk])).content.decode()
    assert re.search(r'data-count="quality"[^>]*>optimal</dd>', schedule_page)

    tables = client.get(reverse("events:meeting-table-plan", args=[event.pk])).content.decode()
    assert tables.count("<td>") + tables.count("<td ") >= 12
    interpreters = client.get(reverse("events:meeting-interpreter-plan", args=[event.pk]))
    assert interpreters.status_code == 200
    # Both plans name the event's zone by its label, not by its id.
    for plan in (tables, interpreters.content.decode()):
        assert "Asia/" not in plan and "times in China time (CST)" in plan


@pytest.mark.parametrize(
    "language, text",
    [
        ("en", "98.7 % of the best possible (upper bound)"),
        ("ko", "98.7 %"),
        ("zh-hans", "98.7 %"),
    ],
)
def test_the_share_of_the_upper_bound_is_shown_rounded_down_in_each_language(language, text):
    run = ScheduleRun(status=ScheduleRun.Status.DONE, total_weight=9879, upper_bound=10000)
    run.bound_share = ScheduleRun.share_of(run.total_weight, run.upper_bound)
    assert run.bound_share == Decimal("98.79") and not run.is_optimal
    with translation.override(language):
        html = render_to_string("events/meetings/run_summary.html", {"run": run})
        optimal = render_to_string(
            "events/meetings/run_summary.html",
            {"run": ScheduleRun(total_weight=10, upper_bound=10, bound_share=100)},
        )
    shown = re.search(r'data-count="quality"[^>]*>([^<]*)</dd>', html).group(1)
    assert text in shown
    if language != "en":
        assert "best possible" not in shown and "optimal" not in optimal
    assert re.search(r'data-count="quality"[^>]*>[^<%]+</dd>', optimal)


def test_a_run_whose_bound_fails_keeps_its_schedule_without_a_share(
    event, slots, session, coordinator, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(problem, **options):
        raise RuntimeError("no LP today")

    monkeypatch.setattr(schedule_bound, "upper_bound", broken)
    run = run_schedule(event, coordinator, django_capture_on_commit_callbacks)
    assert run.status == ScheduleRun.Status.DONE and run.scheduled_count == 12
    assert run.upper_bound is None and run.bound_share is None and not run.is_optimal
    assert 'data-count="quality"' not in render_to_string(
        "events/meetings/run_summary.html", {"run": run}
    )


def test_the_progress_page_follows_a_queued_run_with_and_without_javascript(
    client, event, slots, coordinator
):
    run = schedule_runs.schedule_run_start(event=event, actor=coordinator)
    signed_in(client, coordinator)
    page = client.get(reverse("events:schedule-run", args=[event.pk, run.pk])).content.decode()
    progress_url = reverse("events:schedule-run-progress", args=[event.pk, run.pk])
    assert f'data-progress-url="{progress_url}"' in page
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    assert "js/progress.js" in page
    assert "<script>" not in page  # CSP: no inline script
    assert client.get(progress_url).json()["done"] is False


def test_staff_add_lock_and_remove_a_meeting_in_the_page(client, event, slots, coordinator):
    startup, partner = founder(event, slots), investor(event, slots)
    signed_in(client, coordinator)
    response = client.post(
        reverse("events:meeting-add", args=[event.pk]),
        {
            "registration_a": startup.pk,
            "registration_b": partner.pk,
            "slot": slots[2].pk,
            "table": 9,
            "locked": "on",
        },
    )
    assert response.status_code == 400
    assert "Table 9 is not free in this slot." in response.content.decode()
    assert not Meeting.objects.exists()
    client.post(
        reverse("events:meeting-add", args=[event.pk]),
        {"registration_a": startup.pk, "registration_b": partner.pk, "slot": slots[2].pk},
    )
    meeting = Meeting.objects.get()
    assert not meeting.locked
    client.post(reverse("events:meeting-lock", args=[event.pk, meeting.pk]), {"locked": "1"})
    meeting.refresh_from_db()
    assert meeting.locked
    client.post(reverse("events:meeting-remove", args=[event.pk, meeting.pk]))
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("how", ["completed", "ended"])
def test_the_schedule_of_an_event_that_is_over_stays_as_it_was_held(
    how, client, event, slots, session, coordinator, django_capture_on_commit_callbacks
):
    run_schedule(event, coordinator, django_capture_on_commit_callbacks)
    held = placed(event)
    assert len(held) == 12
    if how == "completed":
        Event.objects.filter(pk=event.pk).update(status=Event.Status.COMPLETED)
    else:  # ended, not yet marked completed by the periodic job
        now = timezone.now()
        Event.objects.filter(pk=event.pk).update(
            starts_at=now - dt.timedelta(hours=9), ends_at=now - dt.timedelta(hours=1)
        )
    event.refresh_from_db()
    OutboxMessage.objects.all().delete()
    startups, partners = session
    meeting = Meeting.objects.filter(event=event).exclude(
        Q(registration_a=startups[0]) | Q(registration_b=startups[0])
    )[0]

    # A new run would move every held meeting off and e-mail everyone an agenda.
    with pytest.raises(ValidationError, match="This event is over."):
        schedule_runs.schedule_run_start(event=event, actor=coordinator)
    with pytest.raises(ValidationError, match="This event is over."):
        meetings.meeting_remove(meeting=meeting, actor=coordinator)
    with pytest.raises(ValidationError, match="This event is over."):
        meetings.meeting_lock(meeting=meeting, locked=not meeting.locked, actor=coordinator)
    # Room for one by hand: the pair meets no more, and a slot where neither is busy.
    Meeting.objects.filter(Q(registration_a=startups[0]) | Q(registration_b=startups[0])).delete()
    held = placed(event)
    busy = set(
        Meeting.objects.filter(
            Q(registration_a=partners[0]) | Q(registration_b=partners[0])
        ).values_list("slot_id", flat=True)
    )
    free_slot = next(slot for slot in slots if slot.pk not in busy)
    with pytest.raises(ValidationError, match="This event is over."):
        meetings.meeting_add(
            event=event,
            registration_a=startups[0],
            registration_b=partners[0],
            slot=free_slot,
            actor=coordinator,
        )
    assert not ScheduleRun.objects.filter(status=ScheduleRun.Status.QUEUED).exists()

    # The page offers none of it and says why; a post made all the same is refused.
    signed_in(client, coordinator)
    url = reverse("events:schedule", args=[event.pk])
    page = client.get(url).content.decode()
    assert "This event is over. Its meeting schedule can no longer be changed." in page
    assert 'id="generate-form"' not in page
    assert reverse("events:meeting-remove", args=[event.pk, meeting.pk]) not in page
    assert reverse("events:meeting-lock", args=[event.pk, meeting.pk]) not in page
    assert reverse("events:meeting-add", args=[event.pk]) not in page
    response = client.post(reverse("events:schedule-generate", args=[event.pk]), follow=True)
    assert "This event is over." in response.content.decode()
    response = client.post(
        reverse("events:meeting-remove", args=[event.pk, meeting.pk]), follow=True
    )
    assert "This event is over." in response.content.decode()
    assert placed(event) == held
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize("how", ["completed", "ended"])
def test_a_participants_pages_of_a_session_that_is_over_are_read_only(
    how, client, event, slots, coordinator, django_capture_on_commit_callbacks
):
    startup, partner, other = founder(event, slots), investor(event, slots), investor(event)
    agreed(startup, partner)
    pending = meetings.meeting_request_create(from_registration=other, to_registration=startup)
    run_schedule(event, coordinator, django_capture_on_commit_callbacks)
    meeting = Meeting.objects.get()
    # No longer marked free at the meeting's time: an open session would warn of it.
    startup.availabilities.filter(slot=meeting.slot).delete()
    if how == "completed":
        Event.objects.filter(pk=event.pk).update(status=Event.Status.COMPLETED)
    else:  # ended, not yet marked completed by the periodic job
        now = timezone.now()
        Event.objects.filter(pk=event.pk).update(
            starts_at=now - dt.timedelta(hours=9), ends_at=now - dt.timedelta(hours=1)
        )

    signed_in(client, startup.user)
    page = client.get(reverse("events:matching-session", args=[event.pk])).content.decode()
    people = client.get(reverse("events:matching-participants", args=[event.pk])).content.decode()

    assert "This event is over. Requests and availability can no longer change" in page
    assert f'data-meeting="{meeting.pk}"' in page and partner.name in page
    assert "meetings-outside-availability" not in page
    assert "<form" not in page.split('id="main"')[-1].split("</main>")[0]
    assert reverse("events:matching-availability", args=[event.pk]) not in page
    assert reverse("events:meeting-request-respond", args=[pending.pk]) not in page
    assert "This event is over. Meeting requests can no longer be sent" in people
    assert reverse("events:meeting-request-create", args=[event.pk]) not in people


def test_a_run_no_worker_took_stops_blocking_after_a_while(event, slots, coordinator):
    stuck = schedule_runs.schedule_run_start(event=event, actor=coordinator)  # the broker was down
    ScheduleRun.objects.filter(pk=stuck.pk).update(
        created_at=timezone.now() - schedule_runs.STALE_QUEUED - dt.timedelta(seconds=1)
    )
    fresh = schedule_runs.schedule_run_start(event=event, actor=coordinator)
    stuck.refresh_from_db()
    assert stuck.status == ScheduleRun.Status.FAILED
    assert "generate the schedule again" in stuck.error
    assert fresh.status == ScheduleRun.Status.QUEUED


def test_the_event_page_links_participants_and_staff_to_the_meetings(client, event, coordinator):
    startup = founder(event)
    signed_in(client, startup.user)
    page = client.get(reverse("events:event-detail", args=[event.pk])).content.decode()
    assert reverse("events:matching-session", args=[event.pk]) in page
    assert reverse("events:schedule", args=[event.pk]) not in page
    signed_in(client, coordinator)
    page = client.get(reverse("events:event-detail", args=[event.pk])).content.decode()
    assert reverse("events:schedule", args=[event.pk]) in page


def test_the_demo_is_idempotent(event, slots, session, monkeypatch, coordinator):
    monkeypatch.setattr(matching_demo, "_matching_session", lambda: event)
    MeetingRequest.objects.all().delete()
    matching_demo.load()
    judging_demo.load()
    counts = (
        MeetingRequest.objects.count(),
        Meeting.objects.count(),
        ScheduleRun.objects.count(),
        JudgeAssignment.objects.count(),
        Score.objects.count(),
    )
    assert counts[0] == 8 and counts[1] > 0 and counts[2] == 1
    assert ScheduleRun.objects.get().status == ScheduleRun.Status.DONE
    round_ = CompetitionRound.objects.get()
    results = judging_selectors.round_results(round=round_)
    # One sheet left for each of the three demo judges: the round waits for them.
    assert results.pending == 3 and results.rows[0].rank == 1
    matching_demo.load()
    judging_demo.load()
    assert (
        MeetingRequest.objects.count(),
        Meeting.objects.count(),
        ScheduleRun.objects.count(),
        JudgeAssignment.objects.count(),
        Score.objects.count(),
    ) == counts


def test_staff_may_let_a_run_move_every_meeting(client, event, slots, coordinator):
    signed_in(client, coordinator)
    url = reverse("events:schedule-generate", args=[event.pk])
    client.post(url, {"pin_previous": "0"})  # the box unticked: only the hidden "0"
    assert ScheduleRun.objects.get().pin_previous is False
    ScheduleRun.objects.update(status=ScheduleRun.Status.FAILED)
    client.post(url, {"pin_previous": ["0", "1"]})
    assert ScheduleRun.objects.latest("created_at").pin_previous is True


def test_the_pages_cost_the_same_queries_for_a_bigger_session(
    client, event, slots, coordinator, django_capture_on_commit_callbacks
):
    startup = founder(event, slots)
    pages = [
        (startup.user, "events:matching-session"),
        (startup.user, "events:matching-participants"),
        (startup.user, "events:meeting-agenda"),
        (coordinator, "events:schedule"),
        (coordinator, "events:meeting-table-plan"),
        (coordinator, "events:meeting-interpreter-plan"),
    ]

    def costs():
        result = []
        for user, name in pages:
            signed_in(client, user)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse(name, args=[event.pk])).status_code == 200
            result.append(len(queries))
        return result

    def grow(n):
        partners = [investor(event, slots, speaks_ko=n % 2 == 0) for n in range(n)]
        for p in partners:
            agreed(startup, p)
            agreed(founder(event, slots), p)
        run_schedule(event, coordinator, django_capture_on_commit_callbacks)

    grow(2)
    small = costs()
    grow(6)
    assert costs() == small


def test_a_run_whose_locked_meetings_changed_meanwhile_writes_nothing(
    event, slots, session, coordinator, monkeypatch
):
    startups, partners = session
    real = matchmaking.schedule

    def staff_lock_a_meeting_meanwhile(problem, progress=None, **options):
        a, b = sorted([startups[0].pk, partners[0].pk])
        Meeting.objects.create(
            event=event,
            registration_a_id=a,
            registration_b_id=b,
            slot=slots[9],
            table=1,
            locked=True,
        )
        return real(problem, progress, **options)

    monkeypatch.setattr(matchmaking, "schedule", staff_lock_a_meeting_meanwhile)
    run = schedule_runs.schedule_run_start(event=event, actor=coordinator)
    run = schedule_runs.schedule_run_execute(run_id=run.pk)
    assert run.status == ScheduleRun.Status.FAILED
    assert "changed while the schedule was computed" in run.error
    assert Meeting.objects.count() == 1


def test_a_company_is_named_in_the_viewers_language_on_every_page_of_a_session(
    client, event, slots
):
    # The participants page, the agenda and its calendar used three rules: the company's
    # name in the viewer's language, the words stored at registration, or English.
    startup, partner = founder(event, slots), investor(event, slots)
    company = startup.company
    company.name_ko, company.name_zh, company.name_en = "오랑심한", "奥朗心汉", "Orangsimhan"
    company.save()
    partner.user.language = "zh-hans"
    partner.user.save()
    with translation.override("zh-hans"):
        assert startup.affiliation_shown == "奥朗心汉"
    signed_in(client, partner.user)
    client.cookies["lang"] = "zh-hans"
    page = client.get(reverse("events:matching-participants", args=[event.pk])).content.decode()
    assert "奥朗心汉" in page and "Orangsimhan" not in page


def test_an_availability_slot_wraps_between_its_pieces_never_inside_a_zone_name(
    client, event, slots
):
    startup = founder(event, slots)
    signed_in(client, startup.user)
    page = client.get(reverse("events:matching-session", args=[event.pk])).content.decode()
    # The checkbox labels are the slots' spans in unbreakable pieces, as every other time is.
    assert page.count('<span class="nowrap">Korea time (KST)') >= len(slots) or page.count(
        '<span class="nowrap">China time (CST)'
    ) >= len(slots)
