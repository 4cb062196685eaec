"""Delegation visits: the group, its members and its programme.

Tables of the `events` app (its label and table names); `events.models` imports them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from companies.models import Company, Lead, PartnerOrganisation
from events.models import Event, _ends_after_start
from incubator.models import acting_user
from incubator.multilingual import TranslatedText

__all__ = ["Delegation", "DelegationMember", "DelegationProgrammeItem"]


class Delegation(models.Model):
    """A group that visits (e.g. Korean founders flown to Harbin), with its programme."""

    name = TranslatedText(
        _("name"), max_length=200, required=True, constraint_name="delegation_has_a_name"
    )
    event = models.ForeignKey(
        Event,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="delegations",
        limit_choices_to={"kind": Event.Kind.DELEGATION_VISIT},
        verbose_name=_("event"),
    )
    arrives_at = models.DateTimeField(_("arrival"))
    departs_at = models.DateTimeField(_("departure"))
    host_organisation = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_delegations",
        verbose_name=_("host organisation"),
    )
    coordinator = acting_user(_("center coordinator"), limit_choices_to={"is_staff": True})
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["-arrives_at"]
        constraints = [
            _ends_after_start("delegation_departs_after_arrival", "arrives_at", "departs_at"),
        ]

    def __str__(self):
        return self.name

    # A delegation without an event visits the center: its times are China time.
    CENTER_ZONE = "Asia/Shanghai"

    @property
    def time_zone(self) -> str:
        """The zone its times are typed and printed in: its event's, else the center's."""
        return self.event.time_zone if self.event_id else self.CENTER_ZONE

    @property
    def leader(self):
        """Return the member who leads the delegation, or None."""
        return self.members.filter(role=DelegationMember.Role.LEADER).first()


class DelegationMember(models.Model):
    class Role(models.TextChoices):
        LEADER = "leader", _("leader")
        COMPANY = "company", _("company representative")
        OFFICIAL = "official", _("government official")
        ASSOCIATION = "association", _("association representative")
        STAFF = "staff", _("staff")
        INTERPRETER = "interpreter", _("interpreter")
        OTHER = "other", _("other")

    delegation = models.ForeignKey(
        Delegation, on_delete=models.CASCADE, related_name="members", verbose_name=_("delegation")
    )
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.COMPANY)
    position = models.CharField(_("position"), max_length=150, blank=True)
    company = models.ForeignKey(
        Company,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="delegation_members",
        verbose_name=_("company"),
    )
    organisation_name = models.CharField(
        _("organisation"),
        max_length=200,
        blank=True,
        help_text=_("When the company or body is not in the portal."),
    )
    lead = models.ForeignKey(
        Lead,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="delegation_members",
        verbose_name=_("lead"),
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # A Korean delegation's Chinese interpreter or local partner, who has no account, is
    # written to in Chinese, not in the leader's Korean.
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_(
            "The language of the e-mails to a member without an account on the portal. "
            "Empty: the leader's language."
        ),
    )

    class Meta:
        verbose_name = _("delegation member")
        verbose_name_plural = _("delegation members")
        ordering = ["delegation_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["delegation"],
                condition=Q(role="leader"),
                name="delegation_one_leader",
                violation_error_message=_("A delegation has one leader."),
            )
        ]

    def __str__(self):
        return self.name


class DelegationProgrammeItem(models.Model):
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.CASCADE,
        related_name="programme",
        verbose_name=_("delegation"),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    title = TranslatedText(
        _("title"), max_length=200, required=True, constraint_name="programme_item_has_a_title"
    )
    place = TranslatedText(_("place"), max_length=300)
    host = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hosted_programme_items",
        verbose_name=_("host"),
        help_text=_("Empty: the center."),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("programme item")
        verbose_name_plural = _("programme items")
        ordering = ["delegation_id", "starts_at"]
        constraints = [
            _ends_after_start("programme_item_ends_after_start"),
        ]

    def __str__(self):
        return self.title
