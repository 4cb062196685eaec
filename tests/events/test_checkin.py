"""Check-in at the door: finding a person by name or badge in one indexed query, checking in
once, refusing the cancelled and the waitlisted, and who may use the page."""

import datetime as dt

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from events import checkin_services, policies, selectors, services
from events.models import Registration, new_badge_code, search_key
from incubator import roles
from incubator.models import AuditRecord, OutboxMessage
from tests.companies.factories import PASSWORD, StaffFactory, UserFactory
from tests.events.factories import (
    EventFactory,
    GuestRegistrationFactory,
    PartnerPersonFactory,
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
def coordinator(client):
    user = staff()
    # client.login() authenticates without a request, which django-axes refuses.
    with override_settings(AXES_ENABLED=False):
        assert client.login(username=user.email, password=PASSWORD)
    return user


def today_event(**fields):
    """An event under way: its door is open (check-in is for the event's day only)."""
    now = timezone.now()
    return EventFactory(
        starts_at=now - dt.timedelta(hours=1), ends_at=now + dt.timedelta(hours=6), **fields
    )


def crowd(event, count):
    """Add `count` guests in one insert (bulk_create skips save(): fill search_name here)."""
    surnames = ["Kim", "Lee", "Park", "Choi", "Wang", "Li", "Zhang", "Liu", "Chen", "Zhao"]
    rows = []
    for n in range(count):
        name = f"{surnames[n % len(surnames)]} Guest{n:05d}"
        rows.append(
            Registration(
                event=event,
                kind=Registration.Kind.GUEST,
                name=name,
                search_name=search_key(name),
                guest_email=f"guest{n}@crowd.example.cn",
                badge_code=new_badge_code(),
            )
        )
    Registration.objects.bulk_create(rows, batch_size=1000)


def test_a_name_prefix_finds_the_person_whatever_the_case_and_spaces():
    event = EventFactory()
    nam = GuestRegistrationFactory(event=event, name="Nam Jeong-hwa")
    GuestRegistrationFactory(event=event, name="Park Ji-min")
    GuestRegistrationFactory(name="Nam Jeong-hwa")  # another event

    assert selectors.checkin_search(event=event, query="  NAM   jeong") == [nam]
    assert selectors.checkin_search(event=event, query="nam j") == [nam]
    assert selectors.checkin_search(event=event, query="eong") == []


def test_any_word_of_the_name_finds_the_person():
    # Names are stored in both scripts: staff type the one they read on the list.
    event = EventFactory()
    nam = GuestRegistrationFactory(event=event, name="남정화 Nam Jeong-hwa")
    zhang = GuestRegistrationFactory(event=event, name="张伟 Zhang Wei")
    GuestRegistrationFactory(event=event, name="Kim Anam")

    assert selectors.checkin_search(event=event, query="Nam") == [nam]
    assert selectors.checkin_search(event=event, query="jeong") == [nam]
    assert selectors.checkin_search(event=event, query="zhang w") == [zhang]
    assert selectors.checkin_search(event=event, query="남정") == [nam]


def test_the_start_of_an_e_mail_address_finds_the_person():
    event = EventFactory()
    guest = GuestRegistrationFactory(event=event, name="Zhao Wei", guest_email="zw@hit.example.cn")
    member = StartupRegistrationFactory(event=event)
    member.user.email = "Founder.Lee@startup.example.kr"
    member.user.save(update_fields=["email"])

    assert selectors.checkin_search(event=event, query="ZW@") == [guest]
    assert selectors.checkin_search(event=event, query="founder.l") == [member]
    assert selectors.checkin_search(event=event, query="hit.example") == []


def test_a_korean_or_chinese_name_is_found_by_its_first_characters():
    event = EventFactory()
    korean = GuestRegistrationFactory(event=event, name="남정화")
    chinese = GuestRegistrationFactory(event=event, name="王磊")

    assert selectors.checkin_search(event=event, query="남정") == [korean]
    assert selectors.checkin_search(event=event, query="王") == [chinese]


def test_a_typed_or_scanned_badge_code_finds_its_registration():
    event = EventFactory()
    registration = StartupRegistrationFactory(event=event)

    typed = registration.badge_code.lower()
    assert selectors.checkin_search(event=event, query=f" {typed} ") == [registration]


def test_the_lookup_among_5000_registrations_is_one_query(django_assert_num_queries):
    event = EventFactory()
    crowd(event, 5000)
    wanted = GuestRegistrationFactory(event=event, name="Nam Jeong-hwa")

    # 1 query: the registrations (with company and organisation joined)
    with django_assert_num_queries(1):
        by_name = selectors.checkin_search(event=event, query="Nam J")
    with django_assert_num_queries(1):
        by_code = selectors.checkin_search(event=event, query=wanted.badge_code)
    with django_assert_num_queries(1):
        many = selectors.checkin_search(event=event, query="kim")

    assert by_name == [wanted] and by_code == [wanted]
    assert len(many) == 20  # a page of the 500 Kims, in name order
    assert many == sorted(many, key=lambda r: r.search_name)


def test_the_name_lookup_uses_the_check_in_index_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("EXPLAIN output is PostgreSQL's")
    event = EventFactory()
    crowd(event, 5000)
    other = EventFactory()
    crowd(other, 200)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE events_registration")
    key = search_key("Kim Guest0001")
    plan = (
        Registration.objects.filter(event=event, search_name__startswith=key)
        .order_by("search_name")
        .explain()
    )
    assert "registration_checkin_name_idx" in plan, plan


def test_the_door_lookup_by_any_word_reads_only_the_events_rows_by_an_index():
    if connection.vendor != "postgresql":
        pytest.skip("EXPLAIN output is PostgreSQL's")
    # A year of events: the one at the door holds a small share of the registrations.
    event = EventFactory()
    crowd(event, 500)
    for _n in range(4):
        crowd(EventFactory(), 2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE events_registration")
    for query in ("guest00001", "kim", "nam jeong"):
        plan = selectors.checkin_matches(event=event, query=query)[:20].explain()
        # The event's rows by an index on event_id; each name tested there, never the table.
        assert "Seq Scan on events_registration" not in plan, (query, plan)
        assert f"Index Cond: (event_id = {event.pk})" in plan, (query, plan)


def test_checking_in_records_who_and_when_and_a_second_time_keeps_the_first():
    registration = PartnerRegistrationFactory(event=today_event())
    door = staff()

    first, newly = checkin_services.registration_check_in(registration=registration, actor=door)
    assert newly and first.checked_in_by == door and first.checked_in_at is not None

    again, newly = checkin_services.registration_check_in(registration=registration, actor=staff())
    assert not newly
    assert again.checked_in_at == first.checked_in_at and again.checked_in_by == door


@pytest.mark.parametrize(
    ("status", "position", "message"),
    [("cancelled", None, "cancelled their registration"), ("waitlisted", 3, "on the waitlist")],
)
def test_the_cancelled_and_the_waitlisted_are_not_checked_in(status, position, message):
    registration = GuestRegistrationFactory(
        event=today_event(), status=status, waitlist_position=position
    )
    with pytest.raises(Exception, match=message):
        checkin_services.registration_check_in(registration=registration, actor=staff())
    registration.refresh_from_db()
    assert registration.checked_in_at is None


@pytest.mark.parametrize(
    ("starts_in", "message"),
    [(dt.timedelta(days=30), "Check-in opens on"), (dt.timedelta(days=-2), "check-in is closed")],
)
def test_check_in_is_refused_on_another_day_than_the_events(starts_in, message):
    start = timezone.now() + starts_in
    registration = GuestRegistrationFactory(
        event=EventFactory(starts_at=start, ends_at=start + dt.timedelta(hours=8))
    )
    with pytest.raises(ValidationError, match=message):
        checkin_services.registration_check_in(registration=registration, actor=staff())
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_the_door_opens_at_midnight_of_the_events_day_in_its_zone():
    # 10:00 in Seoul on 10 December; the door opens at 00:00 Seoul time, 15:00 UTC the day before.
    start = dt.datetime(2026, 12, 10, 1, 0, tzinfo=dt.UTC)
    event = EventFactory(
        time_zone="Asia/Seoul", starts_at=start, ends_at=start + dt.timedelta(hours=8)
    )
    opens = dt.datetime(2026, 12, 9, 15, 0, tzinfo=dt.UTC)

    assert policies.check_in_opens_at(event) == opens
    assert "2026-12-10 00:00" in policies.check_in_refused_because(
        event, at=opens - dt.timedelta(minutes=1)
    )
    assert policies.check_in_refused_because(event, at=opens) is None
    assert policies.check_in_refused_because(event, at=event.ends_at) is not None


def test_a_check_in_made_by_mistake_is_undone_audited_and_the_person_may_cancel():
    registration = GuestRegistrationFactory(event=today_event())
    door = staff()
    checkin_services.registration_check_in(registration=registration, actor=door)

    checkin_services.registration_check_in_undo(registration=registration, actor=door)

    registration.refresh_from_db()
    assert registration.checked_in_at is None and registration.checked_in_by is None
    record = AuditRecord.objects.get(verb="registration.check_in_undo")
    assert record.actor == door and record.changes["checked_in_at"][1] is None
    services.registration_cancel(registration=registration, actor=door)
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_undoing_a_check_in_needs_one_and_the_right_to_check_in():
    registration = GuestRegistrationFactory(event=today_event())
    with pytest.raises(ValidationError, match="is not checked in"):
        checkin_services.registration_check_in_undo(registration=registration, actor=staff())
    checkin_services.registration_check_in(registration=registration, actor=staff())
    with pytest.raises(PermissionDenied):
        checkin_services.registration_check_in_undo(
            registration=registration, actor=staff(roles.VIEWER)
        )
    registration.refresh_from_db()
    assert registration.is_checked_in


def test_the_door_page_undoes_a_check_in(client, coordinator):
    event = today_event()
    person = GuestRegistrationFactory(event=event, name="Kim Min-jun")
    url = reverse("events:check-in", args=[event.pk])
    client.post(url, {"registration": person.pk})

    page = client.get(url, {"q": "kim"}).content.decode()
    assert 'name="undo"' in page and "Undo the check-in" in page

    html = client.post(url, {"registration": person.pk, "undo": "1"}, follow=True)
    assert "The check-in of Kim Min-jun is undone." in html.content.decode()
    person.refresh_from_db()
    assert person.checked_in_at is None


def test_the_door_page_says_when_it_opens_and_offers_no_check_in_before(client, coordinator):
    event = EventFactory(time_zone="Asia/Seoul")  # in 30 days
    GuestRegistrationFactory(event=event, name="Kim Min-jun")

    page = client.get(reverse("events:check-in", args=[event.pk]), {"q": "kim"}).content.decode()

    assert "Check-in opens on" in page and "Korea time (KST)" in page
    assert ">Check in<" not in page


def test_a_check_in_of_another_day_gives_its_date_with_the_time(client, coordinator):
    event = today_event(time_zone="Asia/Shanghai")
    person = GuestRegistrationFactory(event=event, name="Kim Min-jun")
    yesterday = timezone.now() - dt.timedelta(days=1)
    Registration.objects.filter(pk=person.pk).update(checked_in_at=yesterday)

    html = client.post(
        reverse("events:check-in", args=[event.pk]), {"registration": person.pk}, follow=True
    ).content.decode()

    local = timezone.localtime(yesterday, event.tzinfo)
    assert f"already checked in, at {local:%Y-%m-%d %H:%M} China time (CST)." in html


@pytest.mark.parametrize("role", [roles.VIEWER, roles.PROGRAM_OFFICER])
def test_only_staff_who_handle_registrations_check_people_in(role):
    # The door page and the admin's action ask the same policy; the service enforces it.
    registration = PartnerRegistrationFactory(event=today_event())
    for actor in (staff(role), StaffFactory(), UserFactory()):
        with pytest.raises(PermissionDenied):
            checkin_services.registration_check_in(registration=registration, actor=actor)
    registration.refresh_from_db()
    assert registration.checked_in_at is None
    assert checkin_services.registration_check_in(registration=registration, actor=staff())[1]


def test_the_door_page_finds_checks_in_and_counts(client, coordinator):
    event = today_event(time_zone="Asia/Seoul")
    person = GuestRegistrationFactory(event=event, name="Kim Min-jun")
    GuestRegistrationFactory(event=event, name="Lee Seo-yeon")
    url = reverse("events:check-in", args=[event.pk])

    page = client.get(url, {"q": "kim"}).content.decode()
    assert "Kim Min-jun" in page and "Lee Seo-yeon" not in page
    assert "0 of 2 checked in" in page
    assert 'name="registration"' in page and ">Check in<" in page

    response = client.post(url, {"registration": person.pk}, follow=True)
    html = response.content.decode()
    person.refresh_from_db()
    time = timezone.localtime(person.checked_in_at, event.tzinfo).strftime("%H:%M")
    # The time with its zone: the coordinator may read it from the other country.
    assert f"Checked in: Kim Min-jun at {time} Korea time (KST)." in html
    assert "1 of 2 checked in" in html

    again = client.post(url, {"registration": person.pk}, follow=True).content.decode()
    assert f"Kim Min-jun is already checked in, at {time} Korea time (KST)." in again


def test_the_door_page_says_why_a_waitlisted_person_cannot_come_in(client, coordinator):
    event = today_event()
    waiting = GuestRegistrationFactory(
        event=event, name="Choi Ha-eun", status="waitlisted", waitlist_position=2
    )
    url = reverse("events:check-in", args=[event.pk])

    page = client.get(url, {"q": "choi"}).content.decode()
    assert "Choi Ha-eun" in page and ">Check in<" not in page

    html = client.post(url, {"registration": waiting.pk}, follow=True).content.decode()
    assert "is on the waitlist (position 2)" in html
    waiting.refresh_from_db()
    assert waiting.checked_in_at is None


def test_a_registration_of_another_event_is_not_checked_in_here(client, coordinator):
    event = EventFactory()
    elsewhere = GuestRegistrationFactory()

    response = client.post(
        reverse("events:check-in", args=[event.pk]), {"registration": elsewhere.pk}
    )

    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.checked_in_at is None


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("member", 403), ("viewer", 403), ("officer", 403), ("coordinator", 200)],
)
def test_only_staff_who_may_change_registrations_open_the_door_page(client, who, status):
    event = EventFactory()
    user = {
        "anonymous": lambda: None,
        "member": lambda: StartupRegistrationFactory(event=event).user,
        "viewer": lambda: staff(roles.VIEWER),
        "officer": lambda: staff(roles.PROGRAM_OFFICER),
        "coordinator": lambda: staff(roles.EVENT_COORDINATOR),
    }[who]()
    if user is not None:
        client.force_login(user)

    response = client.get(reverse("events:check-in", args=[event.pk]))

    assert response.status_code == status


