"""The partner API's company directory: consenting companies at stages open to partners.

Public fields only; the members' contacts appear on a company's detail once a confirmed
meeting or an accepted inquiry opens them to the caller's organisation.
"""

import django_filters
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from companies.api import an_id, organisation_person, utc
from companies.exchange import partner_services
from companies.exchange import selectors as exchange_selectors
from companies.exchange.models import PartnerInterest
from companies.models import CertificationKind, Company, Membership, Sector
from companies.policies import partner_sees_contacts
from incubator.api.errors import Conflict, refusals_as_conflicts
from incubator.api.filters import StrictBooleanFilter
from incubator.api.permissions import HasScope
from incubator.api.schema import NO_BODY, refusals, response_example
from incubator.api.serializers import StrictInput
from incubator.api.viewsets import no_store
from programs import stages
from programs.journey.selectors import companies_for_partners
from programs.models import Enrollment

PARTNER_STAGE_CHOICES = [
    (code, label) for code, label in Enrollment.Stage.choices if code in stages.OPEN_TO_PARTNERS
]
LANGUAGES = [("ko", _("Korean")), ("zh", _("Chinese")), ("en", _("English"))]


class CompanyFilter(django_filters.FilterSet):
    sector = django_filters.MultipleChoiceFilter(choices=Sector.choices)
    stage = django_filters.MultipleChoiceFilter(choices=PARTNER_STAGE_CHOICES)
    founded_before = django_filters.DateFilter(field_name="founded_on", lookup_expr="lt")
    founded_after = django_filters.DateFilter(field_name="founded_on", lookup_expr="gte")
    min_years = django_filters.NumberFilter(
        method="filter_min_years",
        label=_("founded at least this many years ago"),
        min_value=0,
        max_value=200,
    )
    has_registered_patent = StrictBooleanFilter()
    certification = django_filters.ChoiceFilter(
        choices=CertificationKind.choices, method="filter_certification"
    )
    language = django_filters.ChoiceFilter(choices=LANGUAGES, method="filter_language")
    search = django_filters.CharFilter(method="filter_search", max_length=100)

    class Meta:
        model = Company
        fields = []

    def filter_min_years(self, queryset, name, value):
        today = timezone.localdate()
        years = int(value)
        try:
            cutoff = today.replace(year=today.year - years)
        except ValueError:  # 29 February
            cutoff = today.replace(year=today.year - years, day=28)
        return queryset.filter(founded_on__lte=cutoff)

    def filter_certification(self, queryset, name, value):
        current = Q(certifications__expires_on__isnull=True) | Q(
            certifications__expires_on__gte=timezone.localdate()
        )
        return queryset.filter(Q(certifications__kind=value) & current).distinct()

    def filter_language(self, queryset, name, value):
        return queryset.filter(**{f"speaks_{value}": True})

    def filter_search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(name_ko__icontains=value) | Q(name_zh__icontains=value) | Q(name_en__icontains=value)
        )


class NamesField(serializers.Serializer):
    ko = serializers.CharField()
    zh = serializers.CharField()
    en = serializers.CharField()


def names(instance, field: str) -> dict:
    return {code: getattr(instance, f"{field}_{code}") for code in ("ko", "zh", "en")}


class CompanySerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    stage = serializers.ChoiceField(choices=PARTNER_STAGE_CHOICES, read_only=True)
    years = serializers.SerializerMethodField()
    has_registered_patent = serializers.BooleanField(read_only=True)
    certifications = serializers.SerializerMethodField()
    languages = serializers.SerializerMethodField()

    class Meta:
        model = Company
        fields = [
            "id",
            "name",
            "sector",
            "stage",
            "founded_on",
            "years",
            "city",
            "website",
            "has_registered_patent",
            "certifications",
            "languages",
        ]

    @extend_schema_field(NamesField)
    def get_name(self, company) -> dict:
        return names(company, "name")

    def get_years(self, company) -> int:
        today = timezone.localdate()
        born = company.founded_on
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    def get_certifications(self, company) -> list[str]:
        today = timezone.localdate()
        return sorted(
            {
                c.kind
                for c in company.certifications.all()
                if not c.expires_on or c.expires_on >= today
            }
        )

    def get_languages(self, company) -> list[str]:
        return [code for code, _label in LANGUAGES if getattr(company, f"speaks_{code}")]


class PatentSerializer(serializers.Serializer):
    jurisdiction = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    number = serializers.CharField()
    title = serializers.CharField()
    applied_on = serializers.DateField()
    registered_on = serializers.DateField(allow_null=True)


class ContactSerializer(serializers.Serializer):
    name = serializers.CharField()
    email = serializers.EmailField()
    role = serializers.CharField()


class CompanyDetailSerializer(CompanySerializer):
    description = serializers.SerializerMethodField()
    patents = PatentSerializer(many=True, read_only=True)
    contacts = serializers.SerializerMethodField()

    class Meta(CompanySerializer.Meta):
        fields = [*CompanySerializer.Meta.fields, "description", "employees", "patents", "contacts"]

    @extend_schema_field(NamesField)
    def get_description(self, company) -> dict:
        return names(company, "description")

    @extend_schema_field(ContactSerializer(many=True, allow_null=True))
    def get_contacts(self, company):
        """null until a confirmed meeting or an accepted inquiry opens them to the caller."""
        organisation_id = self.context["request"].user.organisation_id
        if not partner_sees_contacts(organisation_id, company):
            return None
        members = Membership.objects.filter(company=company).select_related("user")
        return [
            {"name": m.user.full_name, "email": m.user.email, "role": m.role}
            for m in members.order_by("role", "pk")
        ]


