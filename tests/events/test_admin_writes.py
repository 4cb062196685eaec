"""The events admin changes nothing except through a service.

A walk over every admin the events app registers (core, matching, judging) finds each
write a staff role could make (add, change, delete on the admin's own pages, its inlines,
its actions) and asks that the method doing it calls services (`through_services`). Then
the pages themselves: the rows go through their services, and a service's refusal shows
on the page with nothing saved.
"""

import datetime as dt

import pytest
from django.contrib import admin
from django.contrib.admin.sites import AdminSite
from django.test import RequestFactory
from django.urls import resolve, reverse
from django.utils import timezone

from companies.models import PartnerOrganisation, PartnerPerson
from events.models import (
    CompetitionRound,
    ConflictDeclaration,
    Event,
    JudgingCriterion,
    MeetingSlot,
    OnlineSession,
)
from incubator import roles
from incubator.models import AuditRecord
from tests.companies.factories import MembershipFactory, UserFactory
from tests.events.factories import EventFactory, OnlineSessionFactory, StartupRegistrationFactory
from tests.events.test_setup_services import competition_round, staff, submitted_sheet

pytestmark = pytest.mark.django_db


def through_services(method) -> bool:
    return getattr(method, "through_services", False)


def own_page(model_admin, user):
    """A request of `model_admin`'s list page: the admin answers for its own pages there."""
    opts = model_admin.opts
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    request = RequestFactory().get(url)
    request.user = user
    request.resolver_match = resolve(url)
    return request


def writes_without_services(model_admin, user) -> list[str]:
    """Return the writes `user` may make on `model_admin`'s pages without a service."""
    request = own_page(model_admin, user)
    name = type(model_admin).__name__
    methods = []
    if model_admin.has_add_permission(request) or model_admin.has_change_permission(request):
        methods.append("save_model")
    if model_admin.has_delete_permission(request):
        methods += ["delete_model", "delete_queryset"]
    if hasattr(model_admin, "user_change_password") and model_admin.has_change_permission(request):
        methods.append("user_change_password")  # the accounts' password page
    for inline_class in model_admin.inlines:
        inline = inline_class(model_admin.model, model_admin.admin_site)
        permissions = (inline.has_add_permission, inline.has_change_permission)
        if any(may(request, None) for may in (*permissions, inline.has_delete_permission)):
            # Its rows are saved by the parent's save_formset, unless save_related saves all.
            methods.append(
                "save_related" if through_services(model_admin.save_related) else "save_formset"
            )
    found = [
        f"{name}.{method}"
        for method in methods
        if not through_services(getattr(model_admin, method))
    ]
    # delete_selected deletes through delete_queryset, asked above.
    actions = model_admin.get_actions(request)
    found += [
        f"{name} action {action}"
        for action, (function, *_rest) in actions.items()
        if action != "delete_selected" and not through_services(function)
    ]
    return found


# Partner organisations and people are companies' tables that the events staff keep (the
# hosts, investors and local companies of events and meetings): walked with the app's own.
EVENTS_STAFF_KEEPS = {PartnerOrganisation, PartnerPerson}


def events_admins(site=admin.site):
    return [
        model_admin
        for model, model_admin in site._registry.items()
        if model._meta.app_label == "events" or model in EVENTS_STAFF_KEEPS
    ]


def test_every_events_admin_writes_only_through_services():
    admins = events_admins()
    # The rooms' admins are walked too: they register with the app's label.
    models = {model_admin.model for model_admin in admins}
    assert {Event, MeetingSlot, CompetitionRound, OnlineSession, *EVENTS_STAFF_KEEPS} <= models
    found = {
        role: [
            write for model_admin in admins for write in writes_without_services(model_admin, user)
        ]
        for role, user in ((role, staff(role)) for role in roles.ROLES)
    }
    assert found == {role: [] for role in roles.ROLES}


def test_the_walk_finds_a_plain_model_admin_and_its_inline():
    class SlotInline(admin.TabularInline):
        model = MeetingSlot

    site = AdminSite(name="plain")
    site.register(Event, inlines=[SlotInline])
    site.register(OnlineSession)
    coordinator, viewer = staff(roles.EVENT_COORDINATOR), staff(roles.VIEWER)
    found = sorted(
        write
        for model_admin in events_admins(site)
        for write in writes_without_services(model_admin, coordinator)
    )
    writes = ("save_model", "delete_model", "delete_queryset")
    # register() with options names the admin class after the model.
    assert found == sorted(
        [
            *[f"EventAdmin.{method}" for method in (*writes, "save_formset")],
            *[f"ModelAdmin.{method}" for method in writes],
        ]
    )
    # The read-only role writes nothing, plain admin or not.
    assert not [w for a in events_admins(site) for w in writes_without_services(a, viewer)]


# --- The pages --------------------------------------------------------------------------


@pytest.fixture
def coordinator(client):
    user = staff(roles.EVENT_COORDINATOR)
    client.force_login(user)
    client.cookies["lang"] = "en"
    return user


