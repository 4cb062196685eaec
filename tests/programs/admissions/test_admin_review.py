"""The review queue in the admin: deciding, overriding, bulk actions, the policy versions."""

import datetime as dt

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from companies.models import Lead, Membership
from incubator import roles
from incubator.models import OutboxMessage
from programs.admissions import services as admissions_services
from programs.admissions.models import Application, ApplicationEvent, ScreeningPolicy
from tests.companies.factories import (
    ApplicationFactory,
    CertificationFactory,
    CompanyFactory,
    FundingRoundFactory,
    IntakeFactory,
    MembershipFactory,
    PatentFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:programs_application_changelist")


@pytest.fixture(autouse=True)
def role_groups():
    # The groups come from a migration; a transactional test elsewhere may have flushed them.
    roles.sync_role_permissions()


@pytest.fixture
def policy_v1():
    policy = ScreeningPolicy.objects.filter(version=1).first()
    if policy is None:
        policy = admissions_services.policy_publish(
            actor=None,
            effective_from=dt.datetime(2020, 8, 10, tzinfo=dt.UTC),
            certification_kinds=["venture", "innobiz", "mainbiz", "rnd_center", "tips"],
        )
    return policy


def staff(role):
    user = StaffFactory()
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def officer():
    return staff(roles.PROGRAM_OFFICER)


@pytest.fixture
def viewer():
    return staff(roles.VIEWER)


@pytest.fixture
def manager():
    return staff(roles.CENTER_MANAGER)


def submitted(certification=True, intake=None):
    company = CompanyFactory()
    PatentFactory(company=company)
    FundingRoundFactory(company=company)
    if certification:
        CertificationFactory(company=company)
    owner = MembershipFactory(company=company, role=Membership.Role.OWNER).user
    application = ApplicationFactory(company=company, intake=intake or IntakeFactory())
    return admissions_services.application_submit(application=application, user=owner)


def decide_url(application):
    return reverse("admin:programs_application_decide", args=[application.pk])


def test_an_officer_decides_with_a_reason_on_the_decide_page(
    client, officer, policy_v1, django_capture_on_commit_callbacks, mailoutbox
):
    application = submitted()
    owner = application.company.memberships.get().user
    client.force_login(officer)

    page = client.get(decide_url(application))
    assert page.status_code == 200
    assert "Record the decision" in page.text

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            decide_url(application),
            {
                "decision-decision": "accepted",
                "decision-reason": "Two registered patents and a seed round.",
                "_decide": "1",
            },
        )

    assert response.status_code == 302
    assert response.url == reverse("admin:programs_application_change", args=[application.pk])
    application.refresh_from_db()
    assert application.status == Application.Status.ACCEPTED
    assert application.decision_reason == "Two registered patents and a seed round."
    event = application.events.get(kind=ApplicationEvent.Kind.DECIDED)
    assert (event.actor, event.to_status) == (officer, "accepted")
    message = OutboxMessage.objects.get(kind="application_decided")
    assert message.recipient == owner.email
    assert [mail.to for mail in mailoutbox if mail.to == [owner.email]]

    # Decided: the page offers no second decision.
    assert "Record the decision" not in client.get(decide_url(application)).text


def test_the_decide_page_shows_the_applicants_answer_why_heilongjiang(client, officer, policy_v1):
    application = submitted()
    application.market_fit = "Harbin's battery makers <need> our sensors.\nTwo pilots agreed."
    application.save(update_fields=["market_fit"])
    client.force_login(officer)

    page = client.get(decide_url(application)).text

    assert "<h2>Why Heilongjiang</h2>" in page
    assert "Harbin&#x27;s battery makers &lt;need&gt; our sensors.<br>Two pilots agreed." in page


def test_the_decide_page_says_in_which_languages_the_founders_read_the_reason(
    client, officer, policy_v1
):
    application = submitted()
    owner = application.company.memberships.get().user
    owner.language = "ko"
    owner.save(update_fields=["language"])
    MembershipFactory(company=application.company, user__language="zh-hans")
    client.force_login(officer)

    form = client.get(decide_url(application)).context["decision_form"]

    assert "Recipients' languages: Korean, Simplified Chinese." in form.fields["reason"].help_text


def test_bulk_decisions_name_each_companys_languages(client, officer, policy_v1):
    intake = IntakeFactory()
    korean, silent = submitted(intake=intake), submitted(intake=intake)
    reader = korean.company.memberships.get().user
    reader.language = "ko"
    reader.save(update_fields=["language"])
    silent.company.memberships.all().delete()  # a company the center keeps, no account
    client.force_login(officer)

    page = client.post(
        CHANGELIST,
        {"action": "reject_selected", ACTION_CHECKBOX_NAME: [korean.pk, silent.pk], "index": 0},
    )

    assert "Recipients' languages: Korean." in page.context["form"].fields["reason"].help_text
    assert f"{korean.company.name} · {korean.intake}" in page.text
    assert "recipients' languages: Korean</li>" in page.text
    assert "recipients' languages: —</li>" in page.text


