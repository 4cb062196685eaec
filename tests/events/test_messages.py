"""Whom an event's e-mail goes to, in which language and zone: an account's own settings,
a guest's guessed from the languages staff ticked for them."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.utils import translation

from events import messages, services
from incubator import roles
from incubator.models import OutboxMessage
from incubator.zones import zone_words
from tests.companies.factories import StaffFactory
from tests.events.factories import EventFactory, GuestRegistrationFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2030, 5, 10, 1, 0, tzinfo=dt.UTC)  # 10:00 in Seoul, 09:00 in Harbin


def guest(*spoken, zone="Asia/Seoul"):
    event = EventFactory(time_zone=zone, starts_at=START, ends_at=START + dt.timedelta(hours=8))
    return GuestRegistrationFactory(
        event=event, **{f"speaks_{code}": code in spoken for code in ("ko", "zh", "en")}
    )


@pytest.mark.parametrize(
    ("spoken", "language", "zone"),
    [
        (["zh"], "zh-hans", "Asia/Shanghai"),
        (["ko"], "ko", "Asia/Seoul"),
        (["en"], "en", "Asia/Seoul"),  # no country to tell: the event's zone
        (["zh", "en"], "zh-hans", "Asia/Shanghai"),
        (["ko", "zh"], "ko", "Asia/Seoul"),  # both countries' languages: the event's zone
        ([], "ko", "Asia/Seoul"),  # nothing known: the portal's language
    ],
)
def test_a_guest_is_written_to_in_a_language_they_speak(spoken, language, zone):
    registration = guest(*spoken)
    assert messages.recipient_of(registration) == (registration.guest_email, language, zone)


def test_a_guest_who_speaks_both_gets_the_events_zone():
    assert messages.recipient_of(guest("ko", "zh", zone="Asia/Shanghai"))[2] == "Asia/Shanghai"


def test_a_chinese_speaking_guest_gets_the_registration_e_mail_in_chinese():
    roles.sync_role_permissions()
    coordinator = StaffFactory()
    coordinator.groups.add(Group.objects.get(name=roles.EVENT_COORDINATOR))
    event = EventFactory(time_zone="Asia/Seoul")

    services.registration_create_guest(
        event=event,
        name="Zhao Wei",
        email="zhao@hit.example.cn",
        languages=["zh"],
        actor=coordinator,
    )

    message = OutboxMessage.objects.get(recipient="zhao@hit.example.cn")
    assert message.language == "zh-hans"
    # The event's time, then the guest's (China's), both named in Chinese.
    with translation.override("zh-hans"):
        assert zone_words("Asia/Shanghai") in message.payload["when"]
