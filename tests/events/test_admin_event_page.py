"""An event's change page and its action pages, as the coordinator meets them: a save says
whom it e-mailed, the page shows only the rows of the event's kind, an impossible deadline
is said beside its field, and an action page opened in a state that refuses it goes back to
the event with the reason."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from events.models import Event, Registration
from incubator import roles
from incubator.models import OutboxMessage
from tests.companies.factories import staff_in
from tests.events.factories import EventFactory, GuestRegistrationFactory
from tests.forms_shown import form_as_shown

pytestmark = pytest.mark.django_db


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


@pytest.fixture
def coordinator(client):
    user = staff_in(roles.EVENT_COORDINATOR, time_zone="Asia/Shanghai")
    client.force_login(user)
    client.cookies["lang"] = "en"
    return user


def roadshow(**fields) -> Event:
    """A published roadshow in Harbin, 2027-01-14 14:00–17:00 China time, registration until
    2027-01-13 18:00."""
    return EventFactory(
        **{
            "kind": Event.Kind.ROADSHOW,
            "starts_at": utc(2027, 1, 14, 6),
            "ends_at": utc(2027, 1, 14, 9),
            "registration_deadline": utc(2027, 1, 13, 10),
            "meeting_tables": 0,
            "interpreters_per_slot": 0,
            **fields,
        }
    )


def shown(client, event) -> dict:
    html = client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()
    return form_as_shown(html, "event_form")


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- What a save did -----------------------------------------------------------------------


def test_a_save_that_e_mails_the_registrants_says_how_many(client, coordinator):
    event = roadshow(title_en="Harbin roadshow")
    GuestRegistrationFactory(event=event)
    GuestRegistrationFactory(event=event, status="waitlisted", waitlist_position=1)
    GuestRegistrationFactory(event=event, status="cancelled")
    change = reverse("admin:events_event_change", args=[event.pk])

    # An hour later: both people who hold a place or wait for one are told.
    moved = client.post(change, shown(client, event) | {"starts_at_1": ["15:00"]})

    assert moved.status_code == 302
    assert OutboxMessage.objects.filter(kind="event_changed").count() == 2
    assert "2 registrants are told of the change by e-mail." in said(moved)

    # A change nobody is told of says nothing of e-mails.
    described = client.post(change, shown(client, event) | {"description_en": ["New words."]})
    assert described.status_code == 302
    assert not [m for m in said(described) if "by e-mail" in m]


# --- The rows of the event's kind ------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "rows"),
    [
        (Event.Kind.ROADSHOW, set()),
        (Event.Kind.MATCHING_SESSION, {"slots"}),
        (Event.Kind.ONLINE_PROGRAMME, {"online_sessions"}),
        (Event.Kind.COMPETITION, {"competition_rounds"}),
    ],
)
def test_the_change_page_shows_only_the_rows_of_the_events_kind(client, coordinator, kind, rows):
    event = roadshow(kind=kind)
    form = shown(client, event)
    inlines = {"slots", "online_sessions", "competition_rounds"}
    assert {name for name in inlines if f"{name}-TOTAL_FORMS" in form} == rows


def test_the_add_page_shows_no_rows_until_the_kind_is_saved(client, coordinator):
    html = client.get(reverse("admin:events_event_add")).content.decode()
    assert "-TOTAL_FORMS" not in html


# --- A deadline after the end -------------------------------------------------------------------


def test_a_move_before_the_deadline_says_so_beside_the_deadline_and_keeps_the_saved_heading(
    client, coordinator
):
    event = roadshow(title_en="Harbin roadshow")
    change = reverse("admin:events_event_change", args=[event.pk])
    moved = shown(client, event) | {"starts_at_0": ["2026-12-05"], "ends_at_0": ["2026-12-05"]}

    response = client.post(change, moved)

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.non_field_errors() == []
    (error,) = form.errors["registration_deadline"]
    assert "2027-01-13 18:00" in error and "2026-12-05 17:00" in error
    html = response.content.decode()
    # The heading and the breadcrumb name the event as saved, not the date refused.
    assert "Harbin roadshow (2027-01-14)" in html
    assert "(2026-12-05)" not in html
    event.refresh_from_db()
    assert event.starts_at == utc(2027, 1, 14, 6)


# --- Action pages in a state that refuses them ------------------------------------------------


@pytest.mark.parametrize(
    ("status", "action", "why"),
    [
        ("cancelled", "cancel", "This event is already cancelled."),
        ("published", "publish", "This event is already published."),
        ("completed", "cancel", "This event is completed: it cannot be cancelled."),
    ],
)
def test_an_action_page_in_the_wrong_state_goes_back_to_the_event_with_the_reason(
    client, coordinator, status, action, why
):
    event = roadshow(status=status)
    url = reverse(f"admin:events_event_{action}", args=[event.pk])
    change = reverse("admin:events_event_change", args=[event.pk])

    for response in (
        client.get(url, follow=True),
        client.post(url, {"reason_en": "Snow storm."}, follow=True),
    ):
        assert response.redirect_chain == [(change, 302)]
        assert response.status_code == 200
        assert f'<li class="warning">{why}</li>' in response.content.decode()
    event.refresh_from_db()
    assert event.status == status


# --- The cancel page counts who is told -----------------------------------------------------------


def test_the_cancel_page_counts_the_registered_and_the_waitlisted_apart(client, coordinator):
    event = roadshow(capacity=2)
    for _ in range(2):
        GuestRegistrationFactory(event=event)
    for position in (1, 2, 3):
        GuestRegistrationFactory(event=event, status="waitlisted", waitlist_position=position)
    GuestRegistrationFactory(event=event, status=Registration.Status.CANCELLED)

    html = client.get(reverse("admin:events_event_cancel", args=[event.pk])).content.decode()

    assert (
        "2 registered and 3 on the waitlist: cancelling tells each of them by e-mail, "
        "with the reason." in html
    )
