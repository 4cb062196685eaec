"""The staff side of the support fund: calls, applications, decisions and payouts."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

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
    fields = ["paid_on", "amount", "reference", "created_by", "created_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by")


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
        decision_form = FundDecisionForm(prefix="decision")
        payment_form = DisbursementForm(prefix="payment")
        if request.method == "POST":
            done = None
            if "_decide" in request.POST and may_decide:
                decision_form = FundDecisionForm(request.POST, prefix="decision")
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
        submitted = application.status == FundApplication.Status.SUBMITTED
        granted = application.status == FundApplication.Status.GRANTED
        return self.action_page(
            request,
            application,
            title=gettext("Decide on %(application)s") % {"application": application},
            template="admin/programs/fundapplication/decide.html",
            call=application.call,
            remaining=_money(application.call.remaining, application.call.currency),
            undisbursed=_money(application.undisbursed, application.call.currency),
            decision_form=decision_form if (may_decide and submitted) else None,
            payment_form=payment_form if (may_pay and granted) else None,
            disbursements=application.disbursements.all(),
        )
