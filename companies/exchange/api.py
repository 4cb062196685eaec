"""The partner API's technology exchange: approved listings (technologies:read) and the
organisation's inquiries about them (inquiries:write)."""

import django_filters
from django.db.models import F
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from companies.api import an_id, organisation_person, utc
from companies.exchange import partner_services, selectors
from companies.exchange.models import (
    DEAL_FIELDS,
    DealKind,
    Jurisdiction,
    TechnologyInquiry,
    TechnologyListing,
)
from companies.models import Sector
from incubator.api.errors import refusals_as_conflicts
from incubator.api.permissions import HasScope
from incubator.api.schema import refusals, response_example
from incubator.api.serializers import StrictInput

LANGUAGES = ("ko", "zh", "en")


def three(instance, field: str) -> dict:
    return {code: getattr(instance, f"{field}_{code}") for code in LANGUAGES}


class TextsSerializer(serializers.Serializer):
    ko = serializers.CharField()
    zh = serializers.CharField()
    en = serializers.CharField()


texts = extend_schema_field(TextsSerializer)


class ListingSerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField()
    summary = serializers.SerializerMethodField()
    terms = serializers.SerializerMethodField()
    company_name = serializers.SerializerMethodField()
    deal_kinds = serializers.SerializerMethodField()
    patent_number = serializers.CharField(
        source="patent.number", default=None, allow_null=True, read_only=True
    )
    published_at = utc(source="reviewed_at")

    class Meta:
        model = TechnologyListing
        fields = [
            "id",
            "company",
            "company_name",
            "title",
            "summary",
            "terms",
            "sector",
            "jurisdiction",
            "deal_kinds",
            "patent_number",
            "published_at",
        ]

    @texts
    def get_title(self, listing) -> dict:
        return three(listing, "title")

    @texts
    def get_summary(self, listing) -> dict:
        return three(listing, "summary")

    @texts
    def get_terms(self, listing) -> dict:
        return three(listing, "terms")

    @texts
    def get_company_name(self, listing) -> dict:
        return three(listing.company, "name")

    def get_deal_kinds(self, listing) -> list[str]:
        return [str(kind) for kind, field in DEAL_FIELDS.items() if getattr(listing, field)]


class ListingFilter(django_filters.FilterSet):
    jurisdiction = django_filters.ChoiceFilter(choices=Jurisdiction.choices, method="keep")
    deal_kind = django_filters.ChoiceFilter(choices=DealKind.choices, method="keep")
    sector = django_filters.ChoiceFilter(choices=Sector.choices, method="keep")
    search = django_filters.CharFilter(max_length=100, method="keep")

    class Meta:
        model = TechnologyListing
        fields = []

    def keep(self, queryset, name, value):
        return queryset  # the selector applies them (one place for the partners' filters)

    @property
    def qs(self):
        data = self.form.cleaned_data
        return published(
            selectors.listings_for_partners(
                jurisdiction=data.get("jurisdiction") or "",
                deal_kind=data.get("deal_kind") or "",
                sector=data.get("sector") or "",
                text=data.get("search") or "",
            )
        )


def published(listings):
    """The listings with `published_at`, the API's name of the approval, to order them by."""
    return listings.annotate(published_at=F("reviewed_at"))


LISTING = {
    "id": 4,
    "company": 12,
    "company_name": {"ko": "오랑심한", "zh": "奥朗心韩", "en": "Orangsimhan"},
    "title": {"ko": "음성 인식 모델", "zh": "语音识别模型", "en": "Speech recognition model"},
    "summary": {"ko": "…", "zh": "…", "en": "…"},
    "terms": {"ko": "…", "zh": "…", "en": "Non-exclusive licence in Heilongjiang"},
    "sector": "ai",
    "jurisdiction": "KR",
    "deal_kinds": ["license", "joint_development"],
    "patent_number": "10-2020-0123456",
    "published_at": "2026-11-20T02:00:00Z",
}


@extend_schema_view(
    list=extend_schema(
        summary=_("Technology listings"),
        description=_(
            "Approved listings of companies shown to partners, the latest first "
            "(`ordering=published_at` for the oldest). "
            "`search` matches every word in titles, summaries and company names, in any "
            "of the three languages."
        ),
        examples=[response_example("A listing", _("A listing"), LISTING)],
    ),
    retrieve=extend_schema(summary=_("One technology listing")),
)
class ListingViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasScope]
    scope = "technologies:read"
    serializer_class = ListingSerializer
    filterset_class = ListingFilter
    queryset = TechnologyListing.objects.none()  # the filter's selector gives the rows
    ordering_fields = ["published_at", "id"]

    def get_queryset(self):
        return published(selectors.listings_for_partners())


class InquirySerializer(StrictInput, serializers.ModelSerializer):
    person = an_id(_("One of your organisation's people, who asks."), source="person_id")
    listing = an_id(_("An approved listing (GET /technologies/)."), source="listing_id")
    created_at = utc()
    answered_at = utc(allow_null=True)

    class Meta:
        model = TechnologyInquiry
        fields = [
            "id",
            "listing",
            "person",
            "message",
            "status",
            "answer",
            "accepted",
            "created_at",
            "answered_at",
        ]
        read_only_fields = ["id", "status", "answer", "accepted", "created_at", "answered_at"]
        # `message` takes the model's limit, 2,000 characters: it is e-mailed.


INQUIRY = {
    "id": 7,
    "listing": 4,
    "person": 21,
    "message": "We would like to license this model for our call centers in Harbin.",
    "status": "answered",
    "answer": "Gladly: our CEO will write to you.",
    "accepted": True,
    "created_at": "2026-11-21T03:00:00Z",
    "answered_at": "2026-11-22T01:00:00Z",
}


@extend_schema_view(
    list=extend_schema(summary=_("Your organisation's inquiries")),
    retrieve=extend_schema(summary=_("One of your inquiries")),
    create=extend_schema(
        summary=_("Ask a company about a listing"),
        description=_(
            "For one of your people (`person`). The company and the center are told; the "
            "company answers in the portal (webhook `inquiry.answered`). One open inquiry "
            "per listing and organisation: a second is a 409."
        ),
        examples=[response_example("Answered", _("Answered"), INQUIRY)],
        extensions=refusals("open_inquiry"),
    ),
)
class InquiryViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasScope]
    scope = "inquiries:write"
    serializer_class = InquirySerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return TechnologyInquiry.objects.none()
        return selectors.inquiries_of_organisation(self.request.user.organisation)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        person = organisation_person(request, serializer.validated_data["person_id"])
        organisation = request.user.organisation
        listing = get_object_or_404(
            selectors.listings_for_partners(), pk=serializer.validated_data["listing_id"]
        )
        with refusals_as_conflicts():
            inquiry = partner_services.inquiry_send(
                actor=person.user,
                listing=listing,
                message=serializer.validated_data["message"],
                organisation=organisation,
            )
        return Response(self.get_serializer(inquiry).data, status=status.HTTP_201_CREATED)