def test_a_decision_without_a_reason_changes_nothing(client, officer, policy_v1):
    application = submitted()
    client.force_login(officer)

    response = client.post(
        decide_url(application),
        {"decision-decision": "rejected", "decision-reason": "  ", "_decide": "1"},
    )

    assert response.status_code == 200
    assert response.context["decision_form"].errors["reason"]
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert not application.events.filter(kind=ApplicationEvent.Kind.DECIDED).exists()
    assert not OutboxMessage.objects.filter(kind="application_decided").exists()


def test_an_override_on_the_decide_page_needs_a_failed_criterion_and_a_reason(
    client, officer, policy_v1
):
    application = submitted(certification=False)
    client.force_login(officer)
    page = client.get(decide_url(application))
    # Only the failed criterion is offered.
    assert [code for code, _label in page.context["override_form"].fields["criterion"].choices] == [
        "certification"
    ]

    refused = client.post(
        decide_url(application),
        {"override-criterion": "patents", "override-reason": "Passed anyway.", "_override": "1"},
    )
    assert refused.status_code == 200
    assert refused.context["override_form"].errors["criterion"]

    response = client.post(
        decide_url(application),
        {
            "override-criterion": "certification",
            "override-reason": "Renewal receipt on file.",
            "_override": "1",
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.recommendation == Application.Recommendation.MEETS_ALL
    assert application.overrides.get().actor == officer


def test_the_change_page_shows_the_screening_history_and_a_decide_link(client, officer, policy_v1):
    application = submitted(certification=False)
    client.force_login(officer)

    page = client.get(reverse("admin:programs_application_change", args=[application.pk]))

    assert page.status_code == 200
    assert "Korean certification" in page.text
    assert "failed" in page.text
    assert "submitted" in page.text and "screened" in page.text  # the history inline
    assert decide_url(application) in page.text
    assert 'name="_save"' not in page.text


def test_a_viewer_sees_everything_and_changes_nothing(client, viewer, policy_v1):
    application = submitted()
    client.force_login(viewer)

    assert client.get(decide_url(application)).status_code == 403
    post = client.post(
        decide_url(application),
        {"decision-decision": "accepted", "decision-reason": "I like it.", "_decide": "1"},
    )
    assert post.status_code == 403

    changelist = client.get(CHANGELIST)
    assert changelist.status_code == 200
    assert changelist.context["action_form"] is None
    assert application.company.name in changelist.text

    change = client.get(reverse("admin:programs_application_change", args=[application.pk]))
    assert change.status_code == 200
    assert decide_url(application) not in change.text

    action = client.post(
        CHANGELIST,
        {"action": "screen_again", ACTION_CHECKBOX_NAME: [application.pk], "index": 0},
    )
    assert action.status_code in (200, 302, 403)
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert not application.events.filter(actor=viewer).exists()


def test_the_queue_lists_submitted_applications_best_score_first(client, officer, policy_v1):
    intake = IntakeFactory()
    weaker = submitted(certification=False, intake=intake)
    stronger = submitted(intake=intake)
    decided = submitted(intake=intake)
    admissions_services.application_decide(
        application=decided, decision="rejected", actor=officer, reason="Out of scope."
    )
    client.force_login(officer)

    rows = list(client.get(CHANGELIST).context["cl"].result_list)

    assert rows == [stronger, weaker, decided]


def test_screen_selected_again_screens_the_selection_in_one_call(
    client, officer, policy_v1, monkeypatch
):
    intake = IntakeFactory()
    applications = [submitted(intake=intake) for _ in range(3)]
    calls = []
    original = admissions_services.applications_screen

    def spy(**kwargs):
        calls.append(kwargs)
        return original(**kwargs)

    monkeypatch.setattr(admissions_services, "applications_screen", spy)
    client.force_login(officer)

    response = client.post(
        CHANGELIST,
        {
            "action": "screen_again",
            ACTION_CHECKBOX_NAME: [a.pk for a in applications],
            "index": 0,
        },
    )

    assert response.status_code == 302
    assert len(calls) == 1
    assert sorted(calls[0]["application_ids"]) == sorted(a.pk for a in applications)
    assert calls[0]["actor"] == officer
    assert ApplicationEvent.objects.filter(kind="screened", actor=officer).count() == len(
        applications
    )


def test_bulk_rejection_asks_for_the_reason_first(client, officer, policy_v1):
    intake = IntakeFactory()
    applications = [submitted(intake=intake) for _ in range(2)]
    selection = {
        "action": "reject_selected",
        ACTION_CHECKBOX_NAME: [a.pk for a in applications],
    }
    client.force_login(officer)

    ask = client.post(CHANGELIST, {**selection, "index": 0})
    assert ask.status_code == 200
    assert "Record the decisions" in ask.text

    missing = client.post(CHANGELIST, {**selection, "_apply": "1", "reason": ""})
    assert missing.status_code == 200
    assert missing.context["form"].errors["reason"]
    assert Application.objects.filter(status="rejected").count() == 0

    done = client.post(
        CHANGELIST, {**selection, "_apply": "1", "reason": "The cohort is full this year."}
    )
    assert done.status_code == 302
    for application in applications:
        application.refresh_from_db()
        assert application.status == Application.Status.REJECTED
        assert application.decision_reason == "The cohort is full this year."
        assert application.events.get(kind="decided").actor == officer


def test_an_officer_invites_a_lead_from_the_list(client, officer):
    lead = Lead.objects.create(
        company_name="Hangeul Nuri",
        contact_email="eunbi@hangeul-nuri.example",
        source=Lead.Source.REFERRAL,
    )
    client.force_login(officer)

    response = client.post(
        reverse("admin:companies_lead_changelist"),
        {"action": "invite_to_apply", ACTION_CHECKBOX_NAME: [lead.pk], "index": 0},
    )

    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.status == Lead.Status.INVITED
    message = OutboxMessage.objects.get(kind="lead_invitation")
    assert message.payload["url"].endswith(reverse("portal:sign-up"))


def test_an_overdue_next_step_is_marked(client, officer):
    Lead.objects.create(
        company_name="Mirae Drone",
        source=Lead.Source.DELEGATION,
        next_step="Call back",
        next_step_on=timezone.localdate() - dt.timedelta(days=3),
    )
    client.force_login(officer)

    page = client.get(reverse("admin:companies_lead_changelist"))

    assert 'class="overdue"' in page.text


def policy_form(**overrides):
    now = timezone.localtime()
    data = {
        "effective_from_0": now.strftime("%Y-%m-%d"),
        "effective_from_1": now.strftime("%H:%M:%S"),
        "min_years_since_founding": "2",
        "patents_required": "1",
        "patents_registered_only": "on",
        "financing_or_market_required": "on",
        "certification_kinds": ["venture", "tips"],
        "certification_must_be_valid": "on",
        "sectors_accepted": ["ai", "intelligent_manufacturing"],
        "notes": "Fast-growing companies under three years are welcome.",
    }
    return {**data, **overrides}


def test_the_manager_publishes_version_2_and_version_1_stays(client, manager, policy_v1):
    before = ScreeningPolicy.objects.values().get(pk=policy_v1.pk)
    client.force_login(manager)
    add_url = reverse("admin:programs_screeningpolicy_add")

    form = client.get(add_url)
    assert form.status_code == 200
    assert 'type="checkbox" name="certification_kinds"' in form.text

    response = client.post(add_url, policy_form())

    assert response.status_code == 302, response.context["adminform"].form.errors
    v2 = ScreeningPolicy.objects.get(version=2)
    assert v2.created_by == manager
    assert v2.min_years_since_founding == 2
    assert v2.patents_registered_only is True
    assert sorted(v2.certification_kinds) == ["tips", "venture"]
    assert sorted(v2.sectors_accepted) == ["ai", "intelligent_manufacturing"]
    assert ScreeningPolicy.objects.values().get(pk=policy_v1.pk) == before

    # A saved version is shown, not edited.
    change_url = reverse("admin:programs_screeningpolicy_change", args=[policy_v1.pk])
    page = client.get(change_url)
    assert page.status_code == 200
    assert 'name="min_years_since_founding"' not in page.text
    assert client.post(change_url, policy_form(min_years_since_founding="0")).status_code == 403
    assert ScreeningPolicy.objects.values().get(pk=policy_v1.pk) == before


def test_only_the_manager_may_publish_a_policy(client, officer, policy_v1):
    client.force_login(officer)
    add_url = reverse("admin:programs_screeningpolicy_add")

    assert client.get(add_url).status_code == 403
    assert client.post(add_url, policy_form()).status_code == 403
    assert not ScreeningPolicy.objects.filter(version=2).exists()
    assert client.get(reverse("admin:programs_screeningpolicy_changelist")).status_code == 200
