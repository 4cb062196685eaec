"""Every write of the technology exchange: listings, their review, inquiries and interests.

Each use case checks its policy, changes its rows in one transaction under a row lock,
writes its audit record and its e-mails through the outbox, in each recipient's language.
A dedupe key is `<kind>:<object id>:<version>:<recipient id>`: each change raises the
object's version, so one change is one message however often it is retried.

Partners' webhooks are sent from `listing_approve` and `listings_publish_on_consent` (a
listing partners may now see: approved while its company consents, or its company
consenting later) and from `inquiry_answer` (an inquiry answered).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from companies import selectors as company_selectors
from companies.exchange import policies, selectors
from companies.exchange.models import (
    DEAL_FIELDS,
    PartnerInterest,
    TechnologyInquiry,
    TechnologyListing,
    jurisdiction_of,
)
from companies.models import Company, PartnerOrganisation
from companies.webhooks.models import EventType
from companies.webhooks.services import webhooks_emit
from incubator.audit import audit_record, changed
from incubator.multilingual import localized, translated_names
from incubator.services import outbox_enqueue
from incubator.webhooks import utc_iso

# What a startup sets on its listing; the rest (status, review, version) is the services'.
LISTING_FIELDS = (
    "patent",
    *translated_names("title"),
    *translated_names("summary"),
    *translated_names("terms"),
    "offers_license",
    "offers_transfer",
    "offers_joint_development",
    "sector",
    "jurisdiction",
)
TEXTS = (*translated_names("title"), *translated_names("summary"), *translated_names("terms"))


def _tell(recipients, *, kind: str, obj, texts, path: str) -> None:
    """Write one message per recipient, in their language: `texts(language)` gives the
    payload's names and titles in it; `path` is the page the message links to."""
    for user in {user.pk: user for user in recipients}.values():
        outbox_enqueue(
            recipient=user.email,
            kind=kind,
            dedupe_key=f"{kind}:{obj.pk}:{obj.version}:{user.pk}",
            payload={**texts(user.language), "name": user.get_full_name(), "path": path},
            language=user.language,
        )


def _required(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message}, code="required")
    return value


def _at_most(value: str, model, field: str) -> str:
    """`value`, refused when longer than the model's field takes (the database's TextField
    does not): a partner's text is e-mailed to the company and the center."""
    limit = model._meta.get_field(field).max_length
    try:
        MaxLengthValidator(limit)(value)
    except ValidationError as error:
        raise ValidationError({field: error.messages}, code="max_length") from None
    return value


# --- Listings -------------------------------------------------------------------------------


def _locked_listing(listing: TechnologyListing) -> TechnologyListing:
    return (
        TechnologyListing.objects.select_for_update(of=("self",))
        .select_related("company")
        .get(pk=listing.pk)
    )


