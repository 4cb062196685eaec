"""Staff, startups with their evidence and members, partner organisations and their people,
leads, technology listings, inquiries and partner interests."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from bench.datagen.common import (
    CN_CITIES,
    KO_CITIES,
    NAME_STEMS,
    SECTOR_WORDS,
    Context,
    person_name,
    three,
)
from companies import validators
from companies.exchange.models import jurisdiction_of
from companies.models import (
    Certification,
    CertificationKind,
    Company,
    FundingRound,
    Lead,
    MarketValidation,
    Membership,
    PartnerInterest,
    PartnerOrganisation,
    PartnerPerson,
    Patent,
    Sector,
    TechnologyInquiry,
    TechnologyListing,
)
from incubator import roles

User = get_user_model()

# The password of every generated account (they can sign in to look at the pages).
PASSWORD = "generated-data-2020"
STAFF = {
    roles.CENTER_MANAGER: 2,
    roles.PROGRAM_OFFICER: 6,
    roles.EVENT_COORDINATOR: 4,
    roles.VIEWER: 1,
}


class People:
    """The accounts of a run, made in one bulk insert per kind."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        # One hash for every account, salted by the seed: a seed gives the same rows.
        self.password = make_password(PASSWORD, salt=f"generated{ctx.seed}")
        self.count = 0

    def user(self, kind: str, culture: str, *, staff: bool = False):
        ctx = self.ctx
        self.count += 1
        language = {"ko": "ko", "zh": "zh-hans", "en": "en"}[culture]
        return User(
            email=ctx.email(kind, self.count),
            full_name=person_name(ctx, culture),
            language=language,
            time_zone="Asia/Shanghai" if culture == "zh" else "Asia/Seoul",
            email_verified=True,
            is_staff=staff,
            password=self.password,
            date_joined=ctx.now - dt.timedelta(days=ctx.rng.randint(30, 1500)),
        )


def staff(ctx: Context, people: People) -> dict[str, list]:
    """Create the center's staff, by role."""
    by_role = {
        role: [people.user("staff", "ko", staff=True) for _ in range(n)]
        for role, n in STAFF.items()
    }
    ctx.insert(User, [u for users in by_role.values() for u in users], label="users (staff)")
    groups = {g.name: g for g in Group.objects.filter(name__in=STAFF)}
    links = [
        User.groups.through(user_id=u.pk, group_id=groups[role].pk)
        for role, users in by_role.items()
        if role in groups
        for u in users
    ]
    ctx.insert(User.groups.through, links, label="user groups")
    return by_role


def companies(ctx: Context, people: People, n: int) -> list[Company]:
    rng = ctx.rng
    rows = []
    for i in range(n):
        sector = ctx.pick(Sector.values)
        stem = ctx.pick(NAME_STEMS)
        word = SECTOR_WORDS[sector]
        founded = ctx.days_ago(200, 12 * 365)
        rows.append(
            Company(
                **three(
                    f"{stem[0]}{word[0]} {i + 1}",
                    f"{stem[1]}{word[1]} {i + 1}",
                    f"{stem[2]} {word[2]} {i + 1}",
                    "name",
                ),
                **three(
                    f"{stem[0]}{word[0]}는 {founded.year}년에 설립된 기술 스타트업입니다.",
                    f"{stem[1]}{word[1]}是一家成立于{founded.year}年的韩国科技初创企业。",
                    f"{stem[2]} {word[2]} is a technology startup founded in {founded.year}.",
                    "description",
                ),
                brn=ctx.brn(),
                founded_on=founded,
                sector=sector,
                website=f"https://{ctx.prefix}-c{i + 1}.example.com/",
                city=ctx.pick(KO_CITIES),
                employees=rng.randint(2, 180),
                consent_to_partners=ctx.chance(0.6),
                speaks_ko=True,
                speaks_zh=ctx.chance(0.35),
                speaks_en=ctx.chance(0.6),
            )
        )
    return ctx.insert(Company, rows)