def round_page(round_, criteria, extra=()) -> dict:
    """The round's change form as it stands, its criteria as given, plus `extra` new ones."""
    data = {
        "event": round_.event_id,
        "order": round_.order,
        "name_en": round_.name_en,
        "criteria-TOTAL_FORMS": str(len(criteria) + len(extra)),
        "criteria-INITIAL_FORMS": str(len(criteria)),
    }
    for i, (criterion, delete) in enumerate(criteria):
        data |= {
            f"criteria-{i}-id": criterion.pk,
            f"criteria-{i}-round": round_.pk,
            f"criteria-{i}-order": criterion.order,
            f"criteria-{i}-name_en": criterion.name_en,
            f"criteria-{i}-weight": criterion.weight,
            f"criteria-{i}-max_score": criterion.max_score,
        }
        if delete:
            data[f"criteria-{i}-DELETE"] = "on"
    for j, name in enumerate(extra, start=len(criteria)):
        data |= {
            f"criteria-{j}-round": round_.pk,
            f"criteria-{j}-order": j,
            f"criteria-{j}-name_en": name,
            f"criteria-{j}-weight": "1",
            f"criteria-{j}-max_score": "10",
        }
    return data


def test_criteria_added_on_the_round_page_go_through_the_service(client, coordinator):
    round_ = competition_round()
    url = reverse("admin:events_competitionround_change", args=[round_.pk])
    response = client.post(url, round_page(round_, [], extra=["Technology", "Market fit"]))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert set(round_.criteria.values_list("name_en", flat=True)) == {"Technology", "Market fit"}
    records = AuditRecord.objects.filter(verb="criterion.create")
    assert records.count() == 2 and {r.actor for r in records} == {coordinator}


