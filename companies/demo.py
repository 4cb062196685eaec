"""Demo data of the startups: the first resident, the 2020 delegation, the digital-economy
companies and leads; the center's partner organisations and their people; the technology
exchange (companies.exchange.demo). Their applications are programs.admissions.demo's.

Idempotent: companies are keyed on their business registration number, accounts on
their e-mail; evidence is only added with a company created here.
"""

import datetime as dt
import zoneinfo
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from companies import services, validators
from companies.apikeys.demo import COUNTY_PREFIX, demo_key, ensure_county_key, ensure_demo_key
from companies.exchange import demo as exchange_demo
from companies.models import (
    Certification,
    Company,
    FundingRound,
    Lead,
    MarketValidation,
    Membership,
    PartnerOrganisation,
    PartnerPerson,
    Patent,
)
from incubator.demo import demo_user

OWNER_EMAIL = "nam@orangsimhan.example"
MEMBER_EMAIL = "park@orangsimhan.example"
APPLICANT_EMAIL = "ceo@hanbit-robotics.example"

SIGN_INS = [
    ("startup owner", OWNER_EMAIL),
    ("startup member", MEMBER_EMAIL),
    ("startup applicant", APPLICANT_EMAIL),
]

ORANGSIMHAN = {
    "name_ko": "할빈오랑심한과학기술유한회사",
    "name_zh": "哈尔滨奥朗心韩科技有限公司",
    "name_en": "Harbin Orangsimhan Technology Co., Ltd.",
    "founded_on": dt.date(2016, 3, 14),
    "sector": "education",
    "city": "Harbin",
    "employees": 12,
    "website": "https://orangsimhan.example",
    "consent_to_partners": True,
    "description_ko": "한국어 교육과 직업 교육. 센터의 첫 입주 기업.",
    "description_zh": "韩国语教育与职业教育。中心首家入驻企业。",
    "description_en": "Korean-language and vocational education; the center's first resident.",
}

INVESTOR_EMAIL = "investor@heilongjiang-capital.example"
LOCAL_COMPANY_EMAIL = "purchasing@binxian-greenfoods.example"
COUNTY_EMAIL = "liaison@binxian-gov.example"

# Partner organisations: kind, name_ko, name_zh, name_en, country, city
PARTNER_ORGANISATIONS = {
    "hlj_capital": ("investor", "헤이룽장창투", "黑龙江创业投资有限公司",
                    "Heilongjiang Capital", "CN", "Harbin"),
    "longjiang_angels": ("investor", "룽장엔젤펀드", "龙江天使基金",
                         "Longjiang Angel Fund", "CN", "Harbin"),
    "binxian_greenfoods": ("local_company", "빈현그린푸드", "宾县绿色食品有限公司",
                           "Binxian Green Foods Co., Ltd.", "CN", "Binxian"),
    "harbin_precision": ("local_company", "하얼빈정밀기계", "哈尔滨精密机械有限公司",
                         "Harbin Precision Machinery Co., Ltd.", "CN", "Harbin"),
    "binxian_gov": ("county_government", "빈현 인민정부", "宾县人民政府",
                    "Binxian County People's Government", "CN", "Binxian"),
    "harbin_commerce": ("city_government", "하얼빈시 상무국", "哈尔滨市商务局",
                        "Harbin Municipal Bureau of Commerce", "CN", "Harbin"),
    "hit": ("university", "하얼빈공업대학", "哈尔滨工业大学",
            "Harbin Institute of Technology", "CN", "Harbin"),
    "hlju": ("university", "헤이룽장대학", "黑龙江大学", "Heilongjiang University", "CN", "Harbin"),
    "kaa": ("service_provider", "한국액셀러레이터협회", "韩国加速器协会",
            "Korea Accelerator Association", "KR", "Seoul"),
}  # fmt: skip

