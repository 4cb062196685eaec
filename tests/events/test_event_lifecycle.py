"""An event's life through its services: created, changed, published, cancelled, completed.

The status moves only along Event.TRANSITIONS (one guard), the registrants of a cancelled
or moved event are told in their language with the time in both zones, and the admin
changes the status only on its action pages.
"""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from events import policies, services
from events.models import Delegation, Event, Registration
from incubator import roles
from incubator.models import AuditRecord, OutboxMessage
from incubator.services import render_message
from tests.companies.factories import StaffFactory, UserFactory
from tests.events.factories import (
    EventFactory,
    GuestRegistrationFactory,
    PartnerRegistrationFactory,
    StartupRegistrationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def role_groups():
    roles.sync_role_permissions()


def staff(role=roles.EVENT_COORDINATOR):
    user = StaffFactory()
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def coordinator():
    return staff()


def test_a_draft_is_published_once_and_a_cancelled_event_moves_no_more(coordinator):
    event = EventFactory(status=Event.Status.DRAFT)
    services.event_publish(event=event, actor=coordinator)
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    with pytest.raises(ValidationError, match="This event is already published."):
        services.event_publish(event=event, actor=coordinator)
    services.event_cancel(event=event, actor=coordinator, reason="The venue flooded.")
    for move in (
        lambda: services.event_publish(event=event, actor=coordinator),
        lambda: services.event_complete(event=event, actor=coordinator),
    ):
        with pytest.raises(ValidationError):
            move()
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED


def test_a_draft_without_a_place_is_not_published(coordinator):
    event = EventFactory(status=Event.Status.DRAFT, kind=Event.Kind.ROADSHOW, venue_en="")
    with pytest.raises(ValidationError, match="needs a venue or an online link"):
        services.event_publish(event=event, actor=coordinator)
    assert Event.objects.get(pk=event.pk).status == Event.Status.DRAFT


def test_only_event_coordinators_and_managers_manage_events():
    event = EventFactory(status=Event.Status.DRAFT)
    for refused in (staff(roles.PROGRAM_OFFICER), staff(roles.VIEWER), UserFactory()):
        assert not policies.can_manage_event(refused, event)
        with pytest.raises(PermissionDenied):
            services.event_publish(event=event, actor=refused)
    assert policies.can_publish_event(staff(roles.CENTER_MANAGER), event)


def test_cancelling_tells_registered_and_waitlisted_people_in_their_language_and_both_zones(
    coordinator,
):
    event = EventFactory(
        capacity=1,
        time_zone="Asia/Seoul",
        starts_at=dt.datetime(2030, 12, 10, 1, 0, tzinfo=dt.UTC),  # 10:00 KST, 09:00 CST
        ends_at=dt.datetime(2030, 12, 10, 8, 0, tzinfo=dt.UTC),
    )
    founder = StartupRegistrationFactory(event=event)
    founder.user.language = "ko"
    founder.user.save()
    partner = PartnerRegistrationFactory(event=event, status="waitlisted", waitlist_position=1)
    partner.user.language = "zh-hans"
    partner.user.save()
    gone = GuestRegistrationFactory(event=event, status="cancelled")

    with pytest.raises(ValidationError):
        services.event_cancel(event=event, actor=coordinator, reason="  ")
    services.event_cancel(event=event, actor=coordinator, reason="The hall is closed.")

    messages = {m.recipient: m for m in OutboxMessage.objects.filter(kind="event_cancelled")}
    assert set(messages) == {founder.user.email, partner.user.email}
    assert gone.guest_email not in messages
    korean = messages[founder.user.email]
    assert korean.language == "ko" and korean.payload["event"] == event.title_ko
    assert "10:00" in korean.payload["when"] and "한국 시간(KST)" in korean.payload["when"]
    assert "09:00" in korean.payload["when"] and "중국 시간(CST)" in korean.payload["when"]
    assert korean.payload["reason"] == "The hall is closed."
    assert messages[partner.user.email].payload["event"] == event.title_zh
    record = AuditRecord.objects.get(verb="event.cancel")
    assert record.changes == {"status": ["published", "cancelled"], "reason": "The hall is closed."}


def test_a_change_of_time_or_venue_tells_the_registrants_and_a_capacity_raise_promotes(
    coordinator,
):
    event = EventFactory(capacity=1)
    holder = StartupRegistrationFactory(event=event)
    waiting = PartnerRegistrationFactory(event=event, status="waitlisted", waitlist_position=1)

    services.event_update(event=event, actor=coordinator, data={"description_en": "More."})
    assert not OutboxMessage.objects.filter(kind="event_changed").exists()

    later = event.starts_at + dt.timedelta(days=1)
    services.event_update(
        event=event,
        actor=coordinator,
        data={"starts_at": later, "ends_at": later + dt.timedelta(hours=8), "capacity": 2},
    )
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.REGISTERED
    told = set(
        OutboxMessage.objects.filter(kind="event_changed").values_list("recipient", flat=True)
    )
    assert told == {holder.user.email, waiting.user.email}
    record = AuditRecord.objects.filter(verb="event.update").latest("pk")
    assert set(record.changes) == {"starts_at", "ends_at", "capacity"}
    with pytest.raises(ValidationError):
        services.event_update(event=event, actor=coordinator, data={"status": "draft"})


def _changed(**event_fields):
    return {
        m.recipient: m for m in OutboxMessage.objects.filter(kind="event_changed", **event_fields)
    }


def test_a_venue_corrected_in_one_language_tells_only_its_readers(coordinator):
    event = EventFactory(
        venue_ko="하얼빈 빈시 센터 3층", venue_zh="哈尔滨宾西中心三楼", venue_en="Binxi Center, 3F"
    )
    korean = StartupRegistrationFactory(event=event, membership__user__language="ko")
    english = StartupRegistrationFactory(event=event, membership__user__language="en")
    guest = GuestRegistrationFactory(event=event, speaks_zh=True, speaks_ko=False)

    event = services.event_update(
        event=event, actor=coordinator, data={"venue_en": "Binxi Center, 3F (Daqing)"}
    )

    assert event.told == 1
    assert set(_changed()) == {english.user.email}
    OutboxMessage.objects.all().delete()
    event = services.event_update(event=event, actor=coordinator, data={"venue_zh": "大庆高新区"})
    assert event.told == 1
    message = _changed()[guest.guest_email]
    assert message.payload["place"] == "大庆高新区"
    assert message.payload["old_place"] == "哈尔滨宾西中心三楼"
    assert korean.user.email not in _changed()


def test_the_change_e_mail_says_what_changed_what_it_was_and_the_readers_status(coordinator):
    start = dt.datetime(2030, 1, 14, 6, 0, tzinfo=dt.UTC)  # 14:00 in Harbin
    event = EventFactory(
        capacity=1,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
        time_zone="Asia/Shanghai",
        venue_en="3F main hall",
    )
    holder = StartupRegistrationFactory(event=event, membership__user__language="en")
    waiting = StartupRegistrationFactory(
        event=event, status="waitlisted", waitlist_position=1, membership__user__language="en"
    )
    later = start + dt.timedelta(days=1, hours=-4)  # 10:00 the next day
    services.event_update(
        event=event,
        actor=coordinator,
        data={
            "starts_at": later,
            "ends_at": later + dt.timedelta(hours=3),
            "venue_en": "Shangri-La",
        },
    )

    told = {r: render_message(m).body for r, m in _changed().items()}
    registered, waitlisted = told[holder.user.email], told[waiting.user.email]
    assert "The time and the place of" in registered
    assert "When: 2030-01-15 10:00–13:00 China time (CST)" in registered
    assert "(before: 2030-01-14 14:00–17:00 China time (CST)" in registered
    assert "Where: Shangri-La\n(before: 3F main hall)" in registered
    assert "You are registered." in registered and "please cancel" in registered
    assert "You are on the waitlist (position 1)." in waitlisted
    assert "You are registered." not in waitlisted

    # The zone alone, typed as the admin keeps the hours (10:00 KST is 09:00 CST): moved.
    OutboxMessage.objects.all().delete()
    event.refresh_from_db()
    earlier = event.starts_at - dt.timedelta(hours=1)
    services.event_update(
        event=event,
        actor=coordinator,
        data={
            "time_zone": "Asia/Seoul",
            "starts_at": earlier,
            "ends_at": earlier + dt.timedelta(hours=3),
        },
    )
    body = render_message(_changed()[holder.user.email]).body
    assert "The time of" in body and "has changed." in body and "place" not in body.split("\n")[2]
    assert "When: 2030-01-15 10:00–13:00 Korea time (KST)" in body
    assert "(before: 2030-01-15 10:00–13:00 China time (CST)" in body

    # The zone alone at the same moment: only how the time reads changes, and it says so.
    OutboxMessage.objects.all().delete()
    event.refresh_from_db()
    services.event_update(event=event, actor=coordinator, data={"time_zone": "Asia/Shanghai"})
    body = render_message(_changed()[holder.user.email]).body
    assert "is now given in China time (CST); the event starts at the same moment" in body
    assert "The time of" in body and "has changed." not in body


def test_the_daily_completion_goes_through_the_guard_and_leaves_a_record():
    ended = EventFactory(
        starts_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
        ends_at=dt.datetime(2020, 1, 1, 8, tzinfo=dt.UTC),
    )
    EventFactory(
        status=Event.Status.DRAFT,
        starts_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
        ends_at=dt.datetime(2020, 1, 1, 8, tzinfo=dt.UTC),
    )
    assert services.events_complete_ended() == 1
    ended.refresh_from_db()
    assert ended.status == Event.Status.COMPLETED
    assert AuditRecord.objects.get(verb="event.complete").actor is None


def test_an_event_is_completed_only_once_it_has_started(client, coordinator):
    coming = EventFactory(
        time_zone="Asia/Seoul",
        starts_at=dt.datetime(2030, 12, 10, 1, 0, tzinfo=dt.UTC),  # 10:00 KST
        ends_at=dt.datetime(2030, 12, 10, 8, 0, tzinfo=dt.UTC),
    )
    assert not policies.can_complete_event(coordinator, coming)
    with pytest.raises(ValidationError, match="starts on 2030-12-10 10:00") as refused:
        services.event_complete(event=coming, actor=coordinator)
    assert refused.value.code == "not_yet"
    client.force_login(coordinator)
    complete = reverse("admin:events_event_complete", args=[coming.pk])
    change = client.get(reverse("admin:events_event_change", args=[coming.pk]))
    assert complete not in change.content.decode()
    # Not yet: back to the event's page, which says when it can be.
    assert client.post(complete).url == reverse("admin:events_event_change", args=[coming.pk])
    coming.refresh_from_db()
    assert coming.status == Event.Status.PUBLISHED
    assert not AuditRecord.objects.filter(verb="event.complete").exists()

    now = timezone.now()
    under_way = EventFactory(
        starts_at=now - dt.timedelta(hours=1), ends_at=now + dt.timedelta(hours=7)
    )
    assert policies.can_complete_event(coordinator, under_way)
    change = client.get(reverse("admin:events_event_change", args=[under_way.pk]))
    complete = reverse("admin:events_event_complete", args=[under_way.pk])
    assert complete in change.content.decode()
    assert client.post(complete).status_code == 302
    under_way.refresh_from_db()
    assert under_way.status == Event.Status.COMPLETED
    assert AuditRecord.objects.get(verb="event.complete").actor == coordinator


def test_the_admin_shows_the_status_read_only_and_cancels_on_its_action_page(client, coordinator):
    event = EventFactory()
    StartupRegistrationFactory(event=event)
    client.force_login(coordinator)
    change = reverse("admin:events_event_change", args=[event.pk])
    html = client.get(change).content.decode()
    assert 'name="status"' not in html
    assert reverse("admin:events_event_cancel", args=[event.pk]) in html
    assert reverse("admin:events_event_publish", args=[event.pk]) not in html

    url = reverse("admin:events_event_cancel", args=[event.pk])
    empty = client.post(url, {"reason_ko": " ", "reason_zh": "", "reason_en": ""})
    assert empty.status_code == 200
    assert "in at least one language" in empty.content.decode()
    response = client.post(url, {"reason_en": "Snow storm."})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    assert OutboxMessage.objects.filter(kind="event_cancelled").count() == 1
    # Cancelled already (the back button): back to the event's page, nothing sent again.
    assert client.post(url, {"reason_en": "Again."}).url == change
    assert OutboxMessage.objects.filter(kind="event_cancelled").count() == 1


def test_the_cancellation_reason_is_written_per_language_and_each_reader_gets_theirs(
    client, coordinator
):
    event = EventFactory()
    korean = StartupRegistrationFactory(event=event, membership__user__language="ko")
    chinese = PartnerRegistrationFactory(event=event, person__user__language="zh-hans")
    guest = GuestRegistrationFactory(event=event, speaks_zh=True, speaks_ko=False)
    english = StartupRegistrationFactory(event=event, membership__user__language="en")
    client.force_login(coordinator)
    url = reverse("admin:events_event_cancel", args=[event.pk])
    form = client.get(url).content.decode()
    assert 'name="reason_ko"' in form and 'name="reason_zh"' in form
    assert "in their language" in form

    response = client.post(
        url,
        {"reason_ko": "연사 일정 변경으로 취소합니다.", "reason_zh": "因演讲嘉宾日程变动取消。"},
    )

    assert response.status_code == 302
    reasons = {
        m.recipient: m.payload["reason"]
        for m in OutboxMessage.objects.filter(kind="event_cancelled")
    }
    assert reasons[korean.user.email] == "연사 일정 변경으로 취소합니다."
    assert reasons[chinese.user.email] == "因演讲嘉宾日程变动取消。"
    assert reasons[guest.guest_email] == "因演讲嘉宾日程变动取消。"
    # No English text: the usual fallback gives one of the others, never nothing.
    assert reasons[english.user.email] in {
        "연사 일정 변경으로 취소합니다.",
        "因演讲嘉宾日程变动取消。",
    }
    record = AuditRecord.objects.get(verb="event.cancel")
    assert record.changes["reason"] == {
        "ko": "연사 일정 변경으로 취소합니다.",
        "zh": "因演讲嘉宾日程变动取消。",
    }


@pytest.mark.parametrize(
    ("status", "action", "why"),
    [
        ("cancelled", "publish", "This event is cancelled: it cannot be published."),
        ("published", "publish", "This event is already published."),
        ("completed", "cancel", "This event is completed: it cannot be cancelled."),
        ("draft", "complete", "This event is a draft: publish it before marking it as completed."),
        ("published", "complete", "it can be marked as completed once it has started."),
    ],
)
def test_an_action_the_status_refuses_says_why_and_is_not_offered(
    client, coordinator, status, action, why
):
    event = EventFactory(status=status)  # 30 days ahead: not started
    url = reverse(f"admin:events_event_{action}", args=[event.pk])
    client.force_login(coordinator)
    change_url = reverse("admin:events_event_change", args=[event.pk])
    # Refused for the event's state: back to the event's page, which says why.
    for refused in (
        client.get(url, follow=True),
        client.post(url, {"reason": "Snow storm."}, follow=True),
    ):
        assert refused.redirect_chain == [(change_url, 302)]
        assert why in refused.content.decode()
    change = client.get(change_url)
    assert url not in change.content.decode()
    # Refused for who they are, not for the event's state: nothing said of the event.
    client.force_login(staff(roles.VIEWER))
    refused = client.get(url)
    assert refused.status_code == 403 and why not in refused.content.decode()
    event.refresh_from_db()
    assert event.status == status


def test_an_event_added_in_the_admin_is_a_draft_published_on_its_page(client, coordinator):
    client.force_login(coordinator)
    form = {
        "kind": "roadshow",
        "title_en": "Daqing roadshow",
        "venue_zh": "大庆高新区服务中心",
        "starts_at_0": "2030-05-01",
        "starts_at_1": "10:00",
        "ends_at_0": "2030-05-01",
        "ends_at_1": "12:00",
        "time_zone": "Asia/Shanghai",
        "meeting_tables": "0",
        "interpreters_per_slot": "0",
        "status": "published",  # read-only: ignored
    }
    for prefix in ("slots", "online_sessions", "competition_rounds"):
        form |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    response = client.post(reverse("admin:events_event_add"), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get(title_en="Daqing roadshow")
    assert event.status == Event.Status.DRAFT and event.created_by == coordinator
    client.post(reverse("admin:events_event_publish", args=[event.pk]))
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    assert list(
        AuditRecord.objects.filter(object_id=str(event.pk), verb__startswith="event.")
        .order_by("pk")
        .values_list("verb", flat=True)
    ) == ["event.create", "event.publish"]


def test_the_event_page_offers_cancelling_only_when_the_service_would_accept():
    over = EventFactory(
        starts_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
        ends_at=dt.datetime(2020, 1, 1, 8, tzinfo=dt.UTC),
    )
    registration = StartupRegistrationFactory(event=over)
    assert not policies.can_cancel_registration(registration.user, registration)
    with pytest.raises(ValidationError, match="over"):
        services.registration_cancel(registration=registration, actor=registration.user)
    upcoming = StartupRegistrationFactory()
    assert policies.can_cancel_registration(upcoming.user, upcoming)
    assert not policies.can_cancel_registration(UserFactory(), upcoming)
    with pytest.raises(PermissionDenied):
        services.registration_cancel(registration=upcoming, actor=UserFactory())


def test_a_registration_corrected_in_the_admin_goes_through_the_service(client, coordinator):
    registration = GuestRegistrationFactory(name="Zhao Wie")
    client.force_login(coordinator)
    url = reverse("admin:events_registration_change", args=[registration.pk])
    response = client.post(
        url, {"name": "Zhao Wei", "affiliation": registration.affiliation, "speaks_zh": "on"}
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.name == "Zhao Wei"
    record = AuditRecord.objects.get(verb="registration.update")
    assert record.actor == coordinator and record.changes["name"] == ["Zhao Wie", "Zhao Wei"]
    delete = reverse("admin:events_registration_delete", args=[registration.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403


def test_a_delegation_saved_in_the_admin_with_its_members_leaves_one_record(client, coordinator):
    client.force_login(coordinator)
    form = {
        "name_en": "Gyeonggi founders' visit",
        "arrives_at_0": "2030-07-28",
        "arrives_at_1": "14:00",
        "departs_at_0": "2030-08-02",
        "departs_at_1": "10:00",
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "0",
        "members-0-name": "Jeong Han-gyeol",
        "members-0-role": "leader",
        "programme-TOTAL_FORMS": "0",
        "programme-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:events_delegation_add"), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    delegation = Delegation.objects.get()
    assert delegation.members.get().name == "Jeong Han-gyeol"
    record = AuditRecord.objects.get(verb="delegation.create")
    assert record.object_id == str(delegation.pk)
    assert record.changes["delegationmember"]["added"] == [delegation.members.get().pk]
