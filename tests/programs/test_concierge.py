"""What the demo's walk through the concierge found: a new request reaches the center, in
each reader's language; files stay with the company and the staff who handle requests; the
queue comes in the order of the work; the company hears when its request is resolved or
closed; target dates make sense; the thread and the lists say the right thing."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from incubator import reminders
from incubator.models import AuditRecord, OutboxMessage
from incubator.services import render_message
from programs.concierge import services as concierge_services
from programs.models import ServiceRequest
from tests.companies.factories import CompanyFactory, MembershipFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


@pytest.fixture
def company():
    return CompanyFactory(
        name_ko="하얼빈오랑과기", name_zh="哈尔滨奥朗科技", name_en="Harbin Aurang Tech"
    )


@pytest.fixture
def member(company):
    return MembershipFactory(company=company, user__language="ko").user


def open_request(member, **kwargs):
    return concierge_services.service_request_open(
        company=member.membership.company,
        kind=kwargs.pop("kind", ServiceRequest.Kind.VISA),
        subject=kwargs.pop("subject", "D-8 visa"),
        body=kwargs.pop("body", "Which documents?"),
        actor=member,
        **kwargs,
    )


def conversation_url(service_request):
    return reverse("admin:programs_servicerequest_conversation", args=[service_request.pk])


# --- 1. A new request reaches the center -----------------------------------------------------


def test_a_new_request_is_told_to_the_staff_who_take_requests_in_their_language(
    member, officer, manager, viewer, coordinator
):
    service_request = open_request(member)
    told = OutboxMessage.objects.filter(kind="service_request_opened")
    assert {m.recipient for m in told} == {officer.email, manager.email}
    to_officer = told.get(recipient=officer.email)
    assert to_officer.dedupe_key == f"service-request-opened:{service_request.pk}:{officer.pk}"
    assert to_officer.language == "zh-hans"
    assert to_officer.payload["company"] == "哈尔滨奥朗科技"
    assert manager.language == "en"
    assert told.get(recipient=manager.email).payload["company"] == "Harbin Aurang Tech"
    email = render_message(to_officer)
    assert f"#{service_request.pk}" in email.subject
    assert conversation_url(service_request) in email.body
    assert "Which documents?" in email.body


def test_a_companys_reply_on_an_unassigned_request_reaches_the_staff_who_take_requests(
    member, officer, manager, viewer
):
    service_request = open_request(member)
    concierge_services.service_request_reply(
        service_request=service_request, actor=member, body="Attached."
    )
    told = OutboxMessage.objects.filter(kind="service_request_message")
    assert {m.recipient for m in told} == {officer.email, manager.email}
    # Item 5: the officer reads the company's name in Chinese, not in Korean.
    assert told.get(recipient=officer.email).payload["company"] == "哈尔滨奥朗科技"


def test_the_owner_reads_the_companys_name_in_their_language(member, officer):
    service_request = open_request(member)
    concierge_services.service_request_assign(
        service_request=service_request, owner=officer, actor=officer
    )
    concierge_services.service_request_reply(
        service_request=service_request, actor=member, body="Attached."
    )
    message = OutboxMessage.objects.get(kind="service_request_message")
    assert (message.recipient, message.language) == (officer.email, "zh-hans")
    assert message.payload["company"] == "哈尔滨奥朗科技"


def test_an_unassigned_request_has_a_target_date_and_the_managers_hear_when_it_is_late(
    member, officer, manager
):
    with time_machine.travel(at(2026, 12, 1, 2, 0), tick=False) as clock:
        service_request = open_request(member)
        days = concierge_services.service_target_days(ServiceRequest.Kind.VISA)
        assert service_request.due_on == dt.date(2026, 12, 1) + dt.timedelta(days=days)
        assert service_request.owner is None
        # 09:00 in the center's zone (01:00 UTC) the morning after the target date.
        clock.move_to(
            dt.datetime.combine(
                service_request.due_on + dt.timedelta(days=1), dt.time(1, 0)
            ).replace(tzinfo=dt.UTC)
        )
        reminders.reminders_sweep(codes=["service_request_overdue"])
    late = OutboxMessage.objects.filter(dedupe_key__startswith="reminder:service_request_overdue:")
    assert [m.recipient for m in late] == [manager.email]


def test_the_emails_of_a_request_and_a_reply_name_their_attached_file(member, officer):
    service_request = open_request(
        member, uploaded_file=SimpleUploadedFile("passport.pdf", PDF), max_bytes=10_000_000
    )
    concierge_services.service_request_assign(
        service_request=service_request, owner=officer, actor=officer
    )
    concierge_services.service_request_reply(
        service_request=service_request,
        actor=officer,
        body="Please sign this form.",
        uploaded_file=SimpleUploadedFile("visa-form.pdf", PDF),
        max_bytes=10_000_000,
    )
    concierge_services.service_request_reply(
        service_request=service_request, actor=member, body="Signed, on its way."
    )

    opened = OutboxMessage.objects.get(kind="service_request_opened", recipient=officer.email)
    replied = OutboxMessage.objects.get(kind="service_request_message", recipient=member.email)
    plain = OutboxMessage.objects.get(kind="service_request_message", recipient=officer.email)
    for message, name in ((opened, "passport.pdf"), (replied, "visa-form.pdf")):
        assert message.payload["attachment"] == name
        email = render_message(message)
        assert name in email.body and name in email.alternatives[0].content
    assert plain.payload["attachment"] == ""
    email = render_message(plain)
    assert ".pdf" not in email.body and ".pdf" not in email.alternatives[0].content


# --- 2. The files stay with the company and the staff who handle requests ---------------------


def test_the_files_open_for_the_company_and_the_staff_who_handle_requests_only(
    client, member, officer, manager, viewer, coordinator
):
    service_request = open_request(
        member,
        uploaded_file=SimpleUploadedFile("passport.pdf", PDF),
        max_bytes=10_000_000,
    )
    message = service_request.messages.get()
    url = reverse("programs:request-file", args=[service_request.pk, message.pk])
    stranger = MembershipFactory().user
    for user, status in (
        (member, 200),
        (officer, 200),
        (manager, 200),
        (viewer, 404),
        (coordinator, 404),
        (stranger, 404),
    ):
        client.force_login(user)
        assert client.get(url).status_code == status, user

    # The conversation page and the request's page link the file for those who open it;
    # the others read neither the thread nor the file's name.
    for user, linked in ((officer, True), (viewer, False)):
        client.force_login(user)
        client.cookies["lang"] = "en"
        conversation = client.get(conversation_url(service_request))
        assert conversation.status_code == (200 if linked else 403), user
        assert ("passport.pdf" in conversation.content.decode()) is linked, user
        change = client.get(
            reverse("admin:programs_servicerequest_change", args=[service_request.pk])
        ).content.decode()
        assert ("passport.pdf" in change) is linked, user
        assert (url in change) is linked, user


# --- 3. The staff queue in the order of the work -----------------------------------------------


def test_the_staff_queue_lists_open_requests_first_and_closed_ones_last(
    staff_client, officer, company
):
    def made(status, days_ago):
        return ServiceRequest.objects.create(
            company=company,
            kind="visa",
            subject=f"{status} {days_ago}",
            status=status,
            opened_at=timezone.now() - dt.timedelta(days=days_ago),
        )

    closed = made("closed", 1)
    resolved = made("resolved", 2)
    old_open = made("open", 9)
    in_progress = made("in_progress", 3)
    new_open = made("open", 4)
    response = staff_client(officer).get(reverse("admin:programs_servicerequest_changelist"))
    assert list(response.context["cl"].result_list) == [
        new_open,
        old_open,
        in_progress,
        resolved,
        closed,
    ]


# --- 4. The company hears when the center resolves or closes its request -------------------


def test_the_company_is_told_when_the_center_resolves_or_closes_its_request(member, officer):
    other = MembershipFactory(company=member.membership.company, user__language="zh-hans").user
    service_request = open_request(member)
    concierge_services.service_request_set_status(
        service_request=service_request, status="resolved", actor=officer
    )
    told = OutboxMessage.objects.filter(kind="service_request_status_changed")
    assert {m.recipient for m in told} == {member.email, other.email}
    assert told.get(recipient=other.email).language == "zh-hans"
    email = render_message(told.get(recipient=member.email))
    assert reverse("programs:request-detail", args=[service_request.pk]) in email.body
    assert told.get(recipient=member.email).payload["status"] == "resolved"

    # The company answers (it reopens), the center resolves it again: told again.
    concierge_services.service_request_reply(
        service_request=service_request, actor=member, body="One more thing."
    )
    concierge_services.service_request_set_status(
        service_request=service_request, status="resolved", actor=officer
    )
    assert told.all().count() == 4  # .all(): told was read above, count it again
    concierge_services.service_request_set_status(
        service_request=service_request, status="closed", actor=officer
    )
    assert told.filter(payload__status="closed").count() == 2
    assert AuditRecord.objects.filter(verb="service_request.closed").count() == 1


def test_a_company_closing_its_own_request_is_not_told_of_it(member, officer):
    service_request = open_request(member)
    concierge_services.service_request_set_status(
        service_request=service_request, status="closed", actor=member
    )
    assert not OutboxMessage.objects.filter(kind="service_request_status_changed").exists()


# --- 6. Target dates -----------------------------------------------------------------------


def test_a_target_date_before_the_opening_is_refused(staff_client, member, officer):
    service_request = open_request(member)
    due_on = service_request.due_on
    response = staff_client(officer).post(
        conversation_url(service_request),
        {"assign-owner": officer.pk, "assign-due_on": "1999-01-01", "_assign": "1"},
    )
    assert response.status_code == 200
    assert "The target date cannot be before the request was opened" in response.content.decode()
    service_request.refresh_from_db()
    assert (service_request.owner, service_request.due_on) == (None, due_on)
    assert not AuditRecord.objects.filter(verb="service_request.assign").exists()
    with pytest.raises(ValidationError):
        concierge_services.service_request_open(
            company=member.membership.company,
            kind="tax",
            subject="VAT",
            body="How?",
            actor=officer,
            owner=officer,
            due_on=dt.date(1999, 1, 1),
        )


def test_assigning_a_request_past_its_target_starts_the_target_from_the_assignment(
    staff_client, member, officer
):
    service_request = open_request(member)
    long_ago = timezone.now() - dt.timedelta(days=60)
    ServiceRequest.objects.filter(pk=service_request.pk).update(
        opened_at=long_ago, due_on=timezone.localdate(long_ago) + dt.timedelta(days=5)
    )
    response = staff_client(officer).post(
        conversation_url(service_request),
        {"assign-owner": officer.pk, "assign-due_on": "", "_assign": "1"},
        follow=True,
    )
    days = concierge_services.service_target_days(ServiceRequest.Kind.VISA)
    expected = timezone.localdate() + dt.timedelta(days=days)
    service_request.refresh_from_db()
    assert service_request.owner == officer
    assert service_request.due_on == expected
    assert not service_request.is_overdue()
    assert expected.isoformat() in response.content.decode()
    assert AuditRecord.objects.get(verb="service_request.assign").changes["due_on"] == str(expected)


# --- 7. The thread, the list and the breadcrumb ----------------------------------------------


def test_a_member_sees_only_their_own_messages_labelled_you(client, member, company):
    colleague = MembershipFactory(company=company).user
    service_request = open_request(member, body="From the owner.")
    concierge_services.service_request_reply(
        service_request=service_request, actor=colleague, body="From the colleague."
    )
    client.force_login(colleague)
    client.cookies["lang"] = "en"
    page = client.get(reverse("programs:request-detail", args=[service_request.pk]))
    labels = re.findall(r'<li data-from="company">\s*<strong>(.*?)</strong>', page.content.decode())
    assert labels == ["Harbin Aurang Tech", "You"]


def test_the_request_list_shows_a_past_target_date_as_overdue(client, member):
    late = open_request(member, subject="Late one")
    on_time = open_request(member, subject="On time")
    ServiceRequest.objects.filter(pk=late.pk).update(
        due_on=timezone.localdate() - dt.timedelta(days=1)
    )
    client.force_login(member)
    client.cookies["lang"] = "en"
    page = client.get(reverse("programs:request-list")).content.decode()
    rows = dict(re.findall(r'<tr data-request="(\d+)">(.*?)</tr>', page, re.S))
    assert "overdue" in rows[str(late.pk)]
    assert "overdue" not in rows[str(on_time.pk)]


def test_the_list_awaits_the_company_only_after_the_centers_word_on_an_active_request(
    client, member, officer
):
    service_request = open_request(member, subject="Residence permit")
    client.force_login(member)
    client.cookies["lang"] = "ko"

    def awaited() -> bool:
        service_request.refresh_from_db()
        page = client.get(reverse("programs:request-list")).content.decode()
        row = dict(re.findall(r'<tr data-request="(\d+)">(.*?)</tr>', page, re.S))
        shown = "회원님의 답변을 기다리고 있습니다" in row[str(service_request.pk)]
        assert shown == service_request.awaits_company_reply
        return shown

    def reply(actor):
        concierge_services.service_request_reply(
            service_request=service_request, actor=actor, body="…"
        )

    def move(status):
        concierge_services.service_request_set_status(
            service_request=service_request, status=status, actor=officer
        )

    assert not awaited()
    reply(officer)
    assert awaited()
    reply(member)
    assert not awaited()
    reply(officer)
    assert awaited()
    move(ServiceRequest.Status.RESOLVED)
    assert not awaited()
    reply(officer)  # a note after resolving asks nothing
    assert not awaited()
    assert service_request.waiting_on == ServiceRequest.WaitingOn.NOBODY
    move(ServiceRequest.Status.IN_PROGRESS)
    assert not awaited()
    move(ServiceRequest.Status.CLOSED)
    assert not awaited()


def test_the_conversation_breadcrumb_names_the_request_once(staff_client, member, officer):
    service_request = open_request(member, subject="Residence permit")
    page = staff_client(officer).get(conversation_url(service_request)).content.decode()
    breadcrumbs = re.search(r'<div class="breadcrumbs">(.*?)</div>', page, re.S).group(1)
    assert breadcrumbs.count("Residence permit") == 1
    assert "Messages" in breadcrumbs


# --- 6. What the staff read of a request, by role ---------------------------------------------


def test_the_viewers_export_of_requests_leaves_out_the_owners_address(
    client, member, officer, viewer
):
    service_request = open_request(member)
    concierge_services.service_request_assign(
        service_request=service_request, owner=officer, due_on=None, actor=officer
    )
    url = reverse("admin:programs_servicerequest_export_csv")
    client.force_login(officer)
    handled = b"".join(client.get(url).streaming_content).decode()
    assert officer.email in handled and "D-8 visa" in handled
    client.force_login(viewer)
    read = b"".join(client.get(url).streaming_content).decode()
    assert "D-8 visa" in read and officer.email not in read and "@" not in read


def test_the_thread_names_its_times_zone_in_words(client, member, officer):
    service_request = open_request(member)
    officer.time_zone = "Asia/Shanghai"
    officer.save()
    client.force_login(officer)
    client.cookies["lang"] = "en"
    page = client.get(conversation_url(service_request)).content.decode()
    sent = timezone.localtime(
        service_request.messages.get().created_at, timezone.get_fixed_timezone(8 * 60)
    )
    thread = page[page.index('id="thread"') :]
    assert f"{sent:%Y-%m-%d %H:%M} China time (CST)" in thread
    assert "Asia/Shanghai" not in thread