def evidence(ctx: Context, companies_: list[Company]) -> dict[int, dict[str, list]]:
    """Create patents, funding rounds, market validations and certifications; return them by
    company (for screening and the listings)."""
    rng = ctx.rng
    patents, fundings, markets, certs = [], [], [], []
    for company in companies_:
        founded = company.founded_on
        age = (ctx.today - founded).days
        for _ in range(ctx.weighted({0: 2, 1: 4, 2: 3, 3: 1})):
            applied = founded + dt.timedelta(days=rng.randint(0, age))
            registered = ctx.chance(0.55) and (ctx.today - applied).days > 200
            jurisdiction = ctx.weighted({"KR": 6, "CN": 2, "PCT": 1, "US": 1})
            # A PCT application is never granted as such.
            registered = registered and jurisdiction != "PCT"
            number = patent_number(ctx, jurisdiction, registered, applied)
            patents.append(
                Patent(
                    company=company,
                    jurisdiction=jurisdiction,
                    kind=ctx.weighted({"invention": 8, "utility_model": 2, "design": 1}),
                    status="registered" if registered else "application",
                    number=number,
                    title=f"{company.name_en}: method and device {len(patents) + 1}",
                    applied_on=applied,
                    registered_on=applied + dt.timedelta(days=rng.randint(120, 200))
                    if registered
                    else None,
                )
            )
        for _ in range(ctx.weighted({0: 3, 1: 4, 2: 2, 3: 1})):
            currency = ctx.weighted({"KRW": 6, "CNY": 2, "USD": 2})
            low, high = (50_000_000, 3_000_000_000) if currency == "KRW" else (50_000, 3_000_000)
            fundings.append(
                FundingRound(
                    company=company,
                    round_type=ctx.pick(FundingRound.Type.values),
                    amount=ctx.money(currency, low, high),
                    currency=currency,
                    investor=ctx.pick(
                        ("KB Investment", "Kakao Ventures", "哈尔滨创投", "TIPS", "")
                    ),
                    date=founded + dt.timedelta(days=rng.randint(0, age)),
                )
            )
        for _ in range(ctx.weighted({0: 4, 1: 4, 2: 2})):
            with_amount = ctx.chance(0.6)
            currency = ctx.weighted({"KRW": 3, "CNY": 1, "USD": 1})
            markets.append(
                MarketValidation(
                    company=company,
                    kind=ctx.pick(MarketValidation.Kind.values),
                    description=f"{company.name_en}: contract with customer {len(markets) + 1}",
                    amount=ctx.money(currency, 1_000, 900_000) if with_amount else None,
                    currency=currency if with_amount else "",
                    date=founded + dt.timedelta(days=rng.randint(0, age)),
                )
            )
        for kind in rng.sample(CertificationKind.values, ctx.weighted({0: 3, 1: 4, 2: 2})):
            issued = founded + dt.timedelta(days=rng.randint(0, age))
            certs.append(
                Certification(
                    company=company,
                    kind=kind,
                    number=f"{kind.upper()[:3]}-{issued.year}-{len(certs) + 1:06d}",
                    issued_on=issued,
                    expires_on=issued + dt.timedelta(days=3 * 365) if ctx.chance(0.8) else None,
                )
            )
    by_company: dict[int, dict[str, list]] = {
        c.pk: {"patents": [], "fundings": [], "markets": [], "certifications": []}
        for c in companies_
    }
    for key, model, rows in (
        ("patents", Patent, patents),
        ("fundings", FundingRound, fundings),
        ("markets", MarketValidation, markets),
        ("certifications", Certification, certs),
    ):
        for row in ctx.insert(model, rows):
            by_company[row.company_id][key].append(row)
    return by_company


