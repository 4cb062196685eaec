"""Delegation visits in the admin: one leader, a programme within the visit, times in the
zone of the delegation's event, and the programme e-mailed to the members."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from events.delegations import messages as delegation_messages
from events.delegations import services as delegations
from events.models import Delegation, DelegationMember, DelegationProgrammeItem
from incubator import audit_verbs, roles
from incubator.models import AuditRecord, OutboxMessage, User
from incubator.services import render_message
from tests.companies.factories import StaffFactory, UserFactory, staff_in
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")
PROGRAMME = delegation_messages.KIND


@pytest.fixture
def coordinator(client):
    roles.sync_role_permissions()
    user = StaffFactory(time_zone="Asia/Shanghai")
    user.groups.add(Group.objects.get(name=roles.EVENT_COORDINATOR))
    client.force_login(user)
    return user


def form(**more) -> dict:
    return {
        "name_en": "Gyeonggi founders' visit",
        "arrives_at_0": "2030-07-28",
        "arrives_at_1": "09:00",
        "departs_at_0": "2030-08-02",
        "departs_at_1": "18:00",
        "members-TOTAL_FORMS": "0",
        "members-INITIAL_FORMS": "0",
        "programme-TOTAL_FORMS": "0",
        "programme-INITIAL_FORMS": "0",
        **more,
    }


def members(*people) -> dict:
    rows = {"members-TOTAL_FORMS": str(len(people))}
    for n, (name, role) in enumerate(people):
        rows |= {f"members-{n}-name": name, f"members-{n}-role": role}
    return rows


def item(day: str, start: str, end: str) -> dict:
    return {
        "programme-TOTAL_FORMS": "1",
        "programme-0-starts_at_0": day,
        "programme-0-starts_at_1": start,
        "programme-0-ends_at_0": day,
        "programme-0-ends_at_1": end,
        "programme-0-title_en": "Visit of the Seoul startup center",
    }


def test_two_leaders_are_refused_on_the_form_not_with_a_server_error(client, coordinator):
    add = reverse("admin:events_delegation_add")
    response = client.post(add, form(**members(("Jeong", "leader"), ("Kim", "leader"))))

    assert response.status_code == 200
    assert "A delegation has one leader: 2 members are marked as leader." in (
        response.content.decode()
    )
    assert not Delegation.objects.exists() and not AuditRecord.objects.exists()


def test_a_second_leader_added_to_a_saved_delegation_is_refused(client, coordinator):
    add = reverse("admin:events_delegation_add")
    assert client.post(add, form(**members(("Jeong", "leader")))).status_code == 302
    delegation = Delegation.objects.get()
    kept = delegation.members.get()
    change = reverse("admin:events_delegation_change", args=[delegation.pk])
    rows = {
        "members-TOTAL_FORMS": "2",
        "members-INITIAL_FORMS": "1",
        "members-0-id": str(kept.pk),
        "members-0-delegation": str(delegation.pk),
        "members-0-name": "Jeong",
        "members-0-role": "leader",
        "members-1-name": "Kim",
        "members-1-role": "leader",
    }

    response = client.post(change, form(**rows))

    assert (
        response.status_code == 200 and "A delegation has one leader" in response.content.decode()
    )
    assert list(delegation.members.values_list("name", flat=True)) == ["Jeong"]
    # The leader handed over in the same save is one leader.
    rows["members-0-role"] = "official"
    assert client.post(change, form(**rows)).status_code == 302
    assert delegation.members.get(role=DelegationMember.Role.LEADER).name == "Kim"


def test_a_programme_item_outside_the_visit_is_refused(client, coordinator):
    add = reverse("admin:events_delegation_add")
    response = client.post(add, form(**item("2030-08-10", "10:00", "12:00")))

    assert response.status_code == 200
    text = response.content.decode()
    assert "is outside the visit" in text and "Visit of the Seoul startup center" in text
    assert not Delegation.objects.exists()


def test_times_are_typed_and_printed_in_the_zone_of_the_delegation_event(client, coordinator):
    event = EventFactory(kind="delegation_visit", time_zone="Asia/Seoul")
    add = reverse("admin:events_delegation_add")
    more = {"event": str(event.pk), **item("2030-07-29", "10:00", "12:00")}
    assert client.post(add, form(**more)).status_code == 302

    delegation = Delegation.objects.get()
    # 09:00 typed by a coordinator in Harbin for a Seoul event is 09:00 in Seoul.
    assert delegation.arrives_at == dt.datetime(2030, 7, 28, 9, 0, tzinfo=SEOUL)
    assert delegation.programme.get().starts_at == dt.datetime(2030, 7, 29, 10, 0, tzinfo=SEOUL)
    page = client.get(reverse("events:delegation-programme", args=[delegation.pk]))
    assert "10:00–12:00" in page.content.decode()
    change = client.get(reverse("admin:events_delegation_change", args=[delegation.pk]))
    assert "In the time zone of the delegation&#x27;s event" in change.content.decode()


# --- The programme e-mailed to the members ------------------------------------------------

# Harbin time: the delegation has no event, so its times are the center's (Asia/Shanghai).
HARBIN = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2030, 7, day, hour, 0, tzinfo=HARBIN)


@pytest.fixture
def visit():
    """A delegation with two programme items and four members: a leader and a founder with
    accounts, a founder without one, and an interpreter without an address."""
    delegation = Delegation.objects.create(
        name_en="Gyeonggi founders' visit",
        name_ko="경기 창업자 방문단",
        arrives_at=at(28, 9),
        departs_at=at(30, 18),
    )
    # Made in the wrong order: the e-mail lists them by their start.
    DelegationProgrammeItem.objects.create(
        delegation=delegation,
        starts_at=at(29, 14),
        ends_at=at(29, 16),
        title_en="Binxian industrial park",
        title_ko="빈현 산업단지",
        title_zh="宾县产业园",
    )
    DelegationProgrammeItem.objects.create(
        delegation=delegation,
        starts_at=at(29, 10),
        ends_at=at(29, 12),
        title_en="Welcome at the center",
        title_ko="센터 환영식",
        title_zh="中心欢迎仪式",
    )
    UserFactory(email="jeong@kaa.example.kr", language="ko", time_zone="Asia/Seoul")
    UserFactory(email="li@hit.example.cn", language="zh-hans", time_zone="Asia/Shanghai")
    people = [
        ("Jeong", "leader", "Jeong@kaa.example.kr"),  # the account's address, another case
        ("Li", "company", "li@hit.example.cn"),
        ("Kim", "company", "kim@startup.example.kr"),
        ("Choi", "interpreter", ""),
    ]
    for name, role, email in people:
        DelegationMember.objects.create(delegation=delegation, name=name, role=role, email=email)
    return delegation


def programme_mails() -> dict[str, OutboxMessage]:
    return {m.recipient.lower(): m for m in OutboxMessage.objects.filter(kind=PROGRAMME)}


def test_each_member_with_an_address_gets_the_programme_in_their_language_and_zone(
    visit, coordinator
):
    done = delegations.delegation_programme_send(delegation=visit, actor=coordinator)

    assert [m.name for m in done.sent] == ["Jeong", "Li", "Kim"] and done.had_it == []
    mails = programme_mails()
    assert set(mails) == {"jeong@kaa.example.kr", "li@hit.example.cn", "kim@startup.example.kr"}
    leader, li = mails["jeong@kaa.example.kr"], mails["li@hit.example.cn"]
    kim = mails["kim@startup.example.kr"]
    # Their accounts' languages; Kim has none and reads the leader's.
    assert (leader.language, li.language, kim.language) == ("ko", "zh-hans", "ko")
    assert [i["title"] for i in li.payload["items"]] == ["中心欢迎仪式", "宾县产业园"]
    assert [i["title"] for i in kim.payload["items"]] == ["센터 환영식", "빈현 산업단지"]
    # 10:00 in Harbin is 11:00 in Seoul: the leader in Seoul reads both; Li, in Harbin, one.
    first = {address: m.payload["items"][0]["when"] for address, m in mails.items()}
    assert "10:00–12:00" in first["jeong@kaa.example.kr"]
    assert "11:00–13:00" in first["jeong@kaa.example.kr"]
    assert "10:00–12:00" in first["li@hit.example.cn"]
    assert "11:00" not in first["li@hit.example.cn"]
    # Kim's zone is not known: the portal's other zone, as for a guest.
    assert "11:00–13:00" in first["kim@startup.example.kr"]
    # kind:member:version
    key = rf"delegation_programme:{done.sent[0].pk}:[0-9a-f]{{16}}"
    assert re.fullmatch(key, leader.dedupe_key)


def test_a_member_without_an_account_reads_the_language_set_for_them_not_the_leaders(
    visit, coordinator
):
    # Kim, without an account, is the delegation's Chinese interpreter; Li's account says
    # Chinese whatever their row says.
    visit.members.filter(name="Kim").update(language="zh-hans")
    visit.members.filter(name="Li").update(language="en")

    delegations.delegation_programme_send(delegation=visit, actor=coordinator)

    mails = programme_mails()
    leader, li = mails["jeong@kaa.example.kr"], mails["li@hit.example.cn"]
    kim = mails["kim@startup.example.kr"]
    assert (leader.language, li.language, kim.language) == ("ko", "zh-hans", "zh-hans")
    assert [i["title"] for i in kim.payload["items"]] == ["中心欢迎仪式", "宾县产业园"]
    assert [i["title"] for i in li.payload["items"]] == ["中心欢迎仪式", "宾县产业园"]


def test_without_accounts_the_members_read_the_language_set_for_their_leader(visit, coordinator):
    User.objects.filter(email="jeong@kaa.example.kr").delete()
    visit.members.filter(name="Jeong").update(language="en")

    delegations.delegation_programme_send(delegation=visit, actor=coordinator)

    mails = programme_mails()
    assert mails["jeong@kaa.example.kr"].language == "en"
    assert mails["kim@startup.example.kr"].language == "en"
    assert mails["li@hit.example.cn"].language == "zh-hans"


def test_a_language_changed_after_the_send_does_not_send_the_same_programme_again(
    visit, coordinator
):
    first = delegations.delegation_programme_send(delegation=visit, actor=coordinator)
    visit.members.filter(name="Kim").update(language="zh-hans")

    # The version is the programme's and the address's: a member's language is neither.
    again = delegations.delegation_programme_send(delegation=visit, actor=coordinator)

    assert again.sent == [] and again.version == first.version
    assert programme_mails()["kim@startup.example.kr"].language == "ko"
    # The next version of the programme reaches Kim in Chinese.
    item = visit.programme.get(title_en="Binxian industrial park")
    item.notes = "Bring the passport."
    item.save()
    changed = delegations.delegation_programme_send(delegation=visit, actor=coordinator)
    assert len(changed.sent) == 3
    newest = OutboxMessage.objects.get(
        kind=PROGRAMME, recipient="kim@startup.example.kr", payload__version=changed.version
    )
    assert newest.language == "zh-hans"


def test_the_coordinator_sets_a_members_language_on_the_delegations_page(client, coordinator):
    add = reverse("admin:events_delegation_add")
    rows = members(("Jeong", "leader"), ("Wang", "interpreter"))
    rows |= {"members-1-email": "wang@example.cn", "members-1-language": "zh-hans"}

    assert client.post(add, form(**rows)).status_code == 302

    delegation = Delegation.objects.get()
    assert dict(delegation.members.values_list("name", "language")) == {
        "Jeong": "",
        "Wang": "zh-hans",
    }
    change = client.get(reverse("admin:events_delegation_change", args=[delegation.pk]))
    assert 'name="members-1-language"' in change.content.decode()


def test_the_programme_e_mail_lists_the_items_and_carries_a_calendar_file(visit, coordinator):
    User.objects.filter(email="jeong@kaa.example.kr").update(language="en")
    delegations.delegation_programme_send(delegation=visit, actor=coordinator)
    message = programme_mails()["kim@startup.example.kr"]  # the leader's language: English

    email = render_message(message)

    assert email.subject == "Programme of Gyeonggi founders' visit"
    body = email.body
    assert body.index("Welcome at the center") < body.index("Binxian industrial park")
    assert "2030-07-29 10:00–12:00" in body
    ((filename, calendar, mimetype),) = email.attachments
    assert filename == "programme.ics" and mimetype.startswith("text/calendar")
    text = calendar  # a text/* attachment comes back decoded
    assert text.count("BEGIN:VEVENT") == 2
    assert "DTSTART;TZID=Asia/Shanghai:20300729T100000" in text


def test_sending_again_unchanged_mails_nobody_and_a_changed_programme_mails_everyone(
    visit, coordinator
):
    first = delegations.delegation_programme_send(delegation=visit, actor=coordinator)
    again = delegations.delegation_programme_send(delegation=visit, actor=coordinator)

    assert again.sent == [] and [m.name for m in again.had_it] == ["Jeong", "Li", "Kim"]
    assert again.version == first.version
    assert OutboxMessage.objects.filter(kind=PROGRAMME).count() == 3
    assert AuditRecord.objects.filter(verb="delegation.programme_send").count() == 1

    # The delegation's notes are not the programme: still the same version.
    visit.notes = "Health checks on arrival."
    visit.save()
    assert delegations.delegation_programme_send(delegation=visit, actor=coordinator).sent == []

    item = visit.programme.get(title_en="Binxian industrial park")
    item.starts_at, item.ends_at = at(29, 15), at(29, 17)
    item.save()
    changed = delegations.delegation_programme_send(delegation=visit, actor=coordinator)

    assert len(changed.sent) == 3 and changed.version != first.version
    newest = OutboxMessage.objects.filter(kind=PROGRAMME, payload__version=changed.version)
    assert newest.count() == 3 and all(m.payload["changed"] for m in newest)
    assert AuditRecord.objects.filter(verb="delegation.programme_send").count() == 2


def test_an_address_corrected_after_the_send_gets_the_programme_the_others_do_not(
    visit, coordinator
):
    delegations.delegation_programme_send(delegation=visit, actor=coordinator)
    kim = visit.members.get(name="Kim")
    kim.email = "kim@startup2.example.kr"
    kim.save()

    done = delegations.delegation_programme_send(delegation=visit, actor=coordinator)

    assert [m.name for m in done.sent] == ["Kim"]
    assert not programme_mails()["kim@startup2.example.kr"].payload["changed"]


def test_the_send_leaves_one_audit_record_naming_the_version_and_the_members(visit, coordinator):
    done = delegations.delegation_programme_send(delegation=visit, actor=coordinator)

    record = AuditRecord.objects.get(verb="delegation.programme_send")
    assert record.actor == coordinator and record.object_id == str(visit.pk)
    assert record.changes == {
        "version": done.version,
        "items": 2,
        "sent_to": [m.pk for m in done.sent],
        "had_it": [],
    }
    assert audit_verbs.label_of("delegation.programme_send") != "delegation.programme_send"


@pytest.mark.parametrize(
    "emptied",
    [
        lambda visit: visit.programme.all().delete(),
        lambda visit: visit.members.update(email=""),
    ],
    ids=["no programme item", "no member with an address"],
)
def test_a_delegation_with_nothing_to_send_is_refused(visit, coordinator, emptied):
    emptied(visit)

    with pytest.raises(ValidationError) as refused:
        delegations.delegation_programme_send(delegation=visit, actor=coordinator)

    assert refused.value.code == "nothing_to_send"
    assert not OutboxMessage.objects.exists() and not AuditRecord.objects.exists()


@pytest.mark.parametrize("role", [roles.VIEWER, roles.PROGRAM_OFFICER])
def test_a_role_that_may_not_change_delegations_may_not_send_the_programme(visit, role):
    with pytest.raises(PermissionDenied):
        delegations.delegation_programme_send(delegation=visit, actor=staff_in(role))
    assert not OutboxMessage.objects.exists() and not AuditRecord.objects.exists()


def test_the_coordinator_sends_the_programme_from_the_delegations_page(client, visit, coordinator):
    change = reverse("admin:events_delegation_change", args=[visit.pk])
    send = reverse("admin:events_delegation_send_programme", args=[visit.pk])
    assert f'href="{send}"' in client.get(change).content.decode()

    page = client.get(send)
    assert page.status_code == 200
    text = page.content.decode()
    assert "li@hit.example.cn" in text and "kim@startup.example.kr" in text
    assert "1 member has no e-mail address and is not e-mailed: Choi" in text

    response = client.post(send, follow=True)
    assert response.redirect_chain == [(change, 302)]
    assert "The programme is e-mailed to 3 members." in response.content.decode()
    assert OutboxMessage.objects.filter(kind=PROGRAMME).count() == 3

    # Twice: nobody is mailed again, and the page says so.
    response = client.post(send, follow=True)
    assert "has this version of the programme already" in response.content.decode()
    assert OutboxMessage.objects.filter(kind=PROGRAMME).count() == 3


def test_the_send_page_of_a_delegation_without_programme_says_what_is_missing(
    client, visit, coordinator
):
    visit.programme.all().delete()
    send = reverse("admin:events_delegation_send_programme", args=[visit.pk])

    for response in (client.get(send, follow=True), client.post(send, follow=True)):
        change = reverse("admin:events_delegation_change", args=[visit.pk])
        assert response.redirect_chain == [(change, 302)]
        assert "This delegation has no programme item yet" in response.content.decode()
    assert not OutboxMessage.objects.exists()


def test_a_viewer_gets_no_send_button_and_a_refusal(client, visit):
    client.force_login(staff_in(roles.VIEWER))
    change = reverse("admin:events_delegation_change", args=[visit.pk])
    send = reverse("admin:events_delegation_send_programme", args=[visit.pk])

    assert send not in client.get(change).content.decode()
    assert client.get(send).status_code == 403
    assert client.post(send).status_code == 403
    assert not OutboxMessage.objects.exists()
