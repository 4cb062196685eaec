"""Calendar feeds: a private, revocable address of a person's or an organisation's calendar.

Tables of the `events` app (its label and table names); `events.models` imports them.

The address carries a random token; only its SHA-256 is stored. A feed token is a bearer
credential to someone's schedule (whom they meet, where, when): a database dump, an admin
page or a log must not hand it out. So, as with the partners' API keys, the address is shown
once, when it is made; a calendar app keeps it, and whoever needs it again regenerates it
(which ends the old one). A hash of 256 random bits needs no salt and no slow hash.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from companies.models import PartnerOrganisation
from incubator.models import acting_user

__all__ = ["CalendarFeed"]


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeed(models.Model):
    """The calendar feed of one portal user or one partner organisation (exactly one)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_feed",
        verbose_name=_("user"),
    )
    organisation = models.OneToOneField(
        PartnerOrganisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_feed",
        verbose_name=_("partner organisation"),
    )
    # Empty: the feed was stopped; its last address answers 404 like any unknown one.
    token_hash = models.CharField(
        _("token hash"), max_length=64, null=True, blank=True, unique=True, editable=False
    )
    # The language of an organisation's feed (a person's feed speaks the person's language).
    language = models.CharField(_("language"), max_length=8, default="ko")
    created_by = acting_user(_("made by"))
    created_at = models.DateTimeField(_("address made at"), null=True, blank=True)
    last_fetched_at = models.DateTimeField(_("last fetched at"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, organisation__isnull=True)
                | Q(user__isnull=True, organisation__isnull=False),
                name="calendar_feed_of_a_user_or_an_organisation",
            ),
        ]

    def __str__(self):
        return str(self.user or self.organisation)

    @property
    def is_active(self) -> bool:
        return bool(self.token_hash)