def test_the_door_page_loads_the_self_hosted_scanner_script(client, coordinator):
    html = client.get(reverse("events:check-in", args=[EventFactory().pk])).content.decode()
    assert '<script src="/static/js/checkin.js" defer></script>' in html
    assert "data-scan" in html
    assert "http://" not in html.split("<main", 1)[1].split("</main>")[0].replace(
        "http://testserver", ""
    )


# --- The admin --------------------------------------------------------------------------


def test_the_admin_checks_in_and_cancels_through_the_services(client, coordinator):
    event = today_event(capacity=1)
    holder = GuestRegistrationFactory(event=event, name="Holder")
    waiting = GuestRegistrationFactory(
        event=event, name="Waiting", status="waitlisted", waitlist_position=1
    )
    changelist = reverse("admin:events_registration_changelist")

    client.post(
        changelist,
        {"action": "check_in", ACTION_CHECKBOX_NAME: [holder.pk, waiting.pk]},
        follow=True,
    )
    holder.refresh_from_db()
    waiting.refresh_from_db()
    assert holder.checked_in_by == coordinator
    assert waiting.checked_in_at is None

    response = client.post(
        changelist,
        {"action": "cancel", ACTION_CHECKBOX_NAME: [holder.pk], "_confirm": "1"},
        follow=True,
    )
    assert "checked in already" in response.content.decode()
    holder.refresh_from_db()
    assert holder.status == "registered"


