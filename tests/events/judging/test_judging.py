"""Competition judging: assignments, scores, normalised results and their publication."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from companies.models import Membership
from events.judging import selectors as judging_selectors
from events.judging import services as judging
from events.models import (
    CompetitionEntry,
    CompetitionRound,
    ConflictDeclaration,
    Event,
    JudgeAssignment,
    JudgingCriterion,
    Score,
    ScoreCorrection,
)
from incubator import roles
from incubator.models import AuditRecord, OutboxMessage
from incubator.services import render_message
from tests.companies.factories import MembershipFactory, StaffFactory, UserFactory, staff_in
from tests.events.factories import EventFactory
from tests.forms_shown import form_as_shown

pytestmark = pytest.mark.django_db


def role_group(name: str) -> Group:
    return Group.objects.get(name=name)  # the migrations' rows, put back after each flush


@pytest.fixture
def round_():
    event = EventFactory(kind=Event.Kind.COMPETITION, meeting_tables=0, interpreters_per_slot=0)
    return CompetitionRound.objects.create(event=event, name_en="Final", name_ko="결선")


@pytest.fixture
def criteria(round_):
    return [
        JudgingCriterion.objects.create(round=round_, name_en="Technology", weight=2, order=1),
        JudgingCriterion.objects.create(
            round=round_, name_en="Market fit", weight=1, max_score=5, order=2
        ),
    ]


@pytest.fixture
def entries(round_):
    return [
        CompetitionEntry.objects.create(
            round=round_, company=MembershipFactory().company, title=title
        )
        for title in ("Alpha robot", "Beta clinic", "Gamma school")
    ]


@pytest.fixture
def coordinator():
    user = StaffFactory()
    user.groups.add(role_group(roles.EVENT_COORDINATOR))
    return user


def sheet(criteria, *values):
    return {c.pk: (value, "") for c, value in zip(criteria, values, strict=True)}


def score(assignment, criteria, *values, submit=True):
    return judging.score_submit(
        assignment=assignment,
        scores=sheet(criteria, *values),
        judge=assignment.judge,
        submit=submit,
    )


# --- Assignments --------------------------------------------------------------------------


def test_a_judge_with_a_declared_conflict_is_refused(round_, entries, coordinator):
    judge = UserFactory()
    ConflictDeclaration.objects.create(judge=judge, company=entries[0].company, reason="Investor")
    with pytest.raises(ValidationError, match="conflict of interest"):
        judging.judge_assign(entry=entries[0], judge=judge, actor=coordinator)
    assert not JudgeAssignment.objects.exists()
    assignment = judging.judge_assign(entry=entries[1], judge=judge, actor=coordinator)
    assert assignment.assigned_by == coordinator
    message = OutboxMessage.objects.get(kind="judge_assigned")
    assert message.recipient == judge.email
    assert message.payload["path"] == reverse("events:judging-score", args=[assignment.pk])
    with pytest.raises(ValidationError, match="already assigned"):
        judging.judge_assign(entry=entries[1], judge=judge, actor=coordinator)


def test_a_member_of_the_company_cannot_judge_its_entry(entries, coordinator):
    member = Membership.objects.filter(company=entries[0].company).get().user
    with pytest.raises(ValidationError, match="member of"):
        judging.judge_assign(entry=entries[0], judge=member, actor=coordinator)


def test_a_member_of_a_competing_company_cannot_judge_a_rival(entries, coordinator):
    rival = Membership.objects.filter(company=entries[1].company).get().user
    with pytest.raises(ValidationError) as error:
        judging.judge_assign(entry=entries[0], judge=rival, actor=coordinator)
    assert error.value.messages == [
        f"{rival} is a member of {entries[1].company}, which has an entry in this round, "
        "and cannot judge its rivals."
    ]
    assert not JudgeAssignment.objects.exists()
    assert not OutboxMessage.objects.filter(kind="judge_assigned").exists()


def test_a_member_of_a_company_outside_the_round_may_judge(entries, coordinator):
    outsider = MembershipFactory().user  # their company has no entry in this round
    assignment = judging.judge_assign(entry=entries[0], judge=outsider, actor=coordinator)
    assert assignment.judge == outsider
    assert OutboxMessage.objects.get(kind="judge_assigned").recipient == outsider.email


def test_a_company_does_not_enter_a_round_its_member_judges(round_, entries, coordinator):
    judge = UserFactory()
    judging.judge_assign(entry=entries[0], judge=judge, actor=coordinator)
    company = MembershipFactory(user=judge).company
    late = CompetitionEntry(round=round_, company=company, title="Delta drones")
    with pytest.raises(ValidationError) as error:
        judging.entry_save(entry=late, actor=coordinator)
    assert error.value.messages == [
        f"{company} cannot enter this round while its members judge in it ({judge}): "
        "remove their judge assignments first."
    ]
    assert not CompetitionEntry.objects.filter(company=company).exists()
    # Moving an entry to that company is entering it too.
    moved = CompetitionEntry.objects.get(pk=entries[2].pk)
    moved.company = company
    with pytest.raises(ValidationError, match="cannot enter this round"):
        judging.entry_save(entry=moved, actor=coordinator)
    # Once the judge is off the round, the company enters; an unrelated one always could.
    judging.judge_unassign(assignment=JudgeAssignment.objects.get(judge=judge), actor=coordinator)
    judging.entry_save(entry=late, actor=coordinator)
    other = CompetitionEntry(round=round_, company=MembershipFactory().company, title="Epsilon")
    judging.entry_save(entry=other, actor=coordinator)
    assert CompetitionEntry.objects.filter(round=round_).count() == 5


def test_a_judge_who_joins_a_competing_company_is_flagged_and_left_out_of_the_ranking(
    client, round_, entries, criteria, coordinator
):
    judge = UserFactory(full_name="Judge Han")
    assignment = judging.judge_assign(entry=entries[0], judge=judge, actor=coordinator)
    score(assignment, criteria, 5, 3)
    untouched = judging.judge_assign(entry=entries[1], judge=UserFactory(), actor=coordinator)
    score(untouched, criteria, 6, 3)
    Membership.objects.create(user=judge, company=entries[1].company)  # joins a rival
    why = (
        f"Judge Han is a member of {entries[1].company}, which has an entry in this round, "
        "and cannot judge its rivals."
    )
    results = judging_selectors.round_results(round=round_)
    assert results.conflicts == [(assignment, why)]
    marks = {mark.user: mark.conflict for row in results.rows for mark in row.by_judge}
    assert marks == {untouched.judge: None}  # the conflicted sheet is not in the ranking

    signed_in(client, coordinator)
    page = client.get(reverse("events:judging-results", args=[round_.pk])).content.decode()
    assert 'id="conflicts"' in page and why in page
    assert "left out of the ranking" in page
    page = client.get(reverse("events:judging-assign", args=[round_.pk])).content.decode()
    assert page.count('class="conflict"') == 1 and why in page


# --- Scores -------------------------------------------------------------------------------


def test_scores_out_of_range_save_nothing(entries, criteria, coordinator):
    assignment = judging.judge_assign(entry=entries[0], judge=UserFactory(), actor=coordinator)
    with pytest.raises(ValidationError) as error:
        score(assignment, criteria, 8, 6)  # market fit is out of 5
    assert error.value.message_dict == {str(criteria[1].pk): ["Give a score from 0 to 5."]}
    with pytest.raises(ValidationError) as error:
        score(assignment, criteria, -1, "1.234")
    assert set(error.value.message_dict) == {str(criteria[0].pk), str(criteria[1].pk)}
    with pytest.raises(ValidationError, match="Give a score"):
        judging.score_submit(
            assignment=assignment, scores={criteria[0].pk: (5, "")}, judge=assignment.judge
        )
    assert not Score.objects.exists()
    assignment.refresh_from_db()
    assert assignment.submitted_at is None


def test_a_judge_scores_only_their_own_assignment_and_only_until_submitted(
    entries, criteria, coordinator
):
    assignment = judging.judge_assign(entry=entries[0], judge=UserFactory(), actor=coordinator)
    with pytest.raises(PermissionDenied):
        judging.score_submit(
            assignment=assignment, scores=sheet(criteria, 5, 3), judge=UserFactory()
        )
    score(assignment, criteria, 5, 3, submit=False)  # a draft can change
    score(assignment, criteria, "7.5", 4)
    assert {s.criterion_id: s.value for s in assignment.scores.all()} == {
        criteria[0].pk: Decimal("7.5"),
        criteria[1].pk: Decimal("4"),
    }
    assignment.refresh_from_db()
    assert assignment.submitted_at is not None
    with pytest.raises(ValidationError, match="final"):
        score(assignment, criteria, 9, 5)


def test_no_scores_after_the_results_are_published(round_, entries, criteria, coordinator):
    done = judging.judge_assign(entry=entries[0], judge=UserFactory(), actor=coordinator)
    score(done, criteria, 5, 3)
    late = judging.judge_assign(entry=entries[1], judge=UserFactory(), actor=coordinator)
    round_.released_at = timezone.now()
    round_.save()
    with pytest.raises(ValidationError, match="published"):
        score(late, criteria, 5, 3)


def test_no_scores_after_the_judging_deadline(round_, entries, criteria, coordinator):
    assignment = judging.judge_assign(entry=entries[0], judge=UserFactory(), actor=coordinator)
    round_.judging_deadline = timezone.now() - dt.timedelta(minutes=1)
    round_.save()
    with pytest.raises(ValidationError, match="closed"):
        score(assignment, criteria, 5, 3)
    assert not Score.objects.exists()


# --- Results ------------------------------------------------------------------------------


@pytest.fixture
def judged(round_, entries, criteria, coordinator):
    """Three judges score all three entries: a lenient, a harsh and a middle one.

    The lenient and the harsh judge agree on the order Beta > Gamma > Alpha, the middle judge
    puts Gamma first; Beta wins on two judges' first places.
    """
    judges = {name: UserFactory(full_name=name) for name in ("Lenient", "Harsh", "Middle")}
    marks = {
        "Lenient": {"Alpha robot": (8, 4), "Beta clinic": (10, 5), "Gamma school": (9, 4)},
        "Harsh": {"Alpha robot": (2, 1), "Beta clinic": (4, 2), "Gamma school": (3, 1)},
        "Middle": {"Alpha robot": (5, 2), "Beta clinic": (6, 3), "Gamma school": (7, 3)},
    }
    for name, judge in judges.items():
        for entry in entries:
            assignment = judging.judge_assign(entry=entry, judge=judge, actor=coordinator)
            score(assignment, criteria, *marks[name][entry.title])
    return judges


def test_results_rank_on_normalised_scores(round_, judged, django_assert_num_queries):
    # criteria + entries with companies + assignments with judges + scores
    # + declared conflicts + the judges' memberships
    with django_assert_num_queries(6):
        results = judging_selectors.round_results(round=round_)
    ranking = [(row.rank, row.obj.title) for row in results.rows]
    assert ranking == [(1, "Beta clinic"), (2, "Gamma school"), (3, "Alpha robot")]
    assert results.pending == 0
    beta = results.rows[0]
    by_judge = {mark.user.full_name: mark for mark in beta.by_judge}
    # Same order, different temperament: the same normalised contribution.
    assert by_judge["Lenient"].normalized == pytest.approx(by_judge["Harsh"].normalized)
    assert by_judge["Lenient"].raw > by_judge["Harsh"].raw
    assert beta.judges == 3


def test_publishing_needs_every_sheet_and_tells_the_entrants(round_, judged, entries, coordinator):
    pending = judging.judge_assign(entry=entries[0], judge=UserFactory(), actor=coordinator)
    with pytest.raises(ValidationError, match="not submitted yet"):
        judging.round_release(round=round_, actor=coordinator)
    judging.judge_unassign(assignment=pending, actor=coordinator)
    judging.round_release(round=round_, actor=coordinator)
    round_.refresh_from_db()
    assert round_.released_at is not None
    told = set(
        OutboxMessage.objects.filter(kind="competition_results").values_list("recipient", flat=True)
    )
    assert told == {
        m.user.email for m in Membership.objects.filter(company__competition_entries__round=round_)
    }
    with pytest.raises(ValidationError, match="published already"):
        judging.round_release(round=round_, actor=coordinator)


def _rank_numbers(email, company_name: str) -> list[str]:
    """The numbers in the e-mail's last paragraph, the one about the company's place."""
    last = email.body.rstrip().splitlines()[-1]
    assert company_name in last
    return re.findall(r"\d+", last.replace(company_name, ""))


def test_the_results_email_names_the_event_and_the_companys_rank_in_korean(
    round_, judged, entries, coordinator
):
    unscored = CompetitionEntry.objects.create(
        round=round_, company=MembershipFactory().company, title="Delta farm"
    )
    get_user_model().objects.filter(membership__company__competition_entries__round=round_).update(
        language="ko"
    )

    judging.round_release(round=round_, actor=coordinator)

    def email_of(entry):
        message = OutboxMessage.objects.get(
            kind="competition_results", recipient=entry.company.memberships.get().user.email
        )
        assert message.language == "ko"
        return message, render_message(message)

    gamma = entries[2]  # ranked 2 of the 3 scored entries (test_results_rank_on_…)
    message, email = email_of(gamma)
    assert (message.payload["rank"], message.payload["ranked"]) == (2, 3)
    event = round_.event
    for text in (email.subject, email.body):
        assert event.title_ko in text and "결선" in text
        assert event.title_en not in text and "Final" not in text
    assert sorted(_rank_numbers(email, gamma.company.name_ko)) == ["2", "3"]  # 2nd of 3

    message, email = email_of(unscored)
    assert message.payload["rank"] is None
    assert _rank_numbers(email, unscored.company.name_ko) == []


# --- Pages --------------------------------------------------------------------------------


def signed_in(client, user):
    client.force_login(user)
    client.cookies["lang"] = "en"
    return client


def test_the_score_form_refuses_out_of_range_and_others_assignments(
    client, entries, criteria, coordinator
):
    judge = UserFactory()
    mine = judging.judge_assign(entry=entries[0], judge=judge, actor=coordinator)
    theirs = judging.judge_assign(entry=entries[1], judge=UserFactory(), actor=coordinator)
    signed_in(client, judge)
    home = client.get(reverse("events:judging-home")).content.decode()
    assert "Alpha robot" in home and "Beta clinic" not in home
    assert client.get(reverse("events:judging-score", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("events:judging-score", args=[theirs.pk])).status_code == 404

    url = reverse("events:judging-score", args=[mine.pk])
    technology, market = criteria
    response = client.post(
        url,
        {
            f"score_{technology.pk}": "9",
            f"score_{market.pk}": "11",
            f"comment_{technology.pk}": "Strong patents",
            "action": "submit",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Give a score from 0 to 5." in page
    assert "Strong patents" in page  # what was typed stays in the form
    assert not Score.objects.exists()

    response = client.post(
        url,
        {f"score_{technology.pk}": "9", f"score_{market.pk}": "4.5", "action": "submit"},
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.submitted_at is not None
    assert "they are final" in client.get(url).content.decode()


def test_staff_assign_see_results_and_publish(client, round_, judged, entries, coordinator):
    signed_in(client, coordinator)
    conflicted = UserFactory()
    ConflictDeclaration.objects.create(judge=conflicted, company=entries[2].company)
    response = client.post(
        reverse("events:judging-assign", args=[round_.pk]),
        {"entry": entries[2].pk, "email": conflicted.email},
    )
    assert response.status_code == 400
    assert "declared a conflict of interest" in response.content.decode()
    response = client.post(
        reverse("events:judging-assign", args=[round_.pk]),
        {"entry": entries[2].pk, "email": "nobody@example.kr"},
    )
    assert "No portal account has this e-mail address." in response.content.decode()
    rival = Membership.objects.filter(company=entries[0].company).get().user
    response = client.post(
        reverse("events:judging-assign", args=[round_.pk]),
        {"entry": entries[2].pk, "email": rival.email},
    )
    assert response.status_code == 400
    assert "which has an entry in this round, and cannot judge its rivals." in (
        response.content.decode()
    )
    assert not JudgeAssignment.objects.filter(judge=rival).exists()
    assert not OutboxMessage.objects.filter(kind="judge_assigned", recipient=rival.email).exists()

    public = reverse("events:competition-results", args=[round_.pk])
    assert client.get(public).status_code == 404  # not published yet

    page = client.get(reverse("events:judging-results", args=[round_.pk])).content.decode()
    assert "Publish results" in page
    assert page.index("Beta clinic") < page.index("Gamma school") < page.index("Alpha robot")
    client.post(reverse("events:judging-release", args=[round_.pk]))
    round_.refresh_from_db()
    assert round_.released_at is not None

    client.logout()
    page = client.get(public).content.decode()
    assert page.index("Beta clinic") < page.index("Gamma school") < page.index("Alpha robot")


def test_judging_staff_pages_need_permissions(client, round_):
    url = reverse("events:judging-results", args=[round_.pk])
    signed_in(client, UserFactory())
    assert client.get(url).status_code == 403
    officer = StaffFactory()
    officer.groups.add(role_group(roles.PROGRAM_OFFICER))
    signed_in(client, officer)
    assert client.get(url).status_code == 200
    assert client.post(reverse("events:judging-release", args=[round_.pk])).status_code == 403
    assert client.get(reverse("events:judging-assign", args=[round_.pk])).status_code == 403


def test_the_viewer_reads_a_ranking_once_published_and_no_judges_scores(
    client, round_, judged, coordinator
):
    viewer = StaffFactory()
    viewer.groups.add(role_group(roles.VIEWER))
    signed_in(client, viewer)
    url = reverse("events:judging-results", args=[round_.pk])

    refused = client.get(url)
    assert refused.status_code == 403
    assert "The results of this round are not published yet." in refused.content.decode()
    assert client.get(reverse("admin:events_score_changelist")).status_code == 403

    judging.round_release(round=round_, actor=coordinator)
    page = client.get(url).content.decode()
    assert page.index("Beta clinic") < page.index("Gamma school") < page.index("Alpha robot")
    # The ranking and its means, not who gave what.
    assert "By judge" not in page and "Lenient" not in page and "Harsh" not in page
    signed_in(client, coordinator)
    assert "Lenient" in client.get(url).content.decode()


def test_the_judging_links_lead_only_where_the_reader_may_go(client, round_, judged, coordinator):
    round_page = reverse("admin:events_competitionround_change", args=[round_.pk])
    judges = reverse("events:judging-assign", args=[round_.pk])
    results = reverse("events:judging-results", args=[round_.pk])
    assignments = reverse("admin:events_judgeassignment_changelist")
    for role, shown in [
        (roles.EVENT_COORDINATOR, {judges, results}),
        (roles.PROGRAM_OFFICER, {results}),
        (roles.VIEWER, set()),  # the results are not published yet
    ]:
        signed_in(client, staff(role))
        links = set(
            re.findall(r'href="(/portal/staff/[^"]+)"', client.get(round_page).content.decode())
        )
        assert links == shown, role
        for link in links:
            assert client.get(link).status_code == 200, (role, link)
        listed = client.get(assignments).content.decode()
        assert (judges in listed) == (judges in shown), role
        if results in shown:
            crumbs = client.get(results).content.decode()
            assert (f'href="{judges}"' in crumbs) == (judges in shown), role
            assert f'href="{round_page}"' in crumbs
    judging.round_release(round=round_, actor=coordinator)
    signed_in(client, staff(roles.VIEWER))
    links = set(
        re.findall(r'href="(/portal/staff/[^"]+)"', client.get(round_page).content.decode())
    )
    assert links == {results}


# --- Final scores in the admin and their correction ----------------------------------------


def staff(role):
    user = StaffFactory()
    user.groups.add(role_group(role))
    return user


def test_no_staff_role_changes_or_deletes_a_submitted_score_in_the_admin(
    client, round_, judged, entries
):
    final = Score.objects.select_related("assignment").first()
    assignment = final.assignment
    before = (final.value, final.comment)
    urls = {
        "score change": reverse("admin:events_score_change", args=[final.pk]),
        "score delete": reverse("admin:events_score_delete", args=[final.pk]),
        "assignment change": reverse("admin:events_judgeassignment_change", args=[assignment.pk]),
        "assignment delete": reverse("admin:events_judgeassignment_delete", args=[assignment.pk]),
        "entry delete": reverse("admin:events_competitionentry_delete", args=[entries[0].pk]),
        "round delete": reverse("admin:events_competitionround_delete", args=[round_.pk]),
        "event delete": reverse("admin:events_event_delete", args=[round_.event_id]),
    }
    for role in (roles.CENTER_MANAGER, roles.EVENT_COORDINATOR, roles.VIEWER):
        client.force_login(staff(role))
        for what, url in urls.items():
            data = {"value": "0", "comment": "typo", "post": "yes", "judge": assignment.judge_id}
            status = client.post(url, data).status_code
            assert status == 403, f"{role} {what}: {status}"
        # The list offers no bulk delete of scores either.
        changelist = client.get(reverse("admin:events_score_changelist"))
        assert "delete_selected" not in changelist.content.decode(), role
    final.refresh_from_db()
    assert (final.value, final.comment) == before
    assert Score.objects.count() == 3 * 3 * 2
    assert JudgeAssignment.objects.filter(submitted_at__isnull=False).count() == 9


def test_a_manager_corrects_a_final_score_with_a_reason_and_the_original_stays(
    client, judged, criteria
):
    final = Score.objects.filter(criterion=criteria[0]).first()
    original = final.value
    url = reverse("admin:events_score_correct", args=[final.pk])
    client.force_login(staff(roles.EVENT_COORDINATOR))
    assert client.get(url).status_code == 403
    assert client.post(url, {"value": "1", "reason": "Typo"}).status_code == 403

    manager = staff(roles.CENTER_MANAGER)
    client.force_login(manager)
    client.cookies["lang"] = "en"
    response = client.post(url, {"value": "1", "reason": ""})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    response = client.post(url, {"value": "11", "reason": "The judge typed 1 as 11."})
    assert "Give a score from 0 to 10." in response.content.decode()
    assert not ScoreCorrection.objects.exists()
    response = client.post(url, {"value": "1", "reason": "The judge typed 1 as 11."})
    assert response.status_code == 302
    final.refresh_from_db()
    correction = ScoreCorrection.objects.get()
    assert final.value == Decimal("1")
    assert (correction.original_value, correction.corrected_value) == (original, Decimal("1"))
    assert (correction.corrected_by, correction.reason) == (manager, "The judge typed 1 as 11.")
    assert (
        "The judge typed 1 as 11."
        in client.get(reverse("admin:events_score_change", args=[final.pk])).content.decode()
    )


def test_a_draft_score_is_not_corrected(entries, criteria, coordinator):
    assignment = judging.judge_assign(entry=entries[0], judge=UserFactory(), actor=coordinator)
    score(assignment, criteria, 5, 3, submit=False)
    with pytest.raises(ValidationError, match="not submitted"):
        judging.score_correct(
            score=Score.objects.first(), value=4, reason="x", actor=staff(roles.CENTER_MANAGER)
        )


# --- Findings of the demo walk: conflicts, fixed criteria, published scores, pages ---------


def test_a_conflict_declared_later_withdraws_open_sheets_and_leaves_submitted_ones_out(
    client, round_, judged, entries, coordinator
):
    alpha = entries[0]
    waiting = judging.judge_assign(entry=alpha, judge=UserFactory(), actor=coordinator)
    conflict = judging.conflict_save(
        conflict=ConflictDeclaration(judge=waiting.judge, company=alpha.company, reason="Adviser"),
        actor=coordinator,
    )
    assert [(a.judge_id, a.entry_id) for a in conflict.withdrawn] == [(waiting.judge_id, alpha.pk)]
    assert not JudgeAssignment.objects.filter(pk=waiting.pk).exists()
    assert AuditRecord.objects.filter(verb="judge.unassign", actor=coordinator).count() == 1

    lenient = judged["Lenient"]
    judging.conflict_save(
        conflict=ConflictDeclaration(judge=lenient, company=alpha.company, reason="Investor"),
        actor=coordinator,
    )
    kept = JudgeAssignment.objects.get(judge=lenient, entry=alpha)  # submitted: on record
    results = judging_selectors.round_results(round=round_)
    row = next(row for row in results.rows if row.obj == alpha)
    assert row.judges == 2
    assert lenient not in {mark.user for mark in row.by_judge}
    assert [(a, a.counted) for a, _why in results.conflicts] == [(kept, False)]

    signed_in(client, coordinator)
    page = client.get(reverse("events:judging-results", args=[round_.pk])).content.decode()
    assert "left out of the ranking" in page
    judging.round_release(round=round_, actor=coordinator)
    client.logout()
    client.cookies["lang"] = "en"
    page = client.get(reverse("events:competition-results", args=[round_.pk])).content.decode()
    assert "Scores of judges with a conflict of interest are not counted." in page


def test_a_conflict_that_shaped_a_published_ranking_is_not_withdrawn(
    client, round_, judged, entries, coordinator
):
    alpha = entries[0]
    conflict = judging.conflict_save(
        conflict=ConflictDeclaration(judge=judged["Lenient"], company=alpha.company),
        actor=coordinator,
    )
    judging.round_release(round=round_, actor=coordinator)
    ranking = [row.obj for row in judging_selectors.round_results(round=round_).rows]

    with pytest.raises(ValidationError, match="change the results the entrants were told"):
        judging.conflict_delete(conflict=conflict, actor=coordinator)

    assert ConflictDeclaration.objects.filter(pk=conflict.pk).exists()
    assert [row.obj for row in judging_selectors.round_results(round=round_).rows] == ranking
    signed_in(client, coordinator)
    client.cookies["lang"] = "en"
    page = client.get(reverse("admin:events_conflictdeclaration_delete", args=[conflict.pk]))
    assert page.status_code == 403
    assert "change the results the entrants were told" in page.content.decode()


def test_a_judge_with_a_conflict_cannot_score_and_sees_the_sheet_read_only(
    client, entries, criteria, coordinator
):
    assignment = judging.judge_assign(entry=entries[0], judge=UserFactory(), actor=coordinator)
    score(assignment, criteria, 5, 3, submit=False)
    ConflictDeclaration.objects.create(judge=assignment.judge, company=entries[0].company)
    with pytest.raises(ValidationError, match="You cannot score this entry"):
        score(assignment, criteria, 6, 3)
    assignment.refresh_from_db()
    assert assignment.submitted_at is None

    signed_in(client, assignment.judge)
    url = reverse("events:judging-score", args=[assignment.pk])
    page = client.get(url).content.decode()
    assert 'id="closed"' in page and "declared a conflict of interest" in page
    assert 'id="score-form"' not in page
    technology, market = criteria
    response = client.post(
        url, {f"score_{technology.pk}": "9", f"score_{market.pk}": "4", "action": "submit"}
    )
    assert response.status_code == 400
    assignment.refresh_from_db()
    assert assignment.submitted_at is None


def test_a_conflict_declared_after_publication_leaves_the_published_ranking(
    round_, judged, entries, coordinator
):
    round_ = judging.round_release(round=round_, actor=coordinator)
    before = [
        (row.obj.pk, row.normalized) for row in judging_selectors.round_results(round=round_).rows
    ]
    judging.conflict_save(
        conflict=ConflictDeclaration(judge=judged["Lenient"], company=entries[0].company),
        actor=coordinator,
    )
    results = judging_selectors.round_results(round=round_)
    assert [a.counted for a, _why in results.conflicts] == [True]
    assert [(row.obj.pk, row.normalized) for row in results.rows] == before


def test_criteria_are_fixed_once_a_judge_submitted(client, round_, entries, criteria, coordinator):
    assignment = judging.judge_assign(entry=entries[0], judge=UserFactory(), actor=coordinator)
    market = criteria[1]
    market.max_score = 3
    judging.criterion_save(criterion=market, actor=coordinator)  # no sheet submitted yet
    market.max_score = 5
    judging.criterion_save(criterion=market, actor=coordinator)
    score(assignment, criteria, 5, 5)

    for change in ({"max_score": 3}, {"weight": Decimal("4")}):
        stored = JudgingCriterion.objects.get(pk=market.pk)
        for field, value in change.items():
            setattr(stored, field, value)
        with pytest.raises(ValidationError, match="stay as they were judged"):
            judging.criterion_save(criterion=stored, actor=coordinator)
    with pytest.raises(ValidationError, match="stay as they were judged"):
        judging.criterion_save(
            criterion=JudgingCriterion(round=round_, name_en="Team"), actor=coordinator
        )
    with pytest.raises(ValidationError, match="stay as they were judged"):
        judging.criterion_delete(criterion=market, actor=coordinator)
    renamed = JudgingCriterion.objects.get(pk=market.pk)
    renamed.name_en = "Market"  # a name is not what was scored against
    judging.criterion_save(criterion=renamed, actor=coordinator)
    market.refresh_from_db()
    assert (market.max_score, market.weight, market.name_en) == (5, 1, "Market")
    assert JudgingCriterion.objects.filter(round=round_).count() == 2

    client.force_login(coordinator)
    client.cookies["lang"] = "en"
    html = client.get(
        reverse("admin:events_competitionround_change", args=[round_.pk])
    ).content.decode()
    assert "Judges submitted scores in this round" in html
    shown = form_as_shown(html, "competitionround_form")
    assert "criteria-0-max_score" not in shown and "criteria-0-weight" not in shown
    assert "criteria-0-name_en" in shown
    html = client.get(
        reverse("admin:events_judgingcriterion_change", args=[market.pk])
    ).content.decode()
    assert "max_score" not in form_as_shown(html, "judgingcriterion_form")
    response = client.post(
        reverse("admin:events_judgingcriterion_delete", args=[market.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert JudgingCriterion.objects.filter(pk=market.pk).exists()


def test_no_score_correction_once_the_results_are_published(round_, judged, coordinator):
    judging.round_release(round=round_, actor=coordinator)
    final = Score.objects.first()
    with pytest.raises(ValidationError, match="published"):
        judging.score_correct(
            score=final, value=0, reason="Typo", actor=staff(roles.CENTER_MANAGER)
        )
    assert not ScoreCorrection.objects.exists()


def test_a_draft_keeps_what_is_filled_in(client, entries, criteria, coordinator):
    assignment = judging.judge_assign(entry=entries[0], judge=UserFactory(), actor=coordinator)
    technology, market = criteria
    signed_in(client, assignment.judge)
    url = reverse("events:judging-score", args=[assignment.pk])
    response = client.post(url, {f"score_{technology.pk}": "7", "action": "save"})
    assert response.status_code == 302
    assert {s.criterion_id: s.value for s in assignment.scores.all()} == {technology.pk: 7}
    # Emptied again in a draft: no score for it any more.
    client.post(url, {f"score_{market.pk}": "2", "action": "save"})
    assert {s.criterion_id: s.value for s in assignment.scores.all()} == {market.pk: 2}
    response = client.post(url, {f"score_{market.pk}": "2", "action": "submit"})
    assert response.status_code == 400 and "Give a score for this criterion." in (
        response.content.decode()
    )
    assignment.refresh_from_db()
    assert assignment.submitted_at is None


def test_after_the_deadline_the_sheet_is_closed_and_the_home_shows_deadlines(
    client, round_, entries, criteria, coordinator
):
    assignment = judging.judge_assign(entry=entries[0], judge=UserFactory(), actor=coordinator)
    round_.judging_deadline = timezone.now() + dt.timedelta(days=2)
    round_.save()
    signed_in(client, assignment.judge)
    home = client.get(reverse("events:judging-home")).content.decode()
    cell = home.split('<td class="deadline">')[1].split("</td>")[0]
    assert cell.strip() not in ("", "—")
    url = reverse("events:judging-score", args=[assignment.pk])
    assert "Judging closes on" in client.get(url).content.decode()

    round_.judging_deadline = timezone.now() - dt.timedelta(minutes=1)
    round_.save()
    page = client.get(url).content.decode()
    assert "Judging closed on" in page and "Judging closes on" not in page
    assert "Judging of this round has closed." in page
    assert 'id="score-form"' not in page


def test_the_round_admin_shows_the_deadline_in_the_event_zone(client, round_):
    round_.event.time_zone = "Asia/Shanghai"
    round_.event.save()
    round_.judging_deadline = dt.datetime(2027, 5, 10, 10, tzinfo=dt.UTC)  # 18:00 in Shanghai
    round_.save()
    client.force_login(staff_in(roles.EVENT_COORDINATOR, time_zone="Asia/Seoul"))
    client.cookies["lang"] = "en"
    url = reverse("admin:events_competitionround_change", args=[round_.pk])
    html = client.get(url).content.decode()
    shown = form_as_shown(html, "competitionround_form")
    assert shown["judging_deadline_1"] == ["18:00:00"]
    assert "In the event&#x27;s time zone." in html or "In the event's time zone." in html
    shown["judging_deadline_1"] = ["17:00"]
    assert client.post(url, shown).status_code == 302
    round_.refresh_from_db()
    assert round_.judging_deadline == dt.datetime(2027, 5, 10, 9, tzinfo=dt.UTC)


def test_the_public_results_name_a_company_once(client, round_, criteria, coordinator):
    company = MembershipFactory().company
    entry = CompetitionEntry.objects.create(round=round_, company=company, title=company.name_en)
    assignment = judging.judge_assign(entry=entry, judge=UserFactory(), actor=coordinator)
    score(assignment, criteria, 7, 3)
    judging.round_release(round=round_, actor=coordinator)
    signed_in(client, UserFactory())
    page = client.get(reverse("events:competition-results", args=[round_.pk])).content.decode()
    ranking = page.split('id="public-ranking"')[1].split("</ol>")[0]
    assert ranking.count(company.name_en) == 1


# --- Judges' e-mails ----------------------------------------------------------------------


def test_the_assignment_email_names_the_competition_the_company_and_the_deadline(
    round_, entries, coordinator
):
    round_.event.title_ko, round_.event.title_en = "하얼빈 스타트업컵", "Harbin Startup Cup"
    round_.event.time_zone = "Asia/Shanghai"
    round_.event.save()
    round_.judging_deadline = dt.datetime(2026, 12, 9, 10, 0, tzinfo=dt.UTC)
    round_.save()
    company = entries[0].company
    company.name_ko, company.name_en = "알파로봇", "Alpha Robotics"
    company.save()
    judge = UserFactory(language="ko", time_zone="Asia/Seoul")

    assignment = judging.judge_assign(entry=entries[0], judge=judge, actor=coordinator)

    email = render_message(OutboxMessage.objects.get(kind="judge_assigned"))
    assert "알파로봇" in email.subject and "Alpha Robotics" not in email.body
    assert "하얼빈 스타트업컵" in email.subject
    # 18:00 in Harbin, 19:00 in Seoul: the judge's zone and the event's.
    assert "2026-12-09 18:00" in email.body and "19:00" in email.body
    assert reverse("events:judging-score", args=[assignment.pk]) in email.body


def test_a_judge_whose_assignment_is_withdrawn_is_told(round_, entries, coordinator):
    judge = UserFactory()
    by_hand = judging.judge_assign(entry=entries[0], judge=judge, actor=coordinator)
    by_conflict = judging.judge_assign(entry=entries[1], judge=judge, actor=coordinator)

    judging.judge_unassign(assignment=by_hand, actor=coordinator)
    judging.conflict_save(
        conflict=ConflictDeclaration(judge=judge, company=entries[1].company, reason="Adviser"),
        actor=coordinator,
    )

    told = OutboxMessage.objects.filter(kind="judge_unassigned", recipient=judge.email)
    assert sorted(told.values_list("dedupe_key", flat=True)) == sorted(
        [f"judge-unassigned:{by_hand.pk}", f"judge-unassigned:{by_conflict.pk}"]
    )
    texts = {m.payload["because_conflict"]: render_message(m).body for m in told}
    assert "The center withdrew your assignment" in texts[False]
    assert str(entries[0].company.name_en) in texts[False]
    assert "conflict of interest" in texts[True]