# Their people with portal accounts: email, full name, organisation, job title, language,
# zone, speaks
PARTNER_PEOPLE = [
    (INVESTOR_EMAIL, "张伟 Zhang Wei", "hlj_capital", "Investment director",
     "zh-hans", "Asia/Shanghai", "zh en"),
    ("analyst@heilongjiang-capital.example", "李娜 Li Na", "hlj_capital", "Analyst",
     "zh-hans", "Asia/Shanghai", "zh ko"),
    ("partner@longjiang-angels.example", "陈刚 Chen Gang", "longjiang_angels",
     "Managing partner", "zh-hans", "Asia/Shanghai", "zh"),
    (LOCAL_COMPANY_EMAIL, "刘洋 Liu Yang", "binxian_greenfoods", "Purchasing manager",
     "zh-hans", "Asia/Shanghai", "zh"),
    ("cto@harbin-precision.example", "赵磊 Zhao Lei", "harbin_precision", "Chief engineer",
     "zh-hans", "Asia/Shanghai", "zh en"),
    (COUNTY_EMAIL, "金美兰 Jin Mei-lan", "binxian_gov",
     "Investment promotion bureau, Korean desk", "ko", "Asia/Shanghai", "ko zh"),
    ("trade@harbin-commerce.example", "孙丽 Sun Li", "harbin_commerce", "Foreign trade officer",
     "zh-hans", "Asia/Shanghai", "zh en"),
    ("tto@hit.example", "周强 Zhou Qiang", "hit", "Technology transfer office",
     "en", "Asia/Shanghai", "zh en"),
    ("korea-center@hlju.example", "朴英浩 Piao Yinghao", "hlju", "Korea research center",
     "zh-hans", "Asia/Shanghai", "zh ko"),
    ("office@kaa.example", "윤서준 Yoon Seo-jun", "kaa", "Secretary-general",
     "ko", "Asia/Seoul", "ko en"),
]  # fmt: skip

# Evidence profiles. Patents: "R" registered, "A" applied. Certifications:
# (kind, "valid" | "expired" | "permanent"). Fundings and market validations: counts.
PASS_ALL = {"patents": "RA", "fundings": 1, "markets": 1, "certs": [("venture", "valid")]}
PROFILES = {
    "all": PASS_ALL,
    "all_applied": {"patents": "A", "fundings": 2, "markets": 0, "certs": [("innobiz", "valid")]},
    "all_market": {
        "patents": "R",
        "fundings": 0,
        "markets": 1,
        "certs": [("rnd_center", "permanent")],
    },
    "all_tips": {
        "patents": "RR",
        "fundings": 1,
        "markets": 0,
        "certs": [("tips", "valid"), ("venture", "expired")],
    },
    "cert_expired": {
        "patents": "R",
        "fundings": 1,
        "markets": 0,
        "certs": [("venture", "expired")],
    },
    "no_patent": {"patents": "", "fundings": 1, "markets": 1, "certs": [("venture", "valid")]},
    "no_money": {"patents": "A", "fundings": 0, "markets": 0, "certs": [("innobiz", "valid")]},
    "other_cert": {"patents": "RA", "fundings": 1, "markets": 0, "certs": [("other", "valid")]},
    "no_patent_expired": {
        "patents": "",
        "fundings": 1,
        "markets": 0,
        "certs": [("mainbiz", "expired")],
    },
    "no_money_no_cert": {"patents": "A", "fundings": 0, "markets": 0, "certs": []},
    "no_patent_no_money": {
        "patents": "",
        "fundings": 0,
        "markets": 0,
        "certs": [("venture", "valid")],
    },
}

# The 16 companies of the 2020 delegation (fictional names): name_ko, name_zh, name_en,
# sector, city, founded, profile, applies.
DELEGATION = [
    ("한빛로보틱스", "韩光机器人", "Hanbit Robotics", "intelligent_manufacturing", "Daejeon",
     dt.date(2013, 5, 2), "all", True),
    ("누리에듀랩", "努里教育实验室", "Nuri EduLab", "education", "Seoul",
     dt.date(2015, 9, 21), "all_applied", True),
    ("청명바이오", "清明生物", "Cheongmyeong Bio", "bio_health", "Osong",
     dt.date(2012, 11, 8), "all_market", False),
    ("에이치투그린", "氢绿能源", "H2 Green", "energy_environment", "Ulsan",
     dt.date(2014, 2, 17), "all_tips", True),
    ("소담푸드테크", "素淡食品科技", "Sodam FoodTech", "other", "Jeonju",
     dt.date(2011, 7, 4), "cert_expired", True),
    ("다온메디컬", "多温医疗", "Daon Medical", "bio_health", "Wonju",
     dt.date(2016, 4, 11), "no_patent", True),
    ("바른스마트팩토리", "巴伦智能工厂", "Bareun Smart Factory", "intelligent_manufacturing",
     "Changwon", dt.date(2010, 10, 1), "no_money", True),
    ("미리내소프트", "银河软件", "Mirinae Soft", "ai", "Pangyo",
     dt.date(2015, 1, 19), "other_cert", False),
    ("가온에너지", "嘉温能源", "Gaon Energy", "energy_environment", "Gwangju",
     dt.date(2013, 8, 26), "no_patent_expired", True),
    ("세움건축기술", "世恩建筑技术", "Seum Building Tech", "other", "Busan",
     dt.date(2012, 3, 30), "no_money_no_cert", True),
    ("한결핀테크", "韩洁金融科技", "Hangyeol Fintech", "scitech_finance", "Seoul",
     dt.date(2016, 12, 5), "all", False),
    ("라온헬스케어", "拉温健康", "Raon Healthcare", "bio_health", "Daegu",
     dt.date(2014, 6, 16), "no_patent_no_money", False),
    ("도담교육", "道谈教育", "Dodam Education", "education", "Incheon",
     dt.date(2017, 2, 13), "all_applied", False),
    ("새빛광학", "新光光学", "Saebit Optics", "intelligent_manufacturing", "Gumi",
     dt.date(2011, 9, 9), "cert_expired", False),
    ("하늘드론", "天空无人机", "Haneul Drone", "ai", "Goheung",
     dt.date(2015, 5, 25), "no_money", False),
    ("온새미농업", "温赛米农业", "Onsaemi Agritech", "other", "Gimje",
     dt.date(2013, 4, 1), "all_market", False),
]  # fmt: skip

