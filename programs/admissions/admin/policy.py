"""The staff side of the screening policy: versions are published, never edited."""

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incubator.admin_mixins import CreatedThroughService
from programs.admissions import screening, selectors, services
from programs.admissions.models import ANSWERS, ScreeningPolicy, default_answers_required

CERTIFICATION_CHOICES = [(code, _(label)) for code, label in screening.CERTIFICATION_LABELS.items()]
SECTOR_CHOICES = [(code, _(label)) for code, label in screening.SECTOR_LABELS.items()]

RULE_FIELDS = [
    "min_years_since_founding",
    "patents_required",
    "patents_registered_only",
    "financing_or_market_required",
    "certification_kinds",
    "certification_must_be_valid",
    "sectors_accepted",
    "answers_required",
    "notes",
]


class ScreeningPolicyForm(forms.ModelForm):
    certification_kinds = forms.MultipleChoiceField(
        label=_("certifications that count"),
        choices=CERTIFICATION_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("None ticked: no certification required."),
    )
    sectors_accepted = forms.MultipleChoiceField(
        label=_("sectors accepted"),
        choices=SECTOR_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("None ticked: every sector."),
    )
    answers_required = forms.MultipleChoiceField(
        label=_("answers required to submit"),
        choices=list(ANSWERS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        initial=default_answers_required,
        help_text=_("A company cannot submit while one of these is empty."),
    )

    class Meta:
        model = ScreeningPolicy
        fields = ["effective_from", *RULE_FIELDS]


def _labels(codes, labels) -> str:
    names = [str(dict(labels).get(code, code)) for code in codes]
    return ", ".join(names) if names else "—"


@admin.register(ScreeningPolicy)
class ScreeningPolicyAdmin(CreatedThroughService, admin.ModelAdmin):
    """Versions are published, never edited: the add form publishes the next one."""

    form = ScreeningPolicyForm
    list_display = [
        "version",
        "effective_from",
        "min_years_since_founding",
        "patents_required",
        "patents_registered_only",
        "financing_or_market_required",
        "certification_list",
        "sector_list",
        "created_by",
        "created_at",
    ]
    list_display_links = ["version"]
    list_select_related = ["created_by"]
    ordering = ["-version"]

    @admin.display(description=_("certifications that count"))
    def certification_list(self, policy):
        return _labels(policy.certification_kinds, CERTIFICATION_CHOICES)

    @admin.display(description=_("sectors accepted"))
    def sector_list(self, policy):
        return _labels(policy.sectors_accepted, SECTOR_CHOICES)

    @admin.display(description=_("answers required to submit"))
    def answer_list(self, policy):
        return _labels(policy.answers_required, list(ANSWERS.items()))

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [
                (None, {"fields": ["effective_from"]}),
                (_("Criteria"), {"fields": RULE_FIELDS[:-1]}),
                (None, {"fields": ["notes"]}),
            ]
        return [
            (None, {"fields": ["version", "effective_from", "created_by", "created_at"]}),
            (
                _("Criteria"),
                {
                    "fields": [
                        "min_years_since_founding",
                        "patents_required",
                        "patents_registered_only",
                        "financing_or_market_required",
                        "certification_list",
                        "certification_must_be_valid",
                        "sector_list",
                        "answer_list",
                    ]
                },
            ),
            (None, {"fields": ["notes"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        fieldsets = self.get_fieldsets(request, obj)
        return [name for _title, options in fieldsets for name in options["fields"]]

    def get_changeform_initial_data(self, request):
        # A new version starts from the one in force.
        initial = super().get_changeform_initial_data(request)
        current = selectors.policy_in_force() or ScreeningPolicy.objects.first()
        if current is not None:
            for name in RULE_FIELDS:
                initial.setdefault(name, getattr(current, name))
            initial["notes"] = ""
        initial.setdefault("effective_from", timezone.now())
        return initial

    def has_change_permission(self, request, obj=None):
        # A saved version is never changed; staff see it read-only.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def create(self, request, form):
        return services.policy_publish(
            actor=request.user,
            effective_from=form.cleaned_data["effective_from"],
            **{name: form.cleaned_data[name] for name in RULE_FIELDS},
        )
