"""The exchange's portal pages, in Korean for the startup and in Chinese for the partner."""

import pytest
from django.urls import reverse

from companies.exchange import services
from companies.exchange.models import TechnologyInquiry, TechnologyListing
from incubator.models import OutboxMessage
from tests.companies.exchange.conftest import send
from tests.companies.factories import PatentFactory, TechnologyListingFactory

pytestmark = pytest.mark.django_db

LISTING = {
    "title_ko": "협동로봇 관절 토크 제어",
    "summary_ko": "센서 없이 관절 토크를 추정합니다.",
    "terms_ko": "중국 내 독점 라이선스.",
    "offers_license": "on",
    "sector": "intelligent_manufacturing",
    "jurisdiction": "KR",
}


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def korean(client, founder):
    client.force_login(founder)
    client.cookies["lang"] = "ko"
    return client


@pytest.fixture
def chinese(client, partner):
    client.force_login(partner)
    client.cookies["lang"] = "zh-hans"
    return client


def test_the_companys_portal_home_links_the_exchange(korean):
    page = html(korean.get(reverse("programs:dashboard")))
    assert reverse("companies:listing-list") in page and "기술 교류" in page


def test_a_startup_offers_a_patent_in_korean_and_submits_it(korean, company, patent):
    page = korean.get(reverse("companies:listing-create"))
    assert page.status_code == 200
    assert "기술 등록하기" in html(page) and str(patent) in html(page)
    assert "제공 방식: 라이선스" in html(page)  # the deal checkboxes say what they choose
    response = korean.post(reverse("companies:listing-create"), {**LISTING, "patent": patent.pk})
    assert response.status_code == 302
    listing = TechnologyListing.objects.get()
    assert (listing.company, listing.patent, listing.jurisdiction) == (company, patent, "CN")
    page = html(korean.get(reverse("companies:listing-list")))
    assert "협동로봇 관절 토크 제어" in page and "임시 저장" in page  # the draft's status

    response = korean.post(reverse("companies:listing-submit", args=[listing.pk]), follow=True)
    assert "센터에 검토를 요청했습니다." in html(response)
    assert TechnologyListing.objects.get().status == "submitted"


def test_the_patent_choice_is_the_companys_own(korean, company, neighbour):
    foreign = PatentFactory(company=neighbour.membership.company)
    assert str(foreign.number) not in html(korean.get(reverse("companies:listing-create")))
    response = korean.post(reverse("companies:listing-create"), {**LISTING, "patent": foreign.pk})
    assert response.status_code == 400
    assert not TechnologyListing.objects.exists()


def test_a_listing_without_a_deal_or_a_summary_shows_the_errors_in_korean(korean):
    data = {**LISTING, "summary_ko": ""}
    data.pop("offers_license")
    response = korean.post(reverse("companies:listing-create"), data)
    assert response.status_code == 400
    assert "거래 유형을 하나 이상 선택하세요" in html(response)
    assert not TechnologyListing.objects.exists()


def test_a_draft_is_edited_and_an_approved_one_is_not(korean, company, founder):
    draft = TechnologyListingFactory(company=company, created_by=founder)
    url = reverse("companies:listing-edit", args=[draft.pk])
    assert korean.get(url).status_code == 200
    response = korean.post(url, {**LISTING, "title_en": "Joint torque control"})
    assert response.status_code == 302
    assert TechnologyListing.objects.get(pk=draft.pk).title_ko == LISTING["title_ko"]

    approved = TechnologyListingFactory(company=company, status="approved")
    response = korean.post(
        reverse("companies:listing-edit", args=[approved.pk]), {**LISTING}, follow=True
    )
    assert "승인됨 상태의 목록은 수정할 수 없습니다." in html(response)
    assert TechnologyListing.objects.get(pk=approved.pk).title_ko == ""


def test_a_startup_withdraws_its_listing(korean, approved):
    response = korean.post(reverse("companies:listing-withdraw", args=[approved.pk]))
    assert response.status_code == 302
    assert TechnologyListing.objects.get().status == "withdrawn"


def test_a_draft_withdrawn_is_not_said_to_leave_the_partners_sight(korean, company):
    draft = TechnologyListingFactory(company=company)
    url = reverse("companies:listing-withdraw", args=[draft.pk])
    said = html(korean.post(url, follow=True))
    assert "목록을 철회했습니다." in said and "더 이상 파트너에게 보이지 않습니다" not in said


def test_another_companys_listing_and_inquiry_are_not_found(client, neighbour, approved, partner):
    inquiry = send(partner, approved)
    client.force_login(neighbour)
    for url in (
        reverse("companies:listing-edit", args=[approved.pk]),
        reverse("companies:listing-submit", args=[approved.pk]),
        reverse("companies:listing-withdraw", args=[approved.pk]),
        reverse("companies:inquiry-detail", args=[inquiry.pk]),
    ):
        assert client.post(url, {**LISTING}).status_code == 404, url
    assert TechnologyListing.objects.get().status == "approved"
    assert client.get(reverse("companies:inquiry-list")).context["inquiries"] == []


