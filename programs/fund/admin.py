"""The staff side of the support fund: calls, applications, decisions and payouts."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from companies import validators
from incubator.admin_mixins import (
    ReadOnlyInline,
    ServiceErrorsAsMessages,
    ServiceModelAdmin,
    call_service,
    through_services,
)
from incubator.forms import DateInput, reason_field
from programs import policies
from programs.admin_display import money_or_dash as _money
from programs.admin_display import readers_help
from programs.fund import services as fund_services
from programs.models import (
    Disbursement,
    FundApplication,
    FundCall,
)

# --- Support fund ----------------------------------------------------------------------------


class FundCallForm(forms.ModelForm):
    class Meta:
        model = FundCall
        fields = [
            "title_ko",
            "title_zh",
            "title_en",
            "description_ko",
            "description_zh",
            "description_en",
            "opens_at",
            "closes_at",
            "budget",
            "currency",
        ]

    def clean(self):
        data = super().clean()
        # The service's own check, asked before the model's constraints are: a budget of 0
        # would otherwise show the database constraint's name, above the form.
        budget, currency = data.get("budget"), data.get("currency")
        if budget is not None and currency:
            try:
                validators.validate_money(budget, currency)
            except ValidationError as error:
                self.add_error("budget", error)
        return data


@admin.register(FundCall)
class FundCallAdmin(ServiceErrorsAsMessages, admin.ModelAdmin):
    form = FundCallForm
    list_display = ["title", "opens_at", "closes_at", "budget_display", "remaining_display"]
    search_fields = ["title_ko", "title_zh", "title_en"]
    readonly_fields = ["remaining_display"]

    def get_fields(self, request, obj=None):
        fields = list(FundCallForm.Meta.fields)
        return fields if obj is None else [*fields, "remaining_display"]

    @admin.display(description=_("budget"), ordering="budget")
    def budget_display(self, call):
        return _money(call.budget, call.currency)

    @admin.display(description=_("remaining budget"), ordering="remaining")
    def remaining_display(self, call):
        return _money(call.remaining, call.currency)

    # Budgets are the center manager's: the same permission as fund decisions.
    def has_add_permission(self, request):
        return super().has_add_permission(request) and policies.can_decide_fund(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and policies.can_decide_fund(
            request.user
        )

    def has_delete_permission(self, request, obj=None):
        return False

    @through_services
    def save_model(self, request, obj, form, change):
        fund_services.fund_call_save(call=obj, actor=request.user)


class FundDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"),
        widget=forms.RadioSelect,
        choices=[
            (FundApplication.Status.GRANTED, _("grant")),
            (FundApplication.Status.REJECTED, _("reject")),
        ],
    )
    amount_granted = forms.DecimalField(
        label=_("amount granted"), max_digits=16, decimal_places=2, required=False
    )
    reason = reason_field(_("The company reads this reason with the decision."))

    def __init__(self, *args, company_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].help_text = readers_help(
            self.fields["reason"].help_text, [company_id]
        )

    def clean(self):
        data = super().clean()
        if data.get("decision") == FundApplication.Status.GRANTED and not data.get(
            "amount_granted"
        ):
            self.add_error("amount_granted", _("Enter the amount granted."))
        return data


class DisbursementForm(forms.Form):
    amount = forms.DecimalField(label=_("amount"), max_digits=16, decimal_places=2)
    paid_on = forms.DateField(label=_("paid on"), widget=DateInput())
    reference = forms.CharField(label=_("payment reference"), max_length=100, required=False)


class DisbursementInline(ReadOnlyInline):
    model = Disbursement
    fields = ["paid_on", "amount_shown", "reference", "created_by", "created_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        # The call: each row's title and amount are written in its currency.
        return super().get_queryset(request).select_related("created_by", "application__call")

    @admin.display(description=_("amount"))
    def amount_shown(self, disbursement):
        return _money(disbursement.amount, disbursement.application.currency)


@admin.register(FundApplication)
class FundApplicationAdmin(ServiceModelAdmin):
    list_display = [
        "company",
        "call",
        "requested",
        "status",
        "granted",
        "paid_out",
        "submitted_at",
        "decided_by",
    ]
    list_select_related = ["company", "call", "decided_by"]
    list_filter = ["status", "call"]
    search_fields = ["company__name_ko", "company__name_zh", "company__name_en"]
    readonly_fields = [
        "call",
        "company",
        "enrollment",
        "requested",
        "purpose",
        "status",
        "granted",
        "paid_out",
        "decision_reason",
        "decided_by",
        "decided_at",
        "submitted_by",
        "submitted_at",
    ]
    fields = readonly_fields
    inlines = [DisbursementInline]

    def has_add_permission(self, request):
        return False  # companies apply in the portal

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("amount requested"), ordering="amount_requested")
    def requested(self, application):
        return _money(application.amount_requested, application.call.currency)

    @admin.display(description=_("amount granted"), ordering="amount_granted")
    def granted(self, application):
        return _money(application.amount_granted, application.call.currency)

    @admin.display(description=_("disbursed"), ordering="disbursed")
    def paid_out(self, application):
        return _money(application.disbursed, application.call.currency)

    def _forms_shown(self, request, application) -> tuple[bool, bool]:
        """Say whether the decide page has the decision form and the payment form for this
        user: each asks its policy, and only at the status where it applies."""
        status = application.status
        return (
            status == FundApplication.Status.SUBMITTED
            and policies.can_decide_fund(request.user, application),
            status == FundApplication.Status.GRANTED
            and policies.can_disburse(request.user, application),
        )

    def _nothing_to_do(self, request, application) -> str:
        """Say why the decide page has no form for this user ("" when it has one)."""
        if any(self._forms_shown(request, application)):
            return ""
        if application.status == FundApplication.Status.SUBMITTED:
            return gettext(
                "Only a center manager decides on a support fund application. Once it is "
                "granted, its tranches are recorded on this page."
            )
        if application.status == FundApplication.Status.GRANTED:
            return gettext("Your role does not pay out grants.")
        return gettext("This application was rejected: there is nothing to decide or pay out.")

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The "Decide or pay out" button only for someone who can do one of them now.
        if obj is not None:
            context["may_act"] = any(self._forms_shown(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/decide/",
                self.admin_site.admin_view(self.decide_view),
                name="programs_fundapplication_decide",
            )
        ] + super().get_urls()

    def decide_view(self, request, object_id):
        application = self.action_object(
            request,
            object_id,
            allowed=lambda request, obj: (
                policies.can_decide_fund(request.user, obj)
                or policies.can_disburse(request.user, obj)
            ),
        )
        may_decide = policies.can_decide_fund(request.user, application)
        may_pay = policies.can_disburse(request.user, application)
        decision_form = FundDecisionForm(prefix="decision", company_id=application.company_id)
        payment_form = DisbursementForm(prefix="payment")
        if request.method == "POST":
            done = None
            if "_decide" in request.POST and may_decide:
                decision_form = FundDecisionForm(
                    request.POST, prefix="decision", company_id=application.company_id
                )
                if decision_form.is_valid():
                    done = call_service(
                        decision_form,
                        fund_services.fund_decide,
                        application=application,
                        decision=decision_form.cleaned_data["decision"],
                        amount_granted=decision_form.cleaned_data["amount_granted"],
                        actor=request.user,
                        reason=decision_form.cleaned_data["reason"],
                    )
            elif "_pay" in request.POST and may_pay:
                payment_form = DisbursementForm(request.POST, prefix="payment")
                if payment_form.is_valid():
                    done = call_service(
                        payment_form,
                        fund_services.fund_disburse,
                        application=application,
                        actor=request.user,
                        **payment_form.cleaned_data,
                    )
            else:
                raise PermissionDenied
            if done:
                self.message_user(request, gettext("Saved."), messages.SUCCESS)
                return HttpResponseRedirect(request.path)
        show_decision, show_payment = self._forms_shown(request, application)
        return self.action_page(
            request,
            application,
            title=gettext("Decide on %(application)s") % {"application": application},
            template="admin/programs/fundapplication/decide.html",
            call=application.call,
            remaining=_money(application.call.remaining, application.call.currency),
            undisbursed=_money(application.undisbursed, application.call.currency),
            decision_form=decision_form if show_decision else None,
            payment_form=payment_form if show_payment else None,
            nothing_to_do=self._nothing_to_do(request, application),
            disbursements=application.disbursements.all(),
        )
