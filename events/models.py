"""Events, registrations and check-in; the tables of online sessions (`events.online.models`),
delegations (`events.delegations.models`), 1:1 meetings (`events.matching.models`) and
judging (`events.judging.models`) are imported last.

Rules that span rows or tables (capacity, waitlist promotion, a person in one meeting per
slot, scores within a criterion's maximum, no judge on a company they declared a conflict
with) are checked in `clean()` and enforced under a row lock by the services; what a
single row or a unique index can say is a database constraint.
"""

import secrets
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies.models import SPOKEN_LANGUAGES, Company, PartnerOrganisation
from incubator import times
from incubator.models import acting_user
from incubator.multilingual import LANGUAGES, TranslatedText, one_language_filled
from incubator.status_flow import StatusFlow

User = settings.AUTH_USER_MODEL

# Readable on a badge and typed by hand at the door: no 0/O, 1/I.
BADGE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
BADGE_LENGTH = 10  # 32**10 = 2**50 codes


def new_badge_code() -> str:
    """Return a random badge code for the QR code on a registration's badge."""
    return "".join(secrets.choice(BADGE_ALPHABET) for _ in range(BADGE_LENGTH))


def search_key(text: str) -> str:
    """Return the form of a name stored in `Registration.search_name` and searched with.

    Check-in looks a name up with `search_name__startswith=search_key(typed)`.
    """
    return " ".join(text.split()).casefold()


def _ends_after_start(name: str, start: str = "starts_at", end: str = "ends_at"):
    return models.CheckConstraint(
        condition=Q(**{f"{end}__gt": F(start)}),
        name=name,
        violation_error_message=_("The end must be after the start."),
    )


class TimeZone(models.TextChoices):
    SEOUL = "Asia/Seoul", _("Korea (Asia/Seoul)")
    SHANGHAI = "Asia/Shanghai", _("China (Asia/Shanghai)")


# Why an event's status does not lead to another (Event.TRANSITIONS), in the staff's words:
# the action pages' refusals and the services' say the same.
STATUS_REFUSALS = {
    ("draft", "completed"): _("This event is a draft: publish it before marking it as completed."),
    ("published", "published"): _("This event is already published."),
    ("cancelled", "published"): _("This event is cancelled: it cannot be published."),
    ("cancelled", "cancelled"): _("This event is already cancelled."),
    ("cancelled", "completed"): _("This event is cancelled: it cannot be marked as completed."),
    ("completed", "published"): _("This event is completed: it cannot be published."),
    ("completed", "cancelled"): _("This event is completed: it cannot be cancelled."),
    ("completed", "completed"): _("This event is already marked as completed."),
}


# An event's deadlines that must not fall after its end (`Event.clean`), with the words.
DEADLINE_AFTER_END = {
    "registration_deadline": _(
        "The registration deadline, %(deadline)s, is after the end of the event, %(end)s: "
        "registration must close before the event ends."
    ),
    "meeting_requests_deadline": _(
        "Meeting requests close on %(deadline)s, after the end of the event, %(end)s: they "
        "must close before the event ends."
    ),
}


