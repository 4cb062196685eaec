"""The exchange's portal pages, in Korean for the startup and in Chinese for the partner."""

import re

import pytest
from django.urls import reverse

from companies.exchange import partner_services
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
    assert "승인됨 상태의 등록 기술은 수정할 수 없습니다." in html(response)
    assert TechnologyListing.objects.get(pk=approved.pk).title_ko == ""


def test_a_startup_withdraws_its_listing(korean, approved):
    response = korean.post(reverse("companies:listing-withdraw", args=[approved.pk]))
    assert response.status_code == 302
    assert TechnologyListing.objects.get().status == "withdrawn"


def test_a_draft_withdrawn_is_not_said_to_leave_the_partners_sight(korean, company):
    draft = TechnologyListingFactory(company=company)
    url = reverse("companies:listing-withdraw", args=[draft.pk])
    said = html(korean.post(url, follow=True))
    assert "등록 기술을 철회했습니다." in said and "더 이상 파트너에게 보이지 않습니다" not in said


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
    partner_services.interest_mark(actor=partner, company=company, note="Series A")
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


# --- The startup's own listing: its page, withdrawing for good, the copy -------------------------


@pytest.fixture
def english(client, founder):
    client.force_login(founder)
    client.cookies["lang"] = "en"
    return client


@pytest.mark.parametrize("status", ["draft", "submitted", "approved", "rejected", "withdrawn"])
def test_the_startup_reads_its_own_listing_in_every_state(english, company, status):
    listing = TechnologyListingFactory(
        company=company,
        status=status,
        title_ko="협동로봇 관절 제어",
        summary_ko="센서 없이 토크를 추정합니다.",
        title_zh="协作机器人关节控制",
        terms_zh="中国境内独占许可。",
        review_reason="Add the royalty." if status == "rejected" else "",
    )
    url = reverse("companies:listing-detail", args=[listing.pk])
    assert f'href="{url}"' in html(english.get(reverse("companies:listing-list")))  # its title
    page = html(english.get(url))
    assert listing.title_en in page and listing.summary_en in page and listing.terms_en in page
    for text in ("협동로봇 관절 제어", "센서 없이 토크를 추정합니다.", "协作机器人关节控制"):
        assert text in page
    assert 'id="listing-status"' in page
    assert ("Add the royalty." in page) == (status == "rejected")


def test_another_companys_listing_page_is_not_found(client, neighbour, approved, partner):
    url = reverse("companies:listing-detail", args=[approved.pk])
    for user in (neighbour, partner):
        client.force_login(user)
        assert client.get(url).status_code == 404


def confirm_of(page: str, listing) -> str:
    row = page[page.index(f'data-listing="{listing.pk}"') :]
    return re.search(r'data-confirm="([^"]*)"', row).group(1)


def test_the_withdraw_question_says_it_is_final_and_speaks_of_partners_only_if_they_saw_it(
    english, company, approved
):
    draft = TechnologyListingFactory(company=company)
    page = html(english.get(reverse("companies:listing-list")))
    assert "final" in confirm_of(page, approved) and "Partners" in confirm_of(page, approved)
    assert "final" in confirm_of(page, draft) and "Partners" not in confirm_of(page, draft)


def test_a_withdrawn_listing_is_copied_into_a_new_draft_from_the_list(english, company, founder):
    withdrawn = TechnologyListingFactory(company=company, status="withdrawn", title_en="Old text")
    copy_url = reverse("companies:listing-copy", args=[withdrawn.pk])
    assert f'action="{copy_url}"' in html(english.get(reverse("companies:listing-list")))
    assert f'action="{copy_url}"' in html(
        english.get(reverse("companies:listing-detail", args=[withdrawn.pk]))
    )
    response = english.post(copy_url)
    copy = TechnologyListing.objects.exclude(pk=withdrawn.pk).get()
    assert response["Location"] == reverse("companies:listing-edit", args=[copy.pk])
    assert (copy.status, copy.title_en, copy.created_by) == ("draft", "Old text", founder)
    assert english.get(copy_url).status_code == 405


def test_a_listing_that_is_not_withdrawn_is_not_copied(english, approved):
    url = reverse("companies:listing-copy", args=[approved.pk])
    assert f'action="{url}"' not in html(english.get(reverse("companies:listing-list")))
    said = html(english.post(url, follow=True))
    assert "Only a withdrawn listing is copied" in said
    assert TechnologyListing.objects.count() == 1


def test_a_patent_number_stays_on_one_line(english, company, patent):
    TechnologyListingFactory(company=company, patent=patent)
    page = html(english.get(reverse("companies:listing-list")))
    assert f'<span class="nowrap">{patent}</span>' in page


def test_the_startups_header_links_its_technology_exchange(english, company):
    page = html(english.get(reverse("programs:dashboard")))
    url = reverse("companies:listing-list")
    assert f'href="{url}" data-portal-link="technology"' in page


# --- Partners: contacts of an accepted inquiry, a search with a mistake, the wording ---------


