"""The events pages as people see them: the list, an event in their language and zone,
online sessions, badges, delegation programmes and attendance."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from events import policies, services
from events.models import (
    Delegation,
    DelegationMember,
    DelegationProgrammeItem,
    Event,
    SessionAttendance,
)
from events.online import services as online
from incubator import roles
from incubator.models import OutboxMessage
from tests.companies.factories import MembershipFactory, StaffFactory, UserFactory
from tests.events.factories import (
    EventFactory,
    GuestRegistrationFactory,
    OnlineSessionFactory,
    PartnerPersonFactory,
    PartnerRegistrationFactory,
    StartupRegistrationFactory,
)

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 12, 10, 2, 0, tzinfo=dt.UTC)  # 10:00 in Harbin, 11:00 in Seoul


@pytest.fixture(autouse=True)
def role_groups():
    roles.sync_role_permissions()


def staff(role=roles.EVENT_COORDINATOR):
    user = StaffFactory()
    user.groups.add(Group.objects.get(name=role))
    return user


def page(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- The list -------------------------------------------------------------------------------


def test_visitors_see_the_published_upcoming_events_soonest_first(client):
    later = EventFactory(title_en="Later roadshow", starts_at=START + dt.timedelta(days=30))
    sooner = EventFactory(title_en="Sooner matching session", starts_at=START)
    EventFactory(title_en="A draft", status=Event.Status.DRAFT)
    EventFactory(title_en="A cancelled one", status=Event.Status.CANCELLED)
    EventFactory(
        title_en="Last year's",
        status=Event.Status.COMPLETED,
        starts_at=timezone.now() - dt.timedelta(days=365),
        ends_at=timezone.now() - dt.timedelta(days=364),
    )
    client.cookies["lang"] = "en"

    html = page(client, reverse("events:event-list"))

    assert html.index(sooner.title_en) < html.index(later.title_en)
    assert "A draft" not in html and "A cancelled one" not in html and "Last year" not in html


def test_a_card_without_a_capacity_says_there_is_no_limit_on_places(client):
    EventFactory(title_en="Busan roadshow", capacity=None)
    client.cookies["lang"] = "en"

    html = page(client, reverse("events:event-list"))

    assert '<p class="places">No limit on places</p>' in html


def test_a_card_says_registration_is_closed_once_the_deadline_has_passed(client):
    now = timezone.now()
    closed = dict(registration_deadline=now - dt.timedelta(hours=2))
    EventFactory(title_en="Busan roadshow", capacity=None, **closed)
    EventFactory(title_en="Full roadshow", capacity=10, **closed)
    EventFactory(title_en="Open roadshow", capacity=10)
    client.cookies["lang"] = "en"

    html = page(client, reverse("events:event-list"))

    # The detail page's rule (`Event.is_registration_open`), whatever the places.
    assert html.count('<p class="places">Registration closed</p>') == 2
    assert '<p class="places">10 places left</p>' in html


def test_the_list_filters_by_kind(client):
    EventFactory(kind=Event.Kind.ROADSHOW, title_en="Busan roadshow")
    EventFactory(kind=Event.Kind.COMPETITION, title_en="Startup competition")
    client.cookies["lang"] = "en"

    html = page(client, reverse("events:event-list"), kind="roadshow")

    assert "Busan roadshow" in html and "Startup competition" not in html


def test_the_list_shows_places_left_and_a_full_event(client):
    roomy = EventFactory(capacity=5, title_en="Roomy")
    full = EventFactory(capacity=1, title_en="Full")
    StartupRegistrationFactory(event=roomy)
    StartupRegistrationFactory(event=full)
    client.cookies["lang"] = "en"

    html = page(client, reverse("events:event-list"))

    assert "4 places left" in html
    assert "Full: waitlist open" in html


def test_the_list_costs_the_same_queries_for_many_events(client, django_assert_num_queries):
    EventFactory.create_batch(25, capacity=10)
    client.cookies["lang"] = "en"
    # 1 count for the pager + 1 page of events with their registration counts
    with django_assert_num_queries(2):
        client.get(reverse("events:event-list"))


def test_the_header_links_to_the_events(client):
    html = page(client, reverse("landing"))
    assert f'href="{reverse("events:event-list")}"' in html


# --- An event -------------------------------------------------------------------------------


def harbin_session(**fields):
    values = {
        "starts_at": START,
        "ends_at": START + dt.timedelta(hours=2),
        "time_zone": "Asia/Shanghai",
        "title_ko": "하얼빈 매칭 세션",
        "title_zh": "哈尔滨对接会",
        "title_en": "Harbin matching session",
        "description_ko": "한국 스타트업과 헤이룽장 파트너의 1:1 미팅",
        "description_en": "One-to-one meetings.",
        "capacity": 40,
    }
    return EventFactory(**(values | fields))


def test_a_signed_in_person_sees_the_time_in_the_events_zone_and_their_own(client):
    event = harbin_session()
    client.force_login(UserFactory(time_zone="Asia/Seoul", language="en"))

    html = page(client, reverse("events:event-detail", args=[event.pk]))

    assert (
        '<span class="nowrap">2026-12-10 10:00–12:00</span> '
        '<span class="nowrap">China time (CST) ·</span> '
        '<span class="nowrap">your time: 11:00–13:00</span> '
        '<span class="nowrap">Korea time (KST)</span>' in html
    )


def test_a_visitor_sees_the_events_zone_and_the_other_centers_zone(client):
    event = harbin_session()
    html = page(client, reverse("events:event-detail", args=[event.pk]))
    assert (
        '10:00–12:00</span> <span class="nowrap">중국 시간(CST) ·</span> '
        '<span class="nowrap">11:00–13:00</span> <span class="nowrap">한국 시간(KST)</span>' in html
    )
    assert "내 시간대" not in html and "your time" not in html


def test_someone_in_the_events_zone_sees_the_time_once(client):
    event = harbin_session()
    client.force_login(UserFactory(time_zone="Asia/Shanghai"))
    html = page(client, reverse("events:event-detail", args=[event.pk]))
    assert '10:00–12:00</span> <span class="nowrap">China time (CST)</span></dd>' in html


@pytest.mark.parametrize(
    ("language", "title", "description"),
    [
        ("ko", "하얼빈 매칭 세션", "한국 스타트업과"),
        ("zh-hans", "哈尔滨对接会", "One-to-one meetings."),  # no Chinese description: English
        ("en", "Harbin matching session", "One-to-one meetings."),
    ],
)
def test_the_event_speaks_the_viewers_language(client, language, title, description):
    event = harbin_session()
    client.cookies["lang"] = language

    html = page(client, reverse("events:event-detail", args=[event.pk]))

    assert f'<html lang="{language}">' in html
    assert f"<h1>{title}</h1>" in html
    assert description in html


def test_a_visitor_is_invited_to_sign_in_to_register_and_sees_places_left(client):
    event = harbin_session(capacity=3)
    StartupRegistrationFactory(event=event)
    client.cookies["lang"] = "en"

    html = page(client, reverse("events:event-detail", args=[event.pk]))

    assert "Sign in to register" in html
    assert "2 places left of 3" in html


def test_a_startup_member_is_asked_for_languages_and_a_partner_only_to_confirm(client):
    event = harbin_session()
    url = reverse("events:event-detail", args=[event.pk])

    client.force_login(MembershipFactory().user)
    assert 'name="speaks_zh"' in page(client, url)

    client.force_login(PartnerPersonFactory().user)
    html = page(client, url)
    assert 'name="speaks_zh"' not in html and ">Register<" in html


def test_someone_without_company_or_partner_is_told_who_registers(client):
    client.force_login(UserFactory())
    html = page(client, reverse("events:event-detail", args=[harbin_session().pk]))
    assert "Registration is for members of a startup" in html


def test_a_full_event_offers_the_waitlist(client):
    event = harbin_session(capacity=1)
    StartupRegistrationFactory(event=event)
    client.force_login(PartnerPersonFactory().user)
    html = page(client, reverse("events:event-detail", args=[event.pk]))
    assert "Join the waitlist" in html and "new registrations go on the waitlist" in html


def test_a_closed_registration_says_so_and_offers_no_button(client):
    event = harbin_session(registration_deadline=timezone.now() - dt.timedelta(hours=1))
    client.force_login(PartnerPersonFactory().user)
    html = page(client, reverse("events:event-detail", args=[event.pk]))
    assert "Registration is closed." in html and ">Register<" not in html


def test_a_draft_is_a_404_except_for_staff(client):
    event = harbin_session(status=Event.Status.DRAFT)
    url = reverse("events:event-detail", args=[event.pk])

    assert client.get(url).status_code == 404
    client.force_login(MembershipFactory().user)
    assert client.get(url).status_code == 404
    client.force_login(staff())
    assert "only staff see this event" in page(client, url)


def test_a_registrant_reads_that_their_event_is_cancelled(client):
    event = harbin_session()
    person = PartnerPersonFactory()
    services.registration_create(event=event, user=person.user)
    Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)
    client.force_login(person.user)

    html = page(client, reverse("events:event-detail", args=[event.pk]))

    assert "This event is cancelled." in html
    client.force_login(PartnerPersonFactory().user)
    assert client.get(reverse("events:event-detail", args=[event.pk])).status_code == 404


def test_staff_see_counts_and_the_door_page_link(client):
    event = harbin_session(capacity=1)
    StartupRegistrationFactory(event=event)
    GuestRegistrationFactory(event=event, status="waitlisted", waitlist_position=1)
    client.force_login(staff())

    html = page(client, reverse("events:event-detail", args=[event.pk]))

    assert "1 registered, 1 on the waitlist." in html
    assert reverse("events:check-in", args=[event.pk]) in html


# --- Online programmes ------------------------------------------------------------------------


def test_session_links_are_shown_to_registered_people_only(client):
    session = OnlineSessionFactory(link="https://meeting.example.cn/j/424242")
    event = session.event
    url = reverse("events:event-detail", args=[event.pk])

    assert session.title_ko in page(client, url)
    assert "424242" not in page(client, url)

    person = PartnerPersonFactory()
    client.force_login(person.user)
    assert "424242" not in page(client, url)

    services.registration_create(event=event, user=person.user)
    assert "https://meeting.example.cn/j/424242" in page(client, url)


def test_staff_record_who_attended_a_session(client):
    session = OnlineSessionFactory()
    came = StartupRegistrationFactory(event=session.event, name="Came Along")
    missed = StartupRegistrationFactory(event=session.event, name="Missed It")
    StartupRegistrationFactory(name="Other programme")
    coordinator = staff()
    client.force_login(coordinator)
    url = reverse("events:session-attendance", args=[session.event_id, session.pk])

    html = page(client, url)
    assert "Came Along" in html and "Missed It" in html and "Other programme" not in html

    response = client.post(url, {"attendees": [came.pk]}, follow=True)

    assert "1 added, 0 removed" in response.content.decode()
    attendance = SessionAttendance.objects.get()
    assert attendance.registration == came and attendance.recorded_by == coordinator
    assert missed.pk not in SessionAttendance.objects.values_list("registration_id", flat=True)

    client.post(url, {"attendees": [missed.pk]})
    assert list(SessionAttendance.objects.values_list("registration_id", flat=True)) == [missed.pk]


def test_the_attendance_page_gives_the_session_in_the_event_zone_and_the_reader(client):
    session = OnlineSessionFactory(event__time_zone="Asia/Seoul")
    coordinator = staff()
    coordinator.time_zone = "Asia/Shanghai"
    coordinator.save(update_fields=["time_zone"])
    client.force_login(coordinator)

    html = page(client, reverse("events:session-attendance", args=[session.event_id, session.pk]))

    when = html.split("Attendance: ", 1)[1].split("</p>", 1)[0]
    assert "Korea time (KST)" in when and "China time (CST)" in when


def test_attendance_of_someone_not_registered_for_the_programme_is_refused(client):
    session = OnlineSessionFactory()
    stranger = StartupRegistrationFactory()
    client.force_login(staff())

    response = client.post(
        reverse("events:session-attendance", args=[session.event_id, session.pk]),
        {"attendees": [stranger.pk]},
    )

    assert response.status_code == 400
    assert not SessionAttendance.objects.exists()


def test_a_member_cannot_record_attendance(client):
    session = OnlineSessionFactory()
    client.force_login(MembershipFactory().user)
    url = reverse("events:session-attendance", args=[session.event_id, session.pk])
    assert client.get(url).status_code == 403


def test_only_staff_who_add_attendance_record_it_whoever_calls_the_service():
    session = OnlineSessionFactory()
    came = StartupRegistrationFactory(event=session.event)
    for actor in (staff(roles.VIEWER), staff(roles.PROGRAM_OFFICER), MembershipFactory().user):
        with pytest.raises(PermissionDenied):
            online.session_attendance_set(session=session, registration_ids=[came.pk], actor=actor)
    assert not SessionAttendance.objects.exists()
    assert online.session_attendance_set(
        session=session, registration_ids=[came.pk], actor=staff()
    ) == (1, 0)


# --- Badges -----------------------------------------------------------------------------------


def test_the_holder_sees_a_printable_badge_with_a_qr_code(client):
    registration = StartupRegistrationFactory(name="Nam Jeong-hwa")
    client.force_login(registration.user)
    client.cookies["lang"] = "en"

    html = page(client, reverse("events:badge", args=[registration.pk]))

    assert "Nam Jeong-hwa" in html
    assert registration.company.name_en in html
    assert registration.event.title_en in html
    assert f'<p class="badge-code" id="badge-code">{registration.badge_code}</p>' in html
    assert '<svg class="qr" role="img"' in html and "<path" in html
    assert "data-print" in html


def test_a_badge_is_no_one_elses_business(client):
    registration = StartupRegistrationFactory()
    url = reverse("events:badge", args=[registration.pk])

    assert client.get(url).status_code == 302
    client.force_login(MembershipFactory().user)
    assert client.get(url).status_code == 404
    client.force_login(staff(roles.EVENT_COORDINATOR))
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("role", [roles.VIEWER, roles.PROGRAM_OFFICER])
def test_staff_who_only_read_registrations_print_nobodys_badge(client, role):
    # The county liaison (and the officer, who checks nobody in) reads the registrations,
    # not the badges: a badge's code and QR code are what the door scans.
    registration = StartupRegistrationFactory()
    client.force_login(staff(role))
    client.cookies["lang"] = "en"

    refused = client.get(reverse("events:badge", args=[registration.pk]))
    assert refused.status_code == 403
    assert "Badges are printed by the staff who check people in." in refused.content.decode()
    shown = page(client, reverse("admin:events_registration_change", args=[registration.pk]))
    assert reverse("events:badge", args=[registration.pk]) not in shown
    # The registration itself is read as before, but not its badge's code: who holds the
    # code can remake the QR code the door scans.
    assert registration.name in shown and registration.badge_code not in shown
    listed = page(client, reverse("admin:events_registration_changelist"))
    assert registration.name in listed
    assert registration.badge_code not in listed and "field-badge_code" not in listed
    assert "a badge code" not in listed  # the search's help offers no search by code
    # Nor does the search say whose a code is.
    found = page(client, reverse("admin:events_registration_changelist"), q=registration.badge_code)
    assert registration.name not in found


def test_staff_at_the_door_read_and_search_the_badge_codes_in_the_admin(client):
    registration = StartupRegistrationFactory()
    client.force_login(staff(roles.EVENT_COORDINATOR))
    client.cookies["lang"] = "en"

    record = page(client, reverse("admin:events_registration_change", args=[registration.pk]))
    assert registration.badge_code in record
    assert reverse("events:badge", args=[registration.pk]) in record
    listed = page(client, reverse("admin:events_registration_changelist"))
    assert registration.badge_code in listed and "a badge code" in listed
    found = page(client, reverse("admin:events_registration_changelist"), q=registration.badge_code)
    assert registration.name in found


def test_a_staff_member_who_reads_no_badge_reads_their_own_in_the_admin(client):
    viewer = staff(roles.VIEWER)
    registration = StartupRegistrationFactory(user=viewer)
    client.force_login(viewer)

    record = page(client, reverse("admin:events_registration_change", args=[registration.pk]))
    assert registration.badge_code in record


def test_staff_print_a_guests_badge(client):
    guest = GuestRegistrationFactory(name="Zhao Wei", affiliation="Harbin Institute of Technology")
    client.force_login(staff())
    html = page(client, reverse("events:badge", args=[guest.pk]))
    assert "Zhao Wei" in html and "Harbin Institute of Technology" in html


def test_my_events_lists_my_registrations_with_badges_and_the_agenda_link(client):
    person = PartnerPersonFactory()
    event = harbin_session()
    registration = services.registration_create(event=event, user=person.user)
    client.force_login(person.user)
    client.cookies["lang"] = "en"

    html = page(client, reverse("events:my-events"))

    assert "Harbin matching session" in html
    assert reverse("events:badge", args=[registration.pk]) in html
    assert reverse("events:my-agenda-ics") in html


def test_my_events_lists_the_next_event_first_and_the_last_one_first(client):
    person = PartnerPersonFactory()
    now = timezone.now()
    titles = {}
    for days in (-300, -20, -90, 40, 7):
        starts_at = now + dt.timedelta(days=days)
        event = EventFactory(
            title_en=f"Session in {days} days",
            starts_at=starts_at,
            status=Event.Status.COMPLETED if days < 0 else Event.Status.PUBLISHED,
        )
        PartnerRegistrationFactory(event=event, person=person)
        titles[days] = event.title_en
    client.force_login(person.user)
    client.cookies["lang"] = "en"

    html = page(client, reverse("events:my-events"))

    order = sorted(titles, key=lambda days: html.index(titles[days]))
    assert order == [7, 40, -20, -90, -300]


# --- Delegations ------------------------------------------------------------------------------


def delegation():
    event = EventFactory(
        kind=Event.Kind.DELEGATION_VISIT,
        time_zone="Asia/Shanghai",
        starts_at=dt.datetime(2020, 7, 28, 0, 0, tzinfo=dt.UTC),
        ends_at=dt.datetime(2020, 8, 12, 10, 0, tzinfo=dt.UTC),
        status=Event.Status.COMPLETED,
    )
    visit = Delegation.objects.create(
        name_en="Korea Accelerator Association delegation",
        event=event,
        arrives_at=dt.datetime(2020, 7, 28, 6, 0, tzinfo=dt.UTC),
        departs_at=dt.datetime(2020, 8, 12, 2, 0, tzinfo=dt.UTC),
    )
    DelegationMember.objects.create(
        delegation=visit, name="Chairman", role=DelegationMember.Role.LEADER
    )
    DelegationProgrammeItem.objects.create(
        delegation=visit,
        title_en="Founding ceremony of the centers",
        starts_at=dt.datetime(2020, 8, 10, 1, 30, tzinfo=dt.UTC),  # 09:30 in Harbin
        ends_at=dt.datetime(2020, 8, 10, 3, 0, tzinfo=dt.UTC),
        place_en="Binxian",
    )
    return visit


def test_staff_print_a_delegations_programme_in_the_events_zone(client):
    visit = delegation()
    client.force_login(staff(roles.VIEWER))
    client.cookies["lang"] = "en"

    html = page(client, reverse("events:delegation-programme", args=[visit.pk]))

    assert "Founding ceremony of the centers" in html
    assert "09:30–11:00" in html
    assert "2020-08-10" in html
    assert "Chairman" in html and "All times in China time (CST)." in html


def test_a_delegation_programme_is_staff_only(client):
    visit = delegation()
    url = reverse("events:delegation-programme", args=[visit.pk])
    client.force_login(MembershipFactory().user)
    assert client.get(url).status_code == 403


# --- The registration's state on the event page -------------------------------------------


def registration_section(client, event) -> str:
    html = page(client, reverse("events:event-detail", args=[event.pk]))
    return html.split('id="registration"', 1)[1].split("</section>", 1)[0]


def test_a_checked_in_person_reads_that_they_are_in_and_is_offered_no_register_button(client):
    event = harbin_session()
    person = PartnerPersonFactory()
    registration = services.registration_create(event=event, user=person.user)
    registration.checked_in_at = timezone.now()
    registration.save(update_fields=["checked_in_at"])
    client.force_login(person.user)

    section = registration_section(client, event)

    assert "You are registered." in section and "You are checked in." in section
    assert "You cancelled your registration" not in section
    assert ">Register<" not in section and "Cancel my registration" not in section
    assert reverse("events:badge", args=[registration.pk]) in section


@pytest.mark.parametrize(
    ("state", "shown", "not_shown"),
    [
        ("registered", ["You are registered.", "Cancel my registration"], [">Register<"]),
        ("waitlisted", ["You are on the waitlist", "Leave the waitlist"], [">Register<"]),
        ("cancelled", ["You cancelled your registration", ">Register<"], ["You are registered."]),
        ("none", [">Register<"], ["You cancelled", "You are registered."]),
    ],
)
def test_the_event_page_shows_exactly_one_registration_state(client, state, shown, not_shown):
    event = harbin_session(capacity=1)
    person = PartnerPersonFactory()
    if state == "waitlisted":
        StartupRegistrationFactory(event=event)
    if state != "none":
        registration = services.registration_create(event=event, user=person.user)
        if state == "cancelled":
            services.registration_cancel(registration=registration, actor=person.user)
    client.force_login(person.user)

    section = registration_section(client, event)

    assert section.count('id="registration-state"') == (0 if state == "none" else 1)
    for text in shown:
        assert text in section
    for text in not_shown:
        assert text not in section


# --- A cancelled or completed event -----------------------------------------------------------


def test_a_cancelled_event_offers_no_place_line_no_cancelling_and_voids_the_badge(client):
    event = harbin_session(capacity=1)
    holder, waiting = PartnerPersonFactory(), PartnerPersonFactory()
    registration = services.registration_create(event=event, user=holder.user)
    queued = services.registration_create(event=event, user=waiting.user)
    services.event_cancel(event=event, actor=staff(), reason="The hall is closed.")
    event.refresh_from_db()

    client.force_login(holder.user)
    html = page(client, reverse("events:event-detail", args=[event.pk]))
    section = registration_section(client, event)
    assert 'id="places"' not in html and "new registrations go on the waitlist" not in html
    assert "your registration and your badge are void" in section
    assert "Cancel my registration" not in section and "You are registered." not in section
    badge = page(client, reverse("events:badge", args=[registration.pk]))
    assert "The event is cancelled: this badge is void." in badge

    client.force_login(waiting.user)
    section = registration_section(client, event)
    assert "your place on the waitlist is void" in section
    assert "Leave the waitlist" not in section and "We e-mail you" not in section

    # The page offers nothing the service would refuse: one rule, with its reason.
    for standing in (registration, queued):
        standing.refresh_from_db()
        assert not policies.can_cancel_registration(standing.user, standing)
        with pytest.raises(ValidationError, match="This event is cancelled."):
            services.registration_cancel(registration=standing, actor=standing.user)
    assert not OutboxMessage.objects.filter(kind="registration_cancelled").exists()


def test_a_completed_event_offers_no_place_line_and_no_cancelling(client):
    event = harbin_session(capacity=1)
    holder, waiting = PartnerPersonFactory(), PartnerPersonFactory()
    registration = services.registration_create(event=event, user=holder.user)
    services.registration_create(event=event, user=waiting.user)
    Event.objects.filter(pk=event.pk).update(status=Event.Status.COMPLETED)

    client.force_login(holder.user)
    html = page(client, reverse("events:event-detail", args=[event.pk]))
    assert 'id="places"' not in html and "new registrations go on the waitlist" not in html
    assert "Cancel my registration" not in registration_section(client, event)
    registration.refresh_from_db()
    with pytest.raises(ValidationError, match="This event is over."):
        services.registration_cancel(registration=registration, actor=holder.user)

    client.force_login(waiting.user)
    section = registration_section(client, event)
    assert "no place freed before the event" in section
    assert "Leave the waitlist" not in section and "We e-mail you" not in section


def test_a_full_event_past_its_deadline_does_not_say_new_registrations_wait(client):
    event = harbin_session(capacity=1, registration_deadline=timezone.now())
    StartupRegistrationFactory(event=event)
    client.cookies["lang"] = "en"
    html = page(client, reverse("events:event-detail", args=[event.pk]))
    assert "0 places left of 1" in html
    assert "new registrations go on the waitlist" not in html


def test_the_badge_shows_the_events_zone_and_the_holders_own(client):
    event = harbin_session()
    registration = StartupRegistrationFactory(
        event=event, membership__user=UserFactory(time_zone="Asia/Seoul", language="en")
    )
    client.force_login(registration.user)

    html = page(client, reverse("events:badge", args=[registration.pk]))

    when = html.split('class="badge-when">', 1)[1].split("</p>", 1)[0]
    assert "10:00–12:00" in when and "China time (CST)" in when
    assert "your time: 11:00–13:00" in when and "Korea time (KST)" in when


def test_an_event_held_online_offers_no_badge_on_its_pages(client):
    # Registering showed "your badge code is …" and a door badge for an online programme.
    session = OnlineSessionFactory(
        event__venue_ko="", event__venue_zh="", event__venue_en="", event__online_url=""
    )
    event = session.event
    assert event.held_online
    person = PartnerPersonFactory()
    client.force_login(person.user)

    response = client.post(reverse("events:event-register", args=[event.pk]), follow=True)

    html = response.content.decode()
    registration = event.registrations.get()
    assert "The links to join are on this page." in html
    assert registration.badge_code not in html
    assert reverse("events:badge", args=[registration.pk]) not in html
    mine = page(client, reverse("events:my-events"))
    assert event.title_en in mine and reverse("events:badge", args=[registration.pk]) not in mine
    badge = page(client, reverse("events:badge", args=[registration.pk]))
    assert "nobody checks badges" in badge and "at the door" not in badge