def test_the_admin_cancel_action_promotes_the_waitlist(client, coordinator):
    event = EventFactory(capacity=1)
    holder = GuestRegistrationFactory(event=event)
    waiting = GuestRegistrationFactory(event=event, status="waitlisted", waitlist_position=1)

    client.post(
        reverse("admin:events_registration_changelist"),
        {"action": "cancel", ACTION_CHECKBOX_NAME: [holder.pk], "_confirm": "1"},
    )

    holder.refresh_from_db()
    waiting.refresh_from_db()
    assert holder.status == "cancelled" and waiting.status == "registered"


def test_staff_add_a_guest_in_the_admin_and_the_service_places_them(client, coordinator):
    event = EventFactory(capacity=1)
    StartupRegistrationFactory(event=event)

    response = client.post(
        reverse("admin:events_registration_add"),
        {
            "event": event.pk,
            "name": "Zhao Wei",
            "guest_email": "zhao@hit.example.cn",
            "affiliation": "Harbin Institute of Technology",
            "speaks_zh": "on",
            "notes": "",
        },
        follow=True,
    )

    guest = Registration.objects.get(guest_email="zhao@hit.example.cn")
    assert guest.kind == "guest" and guest.status == "waitlisted" and guest.waitlist_position == 1
    assert "on the waitlist, position 1" in response.content.decode()


