"""The staff side of delegation visits: the delegation with its members and programme,
saved together by `delegation_save` (one audit record), and the action page that e-mails
the programme to the members (`delegation_programme_send`)."""

from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Count
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from events import policies
from events.admin_mixins import IN_DELEGATION_ZONE, EventZoneHelp, TimesInEventZone
from events.admin_mixins import zone_of as _zone_of
from events.delegations import messages as delegation_messages
from events.delegations import services as delegations
from events.models import Delegation, DelegationMember, DelegationProgrammeItem, Event
from incubator.admin_mixins import (
    ActionPages,
    ConfirmForm,
    InlineRowsLoaded,
    Rows,
    ServiceAdmin,
    call_service,
    through_services,
)
from incubator.multilingual import translated_names

TITLES = translated_names("title")
NAMES = translated_names("name")


class DelegationMemberInline(InlineRowsLoaded, admin.TabularInline):
    model = DelegationMember
    extra = 0
    fields = [
        "name",
        "role",
        "position",
        "company",
        "organisation_name",
        "email",
        "language",
        "phone",
    ]
    autocomplete_fields = ["company"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("company")


class DelegationProgrammeItemInline(EventZoneHelp, admin.TabularInline):
    zone_help = IN_DELEGATION_ZONE
    model = DelegationProgrammeItem
    extra = 0
    fields = ["starts_at", "ends_at", *TITLES, *translated_names("place"), "host"]
    autocomplete_fields = ["host"]


@admin.register(Delegation)
class DelegationAdmin(TimesInEventZone, ActionPages, ServiceAdmin):
    zone_help = IN_DELEGATION_ZONE
    list_display = [
        "__str__",
        "arrives_at",
        "departs_at",
        "host_organisation",
        "member_count",
        "programme_link",
    ]
    list_select_related = ["host_organisation"]
    search_fields = NAMES
    date_hierarchy = "arrives_at"
    autocomplete_fields = ["event", "host_organisation", "coordinator"]
    # The name first: the form is long, with two inlines below.
    fields = [
        *NAMES,
        "event",
        "arrives_at",
        "departs_at",
        "host_organisation",
        "coordinator",
        "notes",
    ]
    inlines = [DelegationMemberInline, DelegationProgrammeItemInline]

    def times_zone(self, request, object_id):
        # The event sent with the form, else the saved delegation's; no event: the center's.
        if "event" in request.POST:
            zone = _zone_of(Event.objects, request.POST["event"])
        else:
            zone = _zone_of(Delegation.objects, object_id, "event__time_zone")
        return zone or Delegation.CENTER_ZONE

    rows = Rows("delegation", delete=delegations.delegation_delete)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(members_total=Count("members"))

    @admin.display(description=_("members"), ordering="members_total")
    def member_count(self, delegation):
        return delegation.members_total

    @admin.display(description=_("programme"))
    def programme_link(self, delegation):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("events:delegation-programme", args=[delegation.pk]),
            gettext("printable programme"),
        )

    @through_services
    def save_model(self, request, obj, form, change):
        # Saved with its members and programme in `save_related`, by one service call.
        pass

    @through_services
    def save_related(self, request, form, formsets, change):
        delegations.delegation_save(
            delegation=form.instance,
            actor=request.user,
            fields=form.changed_data if change else (),
            parts=formsets,
        )

    # --- Action page: the programme e-mailed to the members, through the service ---------

    def get_urls(self):
        return [
            path(
                "<path:object_id>/send-programme/",
                self.admin_site.admin_view(self.action_view(self.programme_send_view)),
                name="events_delegation_send_programme",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_send_programme": policies.can_send_delegation_programme(request.user),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def programme_send_view(self, request, object_id):
        # Who may send it is refused (403); a delegation with nothing to send goes back to
        # its page, which says what is missing.
        delegation = self.action_object(
            request,
            object_id,
            allowed=lambda request, delegation: (
                policies.can_send_delegation_programme(request.user, delegation)
                and policies.delegation_programme_unsendable_because(delegation) is None
            ),
            refused_because=lambda request, delegation: (
                policies.delegation_programme_unsendable_because(delegation)
                if policies.can_send_delegation_programme(request.user, delegation)
                else None
            ),
        )
        # Bound on every POST: the confirm form has no field, so its POST may be empty.
        form = ConfirmForm(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            done = call_service(
                form,
                delegations.delegation_programme_send,
                delegation=delegation,
                actor=request.user,
            )
            if done:
                return self._programme_sent(request, delegation, done)
        return self.action_page(
            request,
            delegation,
            title=gettext("Send the programme of %(delegation)s") % {"delegation": delegation},
            template="admin/events/delegation/send_programme.html",
            form=form,
            submit_label=gettext("E-mail the programme to the members"),
            plan=delegation_messages.programme_plan(delegation),
            languages=dict(settings.LANGUAGES),
        )

    def _programme_sent(self, request, delegation, done):
        if not done.sent:
            self.message_user(
                request,
                gettext(
                    "Every member with an address has this version of the programme already: "
                    "nobody is e-mailed again. Change the programme to send a new version."
                ),
                messages.WARNING,
            )
            return redirect(self._change_url(delegation))
        if done.had_it:
            self.message_user(
                request,
                ngettext(
                    "%(n)d member has this version already and is not e-mailed again.",
                    "%(n)d members have this version already and are not e-mailed again.",
                    len(done.had_it),
                )
                % {"n": len(done.had_it)},
            )
        return self.action_done(
            request,
            delegation,
            ngettext(
                "The programme is e-mailed to %(n)d member.",
                "The programme is e-mailed to %(n)d members.",
                len(done.sent),
            )
            % {"n": len(done.sent)},
        )


# Members and programme items have no pages of their own: they change on their delegation's
# page, saved with it by `delegation_save` (one audit record), and go with it when deleted.
