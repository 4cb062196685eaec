"""The run: what is generated in which order, in one transaction (see bench/datagen)."""

from __future__ import annotations

import time

from django.db import transaction

from bench.datagen import FULL, companies, events, matching, programs
from bench.datagen.common import Context
from companies.models import Company, PartnerOrganisation
from events.models import Event, Registration
from incubator.models import User
from programs.models import LocalEntity


class AlreadyGenerated(Exception):
    pass


def generate(
    *,
    companies: int = FULL["companies"],
    events: int = FULL["events"],
    registrations: int = FULL["registrations"],
    meetings: int = FULL["meetings"],
    service_requests: int = FULL["service_requests"],
    enrollments: int | None = None,
    seed: int = 42,
    progress: bool = True,
    today=None,
) -> dict[str, int]:
    """Fill the database; return the number of rows made per model ("companies.Company": n).

    `enrollments` defaults to 40% of the companies (4,000 of 10,000).
    """
    return run(
        companies=companies,
        events=events,
        registrations=registrations,
        meetings=meetings,
        service_requests=service_requests,
        enrollments=enrollments,
        seed=seed,
        progress=progress,
        today=today,
    ).model_counts.copy()


def run(
    *,
    companies,
    events,
    registrations,
    meetings,
    service_requests,
    enrollments,
    seed,
    progress,
    today,
) -> Context:
    """Generate as `generate()` does; return the run's context (counts, times per table)."""
    ctx = Context(seed=seed, progress=progress, today=today)
    if User.objects.filter(email__startswith=f"{ctx.prefix}.").exists():
        raise AlreadyGenerated(
            f"This database holds the data of seed {seed} already: choose another seed."
        )
    started = time.perf_counter()
    with transaction.atomic():
        _taken(ctx)
        _companies_and_people(ctx, companies)
        _programs(ctx, service_requests, companies * 2 // 5 if enrollments is None else enrollments)
        _events(ctx, events, registrations, meetings)
    ctx.total_seconds = time.perf_counter() - started
    return ctx


def _taken(ctx: Context) -> None:
    """Note the unique values the database holds already (the demo's, another seed's)."""
    ctx.taken["brn"] |= set(Company.objects.values_list("brn", flat=True))
    ctx.taken["uscc"] |= set(
        PartnerOrganisation.objects.exclude(uscc="").values_list("uscc", flat=True)
    )
    ctx.taken["uscc"] |= set(LocalEntity.objects.values_list("uscc", flat=True))
    ctx.taken["badge"] |= set(Registration.objects.values_list("badge_code", flat=True))


def _companies_and_people(ctx: Context, n: int) -> None:
    people = companies.People(ctx)
    ctx.staff = companies.staff(ctx, people)
    ctx.officers = ctx.staff["program_officer"]
    ctx.coordinators = ctx.staff["event_coordinator"]
    ctx.companies = companies.companies(ctx, people, n)
    ctx.evidence = companies.evidence(ctx, ctx.companies)
    ctx.members = companies.members(ctx, people, ctx.companies)
    ctx.partner_people = companies.partners(ctx, people, max(14, n // 20))
    companies.leads(ctx, ctx.companies, ctx.officers, max(1, n // 5))
    reviewers = ctx.officers + ctx.staff["center_manager"]
    companies.exchange(ctx, ctx.evidence, ctx.companies, ctx.partner_people, reviewers)


def _programs(ctx: Context, service_requests: int, enrollments: int) -> None:
    accepted = programs.admissions(
        ctx, ctx.companies, ctx.evidence, ctx.members, ctx.officers, enrollments
    )
    ctx.enrollments = programs.journey(ctx, accepted, ctx.members, ctx.officers)
    programs.service_requests(
        ctx, service_requests, ctx.companies, ctx.enrollments, ctx.members, ctx.officers
    )
    programs.fund(ctx, ctx.enrollments, ctx.members, ctx.staff["center_manager"])


def _events(ctx: Context, n: int, registrations: int, meetings: int) -> None:
    rows = events.events(ctx, n, matching.sessions_for(meetings), ctx.coordinators)
    sessions = [e for e in rows if e.kind == Event.Kind.MATCHING_SESSION]
    who = events.Registrants(ctx, ctx.members, ctx.partner_people)
    participants = matching.participants(ctx, sessions, who, ctx.coordinators)
    # The load test's door: a fortieth of all registrations (5,000 of 200,000), counted
    # before the matching sessions' participants take their share.
    door = registrations // 40
    others = events.registrations(
        ctx, rows, who, registrations - len(participants), ctx.coordinators, door=door
    )
    ctx.insert(Event, rows)
    ctx.insert(Registration, participants + others)
    events.online(ctx, rows, others, ctx.coordinators)
    if sessions:
        matching.meetings(ctx, sessions, participants, meetings)
