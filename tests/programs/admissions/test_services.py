import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from incubator import roles
from incubator.models import OutboxMessage
from programs.admissions import services as admissions_services
from programs.admissions.models import (
    Application,
    ApplicationEvent,
    CriterionOverride,
    ScreeningPolicy,
)
from tests.companies.factories import (
    ApplicationFactory,
    CompanyFactory,
    IntakeFactory,
    staff_in,
)
from tests.companies.portal import (
    ARTICLE_CERTIFICATIONS,
    company_with_evidence,
    criterion,
    owner_of,
    submitted,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    """Reviews applications: screens, overrides, decides."""
    return staff_in(roles.PROGRAM_OFFICER)


@pytest.fixture
def manager():
    """Publishes the screening policy, which only the center manager changes."""
    return staff_in(roles.CENTER_MANAGER)


# --- Submission ---------------------------------------------------------------------


def test_submit_screens_against_the_policy_in_force_and_keeps_it(policy_v1, officer, manager):
    application = submitted()

    assert application.status == Application.Status.SUBMITTED
    assert application.policy == policy_v1
    assert application.recommendation == Application.Recommendation.MEETS_ALL
    assert application.screening["policy_version"] == 1
    assert list(application.events.values_list("kind", flat=True)) == ["submitted", "screened"]
    assert OutboxMessage.objects.filter(
        kind="application_submitted", recipient=owner_of(application.company).email
    ).exists()

    # A stricter version: ten years since founding.
    admissions_services.policy_publish(
        actor=manager,
        effective_from=timezone.now() - dt.timedelta(seconds=1),
        min_years_since_founding=10,
        certification_kinds=ARTICLE_CERTIFICATIONS,
    )
    admissions_services.applications_screen(application_ids=[application.pk], actor=officer)
    application.refresh_from_db()
    assert application.policy == policy_v1
    assert application.recommendation == Application.Recommendation.MEETS_ALL

    later = submitted()
    assert later.policy.version == 2
    assert criterion(later, "age")["passed"] is False
    assert later.recommendation == Application.Recommendation.MEETS_SOME


def test_a_version_published_for_later_is_not_in_force_yet(policy_v1, manager):
    admissions_services.policy_publish(
        actor=manager,
        effective_from=timezone.now() + dt.timedelta(days=1),
        min_years_since_founding=10,
        certification_kinds=ARTICLE_CERTIFICATIONS,
    )
    assert submitted().policy == policy_v1


def test_a_program_with_its_own_policy_screens_against_that_version(policy_v1, manager):
    strict = admissions_services.policy_publish(
        actor=manager,
        effective_from=timezone.now() - dt.timedelta(days=1),
        min_years_since_founding=10,
        certification_kinds=ARTICLE_CERTIFICATIONS,
    )
    lenient = admissions_services.policy_publish(
        actor=manager, min_years_since_founding=0, certification_kinds=ARTICLE_CERTIFICATIONS
    )
    intake = IntakeFactory()
    intake.program.screening_policy = strict
    intake.program.save(update_fields=["screening_policy"])

    application = submitted(intake=intake)

    assert lenient.version > strict.version  # the latest version is not the program's
    assert application.policy == strict
    assert criterion(application, "age")["passed"] is False


def test_a_second_submit_is_refused(policy_v1):
    application = submitted()

    with pytest.raises(ValidationError) as error:
        admissions_services.application_submit(
            application=application, user=owner_of(application.company)
        )

    assert error.value.code == "submitted"
    assert application.events.filter(kind=ApplicationEvent.Kind.SUBMITTED).count() == 1


@pytest.mark.parametrize(
    ("opens", "closes"),
    [(-30, -1), (2, 30)],
    ids=["closed", "not-open-yet"],
)
def test_submit_outside_the_intake_window_is_refused(policy_v1, opens, closes):
    now = timezone.now()
    intake = IntakeFactory(
        opens_at=now + dt.timedelta(days=opens), closes_at=now + dt.timedelta(days=closes)
    )
    company = company_with_evidence()
    application = ApplicationFactory(company=company, intake=intake)

    with pytest.raises(ValidationError) as error:
        admissions_services.application_submit(application=application, user=owner_of(company))

    assert error.value.code == "closed"
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
    assert application.screening is None
    assert not application.events.exists()


def test_an_intake_that_is_not_open_cannot_be_started(policy_v1):
    now = timezone.now()
    intake = IntakeFactory(
        opens_at=now - dt.timedelta(days=30), closes_at=now - dt.timedelta(days=1)
    )
    company = CompanyFactory()
    with pytest.raises(ValidationError):
        admissions_services.application_start(company=company, intake=intake, user=None)
    assert not Application.objects.filter(company=company).exists()


# --- Decisions ------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_decision_needs_a_reason(policy_v1, officer, reason):
    application = submitted()

    with pytest.raises(ValidationError) as error:
        admissions_services.application_decide(
            application=application, decision="accepted", actor=officer, reason=reason
        )

    assert "reason" in error.value.message_dict
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert not application.events.filter(kind=ApplicationEvent.Kind.DECIDED).exists()
    assert not OutboxMessage.objects.filter(kind="application_decided").exists()


def test_a_decision_is_recorded_with_its_actor_and_told_to_the_company(policy_v1, officer):
    application = submitted()

    admissions_services.application_decide(
        application=application,
        decision="accepted",
        actor=officer,
        reason="Registered patents and a seed round; fits Binxian's manufacturers.",
    )

    application.refresh_from_db()
    assert application.status == Application.Status.ACCEPTED
    assert application.decided_by == officer
    assert application.decided_at is not None
    event = application.events.get(kind=ApplicationEvent.Kind.DECIDED)
    assert (event.actor, event.from_status, event.to_status) == (officer, "submitted", "accepted")
    assert event.reason.startswith("Registered patents")
    message = OutboxMessage.objects.get(kind="application_decided")
    assert message.recipient == owner_of(application.company).email
    assert message.payload["decision"] == "accepted"


def test_an_application_is_decided_once(policy_v1, officer):
    application = submitted()
    admissions_services.application_decide(
        application=application, decision="rejected", actor=officer, reason="No local market."
    )

    for decision in ("accepted", "rejected", "waitlisted"):
        with pytest.raises(ValidationError):
            admissions_services.application_decide(
                application=application, decision=decision, actor=officer, reason="Again."
            )

    application.refresh_from_db()
    assert application.status == Application.Status.REJECTED
    assert application.events.filter(kind=ApplicationEvent.Kind.DECIDED).count() == 1


def test_a_waitlisted_application_may_still_be_accepted(policy_v1, officer):
    application = submitted()
    admissions_services.application_decide(
        application=application, decision="waitlisted", actor=officer, reason="Full cohort."
    )
    admissions_services.application_decide(
        application=application, decision="accepted", actor=officer, reason="A place opened."
    )

    application.refresh_from_db()
    assert application.status == Application.Status.ACCEPTED
    assert list(
        application.events.filter(kind="decided").values_list("from_status", "to_status")
    ) == [("submitted", "waitlisted"), ("waitlisted", "accepted")]


@pytest.mark.parametrize("decision", ["draft", "submitted", "enrolled"])
def test_only_decisions_are_accepted_as_decisions(policy_v1, officer, decision):
    application = submitted()
    with pytest.raises(ValidationError):
        admissions_services.application_decide(
            application=application, decision=decision, actor=officer, reason="Because."
        )
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_a_draft_cannot_be_decided(policy_v1, officer):
    application = ApplicationFactory()
    with pytest.raises(ValidationError):
        admissions_services.application_decide(
            application=application, decision="accepted", actor=officer, reason="Early."
        )


# --- Overrides ------------------------------------------------------------------------


def test_an_override_counts_a_failed_criterion_as_met_and_keeps_the_history(policy_v1, officer):
    application = submitted(company_with_evidence(certification=False))
    assert criterion(application, "certification")["passed"] is False
    assert application.recommendation == Application.Recommendation.MEETS_SOME
    score_before = application.score

    with pytest.raises(ValidationError) as error:
        admissions_services.criterion_override(
            application=application, criterion="certification", reason=" ", actor=officer
        )
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError):
        admissions_services.criterion_override(
            application=application, criterion="patents", reason="Passed.", actor=officer
        )
    assert not CriterionOverride.objects.exists()

    application = admissions_services.criterion_override(
        application=application,
        criterion="certification",
        reason="The venture confirmation is being renewed; the receipt is on file.",
        actor=officer,
    )

    assert application.recommendation == Application.Recommendation.MEETS_ALL
    assert application.score > score_before
    result = criterion(application, "certification")
    assert result["passed"] is True
    assert result["override"].startswith("The venture confirmation")
    assert CriterionOverride.objects.get(application=application).actor == officer
    assert list(application.events.values_list("kind", flat=True)) == [
        "submitted",
        "screened",
        "overridden",
        "screened",
    ]
    overridden = application.events.get(kind=ApplicationEvent.Kind.OVERRIDDEN)
    assert (overridden.actor, overridden.criterion) == (officer, "certification")

    # Screening again keeps the override; the criterion is no longer failed.
    admissions_services.applications_screen(application_ids=[application.pk], actor=officer)
    application.refresh_from_db()
    assert application.recommendation == Application.Recommendation.MEETS_ALL
    with pytest.raises(ValidationError):
        admissions_services.criterion_override(
            application=application, criterion="certification", reason="Twice.", actor=officer
        )