class Event(StatusFlow, models.Model):
    class Kind(models.TextChoices):
        ROADSHOW = "roadshow", _("Roadshow")
        MATCHING_SESSION = "matching_session", _("Matching session")
        ONLINE_PROGRAMME = "online_programme", _("Online programme")
        DELEGATION_VISIT = "delegation_visit", _("Delegation visit")
        COMPETITION = "competition", _("Competition")
        TRAINING = "training", _("Training")
        DEMO_DAY = "demo_day", _("Demo day")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        CANCELLED = "cancelled", _("cancelled")
        COMPLETED = "completed", _("completed")

    TRANSITIONS = {
        Status.DRAFT: (Status.PUBLISHED, Status.CANCELLED),
        Status.PUBLISHED: (Status.CANCELLED, Status.COMPLETED),
        Status.CANCELLED: (),
        Status.COMPLETED: (),
    }

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    title = TranslatedText(
        _("title"), max_length=200, required=True, constraint_name="event_has_a_title"
    )
    description = TranslatedText(_("description"), text=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=40,
        choices=TimeZone.choices,
        default=TimeZone.SHANGHAI,
        help_text=_("Times are shown in this zone and in each person's own."),
    )
    venue = TranslatedText(_("venue"), max_length=300)
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    registration_deadline = models.DateTimeField(
        _("registration deadline"),
        null=True,
        blank=True,
        help_text=_("Empty: registration stays open until the event ends."),
    )
    # Matching sessions only: the scheduler's `tables` and `interpreters` (a slot may override).
    meeting_tables = models.PositiveSmallIntegerField(_("meeting tables"), default=0)
    interpreters_per_slot = models.PositiveSmallIntegerField(_("interpreters per slot"), default=0)
    meeting_requests_deadline = models.DateTimeField(
        _("meeting requests close at"), null=True, blank=True
    )
    created_by = acting_user(_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-starts_at"]
        constraints = [
            _ends_after_start("event_ends_after_start"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=0),
                name="event_capacity_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(registration_deadline__isnull=True)
                | Q(registration_deadline__lte=F("ends_at")),
                name="event_registration_closes_by_the_end",
                violation_error_message=_("Registration must close before the event ends."),
            ),
            models.CheckConstraint(
                condition=Q(meeting_requests_deadline__isnull=True)
                | Q(meeting_requests_deadline__lte=F("ends_at")),
                name="event_requests_close_by_the_end",
                violation_error_message=_("Meeting requests must close before the event ends."),
            ),
            # Online programmes carry their links on their sessions.
            models.CheckConstraint(
                condition=Q(status__in=["draft", "cancelled"])
                | Q(kind="online_programme")
                | one_language_filled("venue")
                | ~Q(online_url=""),
                name="event_published_has_a_place",
                violation_error_message=_("A published event needs a venue or an online link."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "starts_at"], name="event_status_start_idx"),
            models.Index(fields=["kind", "starts_at"], name="event_kind_start_idx"),
        ]

    def __str__(self):
        if not self.starts_at:
            return self.title
        return f"{self.title} ({timezone.localtime(self.starts_at, self.tzinfo):%Y-%m-%d})"

    def clean(self):
        # The constraints say the same without the times, above the form; said here, the
        # error sits on the deadline's field with both times (and the constraint, its field
        # in error, is not checked again).
        if self.ends_at is None:
            return
        zone = self.time_zone if self.time_zone in TimeZone.values else settings.TIME_ZONE
        errors = {}
        for field, words in DEADLINE_AFTER_END.items():
            deadline = getattr(self, field)
            if deadline is not None and deadline > self.ends_at:
                errors[field] = words % {
                    "deadline": times.span(deadline, None, zone),
                    "end": times.span(self.ends_at, None, zone),
                }
        if errors:
            raise ValidationError(errors)

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def is_matching_session(self) -> bool:
        return self.kind == self.Kind.MATCHING_SESSION

    @property
    def held_online(self) -> bool:
        """Say whether the event is held online only: no venue in any language, and a link
        (or, for an online programme, its sessions' links). Nobody comes to a door: its
        pages and e-mails say where to join and speak of no badge."""
        if any(getattr(self, f"venue_{code}") for code in LANGUAGES):
            return False
        return bool(self.online_url) or self.kind == self.Kind.ONLINE_PROGRAMME

    def registration_closes_at(self):
        return self.registration_deadline or self.ends_at

    def is_registration_open(self, at=None) -> bool:
        """Say whether sign-ups are accepted at `at` (capacity aside: that is a waitlist)."""
        at = at or timezone.now()
        return self.status == self.Status.PUBLISHED and at < self.registration_closes_at()

    def not_yet_because(self, status: str, at=None) -> str | None:
        """Return why the event cannot move to `status` yet at `at`, or None.

        What has not started has not taken place: it is completed once it starts.
        """
        if status == self.Status.COMPLETED and (at or timezone.now()) < self.starts_at:
            return _(
                "This event starts on %(when)s; it can be marked as completed once it has started."
            ) % {"when": times.span(self.starts_at, None, self.time_zone)}
        return None

    def move_refused_because(self, status: str, at=None) -> str | None:
        """Return why the event cannot move to `status` at `at`, or None when it can.

        Either its status does not lead there (`TRANSITIONS`), or not yet (`not_yet_because`).
        """
        if super().can_move_to(status):
            return self.not_yet_because(status, at)
        words = STATUS_REFUSALS.get((self.status, status))
        if words is None:  # a move no action page offers (back to a draft)
            words = _("Cannot move from %(from)s to %(to)s.") % {
                "from": self.get_status_display(),
                "to": self.Status(status).label,
            }
        return str(words)

    def can_move_to(self, status: str) -> bool:
        return self.move_refused_because(status) is None

    def move_to(self, status: str) -> None:
        refused = self.move_refused_because(status)
        if refused:
            code = "not_yet" if super().can_move_to(status) else "transition"
            raise ValidationError(refused, code=code)
        super().move_to(status)