# The 8 digital-economy companies; a founding age in days makes a young company.
DIGITAL = [
    ("딥비전AI", "深视人工智能", "DeepVision AI", "ai", "Seoul", dt.date(2018, 3, 5), "all", True),
    ("코드브레인", "代码大脑", "CodeBrain", "ai", "Pangyo", 700, "all", True),
    ("말씀AI", "言语人工智能", "Malsseum AI", "ai", "Daejeon", 420, "no_money_no_cert", True),
    ("머니브릿지", "资金桥", "MoneyBridge", "scitech_finance", "Seoul",
     dt.date(2017, 10, 23), "all_tips", False),
    ("테크론파이낸스", "科隆金融", "Techron Finance", "scitech_finance", "Busan",
     dt.date(2019, 1, 14), "no_patent", True),
    ("스마트공방", "智能工坊", "Smart Gongbang", "intelligent_manufacturing", "Ansan",
     dt.date(2016, 8, 8), "all", False),
    ("모션팩토리", "动作工厂", "Motion Factory", "intelligent_manufacturing", "Changwon",
     900, "all_applied", True),
    ("큐브제조", "立方制造", "Cube Manufacturing", "intelligent_manufacturing", "Siheung",
     dt.date(2014, 12, 1), "cert_expired", False),
]  # fmt: skip


def brn(index: int) -> str:
    """Return a valid, deterministic business registration number for demo company `index`."""
    prefix = f"{120 + index:03d}81{1000 + index:04d}"
    number = prefix + validators.brn_check_digit(prefix)
    assert validators.brn_is_valid(number), number
    return number


def _founded(value) -> dt.date:
    if isinstance(value, int):
        return timezone.localdate() - dt.timedelta(days=value)
    return value


