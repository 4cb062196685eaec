"""The registrations' pages of the staff side: added (a place or the waitlist), corrected,
checked in and cancelled through `events.services`, never deleted, so the waitlist moves."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from events import checkin_services, policies, selectors, services
from events.admin_mixins import on_own_page
from events.exports import REGISTRATION_COLUMNS
from events.forms import FROM_CHECK_IN, RegistrationAddForm
from events.models import Registration
from incubator.admin_mixins import ServiceAdmin, through_services
from incubator.exports import ExportAdminMixin

SERVICE_OWNED = [
    "status",
    "waitlist_position",
    "badge_code",
    "checked_in_at",
    "checked_in_by",
    "cancelled_at",
    "created_at",
]


@admin.register(Registration)
class RegistrationAdmin(ExportAdminMixin, ServiceAdmin):
    list_display = [
        "name",
        "event",
        "kind",
        "status",
        "waitlist_position",
        "badge_code",
        "checked_in_at",
    ]
    list_filter = ["status", "kind", "event__kind", "speaks_ko", "speaks_zh", "speaks_en"]
    list_select_related = ["event"]
    # What the search box searches; `get_search_results` asks each of its index.
    search_fields = ["^search_name", "=badge_code", "guest_email", "user__email"]
    search_help_text = _("The first letters of the name, a badge code or an e-mail address.")
    # A search's page counts what it found, not every registration besides.
    show_full_result_count = False
    export_columns = REGISTRATION_COLUMNS
    autocomplete_fields = ["event", "user", "company", "partner_organisation", "checked_in_by"]
    actions = ["check_in", "cancel"]
    fieldsets = [
        (None, {"fields": ["event", "kind", "status", "waitlist_position"]}),
        (
            _("Who"),
            {
                "fields": [
                    "name",
                    "user",
                    "company",
                    "partner_organisation",
                    "guest_email",
                    "affiliation",
                ]
            },
        ),
        (_("Languages"), {"fields": ["speaks_ko", "speaks_zh", "speaks_en"]}),
        (_("Check-in"), {"fields": ["badge_code", "checked_in_at", "checked_in_by", "badge"]}),
        (_("Record"), {"fields": ["notes", "created_at", "cancelled_at"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["event"]}),
        (_("An account"), {"fields": ["user"]}),
        (_("Or a guest"), {"fields": ["name", "guest_email", "affiliation", "over_capacity"]}),
        (_("Languages"), {"fields": ["speaks_ko", "speaks_zh", "speaks_en"]}),
        (None, {"fields": ["notes"]}),
    ]

    def get_list_display(self, request):
        # The badge code is what the door scans: a column only for those who read every
        # badge (events.policies), not for staff who only read registrations.
        if policies.can_see_badges(request.user):
            return self.list_display
        return [name for name in self.list_display if name != "badge_code"]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        if policies.can_see_badge(request.user, obj):
            return self.fieldsets
        # The badge, its code and the link to its page are the door's: only for those the
        # badge page opens for.
        hidden = {"badge_code", "badge"}
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in hidden]})
            for name, options in self.fieldsets
        ]

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        if not policies.can_see_badges(request.user):
            changelist.search_help_text = gettext(
                "The first letters of the name or an e-mail address."
            )
        return changelist

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        # Who reads no badge finds nobody by a badge code: the search would say whose it is.
        condition = selectors.registration_search(
            search_term, by_badge_code=policies.can_see_badges(request.user)
        )
        return queryset.filter(condition), False

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = RegistrationAddForm
        return super().get_form(request, obj, **kwargs)

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        # Added from the door (`events.views.check_in`'s link): back to the door, the new
        # person found by their badge code, ready to check in; not the list of everyone.
        plain_save = not {"_continue", "_addanother", IS_POPUP_VAR} & set(request.POST)
        if request.GET.get(FROM_CHECK_IN) and plain_save:
            door = reverse("events:check-in", args=[obj.event_id])
            return HttpResponseRedirect(f"{door}?{urlencode({'q': obj.badge_code})}")
        return response

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # Who registered, and the state the services own, do not change by hand.
        return [
            "event",
            "kind",
            "user",
            "company",
            "partner_organisation",
            "guest_email",
            *SERVICE_OWNED,
            "badge",
        ]

    @admin.display(description=_("badge"))
    def badge(self, registration):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("events:badge", args=[registration.pk]),
            gettext("Show and print the badge"),
        )

    def has_delete_permission(self, request, obj=None):
        # Cancelled through the service, so that the waitlist moves; the row stays (it goes
        # only with its event or its account).
        if on_own_page(request, self):
            return False
        return super().has_delete_permission(request, obj)

    @through_services
    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            changes = {name: data[name] for name in form.changed_data if name in data}
            saved = services.registration_update(registration=obj, actor=request.user, data=changes)
            obj.__dict__.update(saved.__dict__)
            return
        if data["user"] is not None:
            registration = services.registration_create(
                event=data["event"],
                user=data["user"],
                languages=form.languages() or None,
                actor=request.user,
            )
            if data["notes"]:
                registration = services.registration_update(
                    registration=registration, actor=request.user, data={"notes": data["notes"]}
                )
        else:
            registration = services.registration_create_guest(
                event=data["event"],
                name=data["name"],
                email=data["guest_email"],
                affiliation=data["affiliation"],
                languages=form.languages(),
                notes=data["notes"],
                over_capacity=data.get("over_capacity", False),
                actor=request.user,
            )
        # The admin goes on with `obj` (its log entry, its redirect): make it the saved row.
        obj.__dict__.update(registration.__dict__)
        if registration.status == Registration.Status.WAITLISTED:
            self.message_user(
                request,
                gettext("The event is full: %(name)s is on the waitlist, position %(n)s.")
                % {"name": registration.name, "n": registration.waitlist_position},
                messages.WARNING,
            )

    def _each(self, request, queryset, call) -> tuple[int, list[str]]:
        done, refused = 0, []
        for registration in queryset.select_related("event"):
            try:
                if call(registration):
                    done += 1
            except ValidationError as error:
                refused.append(f"{registration.name}: {' '.join(error.messages)}")
        for message in refused:
            self.message_user(request, message, messages.WARNING)
        return done, refused

    @through_services
    @admin.action(description=_("Check in the selected people"), permissions=["change"])
    def check_in(self, request, queryset):
        done, _refused = self._each(
            request,
            queryset,
            lambda r: checkin_services.registration_check_in(registration=r, actor=request.user)[1],
        )
        self.message_user(
            request,
            ngettext("%(n)d person checked in.", "%(n)d people checked in.", done) % {"n": done},
        )

    @through_services
    @admin.action(description=_("Cancel the selected registrations…"), permissions=["change"])
    def cancel(self, request, queryset):
        # Cancelling e-mails each person at once: a page says who, and its button confirms.
        if "_confirm" not in request.POST:
            return TemplateResponse(
                request,
                "admin/events/registration/cancel_selected.html",
                {
                    **self.admin_site.each_context(request),
                    "title": gettext("Cancel registrations"),
                    "opts": self.opts,
                    "registrations": queryset.select_related("event"),
                    "action": request.POST.get("action", ""),
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                    "media": self.media,
                },
            )
        done, _refused = self._each(
            request,
            queryset,
            lambda r: services.registration_cancel(registration=r, actor=request.user),
        )
        self.message_user(
            request,
            ngettext(
                "%(n)d registration cancelled; the waitlist moved up.",
                "%(n)d registrations cancelled; the waitlist moved up.",
                done,
            )
            % {"n": done},
        )