def test_the_admin_add_form_refuses_a_guest_for_a_cancelled_event(client, coordinator):
    event = EventFactory(status="cancelled")

    response = client.post(
        reverse("admin:events_registration_add"),
        {"event": event.pk, "name": "Zhao Wei", "guest_email": "zhao@hit.example.cn"},
    )

    assert response.status_code == 200
    assert "This event is cancelled." in response.content.decode()
    assert not Registration.objects.exists()


def test_the_admin_add_form_registers_an_account_through_the_service(client, coordinator):
    event = EventFactory()
    person = PartnerPersonFactory(speaks_ko=True)

    client.post(
        reverse("admin:events_registration_add"), {"event": event.pk, "user": person.user.pk}
    )

    saved = Registration.objects.get(event=event)
    assert saved.kind == "partner" and saved.partner_organisation == person.organisation
    assert saved.languages == person.languages


def test_status_fields_are_read_only_in_the_admin(client, coordinator):
    registration = GuestRegistrationFactory()
    url = reverse("admin:events_registration_change", args=[registration.pk])

    html = client.get(url).content.decode()

    assert 'name="status"' not in html and 'name="checked_in_at"' not in html
    assert 'name="name"' in html
    assert reverse("events:badge", args=[registration.pk]) in html


def test_a_member_cannot_reach_the_registration_admin(client):
    client.force_login(UserFactory())
    response = client.get(reverse("admin:events_registration_changelist"))
    assert response.status_code == 302