class Registration(StatusFlow, models.Model):
    """A person signed up for an event: a startup member, a partner person or a guest.

    One row per person and event, whatever happens: cancelling sets the status, signing up
    again reuses the row, so meetings, requests and badge codes keep pointing at it.
    """

    class Kind(models.TextChoices):
        STARTUP = "startup", _("startup member")
        PARTNER = "partner", _("partner")
        GUEST = "guest", _("guest")

    class Status(models.TextChoices):
        REGISTERED = "registered", _("registered")
        WAITLISTED = "waitlisted", _("waitlisted")
        CANCELLED = "cancelled", _("cancelled")

    TRANSITIONS = {
        Status.REGISTERED: (Status.CANCELLED,),
        Status.WAITLISTED: (Status.REGISTERED, Status.CANCELLED),
        Status.CANCELLED: (Status.REGISTERED, Status.WAITLISTED),
    }

    # Indexed through the check-in index and the unique constraints, which start with it.
    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("event"),
        db_index=False,
    )
    kind = models.CharField(_("registrant"), max_length=10, choices=Kind.choices)
    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("user"),
    )
    # The registrant's company or partner organisation when they signed up, for the badge,
    # the meeting lists and the partner API.
    company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("company"),
    )
    partner_organisation = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("partner organisation"),
    )
    name = models.CharField(_("name on the badge"), max_length=150)
    search_name = models.CharField(max_length=150, editable=False, verbose_name=_("search name"))
    guest_email = models.EmailField(_("guest's e-mail address"), blank=True)
    affiliation = models.CharField(
        _("affiliation"),
        max_length=200,
        blank=True,
        help_text=_("A guest's organisation, printed on the badge."),
    )
    speaks_ko = models.BooleanField(_("speaks Korean"), default=False)
    speaks_zh = models.BooleanField(_("speaks Chinese"), default=False)
    speaks_en = models.BooleanField(_("speaks English"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REGISTERED
    )
    waitlist_position = models.PositiveIntegerField(
        _("waitlist position"),
        null=True,
        blank=True,
        help_text=_("1 is promoted first when a place frees."),
    )
    badge_code = models.CharField(
        _("badge code"), max_length=16, default=new_badge_code, editable=False
    )
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = acting_user(_("checked in by"))
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    available_slots = models.ManyToManyField(
        "MeetingSlot",
        through="Availability",
        related_name="available_registrations",
        blank=True,
        verbose_name=_("available in"),
    )
    attended_sessions = models.ManyToManyField(
        "OnlineSession",
        through="SessionAttendance",
        related_name="attendees",
        blank=True,
        verbose_name=_("attended sessions"),
    )

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["event_id", "search_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(user__isnull=False),
                name="registration_once_per_user",
                violation_error_message=_("This person is already registered for the event."),
            ),
            models.UniqueConstraint(
                "event",
                Lower("guest_email"),
                condition=Q(user__isnull=True),
                name="registration_once_per_guest_email",
                violation_error_message=_("This e-mail address is already registered."),
            ),
            models.UniqueConstraint(fields=["badge_code"], name="registration_badge_code_unique"),
            models.UniqueConstraint(
                fields=["event", "waitlist_position"],
                name="registration_waitlist_unique",
                violation_error_message=_("Another registration holds this waitlist position."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        kind="startup",
                        user__isnull=False,
                        company__isnull=False,
                        partner_organisation__isnull=True,
                        guest_email="",
                    )
                    | Q(
                        kind="partner",
                        user__isnull=False,
                        company__isnull=True,
                        partner_organisation__isnull=False,
                        guest_email="",
                    )
                    | (
                        Q(
                            kind="guest",
                            user__isnull=True,
                            company__isnull=True,
                            partner_organisation__isnull=True,
                        )
                        & ~Q(guest_email="")
                    )
                ),
                name="registration_registrant_matches_kind",
                violation_error_message=_(
                    "A startup member needs an account and a company, a partner an account "
                    "and an organisation, a guest an e-mail address and no account."
                ),
            ),
            models.CheckConstraint(condition=~Q(name=""), name="registration_has_a_name"),
            models.CheckConstraint(
                # isnull=False spelled out: NULL >= 1 is unknown, which a CHECK lets pass.
                condition=Q(
                    status="waitlisted", waitlist_position__isnull=False, waitlist_position__gte=1
                )
                | (~Q(status="waitlisted") & Q(waitlist_position__isnull=True)),
                name="registration_waitlist_position_iff_waitlisted",
                violation_error_message=_("Exactly the waitlisted have a waitlist position."),
            ),
            models.CheckConstraint(
                condition=Q(checked_in_at__isnull=True) | Q(status="registered"),
                name="registration_only_registered_check_in",
                violation_error_message=_("Only a registered person can be checked in."),
            ),
            models.CheckConstraint(
                condition=Q(checked_in_by__isnull=True) | Q(checked_in_at__isnull=False),
                name="registration_checked_in_by_has_time",
            ),
        ]
        indexes = [
            # Check-in by name: event_id = %s AND search_name LIKE 'kim%' in one index range.
            # The pattern opclass serves LIKE under any PostgreSQL collation; SQLite ignores it.
            models.Index(
                fields=["event", "search_name"],
                opclasses=["int8_ops", "varchar_pattern_ops"],
                name="registration_checkin_name_idx",
            ),
            models.Index(fields=["event", "status"], name="registration_event_status_idx"),
            # The staff's search by the first letters of a name, in every event at once (the
            # addresses it also searches have trigram indexes, made on PostgreSQL only by
            # migration 0006).
            models.Index(
                fields=["search_name"],
                opclasses=["varchar_pattern_ops"],
                name="registration_name_prefix_idx",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = search_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.kind == self.Kind.STARTUP and self.user_id and self.company_id:
            membership = getattr(self.user, "membership", None)
            if membership is None or membership.company_id != self.company_id:
                errors["company"] = _("The person is not a member of this company.")
        if self.kind == self.Kind.PARTNER and self.user_id and self.partner_organisation_id:
            person = getattr(self.user, "partner_person", None)
            if person is None or person.organisation_id != self.partner_organisation_id:
                errors["partner_organisation"] = _("The person is not of this organisation.")
        if errors:
            raise ValidationError(errors)

    @property
    def languages(self) -> frozenset[str]:
        """Return the codes ("ko", "zh", "en") of the languages this person speaks."""
        return frozenset(code for code in SPOKEN_LANGUAGES if getattr(self, f"speaks_{code}"))

    @property
    def is_checked_in(self) -> bool:
        return self.checked_in_at is not None

    @property
    def affiliation_shown(self) -> str:
        """The registrant's company or organisation, named in the reader's language (the one
        rule of the company's and organisation's names); a guest's own words otherwise.

        `affiliation` keeps what was true at registration, in the registrant's language.
        """
        if self.company_id:
            return self.company.name
        if self.partner_organisation_id:
            return self.partner_organisation.name
        return self.affiliation


# The sub-packages keep their tables in the `events` app: importing them registers them.
from events.delegations.models import *  # noqa: E402, F403
from events.feeds.models import *  # noqa: E402, F403
from events.judging.models import *  # noqa: E402, F403
from events.matching.models import *  # noqa: E402, F403
from events.online.models import *  # noqa: E402, F403
