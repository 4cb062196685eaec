"""The staff side of companies, their evidence and members, and leads; the technology
exchange has its own (companies.exchange.admin).

Every change that matters goes through `companies.services`: the admin
validates input, calls one service and shows the result. Admissions (the
screening policy and the review queue) are in `programs.admissions.admin`.
"""

import functools

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from companies import member_services, services, validators
from companies.apikeys import admin as apikeys_admin  # noqa: F401
from companies.exchange import admin as exchange_admin  # noqa: F401 - the room's staff side
from companies.forms import CompanyBrnForm, PatentForm
from companies.imports.admin import ImportAdminMixin, ImportLink
from companies.imports.parsing import LEADS
from companies.models import (
    Certification,
    Company,
    Document,
    FundingRound,
    Lead,
    MarketValidation,
    Membership,
    PartnerOrganisation,
    PartnerPerson,
    Patent,
)
from companies.webhooks.admin import endpoints_link  # the room registers its admin too
from incubator.admin_mixins import (
    InlineRowsLoaded,
    Rows,
    ServiceAdmin,
    refusal_said_of,
    through_services,
)
from incubator.audit import can_read_audit_trail
from incubator.exports import ExportAdminMixin, field_column
from incubator.multilingual import translated_names
from incubator.rows import staff_row_delete

EVIDENCE_MODELS = (Patent, FundingRound, MarketValidation, Certification)


class BrnSearchMixin:
    """Find a business registration number typed with dashes, e.g. 124-81-00998."""

    brn_lookup = "brn"

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        digits = term.replace("-", "").replace(" ", "")
        if digits.isascii() and digits.isdigit() and digits != term:
            results |= queryset.filter(**{f"{self.brn_lookup}__startswith": digits})
        return results, may_have_duplicates


# --- Companies -------------------------------------------------------------------