def _set_fields(listing: TechnologyListing, fields: dict) -> None:
    unknown = set(fields) - set(LISTING_FIELDS)
    if unknown:
        raise TypeError(f"Not a field of a listing a startup sets: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(listing, name, value.strip() if name in TEXTS and value else value)
    if listing.patent is not None:
        if listing.patent.company_id != listing.company_id:
            raise ValidationError(
                {"patent": _("Choose one of your company's patents.")}, code="other_company"
            )
        listing.jurisdiction = jurisdiction_of(listing.patent)


def _listing_texts(listing: TechnologyListing, language: str) -> dict:
    return {
        "listing_id": listing.pk,
        "title": localized(listing, "title", language),
        "company": localized(listing.company, "name", language),
    }


def listing_create(*, actor, company: Company, **fields) -> TechnologyListing:
    """Create a draft listing of the company; its sector is the company's unless given."""
    if not policies.can_manage_listings(actor, company):
        raise PermissionDenied(_("Only the company's owner and members manage its listings."))
    listing = TechnologyListing(company=company, created_by=actor, sector=company.sector)
    _set_fields(listing, fields)
    listing.full_clean()
    with transaction.atomic():
        listing.save()
        audit_record(
            actor=actor,
            verb="technology_listing.create",
            obj=listing,
            company=company,
            changes={"patent": listing.patent_id, "deal_kinds": listing.deal_kinds},
        )
    return listing


def listing_update(*, actor, listing: TechnologyListing, **fields) -> TechnologyListing:
    """Change a draft or rejected listing (one under review or approved stays as reviewed)."""
    if not policies.can_manage_listings(actor, listing.company_id):
        raise PermissionDenied(_("Only the company's owner and members manage its listings."))
    with transaction.atomic():
        listing = _locked_listing(listing)
        if not listing.is_editable:
            raise ValidationError(
                _("A listing that is %(status)s cannot be changed.")
                % {"status": listing.get_status_display()},
                code="not_editable",
            )
        names = [*fields, "jurisdiction"]
        before = {name: getattr(listing, name) for name in names}
        _set_fields(listing, fields)
        listing.full_clean()
        listing.version += 1
        listing.save()
        audit_record(
            actor=actor,
            verb="technology_listing.update",
            obj=listing,
            company=listing.company,
            changes=changed(listing, names, before),
        )
    return listing


def listing_submit(*, actor, listing: TechnologyListing) -> TechnologyListing:
    """Send a draft (or a changed rejected) listing to the center for review."""
    if not policies.can_manage_listings(actor, listing.company_id):
        raise PermissionDenied(_("Only the company's owner and members manage its listings."))
    with transaction.atomic():
        listing = _locked_listing(listing)
        previous = listing.status
        listing.move_to(TechnologyListing.Status.SUBMITTED)
        listing.submitted_at = timezone.now()
        listing.version += 1
        listing.save(update_fields=["status", "submitted_at", "version", "updated_at"])
        audit_record(
            actor=actor,
            verb="technology_listing.submit",
            obj=listing,
            company=listing.company,
            changes={"status": [previous, listing.status]},
        )
        _tell(
            selectors.center_staff(),
            kind="technology_listing_submitted",
            obj=listing,
            texts=lambda language: _listing_texts(listing, language),
            path=reverse("admin:companies_technologylisting_review", args=[listing.pk]),
        )
    return listing


def listing_withdraw(*, actor, listing: TechnologyListing) -> TechnologyListing:
    """Take a listing off the exchange for good; its inquiries stay answerable."""
    if not policies.can_manage_listings(actor, listing.company_id):
        raise PermissionDenied(_("Only the company's owner and members manage its listings."))
    with transaction.atomic():
        listing = _locked_listing(listing)
        previous = listing.status
        listing.move_to(TechnologyListing.Status.WITHDRAWN)
        listing.version += 1
        listing.save(update_fields=["status", "version", "updated_at"])
        audit_record(
            actor=actor,
            verb="technology_listing.withdraw",
            obj=listing,
            company=listing.company,
            changes={"status": [previous, listing.status]},
        )
    return listing


def listing_copy(*, actor, listing: TechnologyListing) -> TechnologyListing:
    """Copy a withdrawn listing's text into a new draft of the same company.

    Withdrawing is final (partners' inquiries and the review history stay with the old
    listing); the copy is how a startup offers the technology again without retyping it in
    three languages.
    """
    if not policies.can_manage_listings(actor, listing.company_id):
        raise PermissionDenied(_("Only the company's owner and members manage its listings."))
    listing = TechnologyListing.objects.select_related("company", "patent").get(pk=listing.pk)
    if not listing.is_copyable:
        raise ValidationError(
            _("Only a withdrawn listing is copied into a new draft."),
            code="not_copyable",
        )
    copy = TechnologyListing(
        company=listing.company,
        created_by=actor,
        **{name: getattr(listing, name) for name in LISTING_FIELDS},
    )
    copy.full_clean()
    with transaction.atomic():
        copy.save()
        audit_record(
            actor=actor,
            verb="technology_listing.copy",
            obj=copy,
            company=listing.company,
            changes={"copied_from": listing.pk, "patent": copy.patent_id},
        )
    return copy


def _review(*, actor, listing: TechnologyListing, status: str, reason: str) -> TechnologyListing:
    if not policies.can_review_listing(actor, listing):
        raise PermissionDenied(_("Your role does not review technology listings."))
    reason = (reason or "").strip()
    if status == TechnologyListing.Status.REJECTED:
        reason = _required(reason, "reason", _("Tell the company why the listing is rejected."))
    with transaction.atomic():
        listing = _locked_listing(listing)
        previous = listing.status
        listing.move_to(status)
        listing.review_reason = reason
        listing.reviewed_by = actor
        listing.reviewed_at = timezone.now()
        listing.version += 1
        listing.save(
            update_fields=[
                "status",
                "review_reason",
                "reviewed_by",
                "reviewed_at",
                "version",
                "updated_at",
            ]
        )
        audit_record(
            actor=actor,
            verb="technology_listing.approve"
            if status == TechnologyListing.Status.APPROVED
            else "technology_listing.reject",
            obj=listing,
            company=listing.company,
            changes={"status": [previous, status], "reason": reason},
        )
        # An approved listing of a company that has not agreed to be shown to partners stays
        # hidden: the e-mail says so and links the profile where the company agrees.
        shown = policies.is_shown_to_partners(listing)
        _tell(
            company_selectors.company_members(listing.company_id),
            kind="technology_listing_reviewed",
            obj=listing,
            texts=lambda language: {
                **_listing_texts(listing, language),
                "decision": status,
                "reason": reason,
                "shown": shown,
                "profile_path": reverse("companies:company-edit"),
            },
            path=reverse("companies:listing-detail", args=[listing.pk]),
        )
        if shown:
            _publish(listing)
    return listing


def _publish(listing: TechnologyListing) -> None:
    """Send `listing.published` to every active partner organisation, once per approval.

    The key is the listing's version at its approval: the same listing announced again
    (its company's consent turned off and on) writes nothing new.
    """
    webhooks_emit(
        event_type=EventType.LISTING_PUBLISHED,
        organisation_ids=PartnerOrganisation.objects.filter(is_active=True).values_list(
            "pk", flat=True
        ),
        data=listing_event_data(listing),
        key=f"{listing.pk}:{listing.version}",
    )


def listings_publish_on_consent(*, company: Company, changes: dict) -> None:
    """Announce the company's approved listings when it has just agreed to be shown to
    partners: they become visible now, as an approval makes one visible.

    Called by `companies.services.company_update` in its transaction with its `changes`
    ({field: [before, after]}). Turning consent off sends nothing, as withdrawing a listing
    sends nothing: the guide (docs/webhooks.md) has no event for a listing leaving sight.
    """
    if changes.get("consent_to_partners") != [False, True]:
        return
    approved = TechnologyListing.objects.filter(
        company=company, status=TechnologyListing.Status.APPROVED
    ).order_by("reviewed_at", "pk")
    for listing in approved:
        _publish(listing)


def listing_approve(*, actor, listing: TechnologyListing, reason: str = "") -> TechnologyListing:
    """Approve a submitted listing: from now on partners see it (when the company consents).

    A listing becomes visible to partners here, or later when its company agrees to be
    shown (`listings_publish_on_consent`): the "new listing" webhook is sent from both.
    """
    return _review(
        actor=actor, listing=listing, status=TechnologyListing.Status.APPROVED, reason=reason
    )


def listing_reject(*, actor, listing: TechnologyListing, reason: str) -> TechnologyListing:
    """Reject a submitted listing with the reason the company reads; it may change and resend."""
    return _review(
        actor=actor, listing=listing, status=TechnologyListing.Status.REJECTED, reason=reason
    )


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
    message = _required(message, "message", _("Write your question to the company."))
    message = _at_most(message, TechnologyInquiry, "message")
    with transaction.atomic():
        # The lock serialises two people of one organisation asking at the same moment.
        listing = _locked_listing(listing)
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
                **_listing_texts(listing, language),
                "inquiry_id": inquiry.pk,
                "organisation": localized(organisation, "name", language),
                "person": actor.get_full_name(),
                "message": message,
                "for_staff": for_staff,
            }

        _tell(
            company_selectors.company_members(listing.company_id),
            kind="technology_inquiry_received",
            obj=inquiry,
            texts=texts,
            path=reverse("companies:inquiry-detail", args=[inquiry.pk]),
        )
        # The center's copy is for its information: only the company answers, in the portal
        # (the admin's inquiry page is read only).
        _tell(
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
    answer = _required(answer, "answer", _("Write your answer to the partner."))
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
        _tell(
            [partner] if partner is not None and partner.is_active else [],
            kind="technology_inquiry_answered",
            obj=inquiry,
            texts=lambda language: {
                **_listing_texts(inquiry.listing, language),
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


def listing_event_data(listing: TechnologyListing) -> dict:
    """The public fields of a listing in a webhook: ids, kinds and its three titles."""
    return {
        "listing": listing.pk,
        "company": listing.company_id,
        "sector": listing.sector,
        "jurisdiction": listing.jurisdiction,
        "deal_kinds": [str(kind) for kind, field in DEAL_FIELDS.items() if getattr(listing, field)],
        "title": {code: getattr(listing, f"title_{code}") for code in ("ko", "zh", "en")},
    }


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

    _tell(
        selectors.center_staff(),
        kind=kind,
        obj=interest,
        texts=texts,
        path=reverse("admin:companies_partnerinterest_change", args=[interest.pk]),
    )
    if company.consent_to_partners:
        _tell(
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
        note = _at_most(note.strip(), PartnerInterest, "note")
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
