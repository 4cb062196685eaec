"""Registering for events: who registers as what, capacity and the waitlist, cancelling,
e-mails in the registrant's language and zone, and the refusals a person reads."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from events import services
from events.models import Event, Registration
from incubator import roles
from incubator.models import OutboxMessage
from incubator.services import render_message
from tests.companies.factories import (
    PASSWORD,
    MembershipFactory,
    StaffFactory,
    UserFactory,
    staff_in,
)
from tests.events.factories import EventFactory, PartnerPersonFactory

pytestmark = pytest.mark.django_db

SEOUL_10AM = dt.datetime(2026, 12, 10, 1, 0, tzinfo=dt.UTC)  # 10:00 KST, 09:00 CST


def member(**user_fields):
    return MembershipFactory(user=UserFactory(**user_fields)).user


def outbox(kind, user):
    return OutboxMessage.objects.filter(kind=kind, recipient=user.email)


def test_a_startup_member_registers_for_their_company_in_the_languages_they_tick():
    event = EventFactory()
    user = member(full_name="Nam Jeong-hwa")

    registration = services.registration_create(event=event, user=user, languages={"ko", "zh"})

    assert registration.status == Registration.Status.REGISTERED
    assert registration.kind == Registration.Kind.STARTUP
    assert registration.company == user.membership.company
    assert registration.partner_organisation is None
    assert registration.name == "Nam Jeong-hwa"
    assert registration.languages == {"ko", "zh"}
    assert len(registration.badge_code) == 10
    assert outbox("event_registered", user).count() == 1


def test_a_partner_person_registers_for_their_organisation_with_their_languages():
    event = EventFactory()
    person = PartnerPersonFactory(speaks_zh=True, speaks_en=False, speaks_ko=True)

    registration = services.registration_create(event=event, user=person.user)

    assert registration.kind == Registration.Kind.PARTNER
    assert registration.partner_organisation == person.organisation
    assert registration.company is None
    assert registration.languages == {"zh", "ko"}
    assert registration.affiliation == person.organisation.name


def test_someone_of_no_startup_and_no_partner_cannot_register():
    with pytest.raises(ValidationError, match="Only members of a startup"):
        services.registration_create(event=EventFactory(), user=UserFactory())
    assert not Registration.objects.exists()


def test_when_the_event_is_full_people_queue_on_the_waitlist_in_order():
    event = EventFactory(capacity=2)
    people = [member() for _ in range(4)]

    registrations = [services.registration_create(event=event, user=user) for user in people]

    assert [r.status for r in registrations] == [
        "registered",
        "registered",
        "waitlisted",
        "waitlisted",
    ]
    assert [r.waitlist_position for r in registrations] == [None, None, 1, 2]
    waitlisted = outbox("event_waitlisted", people[2]).get()
    assert waitlisted.payload["waitlist_position"] == 1


def test_a_freed_place_goes_to_the_first_on_the_waitlist_who_is_told():
    event = EventFactory(capacity=1)
    first, second, third = member(), member(), member()
    taken = services.registration_create(event=event, user=first)
    services.registration_create(event=event, user=second)
    services.registration_create(event=event, user=third)

    services.registration_cancel(registration=taken, actor=first)

    statuses = dict(Registration.objects.values_list("user_id", "status"))
    assert statuses == {first.pk: "cancelled", second.pk: "registered", third.pk: "waitlisted"}
    assert Registration.objects.get(user=second).waitlist_position is None
    assert outbox("event_promoted", second).count() == 1
    assert outbox("event_promoted", third).count() == 0
    assert outbox("registration_cancelled", first).count() == 1


def test_leaving_the_waitlist_frees_no_place():
    event = EventFactory(capacity=1)
    holder, waiting = member(), member()
    services.registration_create(event=event, user=holder)
    queued = services.registration_create(event=event, user=waiting)

    services.registration_cancel(registration=queued, actor=waiting)

    queued.refresh_from_db()
    assert queued.status == "cancelled" and queued.waitlist_position is None
    assert Registration.objects.get(user=holder).status == "registered"


def waitlist(event):
    return list(
        event.registrations.filter(status="waitlisted")
        .order_by("waitlist_position")
        .values_list("user", "waitlist_position")
    )


def test_after_a_promotion_the_waitlist_is_numbered_again_from_1():
    event = EventFactory(capacity=1)
    holder, first, second, third = member(), member(), member(), member()
    taken = services.registration_create(event=event, user=holder)
    for user in (first, second, third):
        services.registration_create(event=event, user=user)

    services.registration_cancel(registration=taken, actor=holder)

    assert Registration.objects.get(user=first).status == "registered"
    assert waitlist(event) == [(second.pk, 1), (third.pk, 2)]
    latecomer = services.registration_create(event=event, user=member())
    assert latecomer.waitlist_position == 3


def test_leaving_the_waitlist_moves_those_behind_up_one_place():
    event = EventFactory(capacity=1)
    holder, first, second, third = member(), member(), member(), member()
    services.registration_create(event=event, user=holder)
    queued = [services.registration_create(event=event, user=u) for u in (first, second, third)]

    services.registration_cancel(registration=queued[1], actor=second)

    assert waitlist(event) == [(first.pk, 1), (third.pk, 2)]
    assert Registration.objects.get(user=holder).status == "registered"
    services.registration_cancel(registration=queued[0], actor=first)
    assert waitlist(event) == [(third.pk, 1)]


def test_the_waitlist_moves_up_whatever_order_postgresql_keeps_its_rows_in():
    event = EventFactory(capacity=1)
    holder, first, second, third = member(), member(), member(), member()
    taken = services.registration_create(event=event, user=holder)
    queued = [services.registration_create(event=event, user=u) for u in (first, second, third)]
    # A corrected badge name writes the second's row anew, after the third's: one
    # "position - 1" UPDATE would move the third to 2 while the second still holds it.
    services.registration_update(
        registration=queued[1], actor=staff_in(roles.EVENT_COORDINATOR), data={"name": "Ji-woo"}
    )

    services.registration_cancel(registration=taken, actor=holder)

    assert waitlist(event) == [(second.pk, 1), (third.pk, 2)]


def test_registering_again_after_cancelling_reuses_the_row_and_the_badge():
    event = EventFactory()
    user = member()
    first = services.registration_create(event=event, user=user)
    services.registration_cancel(registration=first, actor=user)

    again = services.registration_create(event=event, user=user)

    assert again.pk == first.pk
    assert again.badge_code == first.badge_code
    assert again.status == "registered" and again.cancelled_at is None
    assert Registration.objects.count() == 1
    assert outbox("event_registered", user).count() == 2


def test_a_second_registration_is_refused_and_changes_nothing():
    event = EventFactory()
    user = member()
    services.registration_create(event=event, user=user)

    with pytest.raises(ValidationError, match="registered for this event already"):
        services.registration_create(event=event, user=user)
    assert Registration.objects.count() == 1
    assert outbox("event_registered", user).count() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"status": Event.Status.CANCELLED}, "This event is cancelled."),
        ({"status": Event.Status.DRAFT}, "not open for registration"),
        (
            {"registration_deadline": timezone.now() - dt.timedelta(hours=1)},
            "Registration closed on",
        ),
        (
            {
                "starts_at": timezone.now() - dt.timedelta(days=2),
                "ends_at": timezone.now() - dt.timedelta(days=1),
            },
            "This event is over.",
        ),
    ],
)
def test_a_closed_event_refuses_registration_with_the_reason(fields, message):
    event = EventFactory(**fields)
    with pytest.raises(ValidationError, match=message):
        services.registration_create(event=event, user=member())
    assert not Registration.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_the_e_mail_speaks_the_registrants_language_and_shows_their_time():
    event = EventFactory(
        starts_at=SEOUL_10AM,
        ends_at=SEOUL_10AM + dt.timedelta(hours=2),
        time_zone="Asia/Seoul",
        title_ko="서울 로드쇼",
        title_zh="首尔路演",
        title_en="Seoul roadshow",
    )
    person = PartnerPersonFactory(user__language="zh-hans", user__time_zone="Asia/Shanghai")

    services.registration_create(event=event, user=person.user)

    message = outbox("event_registered", person.user).get()
    assert message.language == "zh-hans"
    assert message.payload["event"] == "首尔路演"
    assert "10:00–12:00 韩国时间（KST）" in message.payload["when"]
    assert "09:00–11:00 北京时间（CST）" in message.payload["when"]
    email = render_message(message)
    assert "首尔路演" in email.subject
    assert message.payload["badge_code"] in email.body
    assert f"/portal/events/{event.pk}/" in email.body


@pytest.mark.parametrize("kind", ["event_waitlisted", "event_promoted", "registration_cancelled"])
def test_every_registration_e_mail_renders(kind):
    event = EventFactory(capacity=1)
    holder, waiting = member(), member()
    taken = services.registration_create(event=event, user=holder)
    services.registration_create(event=event, user=waiting)
    services.registration_cancel(registration=taken, actor=holder)

    message = OutboxMessage.objects.get(kind=kind)
    email = render_message(message)
    assert event.title_en in email.subject
    assert "China time (CST)" in email.body


def test_the_cancellation_e_mail_offers_registering_again_only_while_registration_is_open():
    event = EventFactory()
    early, late = member(), member()
    services.registration_cancel(
        registration=services.registration_create(event=event, user=early), actor=early
    )
    taken = services.registration_create(event=event, user=late)
    Event.objects.filter(pk=event.pk).update(registration_deadline=timezone.now())
    services.registration_cancel(registration=taken, actor=late)

    open_body = render_message(outbox("registration_cancelled", early).get()).body
    closed_body = render_message(outbox("registration_cancelled", late).get()).body
    assert "You may register again" in open_body
    assert "You may register again" not in closed_body
    assert "is cancelled. The event page:" in closed_body


def test_staff_register_a_guest_who_takes_a_place_like_everyone():
    event = EventFactory(capacity=1)
    services.registration_create(event=event, user=member())

    guest = services.registration_create_guest(
        event=event,
        name="  Zhao  Wei ",
        email="zhao@hit.example.cn",
        affiliation="Harbin Institute of Technology",
        languages={"zh"},
        actor=staff_in(roles.EVENT_COORDINATOR),
    )

    assert guest.kind == "guest" and guest.user is None
    assert guest.status == "waitlisted" and guest.waitlist_position == 1
    assert guest.search_name == "zhao wei"
    assert OutboxMessage.objects.filter(kind="event_waitlisted", recipient="zhao@hit.example.cn")
    with pytest.raises(ValidationError, match="already registered"):
        services.registration_create_guest(
            event=event,
            name="Zhao Wei",
            email="ZHAO@hit.example.cn",
            actor=staff_in(roles.EVENT_COORDINATOR),
        )


def test_only_staff_who_add_registrations_register_a_guest():
    event = EventFactory()
    for actor in (staff_in(roles.VIEWER), staff_in(roles.PROGRAM_OFFICER), StaffFactory()):
        with pytest.raises(PermissionDenied):
            services.registration_create_guest(
                event=event, name="Zhao Wei", email="zhao@hit.example.cn", actor=actor
            )
    assert not event.registrations.exists()


def test_staff_registering_someone_twice_are_told_the_persons_name_not_you():
    event = EventFactory(capacity=1)
    coordinator = staff_in(roles.EVENT_COORDINATOR)
    first, second = member(full_name="Li Na"), member()
    services.registration_create(event=event, user=first, actor=coordinator)
    waitlisted = services.registration_create(event=event, user=second, actor=coordinator)

    with pytest.raises(ValidationError) as registered:
        services.registration_create(event=event, user=first, actor=coordinator)
    with pytest.raises(ValidationError) as on_the_list:
        services.registration_create(event=event, user=second, actor=coordinator)
    with pytest.raises(ValidationError, match="You are registered for this event already."):
        services.registration_create(event=event, user=first)

    assert registered.value.messages == ["Li Na is already registered for this event."]
    assert on_the_list.value.messages == [
        f"{waitlisted.name} is on the waitlist of this event already (position 1)."
    ]


def test_raising_the_capacity_gives_the_new_places_to_the_waitlist():
    event = EventFactory(capacity=1)
    people = [member() for _ in range(3)]
    for user in people:
        services.registration_create(event=event, user=user)
    Event.objects.filter(pk=event.pk).update(capacity=2)

    promoted = services.event_fill_places(event=event)

    assert [r.user for r in promoted] == [people[1]]
    assert Registration.objects.get(user=people[2]).status == "waitlisted"


# --- The pages ----------------------------------------------------------------------------


def sign_in(client, user):
    # client.login() authenticates without a request, which django-axes refuses.
    with override_settings(AXES_ENABLED=False):
        assert client.login(username=user.email, password=PASSWORD)


def test_a_member_registers_from_the_event_page_and_sees_their_badge_link(client):
    event = EventFactory()
    user = member()
    sign_in(client, user)

    response = client.post(
        reverse("events:event-register", args=[event.pk]),
        {"speaks_ko": "on", "speaks_en": "on"},
        follow=True,
    )

    html = response.content.decode()
    registration = Registration.objects.get(event=event, user=user)
    assert "You are registered for" in html and registration.badge_code in html
    assert reverse("events:badge", args=[registration.pk]) in html
    assert registration.languages == {"ko", "en"}


def test_a_member_who_ticks_no_language_is_asked_and_nothing_is_saved(client):
    event = EventFactory()
    sign_in(client, member())

    response = client.post(reverse("events:event-register", args=[event.pk]), {})

    assert response.status_code == 400
    assert "Tick at least one language" in response.content.decode()
    assert not Registration.objects.exists()


def test_a_full_event_puts_the_registrant_on_the_waitlist_and_says_so(client):
    event = EventFactory(capacity=1)
    services.registration_create(event=event, user=member())
    sign_in(client, PartnerPersonFactory().user)

    response = client.post(reverse("events:event-register", args=[event.pk]), follow=True)

    assert "you are on the waitlist, position 1" in response.content.decode()


def test_registering_twice_from_the_page_shows_the_reason(client):
    event = EventFactory()
    user = PartnerPersonFactory().user
    services.registration_create(event=event, user=user)
    sign_in(client, user)

    response = client.post(reverse("events:event-register", args=[event.pk]))

    assert response.status_code == 400
    assert "You are registered for this event already." in response.content.decode()
    assert Registration.objects.count() == 1


def test_registration_past_the_deadline_is_refused_in_the_users_language(client):
    event = EventFactory(registration_deadline=timezone.now() - dt.timedelta(minutes=5))
    user = PartnerPersonFactory(user__language="ko").user
    sign_in(client, user)

    response = client.post(reverse("events:event-register", args=[event.pk]))

    html = response.content.decode()
    assert response.status_code == 400
    assert '<html lang="ko">' in html
    with translation.override("ko"):
        closed = gettext("Registration closed on %(when)s.").split("%(when)s")[0]
    assert closed in html
    assert not Registration.objects.exists()


def test_a_draft_event_cannot_be_registered_for_from_the_portal(client):
    event = EventFactory(status=Event.Status.DRAFT)
    sign_in(client, member())

    response = client.post(reverse("events:event-register", args=[event.pk]), {"speaks_ko": "on"})

    assert response.status_code == 404
    assert not Registration.objects.exists()


def test_registering_needs_a_sign_in(client):
    event = EventFactory()
    response = client.post(reverse("events:event-register", args=[event.pk]))
    assert response.status_code == 302 and "/portal/sign-in/" in response["Location"]


def test_a_person_cancels_from_the_event_page_and_the_waitlist_moves_up(client):
    event = EventFactory(capacity=1)
    holder, waiting = PartnerPersonFactory().user, member()
    services.registration_create(event=event, user=holder)
    services.registration_create(event=event, user=waiting)
    sign_in(client, holder)

    response = client.post(reverse("events:registration-cancel", args=[event.pk]), follow=True)

    assert "is cancelled" in response.content.decode()
    assert Registration.objects.get(user=waiting).status == "registered"


def test_the_cancelled_message_names_the_event_by_its_title_as_the_register_message_does(
    client,
):
    event = EventFactory(title_en="Harbin roadshow")
    holder = PartnerPersonFactory(user__language="en").user
    services.registration_create(event=event, user=holder)
    sign_in(client, holder)

    response = client.post(reverse("events:registration-cancel", args=[event.pk]), follow=True)

    # Not the event's str(), "Harbin roadshow (2026-…)": its date is the admin's.
    assert "Your registration for Harbin roadshow is cancelled." in response.content.decode()


def test_nobody_cancels_someone_elses_registration(client):
    event = EventFactory()
    services.registration_create(event=event, user=member())
    sign_in(client, member())

    response = client.post(reverse("events:registration-cancel", args=[event.pk]))

    assert response.status_code == 404
    assert Registration.objects.get().status == "registered"


def test_the_daily_task_marks_ended_events_completed():
    from events.tasks import events_complete_ended_task

    ended = EventFactory(
        starts_at=timezone.now() - dt.timedelta(days=1, hours=3),
        ends_at=timezone.now() - dt.timedelta(days=1),
    )
    coming = EventFactory()
    draft = EventFactory(
        status=Event.Status.DRAFT,
        starts_at=timezone.now() - dt.timedelta(days=3),
        ends_at=timezone.now() - dt.timedelta(days=2),
    )

    assert events_complete_ended_task.delay().get() == 1

    statuses = dict(Event.objects.values_list("pk", "status"))
    assert statuses == {ended.pk: "completed", coming.pk: "published", draft.pk: "draft"}
    assert events_complete_ended_task.delay().get() == 0