def test_an_accepted_inquiry_shows_the_partner_the_companys_contacts(
    chinese, approved, partner, founder, colleague
):
    inquiry = send(partner, approved)
    other = TechnologyListingFactory(company=approved.company, status="approved")
    declined = send(partner, other)
    page = html(chinese.get(reverse("companies:exchange-inquiries")))
    assert founder.email not in page  # not answered yet: nothing is open
    partner_services.inquiry_answer(actor=founder, inquiry=inquiry, answer="欢迎。", accept=True)
    page = html(chinese.get(reverse("companies:exchange-inquiries")))
    assert f'id="contacts-{inquiry.pk}"' in page
    assert f'href="mailto:{founder.email}"' in page and f'href="mailto:{colleague.email}"' in page
    assert page.index(founder.email) < page.index(colleague.email)  # the owner first
    partner_services.inquiry_answer(actor=founder, inquiry=declined, answer="不行。", accept=False)
    assert f'id="contacts-{declined.pk}"' not in html(
        chinese.get(reverse("companies:exchange-inquiries"))
    )


def test_contacts_are_not_shown_to_another_organisation_or_once_consent_is_withdrawn(
    client, chinese, approved, partner, founder
):
    from tests.events.factories import PartnerPersonFactory

    inquiry = send(partner, approved)
    partner_services.inquiry_answer(actor=founder, inquiry=inquiry, answer="欢迎。", accept=True)
    stranger = PartnerPersonFactory().user
    send(stranger, approved)
    client.force_login(stranger)
    assert founder.email not in html(client.get(reverse("companies:exchange-inquiries")))
    client.force_login(partner)
    approved.company.consent_to_partners = False
    approved.company.save()
    assert founder.email not in html(client.get(reverse("companies:exchange-inquiries")))


def test_an_invalid_search_shows_its_error_and_keeps_the_valid_filters(chinese, company, approved):
    ai = TechnologyListingFactory(company=company, status="approved", sector="ai", title_en="AI")
    response = chinese.get(
        reverse("companies:exchange-browse"), {"text": "机器人" * 40, "sector": "ai"}
    )
    page = html(response)
    assert 'id="id_text_error"' in page and 'id="search-not-used"' in page
    assert f'data-listing="{ai.pk}"' in page
    assert f'data-listing="{approved.pk}"' not in page  # not in the sector asked for
    page = html(
        chinese.get(reverse("companies:exchange-browse"), {"sector": "ai", "deal_kind": "bogus"})
    )
    assert 'id="id_deal_kind_error"' in page
    assert f'data-listing="{ai.pk}"' in page and f'data-listing="{approved.pk}"' not in page
    page = html(chinese.get(reverse("companies:exchange-browse"), {"sector": "ai"}))
    assert 'id="search-not-used"' not in page


def test_deal_kinds_are_joined_as_chinese_writes_a_list(chinese, approved):
    approved.offers_joint_development = True
    approved.save()
    url = reverse("companies:exchange-listing", args=[approved.pk])
    assert "许可、联合开发" in html(chinese.get(url))
    assert "许可、联合开发" in html(chinese.get(reverse("companies:exchange-browse")))


def test_the_partner_pages_in_english_have_capitalised_labels(client, partner, approved):
    client.force_login(partner)
    client.cookies["lang"] = "en"
    page = html(client.get(reverse("companies:exchange-browse")))
    for label in ("Search", "Kind of deal", "Jurisdiction", "Sector"):
        assert f">{label}</label>" in page
    assert ">Any</option>" in page
    detail = html(client.get(reverse("companies:exchange-listing", args=[approved.pk])))
    assert ">Your question to the company" in detail
    assert "<dt>Jurisdiction</dt>" in detail  # the filter's word, not another one


def test_the_partners_listing_page_says_jurisdiction_as_its_filter_does(chinese, approved):
    browse = html(chinese.get(reverse("companies:exchange-browse")))
    detail = html(chinese.get(reverse("companies:exchange-listing", args=[approved.pk])))
    word = re.search(r'<label for="id_jurisdiction">([^<]+)</label>', browse).group(1)
    assert f"<dt>{word}</dt>" in detail


def test_the_answered_inquirys_pill_is_capitalised_in_english(english, approved, partner, founder):
    inquiry = send(partner, approved)
    partner_services.inquiry_answer(actor=founder, inquiry=inquiry, answer="Yes.", accept=True)
    page = html(english.get(reverse("companies:inquiry-detail", args=[inquiry.pk])))
    assert '<span class="badge" id="inquiry-outcome">Accepted</span>' in page


def test_a_partner_marks_and_withdraws_interest_from_a_technologys_page(
    chinese, approved, company, partner
):
    # Interest could only be marked through the API: the portal had no button for it.
    from companies.exchange.models import PartnerInterest

    url = reverse("companies:exchange-listing", args=[approved.pk])
    interest_url = reverse("companies:exchange-interest", args=[approved.pk])
    assert 'id="interest-form"' in html(chinese.get(url))

    response = chinese.post(interest_url, {"note": "可能领投 A 轮"}, follow=True)

    assert response.redirect_chain[-1][0] == url
    interest = PartnerInterest.objects.get()
    assert (interest.company, interest.note) == (company, "可能领投 A 轮")
    assert interest.organisation == partner.partner_person.organisation
    page = html(response)
    assert 'id="interest-form"' not in page and "可能领投 A 轮" in page
    assert OutboxMessage.objects.filter(kind="partner_interest_marked").exists()
    ours = html(chinese.get(reverse("companies:exchange-inquiries")))
    assert "可能领投 A 轮" in ours.split('id="interests-title"')[1]

    chinese.post(interest_url, {"withdraw": ""})
    interest.refresh_from_db()
    assert interest.withdrawn_at is not None
    assert 'id="interest-form"' in html(chinese.get(url))
    assert chinese.post(interest_url, {"note": "x" * 2001}).status_code == 400
