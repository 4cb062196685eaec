from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _partner_person(visitor) -> bool:
    return visitor.fact("partner_person", lambda user: hasattr(user, "partner_person"))


def _company_member(visitor) -> bool:
    from companies.selectors import company_for_user

    # The same fact as the programs' destinations ask: one look-up per question.
    return visitor.fact("company", company_for_user) is not None


# The kinds of messages the app sends (incubator.message_kinds).
MESSAGE_KINDS = {
    "member_invitation": _("invitation to join a company"),
    "member_joined": _("a colleague joined the company"),
    "member_left": _("a colleague left the company"),
    "member_removed": _("removed from a company"),
    "lead_invitation": _("invitation to apply, to a lead"),
    "technology_listing_submitted": _("technology listing submitted for review"),
    "technology_listing_reviewed": _("technology listing reviewed"),
    "technology_inquiry_received": _("technology inquiry received"),
    "technology_inquiry_answered": _("technology inquiry answered"),
    "partner_interest_marked": _("a partner's interest marked"),
    "partner_interest_withdrawn": _("a partner's interest withdrawn"),
}


class CompaniesConfig(AppConfig):
    name = "companies"
    verbose_name = _("Startups and partners")

    def ready(self):
        from companies.reports import SECTIONS
        from incubator.reports.registry import register_sections

        register_sections(SECTIONS)
        from companies.dashboard import CONTRIBUTIONS
        from incubator.dashboard.registry import register_contributions

        register_contributions(CONTRIBUTIONS)
        from companies.exchange.policies import contacts_opened_by_inquiry
        from companies.links import invitation_path
        from companies.policies import register_contact_opener
        from companies.webhooks.models import EventType
        from companies.webhooks.services import webhook_attempted, webhook_target
        from incubator import message_kinds, webhooks
        from incubator.auth_backend import load_with_user
        from incubator.links import register_link
        from incubator.portal import register_destination

        register_link("member_invitation", invitation_path)
        # Who signs up from an invitation's page finds its address in the form.
        from companies.links import invited_address
        from incubator.accounts_views import register_sign_up_address

        register_sign_up_address(invited_address)
        # The header, the portal's decorators and the policies ask these on nearly every page.
        load_with_user("membership__company", "partner_person")
        message_kinds.register(MESSAGE_KINDS)
        message_kinds.register(dict(EventType.choices))
        register_contact_opener(contacts_opened_by_inquiry)
        from companies.models import Company
        from companies.selectors import company_names
        from incubator.audit import register_company_model, register_company_names

        register_company_names(company_names)
        register_company_model(Company)
        # The audit trail shows each of the app's verbs by its label.
        from companies import audit_verbs
        from companies.apikeys import audit_verbs as apikey_verbs
        from companies.exchange import audit_verbs as exchange_verbs
        from companies.imports import audit_verbs as import_verbs
        from companies.webhooks import audit_verbs as webhook_verbs
        from incubator.audit_verbs import register as register_verbs

        register_verbs(
            audit_verbs.VERBS,
            apikey_verbs.VERBS,
            exchange_verbs.VERBS,
            import_verbs.VERBS,
            webhook_verbs.VERBS,
        )
        webhooks.register_resolver(webhook_target, on_attempt=webhook_attempted)

        from companies import reminders
        from incubator.reminders import register

        register(*reminders.KINDS)

        # Partner people browse the consenting companies' technology (a header link).
        register_destination(
            "exchange",
            label=_("Technology exchange"),
            applies=_partner_person,
            path="companies:exchange-browse",
            rank=27,
            home=False,
        )
        # A startup's people write their listings and answer partners' inquiries there.
        register_destination(
            "technology",
            label=_("Technology exchange"),
            applies=_company_member,
            path="companies:listing-list",
            rank=52,
            home=False,
        )
