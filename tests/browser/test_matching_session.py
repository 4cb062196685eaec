"""A matching session and a competition, in Chromium: the issue's "done when".

A Korean founder (ko, Asia/Seoul) and a Chinese investor (zh-hans, Asia/Shanghai) register,
give their availability, exchange and accept a meeting request; the event coordinator
generates the schedule and watches the progress bar reach "done"; each reads their agenda in
their language and zone and downloads it as a calendar; the coordinator checks them in.
Then three judges score a competition round (one in the browser) and the coordinator
publishes the ranking.
"""

import datetime as dt
import time

import icalendar
import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from companies.models import Membership
from events.judging import services as judging
from events.matching import runs as schedule_runs
from events.models import (
    CompetitionEntry,
    CompetitionRound,
    Event,
    JudgeAssignment,
    JudgingCriterion,
    Meeting,
    MeetingRequest,
    Registration,
    ScheduleRun,
)
from incubator import roles
from incubator.models import OutboxMessage
from tests.companies.factories import (
    CompanyFactory,
    MembershipFactory,
    StaffFactory,
    UserFactory,
)
from tests.events.factories import EventFactory, PartnerPersonFactory, meeting_slots

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def role_groups():
    # A transactional test empties the tables the migrations filled: restore them.
    roles.sync_role_permissions()


def submit(page, selector):
    with page.expect_navigation():
        page.click(selector)