class FoundedFilter(admin.SimpleListFilter):
    title = _("age")
    parameter_name = "age"

    def lookups(self, request, model_admin):
        return [("3plus", _("3 years or more")), ("young", _("under 3 years"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        try:
            three_years_ago = today.replace(year=today.year - 3)
        except ValueError:  # 29 February
            three_years_ago = today.replace(year=today.year - 3, day=28)
        if self.value() == "3plus":
            return queryset.filter(founded_on__lte=three_years_ago)
        if self.value() == "young":
            return queryset.filter(founded_on__gt=three_years_ago)
        return queryset


class MembershipInline(InlineRowsLoaded, admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "role", "joined_at"]
    readonly_fields = ["joined_at"]
    autocomplete_fields = ["user"]

    def get_queryset(self, request):
        # A row's name ("user · company (role)") reads both.
        return super().get_queryset(request).select_related("user", "company")


class PatentInline(admin.TabularInline):
    model = Patent
    form = PatentForm
    extra = 0


class FundingRoundInline(admin.TabularInline):
    model = FundingRound
    extra = 0
    fields = ["round_type", "amount", "currency", "investor", "date"]


class MarketValidationInline(admin.TabularInline):
    model = MarketValidation
    extra = 0
    fields = ["kind", "description", "amount", "currency", "date"]


class CertificationInline(admin.TabularInline):
    model = Certification
    extra = 0
    fields = ["kind", "number", "issued_on", "expires_on"]


def document_url(document: Document) -> str:
    try:
        return reverse("companies:document-download", args=[document.pk])
    except NoReverseMatch:  # the portal's route is not installed (yet)
        return f"/portal/documents/{document.pk}/"


class DocumentInline(admin.TabularInline):
    """Uploads are shown, never edited here; the file is served by the portal's checked view."""

    model = Document
    extra = 0
    can_delete = False
    fields = ["kind", "download", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("file"))
    def download(self, document):
        return format_html('<a href="{}">{}</a>', document_url(document), document.original_name)


def _brn_shown(field: str) -> str:
    return "brn_formatted" if field == "brn" else field


@admin.register(Company)
class CompanyAdmin(ImportAdminMixin, ExportAdminMixin, BrnSearchMixin, ServiceAdmin):
    # Saved by save_model and save_formset below; deleted by its service.
    rows = Rows("company", delete=services.company_delete)
    form = CompanyBrnForm
    list_display = ["display_name", "brn_formatted", "sector", "founded_on", "city", "consent"]
    list_filter = ["sector", FoundedFilter, "consent_to_partners", "city"]
    search_fields = ["name_ko", "name_zh", "name_en", "brn"]
    fieldsets = [
        (_("Names"), {"fields": ["name_ko", "name_zh", "name_en"]}),
        (
            _("Company"),
            {"fields": ["brn", "founded_on", "sector", "city", "employees", "website"]},
        ),
        (_("Description"), {"fields": ["description_ko", "description_zh", "description_en"]}),
        (_("Partners"), {"fields": ["consent_to_partners", "speaks_ko", "speaks_zh", "speaks_en"]}),
        (_("History"), {"fields": ["history"]}),
    ]
    readonly_fields = ["history"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            # Read only, the stored digits would show bare: the number as it is written.
            fieldsets = [
                (name, {**options, "fields": [_brn_shown(f) for f in options["fields"]]})
                for name, options in fieldsets
            ]
        if can_read_audit_trail(request.user):
            return fieldsets
        return [(name, options) for name, options in fieldsets if options["fields"] != ["history"]]

    export_columns = (
        *(field_column(Company, f"name_{suffix}") for suffix in ("ko", "zh", "en")),
        field_column(Company, "brn", value=validators.brn_format),
        *(
            field_column(Company, name)
            for name in ("founded_on", "sector", "city", "employees", "website")
        ),
        field_column(Company, "consent_to_partners"),
        field_column(Company, "created_at"),
    )
    inlines = [
        MembershipInline,
        PatentInline,
        FundingRoundInline,
        MarketValidationInline,
        CertificationInline,
        DocumentInline,
    ]

    @admin.display(description=_("name"), ordering="name_ko")
    def display_name(self, company):
        return company.name

    @admin.display(description=_("business registration number"), ordering="brn")
    def brn_formatted(self, company):
        return company.brn_display

    @admin.display(description=_("may be shown to partners"), boolean=True)
    def consent(self, company):
        return company.consent_to_partners

    @admin.display(description=_("history"))
    def history(self, company):
        if company.pk is None:
            return "—"
        url = reverse("admin:incubator_auditrecord_changelist") + f"?company_id={company.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Who changed what in this company"))

    @through_services
    def save_model(self, request, obj, form, change):
        if change:
            services.company_update(
                company=obj,
                actor=request.user,
                **{name: form.cleaned_data[name] for name in form.changed_data},
            )
        else:
            services.company_add(company=obj, actor=request.user)

    @through_services
    def save_formset(self, request, form, formset, change):
        if formset.model is Membership:
            save, delete = member_services.membership_save, member_services.membership_delete
            keyword = "membership"
        elif formset.model in EVIDENCE_MODELS:
            save, delete, keyword = services.evidence_save, services.evidence_delete, "instance"
        else:  # the documents: shown, never changed here
            if formset.save(commit=False) or formset.deleted_objects:
                raise PermissionDenied
            return
        instances = formset.save(commit=False)
        for instance, service in [
            *[(instance, delete) for instance in formset.deleted_objects],
            *[(instance, save) for instance in instances],
        ]:
            with refusal_said_of(instance):
                service(**{keyword: instance}, actor=request.user)


# --- Leads ---------------------------------------------------------------------------


@admin.register(Lead)
class LeadAdmin(ImportLink, ServiceAdmin):
    rows = Rows("row", delete=functools.partial(staff_row_delete, verb="lead"))  # saved: lead_save
    import_kind = LEADS
    list_display = [
        "company_name",
        "contact_name",
        "source",
        "referred_by",
        "owner",
        "status",
        "next_step",
        "next_step_date",
    ]
    list_select_related = ["owner", "referred_by"]
    list_filter = ["status", "source", "owner"]
    search_fields = ["company_name", "contact_name", "contact_email", "notes"]
    autocomplete_fields = ["referred_by", "company"]
    fields = [
        "company_name",
        "contact_name",
        "contact_email",
        "source",
        "referred_by",
        "owner",
        "status",
        "next_step",
        "next_step_on",
        "notes",
        "company",
    ]
    actions = ["invite_to_apply"]

    @through_services
    def save_model(self, request, obj, form, change):
        services.lead_save(lead=obj, actor=request.user, changed_fields=form.changed_data)

    @admin.display(description=_("next step date"), ordering="next_step_on")
    def next_step_date(self, lead):
        if lead.next_step_on is None:
            return "—"
        text = lead.next_step_on.isoformat()
        if lead.can_invite() and lead.next_step_on < timezone.localdate():
            return format_html('<span class="overdue" title="{}">{}</span>', _("overdue"), text)
        return text

    @through_services
    @admin.action(description=_("Invite to apply"), permissions=["change"])
    def invite_to_apply(self, request, queryset):
        sign_up_url = request.build_absolute_uri(reverse("portal:sign-up"))
        invited, refused = 0, []
        for lead in queryset:
            try:
                services.lead_invite(lead=lead, actor=request.user, sign_up_url=sign_up_url)
            except ValidationError as error:
                refused.append(f"{lead}: {' '.join(error.messages)}")
            else:
                invited += 1
        if invited:
            self.message_user(
                request,
                ngettext(
                    "%(count)d lead invited to apply.", "%(count)d leads invited to apply.", invited
                )
                % {"count": invited},
                messages.SUCCESS,
            )
        for message in refused:
            self.message_user(request, message, messages.WARNING)


# --- Partner organisations and their people --------------------------------------------


class PartnerPersonInline(InlineRowsLoaded, admin.TabularInline):
    model = PartnerPerson
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "title", "speaks_ko", "speaks_zh", "speaks_en"]

    def get_queryset(self, request):
        # A row's name ("user · organisation") reads both.
        return super().get_queryset(request).select_related("user", "organisation")


class PartnersThroughServices(ServiceAdmin):
    """Partners (and the people inline) saved by `partner_save`, deleted by `partner_delete`;
    a refusal shows on the form (ServiceAdmin)."""

    @through_services
    def save_model(self, request, obj, form, change):
        services.partner_save(instance=obj, actor=request.user, changed_fields=form.changed_data)

    @through_services
    def delete_model(self, request, obj):
        services.partner_delete(instance=obj, actor=request.user)

    @through_services
    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.partner_delete(instance=obj, actor=request.user)

    @through_services
    def save_formset(self, request, form, formset, change):
        formset.save(commit=False)
        for instance in formset.deleted_objects:
            with refusal_said_of(instance):
                services.partner_delete(instance=instance, actor=request.user)
        for instance in formset.new_objects:
            with refusal_said_of(instance):
                services.partner_save(instance=instance, actor=request.user)
        for instance, fields in formset.changed_objects:
            with refusal_said_of(instance):
                services.partner_save(instance=instance, actor=request.user, changed_fields=fields)


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(PartnersThroughServices):
    list_display = ["__str__", "kind", "country", "city", "is_active"]
    list_filter = ["kind", "country", "is_active"]
    search_fields = [*translated_names("name"), "uscc", "city"]
    readonly_fields = ["webhook_endpoints"]
    inlines = [PartnerPersonInline]

    @admin.display(description=_("webhook endpoints"))
    def webhook_endpoints(self, organisation):
        return endpoints_link(organisation)


@admin.register(PartnerPerson)
class PartnerPersonAdmin(PartnersThroughServices):
    list_display = ["user", "organisation", "title", "speaks_ko", "speaks_zh", "speaks_en"]
    list_filter = ["organisation__kind", "speaks_ko", "speaks_zh", "speaks_en"]
    list_select_related = ["user", "organisation"]
    search_fields = [
        "user__email",
        "user__full_name",
        *[f"organisation__{name}" for name in translated_names("name")],
    ]
    autocomplete_fields = ["user", "organisation"]

    def users_to_offer(self, request, users):
        """The accounts the user autocomplete offers for a partner's person (here and on
        the organisation's page): those `partner_save` accepts, and not yet anyone's."""
        return users.filter(
            is_staff=False,
            membership__isnull=True,
            judge_assignments__isnull=True,
            partner_person__isnull=True,
        )
