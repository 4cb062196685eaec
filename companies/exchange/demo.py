"""Demo data of the technology exchange, loaded by companies.demo after the companies and the
partners: three listings (two approved, one waiting for review), an inquiry of the demo
investor that Hanbit Robotics has still to answer, and the investor's interest in it.

Idempotent: listings are keyed on their company and English title; the inquiry on its
listing and organisation, the interest on its organisation and company. Everything is
written through the services, with its audit records and e-mails.
"""

from django.contrib.auth import get_user_model

from companies.exchange import partner_services, services
from companies.exchange.models import PartnerInterest, TechnologyInquiry, TechnologyListing
from companies.models import Company, PartnerPerson, Patent

MANAGER_EMAIL = "manager@center.example"

LISTINGS = [
    # company (a key of load()'s `companies`), patent status or None, approve?, fields
    (
        "orangsimhan",
        None,
        True,
        {
            "title_ko": "한국어·직업교육 커리큘럼 패키지",
            "title_zh": "韩国语与职业教育课程包",
            "title_en": "Korean-language and vocational training curriculum package",
            "summary_ko": "하얼빈에서 5년간 운영한 한국어 및 직업교육 과정: 교재, 교사 연수, "
            "평가 도구, 온라인 학습 관리.",
            "summary_zh": "在哈尔滨运营五年的韩国语及职业教育课程：教材、师资培训、评估工具和"
            "在线学习管理。",
            "summary_en": "Five years of Korean-language and vocational courses run in Harbin: "
            "textbooks, teacher training, assessment tools and online learning management.",
            "terms_ko": "지역별 비독점 라이선스, 연간 로열티와 교사 연수 포함.",
            "terms_zh": "按地区非独占许可，年度许可费，含师资培训。",
            "terms_en": "Non-exclusive licence per region, yearly royalty, teacher training "
            "included.",
            "offers_license": True,
        },
    ),
    (
        "hanbit",
        Patent.Status.REGISTERED,
        True,
        {
            "title_ko": "협동로봇 관절 토크 제어 특허",
            "title_zh": "协作机器人关节力矩控制专利",
            "title_en": "Joint torque control for collaborative robots (granted patent)",
            "summary_ko": "센서 없이 관절 토크를 추정해 사람과 부딪힐 때 0.1초 안에 멈추는 "
            "제어 방법. 한국 등록 특허.",
            "summary_zh": "无需传感器估算关节力矩，与人碰撞时0.1秒内停止的控制方法。韩国授权专利。",
            "summary_en": "A sensorless estimate of joint torque that stops the arm within 0.1 s "
            "of touching a person. Granted in Korea.",
            "terms_ko": "중국 내 독점 라이선스 또는 헤이룽장 제조사와의 공동개발.",
            "terms_zh": "中国境内独占许可，或与黑龙江制造企业联合开发。",
            "terms_en": "Exclusive licence for China, or joint development with a Heilongjiang "
            "manufacturer.",
            "offers_license": True,
            "offers_joint_development": True,
        },
    ),
    (
        "hanbit",
        Patent.Status.APPLICATION,
        False,
        {
            "title_ko": "용접 로봇 경로 보정 출원 특허 양도",
            "title_zh": "焊接机器人路径校正专利申请转让",
            "title_en": "Welding robot path correction (patent application) for transfer",
            "summary_ko": "카메라 한 대로 용접선을 따라 경로를 보정하는 방법. 한국 출원 중.",
            "summary_zh": "用一台摄像头沿焊缝校正路径的方法。韩国申请中。",
            "summary_en": "Correcting a welding path along the seam with one camera. Applied "
            "for in Korea.",
            "terms_ko": "출원 권리 전부 양도, 가격 협의.",
            "terms_zh": "转让全部申请权，价格面议。",
            "terms_en": "Assignment of the whole application; price to be agreed.",
            "offers_transfer": True,
        },
    ),
]

INQUIRY_MESSAGE = (
    "我们是黑龙江创业投资，正在为哈尔滨的一家协作机器人工厂寻找技术。"
    "请问中国独占许可的费用区间，以及能否在宾县共同开发？\n"
    "We are Heilongjiang Capital, looking for technology for a collaborative-robot plant "
    "in Harbin. What is the range for an exclusive licence for China, and could the joint "
    "development take place in Binxian?"
)
INTEREST_NOTE = "Possible Series A lead; meet at the December matching session."


def _listing(company: Company, owner, patent_status, fields: dict) -> TechnologyListing:
    listing = TechnologyListing.objects.filter(company=company, title_en=fields["title_en"]).first()
    if listing is not None:
        return listing
    patent = None
    if patent_status is not None:
        patent = company.patents.filter(status=patent_status).order_by("pk").first()
    listing = services.listing_create(actor=owner, company=company, patent=patent, **fields)
    return services.listing_submit(actor=owner, listing=listing)


def load(*, companies: dict[str, Company], investor: PartnerPerson | None) -> None:
    """Load the listings of `companies` ({"orangsimhan": ..., "hanbit": ...}), the inquiry
    and the interest of `investor` (the demo investor's person)."""
    manager = get_user_model().objects.filter(email=MANAGER_EMAIL).first()
    approved = []
    for key, patent_status, approve, fields in LISTINGS:
        company = companies.get(key)
        owner = company and company.memberships.filter(role="owner").select_related("user").first()
        if owner is None:
            continue
        listing = _listing(company, owner.user, patent_status, fields)
        if approve and manager is not None and listing.status == "submitted":
            listing = services.listing_approve(
                actor=manager, listing=listing, reason="Clear summary and terms."
            )
        if listing.status == TechnologyListing.Status.APPROVED:
            approved.append(listing)

    robots = [listing for listing in approved if listing.patent_id is not None]
    if investor is None or not robots:
        return
    listing = robots[0]
    if not TechnologyInquiry.objects.filter(
        listing=listing, organisation=investor.organisation
    ).exists():
        partner_services.inquiry_send(actor=investor.user, listing=listing, message=INQUIRY_MESSAGE)
    if not PartnerInterest.objects.filter(
        organisation=investor.organisation, company=listing.company
    ).exists():
        partner_services.interest_mark(
            actor=investor.user, company=listing.company, note=INTEREST_NOTE
        )