def patent_number(ctx: Context, jurisdiction: str, registered: bool, applied: dt.date) -> str:
    """Return a number in the office's form, unique in the run (its serial)."""
    serial = ctx.next_serial()
    year = applied.year
    if jurisdiction == "KR":
        text = f"10-{serial + 1_000_000:07d}" if registered else f"10-{year}-{serial:07d}"
    elif jurisdiction == "CN":
        digits = f"{max(year, 2004)}1{serial:07d}"
        text = ("ZL" if registered else "") + f"{digits}.{validators.cn_patent_check_digit(digits)}"
    elif jurisdiction == "PCT":
        text = f"PCT/KR{year}/{serial % 1_000_000:06d}"
    else:
        text = (
            f"{serial + 10_000_000:,}"
            if registered
            else f"17/{serial // 1000 % 1000:03d},{serial % 1000:03d}"
        )
    kind = "registration" if registered else "application"
    return validators.normalize_patent_number(jurisdiction, kind, text)


def members(ctx: Context, people: People, companies_: list[Company]) -> dict[int, list]:
    """Create each company's owner and members; return their users by company id."""
    users, links = [], []
    for company in companies_:
        for position in range(ctx.weighted({1: 5, 2: 4, 3: 1})):
            user = people.user("member", "ko" if ctx.chance(0.85) else "en")
            users.append(user)
            links.append((user, company, "owner" if position == 0 else "member"))
    ctx.insert(User, users, label="users (members)")
    rows = [Membership(user=u, company=c, role=role) for u, c, role in links]
    ctx.insert(Membership, rows)
    by_company: dict[int, list] = {}
    for user, company, _role in links:
        by_company.setdefault(company.pk, []).append(user)
    return by_company


def partners(ctx: Context, people: People, n: int) -> list[PartnerPerson]:
    """Create partner organisations (most Chinese, with a USCC) and three people each."""
    organisations = []
    for i in range(n):
        country = ctx.weighted({"CN": 8, "KR": 1, "other": 1})
        kind = ctx.pick(PartnerOrganisation.Kind.values)
        city = ctx.pick(CN_CITIES)
        organisations.append(
            PartnerOrganisation(
                kind=kind,
                **three(f"파트너 {i + 1}", f"{city}合作伙伴{i + 1}", f"Partner {i + 1}", "name"),
                country=country,
                city=city if country == "CN" else "",
                uscc=ctx.uscc() if country == "CN" else "",
                website=f"https://{ctx.prefix}-p{i + 1}.example.com/",
            )
        )
    ctx.insert(PartnerOrganisation, organisations)
    users, pairs = [], []
    for organisation in organisations:
        for _ in range(3):
            user = people.user("partner", "zh" if organisation.country == "CN" else "en")
            users.append(user)
            pairs.append((organisation, user))
    ctx.insert(User, users, label="users (partners)")
    rows = [
        PartnerPerson(
            organisation=org,
            user=user,
            title=ctx.pick(("投资经理", "总经理", "Partner", "Director")),
            speaks_ko=ctx.chance(0.2),
            speaks_zh=org.country == "CN" or ctx.chance(0.3),
            speaks_en=ctx.chance(0.5),
        )
        for org, user in pairs
    ]
    return ctx.insert(PartnerPerson, rows)