def _add_evidence(company: Company, index: int, profile: dict) -> None:
    today = timezone.localdate()
    base = company.founded_on
    for n, status in enumerate(profile["patents"]):
        applied_on = min(base + dt.timedelta(days=200 + 150 * n), today - dt.timedelta(days=60))
        serial = 10_000 + index * 10 + n
        if status == "R":
            registered_on = min(applied_on + dt.timedelta(days=540), today)
            patent = Patent(
                company=company,
                jurisdiction=Patent.Jurisdiction.KR,
                status=Patent.Status.REGISTERED,
                number=f"10-{2_100_000 + serial:07d}",
                title=f"{company.name_en}: core method {n + 1}",
                applied_on=applied_on,
                registered_on=registered_on,
            )
        else:
            patent = Patent(
                company=company,
                jurisdiction=Patent.Jurisdiction.KR,
                status=Patent.Status.APPLICATION,
                number=f"10-{applied_on.year}-{serial:07d}",
                title=f"{company.name_en}: improvement {n + 1}",
                applied_on=applied_on,
            )
        services.evidence_save(instance=patent)
    for n in range(profile["fundings"]):
        services.evidence_save(
            instance=FundingRound(
                company=company,
                round_type=FundingRound.Type.SEED if n == 0 else FundingRound.Type.SERIES_A,
                amount=Decimal(300_000_000 * (n + 1)),
                currency="KRW",
                investor="Korea Accelerator Association fund" if n == 0 else "Hanbando Ventures",
                date=min(base + dt.timedelta(days=400 + 300 * n), today),
            )
        )
    for n in range(profile["markets"]):
        services.evidence_save(
            instance=MarketValidation(
                company=company,
                kind=MarketValidation.Kind.CUSTOMER_CONTRACT,
                description=f"Supply contract with a customer in Korea ({n + 1})",
                amount=Decimal(120_000_000),
                currency="KRW",
                date=min(base + dt.timedelta(days=500), today),
            )
        )
    for n, (kind, validity) in enumerate(profile["certs"]):
        if validity == "expired":
            issued_on, expires_on = dt.date(2018, 3, 1), dt.date(2021, 2, 28)
        elif validity == "permanent":
            issued_on, expires_on = min(base + dt.timedelta(days=365), today), None
        else:
            issued_on = today - dt.timedelta(days=300)
            expires_on = today + dt.timedelta(days=730)
        services.evidence_save(
            instance=Certification(
                company=company,
                kind=kind,
                number=f"{kind.upper()}-{2000 + index:04d}-{n + 1}",
                issued_on=issued_on,
                expires_on=expires_on,
            )
        )


def _company(index: int, row, owner=None) -> tuple[Company, bool]:
    name_ko, name_zh, name_en, sector, city, founded, profile, _applies = row
    number = brn(index)
    company = Company.objects.filter(brn=number).first()
    if company is not None:
        return company, False
    fields = {
        "name_ko": name_ko,
        "name_zh": name_zh,
        "name_en": name_en,
        "brn": number,
        "founded_on": _founded(founded),
        "sector": sector,
        "city": city,
        "consent_to_partners": index % 3 != 0,
    }
    if owner is not None:
        company = services.company_create(owner=owner, **fields)
    else:
        company = Company(**fields)
        company.full_clean()
        company.save()
    _add_evidence(company, index, PROFILES[profile])
    return company, True