EXAMPLE = {
    "id": 12,
    "name": {"ko": "오랑심한", "zh": "奥朗心韩", "en": "Orangsimhan"},
    "sector": "ai",
    "stage": "acceleration",
    "founded_on": "2019-04-01",
    "years": 7,
    "city": "Seoul",
    "website": "https://orangsimhan.example",
    "has_registered_patent": True,
    "certifications": ["venture"],
    "languages": ["ko", "en"],
}


@extend_schema_view(
    list=extend_schema(
        summary=_("Companies shown to partners"),
        description=_(
            "Companies that consented to be shown to partners, at the stages open to partners."
        ),
        examples=[response_example("A company", _("A company"), EXAMPLE)],
    ),
    retrieve=extend_schema(
        summary=_("One company"),
        description=_(
            "With its patents; `contacts` is null unless a confirmed meeting or an "
            "accepted inquiry opened them to your organisation."
        ),
        examples=[
            response_example(
                "A company",
                _("A company"),
                {
                    **EXAMPLE,
                    "description": EXAMPLE["name"],
                    "employees": 14,
                    "patents": [],
                    "contacts": None,
                },
            )
        ],
    ),
)
class CompanyViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasScope]
    scope = "companies:read"
    filterset_class = CompanyFilter
    ordering_fields = ["founded_on", "name_ko", "name_zh", "name_en", "id"]
    ordering = ["name_ko", "id"]

    def get_queryset(self):
        queryset = companies_for_partners()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("patents")
        return queryset

    def get_serializer_class(self):
        return CompanyDetailSerializer if self.action == "retrieve" else CompanySerializer

    def retrieve(self, request, *args, **kwargs):
        # May hold the members' names and e-mail addresses (`contacts`): no cache keeps them.
        return no_store(super().retrieve(request, *args, **kwargs))


class InterestSerializer(StrictInput, serializers.ModelSerializer):
    company = an_id(_("A company of the directory (GET /companies/)."), source="company_id")
    person = an_id(_("One of your organisation's people."), source="person_id")
    marked_at = utc()

    class Meta:
        model = PartnerInterest
        fields = ["id", "company", "person", "note", "marked_at"]
        read_only_fields = ["id", "marked_at"]
        # The model's limit (2,000 characters) comes with the field: the note is e-mailed.


@extend_schema_view(
    list=extend_schema(
        summary=_("Your organisation's interests in companies"),
        description=_("The active ones."),
    ),
    retrieve=extend_schema(summary=_("One of your interests")),
    create=extend_schema(
        summary=_("Mark interest in a company"),
        description=_(
            "For one of your people (`person`), in a company of the directory. The center "
            "is told and, when the company consented to partners, its owner. Your "
            "organisation has one interest per company: marking it again, by any of your "
            "people, answers 200 and changes its note when the body has one (without "
            "`note` the note stays); `person` stays the one who marked it."
        ),
        responses={
            201: OpenApiResponse(InterestSerializer, description=_("Marked.")),
            200: OpenApiResponse(InterestSerializer, description=_("Marked already.")),
        },
        examples=[
            response_example(
                "Marked",
                _("Marked"),
                {
                    "id": 5,
                    "company": 12,
                    "person": 21,
                    "note": "Met at the roadshow.",
                    "marked_at": "2026-11-20T02:00:00Z",
                },
                status_codes=["201", "200"],
            )
        ],
    ),
    destroy=extend_schema(
        summary=_("Withdraw an interest"),
        responses={204: NO_BODY},
        extensions=refusals("person_left"),
    ),
)
class InterestViewSet(
    mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet
):
    permission_classes = [HasScope]
    scope = "interests:write"
    serializer_class = InterestSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return PartnerInterest.objects.none()
        return exchange_selectors.interests_of_organisation(self.request.user.organisation)

    def _person_and_company(self, data):
        person = organisation_person(self.request, data["person_id"])
        return person, get_object_or_404(companies_for_partners(), pk=data["company_id"])

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        person, company = self._person_and_company(serializer.validated_data)
        # One interest per organisation and company: marking it again changes its note,
        # and a body without one keeps it. The service, under its lock, says which it was:
        # of calls at the same moment, one is answered 201.
        with refusals_as_conflicts():
            interest = partner_services.interest_mark(
                actor=person.user,
                company=company,
                note=serializer.validated_data.get("note"),
                organisation=request.user.organisation,
            )
        answer = status.HTTP_201_CREATED if interest.newly_marked else status.HTTP_200_OK
        return Response(self.get_serializer(interest).data, status=answer)

    def perform_destroy(self, interest):
        # Withdrawn, not deleted: the center keeps the history of who was interested.
        actor = interest.person.user if interest.person else None
        if actor is None:
            raise Conflict(
                _("The person who marked this interest has left; ask the center."),
                reason="person_left",
            )
        with refusals_as_conflicts():
            partner_services.interest_withdraw(
                actor=actor, company=interest.company, organisation=self.request.user.organisation
            )