def test_checked_in_time_is_shown_in_the_events_zone(client, coordinator):
    event = EventFactory(time_zone="Asia/Seoul")
    person = GuestRegistrationFactory(event=event, name="Kim Do-yun")
    Registration.objects.filter(pk=person.pk).update(
        checked_in_at=dt.datetime(2026, 12, 10, 0, 12, tzinfo=dt.UTC)
    )

    html = client.get(reverse("events:check-in", args=[event.pk]), {"q": "kim"}).content.decode()

    # With the zone's name: the footer says the portal's times are in the reader's zone.
    assert "Checked in at 09:12 Korea time (KST)" in html


def test_no_match_links_to_adding_a_walk_in_guest_for_staff_who_add_registrations(client):
    event = today_event()
    url = reverse("events:check-in", args=[event.pk])
    add = reverse("admin:events_registration_add")
    client.force_login(staff())

    page = client.get(url, {"q": "nobody"}).content.decode()
    # The name searched for goes into the form, which comes back to the door once saved.
    link = f"{add}?event={event.pk}&amp;name=nobody&amp;from_check_in=1"
    assert f'<a href="{link}">add the person as a guest</a>' in page

    # Who checks people in but adds no registration is told whom to ask, with no link.
    door = StaffFactory()
    door.user_permissions.add(
        Permission.objects.get(codename="change_registration", content_type__app_label="events")
    )
    client.force_login(door)
    page = client.get(url, {"q": "nobody"}).content.decode()
    assert add not in page and "ask a colleague who adds registrations" in page


def test_the_admin_add_page_opens_with_the_event_of_the_door(client, coordinator):
    event = today_event()
    html = client.get(
        reverse("admin:events_registration_add"), {"event": event.pk}
    ).content.decode()
    assert f'<option value="{event.pk}" selected' in html


def test_the_admin_cancel_action_asks_first_and_cancels_nothing_until_confirmed(
    client, coordinator
):
    event = EventFactory()
    holder = GuestRegistrationFactory(event=event, name="Holder Park")
    changelist = reverse("admin:events_registration_changelist")
    OutboxMessage.objects.all().delete()

    response = client.post(changelist, {"action": "cancel", ACTION_CHECKBOX_NAME: [holder.pk]})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Holder Park" in html and 'name="_confirm"' in html
    assert f'name="{ACTION_CHECKBOX_NAME}" value="{holder.pk}"' in html
    holder.refresh_from_db()
    assert holder.status == "registered" and not OutboxMessage.objects.exists()

    client.post(
        changelist, {"action": "cancel", ACTION_CHECKBOX_NAME: [holder.pk], "_confirm": "1"}
    )
    holder.refresh_from_db()
    assert holder.status == "cancelled"
    assert OutboxMessage.objects.filter(kind="registration_cancelled").count() == 1


# --- A walk-in at the door -------------------------------------------------------------------