def test_a_draft_has_no_overrides(policy_v1, officer):
    application = ApplicationFactory()
    with pytest.raises(ValidationError):
        admissions_services.criterion_override(
            application=application, criterion="patents", reason="Early.", actor=officer
        )


# --- Bulk screening -------------------------------------------------------------------


def submitted_in_bulk(count, policy):
    """`count` submitted applications of companies with evidence, created directly."""
    intake = IntakeFactory()
    applications = []
    for _ in range(count):
        company = company_with_evidence()
        applications.append(
            ApplicationFactory(
                company=company,
                intake=intake,
                status=Application.Status.SUBMITTED,
                submitted_at=timezone.now(),
                policy=policy,
            )
        )
    return [a.pk for a in applications]


@pytest.mark.parametrize("count", [3, 30])
def test_bulk_screening_runs_in_a_constant_number_of_queries(
    policy_v1, officer, django_assert_num_queries, count
):
    ids = submitted_in_bulk(count, policy_v1)
    CriterionOverride.objects.create(
        application_id=ids[0], criterion="sector", reason="Not failed, kept anyway.", actor=officer
    )

    # 1 applications with their company + 1 their policies
    # + 4 evidence (patents, funding rounds, market validations, certifications)
    # + 1 overrides
    # + SAVEPOINT + 1 UPDATE of the results + 1 INSERT of the history rows
    # + 1 INSERT of the run's audit record + RELEASE SAVEPOINT
    assert officer.has_perm("programs.change_application")  # the role's rows, loaded once
    with django_assert_num_queries(12):
        screened = admissions_services.applications_screen(application_ids=ids, actor=officer)

    assert screened == count
    assert Application.objects.filter(pk__in=ids, screened_at__isnull=False).count() == count
    assert (
        ApplicationEvent.objects.filter(
            application_id__in=ids, kind="screened", actor=officer
        ).count()
        == count
    )