# The delegation of summer 2020 ended on 2020-08-12: its 16 companies became leads then.
DELEGATION_LEADS_AT = dt.datetime(2020, 8, 12, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


def _delegation_leads() -> None:
    companies = Company.objects.filter(brn__in=[brn(1 + n) for n in range(len(DELEGATION))])
    missing = list(companies.filter(lead__isnull=True))
    if not missing:
        return
    applies = {row[2]: row[-1] for row in DELEGATION}
    Lead.objects.bulk_create(
        Lead(
            company_name=company.name_en,
            company=company,
            source=Lead.Source.DELEGATION,
            status=Lead.Status.CONVERTED if applies.get(company.name_en) else Lead.Status.ENGAGED,
            notes="Came with the Korea Accelerator Association's delegation, summer 2020.",
        )
        for company in missing
    )
    # created_at is set on insert: date them afterwards.
    Lead.objects.filter(company__in=missing).update(created_at=DELEGATION_LEADS_AT)


def _leads(orangsimhan: Company) -> None:
    officer = get_user_model().objects.filter(email="officer@center.example").first()
    today = timezone.localdate()
    leads = [
        {
            "company_name": "미래드론 Mirae Drone",
            "contact_name": "정우진 Jeong Woo-jin",
            "contact_email": "ceo@mirae-drone.example",
            "source": Lead.Source.DELEGATION,
            "status": Lead.Status.CONTACTED,
            "next_step": "Send the intake details after the 2020 delegation visit",
            "next_step_on": today - dt.timedelta(days=5),
            "notes": "Met during the Korea Accelerator Association delegation, summer 2020.",
        },
        {
            "company_name": "바다양식테크 Bada AquaTech",
            "contact_name": "오세라 Oh Se-ra",
            "contact_email": "hello@bada-aquatech.example",
            "source": Lead.Source.DELEGATION,
            "status": Lead.Status.ENGAGED,
            "next_step": "Matching session with a Binxian food processor",
            "next_step_on": today + dt.timedelta(days=12),
        },
        {
            "company_name": "한글누리 Hangeul Nuri",
            "contact_name": "최은비 Choi Eun-bi",
            "contact_email": "eunbi@hangeul-nuri.example",
            "source": Lead.Source.REFERRAL,
            "referred_by": orangsimhan,
            "status": Lead.Status.NEW,
            "next_step": "Call together with Nam Jeong-hwa",
            "next_step_on": today + dt.timedelta(days=3),
            "notes": "Referred by Orangsimhan's CEO: Korean-language e-learning.",
        },
        {
            "company_name": "직업학교넷 JobSchool Net",
            "contact_name": "윤태호 Yoon Tae-ho",
            "contact_email": "",
            "source": Lead.Source.REFERRAL,
            "referred_by": orangsimhan,
            "status": Lead.Status.NEW,
            "next_step": "Ask Nam Jeong-hwa for an e-mail address",
            "next_step_on": today - dt.timedelta(days=1),
        },
    ]
    for lead in leads:
        name = lead.pop("company_name")
        Lead.objects.get_or_create(company_name=name, defaults={**lead, "owner": officer})


def _speaks(codes: str) -> dict[str, bool]:
    spoken = set(codes.split())
    return {f"speaks_{code}": code in spoken for code in ("ko", "zh", "en")}


def partner_organisations() -> dict[str, PartnerOrganisation]:
    organisations = {}
    for key, (kind, name_ko, name_zh, name_en, country, city) in PARTNER_ORGANISATIONS.items():
        organisations[key], _created = PartnerOrganisation.objects.get_or_create(
            name_en=name_en,
            defaults={
                "kind": kind,
                "name_ko": name_ko,
                "name_zh": name_zh,
                "country": country,
                "city": city,
            },
        )
    return organisations


def partner_people() -> list[PartnerPerson]:
    organisations = partner_organisations()
    people = []
    for email, name, organisation, title, language, zone, speaks in PARTNER_PEOPLE:
        user = demo_user(
            email=email, full_name=name, language=language, time_zone=zone, staff=False
        )
        person, _created = PartnerPerson.objects.get_or_create(
            user=user,
            defaults={"organisation": organisations[organisation], "title": title}
            | _speaks(speaks),
        )
        people.append(person)
    return people


@transaction.atomic
def load() -> None:
    owner = demo_user(
        email=OWNER_EMAIL,
        full_name="남정화 Nam Jeong-hwa",
        language="ko",
        time_zone="Asia/Shanghai",
        staff=False,
    )
    member = demo_user(
        email=MEMBER_EMAIL,
        full_name="박지민 Park Ji-min",
        language="ko",
        time_zone="Asia/Shanghai",
        staff=False,
    )
    applicant = demo_user(
        email=APPLICANT_EMAIL,
        full_name="이한빛 Lee Han-bit",
        language="ko",
        time_zone="Asia/Seoul",
        staff=False,
    )

    number = brn(0)
    orangsimhan = Company.objects.filter(brn=number).first()
    if orangsimhan is None:
        orangsimhan = services.company_create(owner=owner, brn=number, **ORANGSIMHAN)
        _add_evidence(orangsimhan, 0, PASS_ALL)
    Membership.objects.get_or_create(
        user=member, defaults={"company": orangsimhan, "role": Membership.Role.MEMBER}
    )

    for offset, rows in ((1, DELEGATION), (1 + len(DELEGATION), DIGITAL)):
        for n, row in enumerate(rows):
            index = offset + n
            _company(index, row, owner=applicant if index == 1 else None)
    _leads(orangsimhan)
    _delegation_leads()
    people = {person.user.email: person for person in partner_people()}
    ensure_demo_key(people[INVESTOR_EMAIL].organisation)
    ensure_county_key(partner_organisations()["binxian_gov"])
    exchange_demo.load(
        companies={
            "orangsimhan": orangsimhan,
            "hanbit": Company.objects.filter(brn=brn(1)).first(),
        },
        investor=people.get(INVESTOR_EMAIL),
    )


def notes() -> list[str]:
    """What `make run` prints after the sign-ins: the demo partners' API keys."""
    return [
        f"  Partner API key of the demo investor (Heilongjiang Capital): {demo_key()}",
        "  Try: curl -H 'Authorization: Api-Key <that key>' "
        "http://127.0.0.1:8000/api/v1/companies/  · docs: http://127.0.0.1:8000/api/v1/docs/",
        f"  Partner API key of the Binxian county government (reports:read): "
        f"{demo_key(COUNTY_PREFIX)}",
        "  Try: curl -H 'Authorization: Api-Key <that key>' "
        "'http://127.0.0.1:8000/api/v1/reports/kpi?from=2020-08-10&to=2021-08-31'",
    ]