def test_a_matching_session_and_a_judged_competition(
    live_server, new_context, signed_in, role_groups, tmp_path, monkeypatch
):
    started = time.monotonic()

    url = live_server.url
    event = EventFactory(meeting_tables=2, interpreters_per_slot=1, title_en="Harbin matching")
    slots = meeting_slots(event, count=3)
    founder = MembershipFactory(
        user=UserFactory(full_name="남정화", language="ko", time_zone="Asia/Seoul"),
        company=CompanyFactory(consent_to_partners=True),
    ).user
    investor = PartnerPersonFactory(
        user=UserFactory(
            email="wang@capital.example.cn",
            full_name="王磊",
            language="zh-hans",
            time_zone="Asia/Shanghai",
        )
    ).user
    coordinator = StaffFactory()
    coordinator.groups.add(Group.objects.get(name=roles.EVENT_COORDINATOR))

    # 1. Both register on the event page and say when they can meet.
    pages = {}
    for user in (founder, investor):
        page = signed_in(new_context(), user)
        page.goto(f"{url}/portal/events/{event.pk}/")
        submit(page, f"form[action='/portal/events/{event.pk}/register/'] button[type=submit]")
        assert Registration.objects.get(event=event, user=user).status == "registered"
        submit(page, f"#meetings-panel a[href$='/portal/matching/{event.pk}/']")
        assert page.get_attribute("html", "lang") == user.language
        for slot in slots:
            page.check(f"#slots input[value='{slot.pk}']")
        submit(page, "#availability button[type=submit]")
        pages[user.pk] = page
    assert Registration.objects.get(user=founder).availabilities.count() == 3

    # 2. The founder asks the investor for a meeting; the investor accepts.
    page = pages[founder.pk]
    submit(page, f"a[href='/portal/matching/{event.pk}/participants/']")
    card = page.locator("#people li.card", has_text="王磊")
    card.locator("input[value=must]").check()
    card.locator("textarea").fill("우리 로봇을 소개하고 싶습니다.")
    with page.expect_navigation():
        card.locator("button[type=submit]").click()
    request = MeetingRequest.objects.get()
    assert request.priority == "must"

    page = pages[investor.pk]
    page.reload()
    assert "우리 로봇을 소개하고 싶습니다." in page.text_content("#received-requests")
    submit(page, f"[data-request='{request.pk}'] button[value=accept]")
    request.refresh_from_db()
    assert request.status == "accepted"

    # 3. The coordinator generates the schedule; a worker picks the run up while the page polls.
    queued = []
    monkeypatch.setattr(
        schedule_runs, "task_enqueue_on_commit", lambda name, *args: queued.append(args)
    )
    staff = signed_in(new_context(), coordinator)
    staff.goto(f"{url}/portal/staff/events/{event.pk}/schedule/")
    assert staff.text_content("[data-count=accepted]").strip().startswith("1")
    submit(staff, "#generate-form button[type=submit]")
    run = ScheduleRun.objects.get()
    assert staff.get_attribute("#run", "data-status") == "queued"
    assert staff.get_attribute("#run-progress", "value") == "0"
    assert queued == [(run.pk,)]

    polls = []

    def worker_finishes_while_the_page_polls(route):
        polls.append(route.request.url)
        if len(polls) == 2:
            schedule_runs.schedule_run_execute(run_id=run.pk)
        route.continue_()

    staff.route("**/progress.json", worker_finishes_while_the_page_polls)
    staff.wait_for_selector("#run[data-status=done]", timeout=15_000)
    assert len(polls) >= 2
    assert staff.get_attribute("#run-progress", "value") == "100"
    assert staff.text_content("[data-count=scheduled]").strip() == "1"
    meeting = Meeting.objects.get()
    assert OutboxMessage.objects.filter(kind="meeting_agenda", status="sent").count() == 2

    # 4. Each reads the agenda in their language and zone, and downloads the calendar.
    slot_start = meeting.slot.starts_at
    zones = ((founder, "Asia/Seoul", 9, "KST"), (investor, "Asia/Shanghai", 8, "CST"))
    for user, zone, offset, abbreviation in zones:
        page = pages[user.pk]
        page.goto(f"{url}/portal/matching/{event.pk}/agenda/")
        assert page.get_attribute("html", "lang") == user.language
        local = slot_start.astimezone(dt.timezone(dt.timedelta(hours=offset)))
        cell = ".viewer-zone" if zone != event.time_zone else ".event-zone"
        cell = f"#agenda tr[data-meeting='{meeting.pk}'] {cell}"
        row = page.text_content(cell)
        # The zone is named once, by the cell's label (its column on a wide screen).
        label = page.get_attribute(cell, "data-label").replace("（", "(").replace("）", ")")
        assert f"{local:%H:%M}" in row and f"({abbreviation})" in label
        assert abbreviation not in row
        assert page.text_content(f"#agenda tr[data-meeting='{meeting.pk}'] .table-number") == (
            str(meeting.table)
        )
        with page.expect_download() as download:
            page.click("#agenda-ics")
        path = tmp_path / f"agenda-{user.pk}.ics"
        download.value.save_as(path)
        [vevent] = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
        assert vevent["DTSTART"].params["TZID"] == event.time_zone
        assert vevent.decoded("DTSTART") == slot_start

    # 5. The day comes (the door opens on the event's day): the coordinator checks the
    # founder in.
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - dt.timedelta(minutes=30))
    registration = Registration.objects.get(user=founder)
    staff.goto(f"{url}/portal/staff/events/{event.pk}/check-in/")
    staff.fill("#id_q", registration.badge_code)
    submit(staff, "#checkin-search button[type=submit]")
    submit(staff, f"[data-registration='{registration.pk}'] button[type=submit]")
    registration.refresh_from_db()
    assert registration.is_checked_in

    # 6. A competition round: three judges score three entries, the ranking is published.
    contest = EventFactory(kind=Event.Kind.COMPETITION, meeting_tables=0, interpreters_per_slot=0)
    round_ = CompetitionRound.objects.create(event=contest, name_en="Final")
    technology = JudgingCriterion.objects.create(round=round_, name_en="Technology", weight=2)
    market = JudgingCriterion.objects.create(round=round_, name_en="Market", max_score=5)
    entries = {
        title: CompetitionEntry.objects.create(
            round=round_, company=MembershipFactory().company, title=title
        )
        for title in ("Alpha robot", "Beta clinic", "Gamma school")
    }
    judges = [UserFactory(full_name=f"Judge {n}", language="en") for n in range(3)]
    staff.goto(f"{url}/portal/staff/competition-rounds/{round_.pk}/judges/")
    staff.select_option("#id_entry", str(entries["Alpha robot"].pk))
    staff.fill("#id_email", judges[0].email)
    submit(staff, "main form[method=post] button[type=submit]")
    for judge in judges:
        for entry in entries.values():
            if (judge, entry.title) != (judges[0], "Alpha robot"):
                judging.judge_assign(entry=entry, judge=judge, actor=coordinator)
    # A lenient, a harsh and a middle judge; the first two agree Beta > Gamma > Alpha.
    marks = [
        {"Alpha robot": (8, 4), "Beta clinic": (10, 5), "Gamma school": (9, 4)},
        {"Alpha robot": (2, 1), "Beta clinic": (4, 2), "Gamma school": (3, 1)},
        {"Alpha robot": (5, 2), "Beta clinic": (6, 3), "Gamma school": (7, 3)},
    ]
    # The first judge scores the three entries in the browser; the other two through the
    # service the score page calls (the page would show nothing more, at nine page loads each).
    page = signed_in(new_context(), judges[0])
    page.goto(f"{url}/portal/judging/")
    for title, (tech, fit) in marks[0].items():
        submit(page, f"#assignments a:text-is('{title}')")
        page.fill(f"#score-{technology.pk}", str(tech))
        page.fill(f"#score-{market.pk}", str(fit))
        submit(page, "button[name=action][value=submit]")
    page.context.close()
    for judge, scores in zip(judges[1:], marks[1:], strict=True):
        for title, (tech, fit) in scores.items():
            judging.score_submit(
                assignment=JudgeAssignment.objects.get(judge=judge, entry=entries[title]),
                scores={technology.pk: (str(tech), ""), market.pk: (str(fit), "")},
                judge=judge,
            )
    assert JudgeAssignment.objects.filter(submitted_at__isnull=False).count() == 9

    staff.goto(f"{url}/portal/staff/competition-rounds/{round_.pk}/results/")
    submit(staff, "#publish")
    assert staff.locator("#released").is_visible()
    public = new_context().new_page()
    public.goto(f"{url}/portal/competitions/rounds/{round_.pk}/results/")
    ranking = public.locator("#public-ranking li").all_text_contents()
    assert [next(t for t in entries if t in line) for line in ranking] == [
        "Beta clinic",
        "Gamma school",
        "Alpha robot",
    ]
    members = Membership.objects.filter(company__competition_entries__round=round_).count()
    assert OutboxMessage.objects.filter(kind="competition_results").count() == members
    assert time.monotonic() - started < 60