def test_the_criteria_of_a_published_round_are_read_only_on_its_page(client, coordinator):
    round_ = competition_round(released_at=timezone.now())
    criterion = JudgingCriterion.objects.create(round=round_, name_en="Technology")
    html = client.get(reverse("admin:events_competitionround_change", args=[round_.pk])).content
    assert b'name="criteria-0-weight"' not in html and b"criteria-TOTAL_FORMS" in html
    change = reverse("admin:events_judgingcriterion_change", args=[criterion.pk])
    assert (
        client.post(change, {"round": round_.pk, "name_en": "Tech", "weight": "9"}).status_code
        == 403
    )
    delete = reverse("admin:events_judgingcriterion_delete", args=[criterion.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert JudgingCriterion.objects.get().weight == 1


def test_an_event_is_deleted_only_when_nobody_is_to_be_told(client, coordinator):
    draft = EventFactory(status=Event.Status.DRAFT)
    OnlineSession.objects.create(
        event=draft,
        title_en="Welcome",
        starts_at=draft.starts_at,
        ends_at=draft.ends_at,
        link="https://meeting.example.cn/j/1",
    )
    response = client.post(reverse("admin:events_event_delete", args=[draft.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Event.objects.filter(pk=draft.pk).exists()
    assert AuditRecord.objects.get(verb="event.delete").actor == coordinator

    published = StartupRegistrationFactory().event
    delete = reverse("admin:events_event_delete", args=[published.pk])
    refused = client.get(delete)
    assert refused.status_code == 403
    # Saying why, and what to do instead: not only "not allowed".
    assert "cancel it instead" in refused.content.decode()
    assert client.post(delete, {"post": "yes"}).status_code == 403
    change = client.get(reverse("admin:events_event_change", args=[published.pk])).content
    assert delete.encode() not in change
    assert Event.objects.filter(pk=published.pk).exists()


def test_a_session_added_and_deleted_on_its_own_pages_goes_through_the_service(client, coordinator):
    event = OnlineSessionFactory().event
    start = event.starts_at + dt.timedelta(hours=2)
    form = {
        "event": event.pk,
        "title_en": "Tax in China",
        "starts_at_0": timezone.localtime(start).strftime("%Y-%m-%d"),
        "starts_at_1": timezone.localtime(start).strftime("%H:%M"),
        "ends_at_0": timezone.localtime(start).strftime("%Y-%m-%d"),
        "ends_at_1": (timezone.localtime(start) + dt.timedelta(hours=1)).strftime("%H:%M"),
        "link": "https://meeting.example.cn/j/777",
    }
    response = client.post(reverse("admin:events_onlinesession_add"), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    session = OnlineSession.objects.get(title_en="Tax in China")
    assert AuditRecord.objects.get(verb="online_session.create").object_id == str(session.pk)
    delete = reverse("admin:events_onlinesession_delete", args=[session.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not OnlineSession.objects.filter(pk=session.pk).exists()
    assert AuditRecord.objects.get(verb="online_session.delete").actor == coordinator


def test_deleting_the_selected_conflicts_goes_through_the_service(client, coordinator):
    conflicts = [
        ConflictDeclaration.objects.create(judge=UserFactory(), company=MembershipFactory().company)
        for _ in range(2)
    ]
    response = client.post(
        reverse("admin:events_conflictdeclaration_changelist"),
        {"action": "delete_selected", "_selected_action": [c.pk for c in conflicts], "post": "yes"},
    )
    assert response.status_code == 302
    assert not ConflictDeclaration.objects.exists()
    records = AuditRecord.objects.filter(verb="conflict.delete")
    assert sorted(int(r.object_id) for r in records) == sorted(c.pk for c in conflicts)
    assert {r.company_id for r in records} == {c.company_id for c in conflicts}


def event_page(client, event, rounds) -> dict:
    """The event's change form as it stands (read from its page), with `rounds` as its rounds'
    inline: each (round, delete?) or the name of a new one."""
    form = (
        client.get(reverse("admin:events_event_change", args=[event.pk])).context["adminform"].form
    )
    data = {
        name: value
        for name, value in form.initial.items()
        if name in form.fields and value is not None and not isinstance(value, dt.datetime)
    }
    for name in ("starts_at", "ends_at"):
        local = timezone.localtime(getattr(event, name), event.tzinfo)  # the event's zone
        data |= {f"{name}_0": local.strftime("%Y-%m-%d"), f"{name}_1": local.strftime("%H:%M")}
    existing = [r for r in rounds if not isinstance(r, str)]
    data |= {
        "slots-TOTAL_FORMS": "0",
        "slots-INITIAL_FORMS": "0",
        "online_sessions-TOTAL_FORMS": "0",
        "online_sessions-INITIAL_FORMS": "0",
        "competition_rounds-TOTAL_FORMS": str(len(rounds)),
        "competition_rounds-INITIAL_FORMS": str(len(existing)),
    }
    for i, row in enumerate(rounds):
        prefix = f"competition_rounds-{i}-"
        if isinstance(row, str):
            data |= {f"{prefix}event": event.pk, f"{prefix}order": i + 1, f"{prefix}name_en": row}
            continue
        round_, delete = row
        data |= {
            f"{prefix}id": round_.pk,
            f"{prefix}event": event.pk,
            f"{prefix}order": round_.order,
            f"{prefix}name_en": round_.name_en,
        }
        if delete:
            data[f"{prefix}DELETE"] = "on"
    return data


def test_a_round_added_on_the_event_page_goes_through_the_service(client, coordinator):
    round_ = competition_round()
    event = round_.event
    url = reverse("admin:events_event_change", args=[event.pk])
    response = client.post(url, event_page(client, event, [(round_, False), "Semi-final"]))
    assert response.status_code == 302, response.content.decode()[:4000]
    assert CompetitionRound.objects.filter(event=event).count() == 2
    record = AuditRecord.objects.get(verb="round.create")
    assert record.actor == coordinator and record.changes["name_en"] == "Semi-final"
    assert not AuditRecord.objects.filter(verb__in=["round.update", "event.update"]).exists()


def test_a_refused_row_shows_on_the_page_and_nothing_is_saved(client, coordinator):
    round_ = competition_round()
    submitted_sheet(round_)
    event = round_.event
    url = reverse("admin:events_event_change", args=[event.pk])
    data = event_page(client, event, [(round_, True), "Semi-final"]) | {"title_en": "Moved"}
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Final (competition round): Judges submitted their scores here" in html
    assert 'value="Moved"' in html and 'value="Semi-final"' in html  # what was typed stays
    event.refresh_from_db()
    assert event.title_en != "Moved"
    assert list(event.competition_rounds.all()) == [round_]
    assert not AuditRecord.objects.filter(verb__in=["event.update", "round.create"]).exists()


def test_a_partner_and_its_people_saved_on_the_admin_page_leave_their_audit_records(client):
    manager = staff(roles.CENTER_MANAGER)
    client.force_login(manager)
    person = UserFactory(email="liaison@binxian-gov.example")
    response = client.post(
        reverse("admin:companies_partnerorganisation_add"),
        {
            "kind": "county_government",
            "name_zh": "宾县人民政府",
            "country": "CN",
            "people-TOTAL_FORMS": "1",
            "people-INITIAL_FORMS": "0",
            "people-0-user": person.pk,
            "people-0-title": "Liaison",
            "people-0-speaks_zh": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    organisation = PartnerOrganisation.objects.get(name_zh="宾县人民政府")
    assert organisation.people.get().user == person
    verbs = AuditRecord.objects.filter(actor=manager).values_list("verb", flat=True)
    assert sorted(verbs) == ["partnerorganisation.create", "partnerperson.create"]
    client.post(
        reverse("admin:companies_partnerperson_delete", args=[organisation.people.get().pk]),
        {"post": "yes"},
    )
    assert not organisation.people.exists()
    assert AuditRecord.objects.filter(actor=manager, verb="partnerperson.delete").exists()
