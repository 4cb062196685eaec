"""Every write of the technology exchange's listings: a startup's drafts, their review and
their publication to partners; the partners' inquiries and interests are written by
`companies.exchange.partner_services`, with the helpers below.

Each use case checks its policy, changes its rows in one transaction under a row lock,
writes its audit record and its e-mails through the outbox, in each recipient's language.
A dedupe key is `<kind>:<object id>:<version>:<recipient id>`: each change raises the
object's version, so one change is one message however often it is retried.

Partners' webhooks are sent from `listing_approve` and `listings_publish_on_consent` (a
listing partners may now see: approved while its company consents, or its company
consenting later), and from `partner_services.inquiry_answer` (an inquiry answered).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from companies import selectors as company_selectors
from companies.exchange import policies, selectors
from companies.exchange.models import (
    DEAL_FIELDS,
    TechnologyListing,
    jurisdiction_of,
)
from companies.models import Company, PartnerOrganisation
from companies.webhooks.models import EventType
from companies.webhooks.services import webhooks_emit
from incubator.audit import audit_record, changed
from incubator.multilingual import localized, translated_names
from incubator.services import outbox_enqueue

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


def tell(recipients, *, kind: str, obj, texts, path: str) -> None:
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


def required(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message}, code="required")
    return value


def at_most(value: str, model, field: str) -> str:
    """`value`, refused when longer than the model's field takes (the database's TextField
    does not): a partner's text is e-mailed to the company and the center."""
    limit = model._meta.get_field(field).max_length
    try:
        MaxLengthValidator(limit)(value)
    except ValidationError as error:
        raise ValidationError({field: error.messages}, code="max_length") from None
    return value


# --- Listings -------------------------------------------------------------------------------


def locked_listing(listing: TechnologyListing) -> TechnologyListing:
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


def listing_texts(listing: TechnologyListing, language: str) -> dict:
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
        listing = locked_listing(listing)
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
        listing = locked_listing(listing)
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
        tell(
            selectors.center_staff(),
            kind="technology_listing_submitted",
            obj=listing,
            texts=lambda language: listing_texts(listing, language),
            path=reverse("admin:companies_technologylisting_review", args=[listing.pk]),
        )
    return listing


def listing_withdraw(*, actor, listing: TechnologyListing) -> TechnologyListing:
    """Take a listing off the exchange for good; its inquiries stay answerable."""
    if not policies.can_manage_listings(actor, listing.company_id):
        raise PermissionDenied(_("Only the company's owner and members manage its listings."))
    with transaction.atomic():
        listing = locked_listing(listing)
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
        reason = required(reason, "reason", _("Tell the company why the listing is rejected."))
    with transaction.atomic():
        listing = locked_listing(listing)
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
        tell(
            company_selectors.company_members(listing.company_id),
            kind="technology_listing_reviewed",
            obj=listing,
            texts=lambda language: {
                **listing_texts(listing, language),
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