def leads(ctx: Context, companies_: list[Company], officers: list, n: int) -> None:
    converted = iter(ctx.rng.sample(companies_, min(len(companies_), n // 5)))
    rows = []
    for i in range(n):
        status = ctx.weighted(
            {"new": 3, "contacted": 3, "engaged": 2, "invited": 1, "converted": 1, "dropped": 1}
        )
        company = next(converted, None) if status == "converted" else None
        if status == "converted" and company is None:
            status = "engaged"
        rows.append(
            Lead(
                company_name=company.name_en if company else f"Prospect {ctx.prefix}-{i + 1}",
                contact_name=person_name(ctx, "ko"),
                contact_email=ctx.email("lead", i + 1),
                source=ctx.pick(Lead.Source.values),
                referred_by=ctx.pick(companies_) if ctx.chance(0.3) else None,
                owner=ctx.pick(officers),
                status=status,
                next_step="Call back" if status in ("new", "contacted", "engaged") else "",
                next_step_on=ctx.today + dt.timedelta(days=ctx.rng.randint(-10, 40))
                if status != "dropped"
                else None,
                company=company,
            )
        )
    ctx.insert(Lead, rows)


def exchange(ctx, evidence_: dict, companies_: list, partner_people: list, reviewers: list) -> None:
    """Create technology listings (some on the company's patents), inquiries and interests."""
    rng = ctx.rng
    listings = []
    for company in rng.sample(companies_, len(companies_) // 10):
        patents = evidence_[company.pk]["patents"]
        patent = ctx.pick(patents) if patents and ctx.chance(0.7) else None
        status = ctx.weighted(
            {"draft": 2, "submitted": 2, "approved": 5, "rejected": 1, "withdrawn": 1}
        )
        offers = [ctx.chance(0.6), ctx.chance(0.3), ctx.chance(0.4)]
        if not any(offers):
            offers[0] = True
        reviewed = status in ("approved", "rejected") or (status == "withdrawn" and ctx.chance(0.5))
        submitted_at = (
            ctx.now - dt.timedelta(days=rng.randint(20, 400)) if status != "draft" else None
        )
        word = SECTOR_WORDS[company.sector]
        listings.append(
            TechnologyListing(
                company=company,
                patent=patent,
                **three(
                    f"{word[0]} 기술 이전", f"{word[1]}技术转让", f"{word[2]} technology", "title"
                ),
                **three(
                    "특허 기반 기술 패키지",
                    "基于专利的技术包",
                    "A patented technology package",
                    "summary",
                ),
                **three("라이선스 조건 협의", "许可条件面议", "Terms negotiable", "terms"),
                offers_license=offers[0],
                offers_transfer=offers[1],
                offers_joint_development=offers[2],
                sector=company.sector,
                jurisdiction=jurisdiction_of(patent) if patent else "KR",
                status=status,
                review_reason="Reviewed" if reviewed else "",
                reviewed_by=ctx.pick(reviewers) if reviewed else None,
                reviewed_at=submitted_at + dt.timedelta(days=5) if reviewed else None,
                submitted_at=submitted_at,
            )
        )
    ctx.insert(TechnologyListing, listings)
    inquiries, interests = [], []
    for listing in listings:
        if listing.status != "approved":
            continue
        for person in rng.sample(partner_people, min(len(partner_people), rng.randint(0, 3))):
            sent = listing.reviewed_at + dt.timedelta(days=rng.randint(1, 10))
            answered = ctx.chance(0.6)
            inquiries.append(
                TechnologyInquiry(
                    listing=listing,
                    organisation_id=person.organisation_id,
                    person=person,
                    message="我们对这项技术的许可很感兴趣。",
                    status="answered" if answered else "sent",
                    answer="감사합니다. 자료를 보내드리겠습니다." if answered else "",
                    accepted=ctx.chance(0.7) if answered else None,
                    answered_at=sent + dt.timedelta(days=3) if answered else None,
                )
            )
    # One open inquiry per listing and organisation: two people of one organisation asking
    # the same listing keep only the first.
    seen, unique = set(), []
    for inquiry in inquiries:
        key = (id(inquiry.listing), inquiry.organisation_id)
        if key not in seen:
            seen.add(key)
            unique.append(inquiry)
    ctx.insert(TechnologyInquiry, unique)
    consenting = [c for c in companies_ if c.consent_to_partners]
    pairs = set()
    for person in partner_people:
        for company in rng.sample(consenting, min(len(consenting), rng.randint(0, 2))):
            if (person.organisation_id, company.pk) in pairs:
                continue
            pairs.add((person.organisation_id, company.pk))
            interests.append(
                PartnerInterest(
                    organisation_id=person.organisation_id,
                    company=company,
                    person=person,
                    note="",
                    marked_at=ctx.now - dt.timedelta(days=rng.randint(0, 300)),
                )
            )
    ctx.insert(PartnerInterest, interests)
