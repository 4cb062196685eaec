"""Every write of the partners' side of the technology exchange: their inquiries about a
listing and the companies' answers, and their organisations' interests in a company.

As the listings' services (`companies.exchange.services`): a policy checked, rows changed
in one transaction under a row lock, an audit record, the e-mails through the outbox in
each recipient's language with a dedupe key of the object's version; an answered inquiry
sends the partner's webhook.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from companies import selectors as company_selectors
from companies.exchange import policies, selectors
from companies.exchange.models import (
    PartnerInterest,
    TechnologyInquiry,
    TechnologyListing,
)
from companies.exchange.services import at_most, listing_texts, locked_listing, required, tell
from companies.models import Company
from companies.webhooks.models import EventType
from companies.webhooks.services import webhooks_emit
from incubator.audit import audit_record, changed
from incubator.multilingual import localized
from incubator.webhooks import utc_iso

# --- Inquiries ------------------------------------------------------------------------------


def _acting_person(actor, organisation):
    """Return the actor's PartnerPerson; refuse anyone else, and another organisation's name."""
    person = policies.partner_person_of(actor)
    if person is None:
        raise PermissionDenied(_("Only the people of a partner organisation do this."))
    if organisation is not None and not policies.acts_for(actor, organisation):
        raise PermissionDenied(_("You act for your own organisation only."))
    return person


def inquiry_send(
    *, actor, listing: TechnologyListing, message: str, organisation=None
) -> TechnologyInquiry:
    """Ask the company about an approved listing, for the actor's partner organisation.

    `organisation`, when given (the partner API's key), must be the actor's own. The
    company's members and the center are told.
    """
    person = _acting_person(actor, organisation)
    message = required(message, "message", _("Write your question to the company."))
    message = at_most(message, TechnologyInquiry, "message")
    with transaction.atomic():
        # The lock serialises two people of one organisation asking at the same moment.
        listing = locked_listing(listing)
        if not policies.can_send_inquiry(actor, listing):
            raise PermissionDenied(_("This listing is not open to partners."))
        open_inquiry = TechnologyInquiry.objects.filter(
            listing=listing,
            organisation_id=person.organisation_id,
            status=TechnologyInquiry.Status.SENT,
        )
        if open_inquiry.exists():
            raise ValidationError(
                _("Your organisation has an unanswered inquiry about this listing."),
                code="open_inquiry",
            )
        try:
            with transaction.atomic():
                inquiry = TechnologyInquiry.objects.create(
                    listing=listing,
                    organisation_id=person.organisation_id,
                    person=person,
                    message=message,
                )
        except IntegrityError:
            raise ValidationError(
                _("Your organisation has an unanswered inquiry about this listing."),
                code="open_inquiry",
            ) from None
        audit_record(
            actor=actor,
            verb="technology_inquiry.send",
            obj=inquiry,
            company=listing.company,
            changes={"listing": listing.pk, "organisation": person.organisation_id},
        )
        organisation = person.organisation

        def texts(language: str, *, for_staff: bool = False) -> dict:
            return {
                **listing_texts(listing, language),
                "inquiry_id": inquiry.pk,
                "organisation": localized(organisation, "name", language),
                "person": actor.get_full_name(),
                "message": message,
                "for_staff": for_staff,
            }

        tell(
            company_selectors.company_members(listing.company_id),
            kind="technology_inquiry_received",
            obj=inquiry,
            texts=texts,
            path=reverse("companies:inquiry-detail", args=[inquiry.pk]),
        )
        # The center's copy is for its information: only the company answers, in the portal
        # (the admin's inquiry page is read only).
        tell(
            selectors.center_staff(),
            kind="technology_inquiry_received",
            obj=inquiry,
            texts=lambda language: texts(language, for_staff=True),
            path=reverse("admin:companies_technologyinquiry_change", args=[inquiry.pk]),
        )
    return inquiry


def inquiry_answer(
    *, actor, inquiry: TechnologyInquiry, answer: str, accept: bool
) -> TechnologyInquiry:
    """Answer an inquiry and accept it (the company's contacts open to the partner) or decline.

    The one place an inquiry is answered: the "inquiry answered" webhook is sent from here.
    """
    if not policies.can_answer_inquiry(actor, inquiry):
        raise PermissionDenied(_("Only the company's owner and members answer its inquiries."))
    answer = required(answer, "answer", _("Write your answer to the partner."))
    with transaction.atomic():
        inquiry = (
            TechnologyInquiry.objects.select_for_update(of=("self",))
            .select_related("listing__company", "organisation", "person__user")
            .get(pk=inquiry.pk)
        )
        if inquiry.status != TechnologyInquiry.Status.SENT:
            raise ValidationError(_("This inquiry was answered already."), code="answered")
        inquiry.move_to(TechnologyInquiry.Status.ANSWERED)
        inquiry.answer = answer
        inquiry.accepted = bool(accept)
        inquiry.answered_by = actor
        inquiry.answered_at = timezone.now()
        inquiry.version += 1
        inquiry.save(
            update_fields=["status", "answer", "accepted", "answered_by", "answered_at", "version"]
        )
        audit_record(
            actor=actor,
            verb="technology_inquiry.answer",
            obj=inquiry,
            company=inquiry.listing.company,
            changes={"status": ["sent", "answered"], "accepted": inquiry.accepted},
        )
        partner = inquiry.person.user if inquiry.person else None
        tell(
            [partner] if partner is not None and partner.is_active else [],
            kind="technology_inquiry_answered",
            obj=inquiry,
            texts=lambda language: {
                **listing_texts(inquiry.listing, language),
                "inquiry_id": inquiry.pk,
                "accepted": inquiry.accepted,
                "answer": answer,
            },
            path=reverse("companies:exchange-inquiries"),
        )
        webhooks_emit(
            event_type=EventType.INQUIRY_ANSWERED,
            organisation_ids=[inquiry.organisation_id],
            data={
                "inquiry": inquiry.pk,
                "listing": inquiry.listing_id,
                "company": inquiry.listing.company_id,
                "accepted": inquiry.accepted,
                "answered_at": utc_iso(inquiry.answered_at),
            },
            key=f"{inquiry.pk}:{inquiry.version}",
        )
    return inquiry


# --- Interests ------------------------------------------------------------------------------


def _tell_of_interest(interest: PartnerInterest, kind: str, actor) -> None:
    """Tell the center, and the company's owners when the company consented to partners."""
    company, organisation = interest.company, interest.organisation

    def texts(language: str) -> dict:
        return {
            "interest_id": interest.pk,
            "company": localized(company, "name", language),
            "organisation": localized(organisation, "name", language),
            "person": actor.get_full_name(),
            "note": interest.note,
        }

    tell(
        selectors.center_staff(),
        kind=kind,
        obj=interest,
        texts=texts,
        path=reverse("admin:companies_partnerinterest_change", args=[interest.pk]),
    )
    if company.consent_to_partners:
        tell(
            selectors.company_owners(company.pk),
            kind=kind,
            obj=interest,
            texts=texts,
            path=reverse("companies:listing-list"),
        )


def _latest_interest(organisation_id: int, company: Company) -> PartnerInterest | None:
    """The organisation's interest in the company, locked: the active one, else the last."""
    return (
        PartnerInterest.objects.select_for_update()
        .filter(organisation_id=organisation_id, company=company)
        .order_by(F("withdrawn_at").desc(nulls_first=True), "-pk")
        .first()
    )


def interest_mark(
    *, actor, company: Company, note: str | None = None, organisation=None
) -> PartnerInterest:
    """Mark the actor's organisation as interested in a company; marking again reopens it.

    Marking an interest that is active already only changes its note (`note` None keeps
    it, as it does on a reopened one), and tells nobody. The interest returned says which
    it was: `newly_marked` is True when this call marked it (made or reopened it), False
    when it was marked already, also by a call of the same moment.
    """
    person = _acting_person(actor, organisation)
    if not policies.can_mark_interest(actor, company):
        raise PermissionDenied(_("This company is not shown to partners."))
    if note is not None:
        note = at_most(note.strip(), PartnerInterest, "note")
    with transaction.atomic():
        interest = _latest_interest(person.organisation_id, company)
        made = False
        if interest is None:
            try:
                with transaction.atomic():
                    interest = PartnerInterest.objects.create(
                        organisation_id=person.organisation_id,
                        company=company,
                        person=person,
                        note=note or "",
                        marked_at=timezone.now(),
                    )
                made = True
            except IntegrityError:
                # Another call for the organisation made it a moment ago, and committed it:
                # this one marks it again.
                interest = _latest_interest(person.organisation_id, company)
                if interest is None:
                    raise ValidationError(
                        _("Your organisation marked this company already."), code="marked"
                    ) from None
        if not made and interest.is_active:
            if note is not None and interest.note != note:
                before = {"note": interest.note}
                interest.note = note
                interest.version += 1
                interest.save(update_fields=["note", "version"])
                audit_record(
                    actor=actor,
                    verb="partner_interest.change",
                    obj=interest,
                    company=company,
                    changes=changed(interest, ["note"], before),
                )
            interest.newly_marked = False
            return interest
        if not made:
            interest.withdrawn_at = None
            interest.marked_at = timezone.now()
            interest.person = person
            if note is not None:
                interest.note = note
            interest.version += 1
            interest.save(update_fields=["withdrawn_at", "marked_at", "person", "note", "version"])
        audit_record(
            actor=actor,
            verb="partner_interest.mark",
            obj=interest,
            company=company,
            changes={"organisation": person.organisation_id, "version": interest.version},
        )
        interest.company = company
        _tell_of_interest(interest, "partner_interest_marked", actor)
    interest.newly_marked = True
    return interest


def interest_withdraw(*, actor, company: Company, organisation=None) -> PartnerInterest:
    """Withdraw the actor's organisation's interest in a company; the row stays."""
    person = _acting_person(actor, organisation)
    with transaction.atomic():
        interest = (
            PartnerInterest.objects.select_for_update(of=("self",))
            .select_related("company", "organisation")
            .filter(
                organisation_id=person.organisation_id,
                company=company,
                withdrawn_at__isnull=True,
            )
            .first()
        )
        if interest is None:
            raise ValidationError(
                _("Your organisation has not marked this company."), code="not_marked"
            )
        if not policies.can_withdraw_interest(actor, interest):
            raise PermissionDenied
        interest.withdrawn_at = timezone.now()
        interest.version += 1
        interest.save(update_fields=["withdrawn_at", "version"])
        audit_record(
            actor=actor,
            verb="partner_interest.withdraw",
            obj=interest,
            company=interest.company,
            changes={"organisation": person.organisation_id, "version": interest.version},
        )
        _tell_of_interest(interest, "partner_interest_withdrawn", actor)
    return interest