def walk_in(client, event, **fields):
    """Save the admin's add page as the door's link opens it, with a guest's details."""
    link = door_link(client, event, "王芳")
    form = {
        "event": event.pk,
        "name": "王芳 Wang Fang",
        "guest_email": "wang.fang@example.cn",
        "affiliation": "Binxian Green Foods",
        "speaks_zh": "on",
        "notes": "",
        **fields,
    }
    return client.post(link, form)


def door_link(client, event, typed) -> str:
    """The door's "add the person as a guest" link after searching for `typed`."""
    page = client.get(reverse("events:check-in", args=[event.pk]), {"q": typed})
    return page.context["walk_in_url"]


def test_the_walk_in_link_types_the_searched_name_into_the_guest_form(client, coordinator):
    event = today_event()

    form = client.get(door_link(client, event, "王芳")).context["adminform"].form

    assert form.initial["name"] == "王芳"
    assert str(form.initial["event"]) == str(event.pk)


def test_a_badge_code_searched_for_is_not_typed_in_as_a_name(client, coordinator):
    event = today_event()
    link = door_link(client, event, new_badge_code())
    assert "name=" not in link


def test_a_walk_in_saved_goes_back_to_the_door_with_the_person_found(client, coordinator):
    event = today_event(capacity=10)

    response = walk_in(client, event)

    guest = Registration.objects.get(guest_email="wang.fang@example.cn")
    door = reverse("events:check-in", args=[event.pk])
    assert response.status_code == 302 and response.url == f"{door}?q={guest.badge_code}"
    page = client.get(response.url).content.decode()
    assert "王芳 Wang Fang" in page and "Check in</button>" in page


def test_a_full_event_at_the_door_registers_a_walk_in_over_capacity_when_staff_say_so(
    client, coordinator
):
    event = today_event(capacity=1)
    GuestRegistrationFactory(event=event)

    response = walk_in(client, event, over_capacity="on")

    assert response.status_code == 302
    guest = Registration.objects.get(guest_email="wang.fang@example.cn")
    assert guest.status == "registered" and guest.waitlist_position is None
    record = AuditRecord.objects.get(verb="registration.create", object_id=str(guest.pk))
    assert record.changes["over_capacity"] is True and record.actor == coordinator
    assert OutboxMessage.objects.filter(kind="event_registered").exists()
    assert not OutboxMessage.objects.filter(kind="event_waitlisted").exists()


def test_a_full_event_puts_a_walk_in_on_the_waitlist_unless_staff_say_otherwise(
    client, coordinator
):
    event = today_event(capacity=1)
    GuestRegistrationFactory(event=event)

    walk_in(client, event)

    guest = Registration.objects.get(guest_email="wang.fang@example.cn")
    assert guest.status == "waitlisted" and guest.waitlist_position == 1
    record = AuditRecord.objects.get(verb="registration.create", object_id=str(guest.pk))
    assert "over_capacity" not in record.changes


def test_over_capacity_is_for_a_guest_not_an_account(client, coordinator):
    event = today_event(capacity=1)
    GuestRegistrationFactory(event=event)
    person = PartnerPersonFactory()

    response = client.post(
        reverse("admin:events_registration_add"),
        {"event": event.pk, "user": person.user.pk, "over_capacity": "on"},
    )

    assert response.status_code == 200
    assert "Only a guest is registered over capacity" in response.content.decode()
    assert not Registration.objects.filter(user=person.user).exists()


def test_the_check_in_time_has_the_zone_where_the_translation_puts_it(
    client, coordinator, monkeypatch
):
    """Korean says the zone first ("한국 시간(KST) 09:12 체크인"): the zone is a placeholder
    of the sentence, which each language orders, not words added after it."""
    from django.utils import translation

    event = EventFactory(time_zone="Asia/Seoul")
    person = GuestRegistrationFactory(event=event, name="Kim Do-yun")
    Registration.objects.filter(pk=person.pk).update(
        checked_in_at=dt.datetime(2026, 12, 10, 0, 12, tzinfo=dt.UTC)
    )
    gettext = translation.gettext
    zone_first = {"Checked in at %(time)s %(zone)s": "%(zone)s %(time)s check-in"}
    monkeypatch.setattr(translation, "gettext", lambda text: zone_first.get(text) or gettext(text))

    html = client.get(reverse("events:check-in", args=[event.pk]), {"q": "kim"}).content.decode()

    assert "Korea time (KST) 09:12 check-in</p>" in html