def test_bulk_screening_leaves_drafts_alone(policy_v1, officer):
    draft = ApplicationFactory()
    assert admissions_services.applications_screen(application_ids=[draft.pk], actor=officer) == 0
    draft.refresh_from_db()
    assert draft.screening is None


# --- Policy ------------------------------------------------------------------------------


def test_publishing_a_policy_makes_the_next_version_and_leaves_the_earlier(policy_v1, manager):
    before = ScreeningPolicy.objects.values().get(pk=policy_v1.pk)

    v2 = admissions_services.policy_publish(
        actor=manager,
        min_years_since_founding=2,
        patents_registered_only=True,
        certification_kinds=["venture", "tips"],
        sectors_accepted=["ai"],
        notes="Young fast-growing companies welcome.",
    )
    v3 = admissions_services.policy_publish(actor=manager, certification_kinds=["innobiz"])

    assert (v2.version, v3.version) == (2, 3)
    assert v2.created_by == manager
    assert v2.as_rules().sectors_accepted == frozenset({"ai"})
    assert ScreeningPolicy.objects.values().get(pk=policy_v1.pk) == before


def test_a_policy_with_an_unknown_certification_is_refused(policy_v1, manager):
    with pytest.raises((ValueError, ValidationError)):
        admissions_services.policy_publish(actor=manager, certification_kinds=["iso9001"])
    assert ScreeningPolicy.objects.count() == 1