def test_the_startup_sees_the_inquiry_in_korean_and_accepts_it(korean, approved, partner):
    inquiry = send(partner, approved, message="许可费用是多少？")
    home = html(korean.get(reverse("companies:listing-list")))
    assert "답변할 문의 1건" in home
    listing_page = html(korean.get(reverse("companies:inquiry-list")))
    assert "협동로봇 관절 제어" in listing_page and "답변 필요" in listing_page
    url = reverse("companies:inquiry-detail", args=[inquiry.pk])
    page = html(korean.get(url))
    assert "许可费用是多少？" in page and "수락: 파트너가 우리 연락처를 보고" in page

    response = korean.post(url, {"decision": "accept", "answer": "연간 로열티 3%입니다."})
    assert response.status_code == 302
    inquiry = TechnologyInquiry.objects.get()
    assert (inquiry.status, inquiry.accepted) == ("answered", True)
    assert OutboxMessage.objects.filter(
        kind="technology_inquiry_answered", recipient=partner.email
    ).exists()
    page = html(korean.get(url))
    assert "연간 로열티 3%입니다." in page and 'id="answer-form"' not in page
    assert '<span class="badge" id="inquiry-outcome">수락됨</span>' in page  # not "approved"


def test_the_startup_declines_and_an_answer_without_words_is_refused(korean, approved, partner):
    inquiry = send(partner, approved)
    url = reverse("companies:inquiry-detail", args=[inquiry.pk])
    assert korean.post(url, {"decision": "decline", "answer": ""}).status_code == 400
    korean.post(url, {"decision": "decline", "answer": "지금은 어렵습니다."})
    assert TechnologyInquiry.objects.get().accepted is False
    response = korean.post(url, {"decision": "accept", "answer": "다시"}, follow=True)
    assert "이미 답변한 문의입니다." in html(response)
    assert TechnologyInquiry.objects.get().accepted is False


def test_interested_partners_are_shown_to_a_consenting_company(korean, company, partner):
    services.interest_mark(actor=partner, company=company, note="Series A")
    page = html(korean.get(reverse("companies:listing-list")))
    assert "귀사에 관심을 표시한 파트너" in page and "Series A" in page


# --- Partners -------------------------------------------------------------------------------


def test_a_partner_browses_filters_and_asks_in_chinese(chinese, approved, company, partner):
    TechnologyListingFactory(company=company, status="submitted", title_en="Not yet reviewed")
    page = html(chinese.get(reverse("companies:exchange-browse")))
    assert "韩国创业企业提供的技术" in page
    assert "协作机器人关节控制" in page and "Not yet reviewed" not in page
    assert "协作机器人" in html(chinese.get(reverse("companies:exchange-browse"), {"text": "关节"}))
    nothing = html(chinese.get(reverse("companies:exchange-browse"), {"deal_kind": "transfer"}))
    assert "协作机器人关节控制" not in nothing and "没有符合条件的项目。" in nothing

    url = reverse("companies:exchange-listing", args=[approved.pk])
    assert chinese.get(url).status_code == 200
    response = chinese.post(url, {"message": "许可费用是多少？"})
    assert response.status_code == 302
    inquiry = TechnologyInquiry.objects.get()
    assert inquiry.organisation == partner.partner_person.organisation
    page = html(chinese.get(reverse("companies:exchange-inquiries")))
    assert "许可费用是多少？" in page and "等待企业答复" in page
    # A second question waits for the first answer.
    assert 'id="inquiry-form"' not in html(chinese.get(url))
    assert chinese.post(url, {"message": "再问一次"}).status_code == 400
    assert TechnologyInquiry.objects.count() == 1


def test_a_partner_sees_its_organisations_inquiries_only(chinese, approved, partner):
    from tests.events.factories import PartnerPersonFactory

    colleague = PartnerPersonFactory(organisation=partner.partner_person.organisation)
    stranger = PartnerPersonFactory()
    send(colleague.user, approved, message="Asked by a colleague")
    other_listing = TechnologyListingFactory(company=approved.company, status="approved")
    send(stranger.user, other_listing, message="Asked by a stranger")
    page = html(chinese.get(reverse("companies:exchange-inquiries")))
    assert "Asked by a colleague" in page and "Asked by a stranger" not in page


def test_partners_do_not_see_what_is_not_approved_or_not_consented(chinese, company, approved):
    draft = TechnologyListingFactory(company=company)
    assert chinese.get(reverse("companies:exchange-listing", args=[draft.pk])).status_code == 404
    company.consent_to_partners = False
    company.save()
    url = reverse("companies:exchange-listing", args=[approved.pk])
    assert chinese.get(url).status_code == 404
    assert chinese.post(url, {"message": "Hello"}).status_code == 404
    assert not TechnologyInquiry.objects.exists()


def test_the_partner_pages_are_a_partners_and_the_startup_pages_a_startups(
    client, founder, partner
):
    client.force_login(founder)
    for name in ("companies:exchange-browse", "companies:exchange-inquiries"):
        assert client.get(reverse(name)).status_code == 404
    client.force_login(partner)
    for name in ("companies:listing-list", "companies:listing-create", "companies:inquiry-list"):
        assert client.get(reverse(name)).status_code == 404


def test_the_partners_events_page_links_the_exchange(chinese):
    page = html(chinese.get(reverse("events:my-events")))
    assert reverse("companies:exchange-browse") in page
