"""Events, registrations and check-in, 1:1 meetings, online sessions, delegations, judging.

Rules that span rows or tables (capacity, waitlist promotion, a person in one meeting per
slot, scores within a criterion's maximum, no judge on a company they declared a conflict
with) are checked in `clean()` here and enforced under a row lock by `events.services`; what a
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
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from companies.models import SPOKEN_LANGUAGES, Company, Lead, PartnerOrganisation
from incubator.multilingual import localized

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


def _has_one_of(field: str) -> Q:
    return ~Q(**{f"{field}_ko": ""}) | ~Q(**{f"{field}_zh": ""}) | ~Q(**{f"{field}_en": ""})


def _ends_after_start(name: str, start: str = "starts_at", end: str = "ends_at"):
    return models.CheckConstraint(
        condition=Q(**{f"{end}__gt": F(start)}),
        name=name,
        violation_error_message=_("The end must be after the start."),
    )


class TimeZone(models.TextChoices):
    SEOUL = "Asia/Seoul", _("Korea (Asia/Seoul)")
    SHANGHAI = "Asia/Shanghai", _("China (Asia/Shanghai)")


class Event(models.Model):
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
    title_ko = models.CharField(_("title (Korean)"), max_length=200, blank=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_ko = models.TextField(_("description (Korean)"), blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=40,
        choices=TimeZone.choices,
        default=TimeZone.SHANGHAI,
        help_text=_("Times are shown in this zone and in each person's own."),
    )
    venue = models.CharField(_("venue"), max_length=300, blank=True)
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
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-starts_at"]
        constraints = [
            _ends_after_start("event_ends_after_start"),
            models.CheckConstraint(
                condition=_has_one_of("title"),
                name="event_has_a_title",
                violation_error_message=_("Give the title in at least one language."),
            ),
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
                | ~Q(venue="")
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

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def description(self) -> str:
        return localized(self, "description")

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def is_matching_session(self) -> bool:
        return self.kind == self.Kind.MATCHING_SESSION

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, ())

    def registration_closes_at(self):
        return self.registration_deadline or self.ends_at

    def is_registration_open(self, at=None) -> bool:
        """Say whether sign-ups are accepted at `at` (capacity aside: that is a waitlist)."""
        at = at or timezone.now()
        return self.status == self.Status.PUBLISHED and at < self.registration_closes_at()


class Registration(models.Model):
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
    search_name = models.CharField(max_length=150, editable=False)
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
    checked_in_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked in by"),
    )
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
                fields=["event", "waitlist_position"], name="registration_waitlist_unique"
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

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, ())

    @property
    def languages(self) -> frozenset[str]:
        """Return the codes ("ko", "zh", "en") of the languages this person speaks."""
        return frozenset(code for code in SPOKEN_LANGUAGES if getattr(self, f"speaks_{code}"))

    @property
    def is_checked_in(self) -> bool:
        return self.checked_in_at is not None


class MeetingSlot(models.Model):
    """A time in a matching session when 1:1 meetings take place, all tables at once."""

    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        related_name="slots",
        verbose_name=_("event"),
        db_index=False,  # the unique (event, starts_at) index serves it
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    tables = models.PositiveSmallIntegerField(
        _("tables"), null=True, blank=True, help_text=_("Empty: the event's number of tables.")
    )
    interpreters = models.PositiveSmallIntegerField(
        _("interpreters"),
        null=True,
        blank=True,
        help_text=_("Empty: the event's interpreters per slot."),
    )

    class Meta:
        verbose_name = _("meeting slot")
        verbose_name_plural = _("meeting slots")
        ordering = ["event_id", "starts_at"]
        constraints = [
            _ends_after_start("meeting_slot_ends_after_start"),
            models.UniqueConstraint(
                fields=["event", "starts_at"],
                name="meeting_slot_unique_start",
                violation_error_message=_("The event has a slot starting at this time."),
            ),
        ]

    def __str__(self):
        if not (self.starts_at and self.ends_at and self.event_id):
            return gettext("meeting slot")
        start = timezone.localtime(self.starts_at, self.event.tzinfo)
        end = timezone.localtime(self.ends_at, self.event.tzinfo)
        return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"

    def clean(self):
        if self.event_id and self.starts_at and self.ends_at:
            if self.starts_at < self.event.starts_at or self.ends_at > self.event.ends_at:
                raise ValidationError(_("A slot lies within its event."))
            overlapping = MeetingSlot.objects.filter(
                event_id=self.event_id, starts_at__lt=self.ends_at, ends_at__gt=self.starts_at
            ).exclude(pk=self.pk)
            if overlapping.exists():
                raise ValidationError(_("Slots of an event do not overlap."))

    @property
    def table_count(self) -> int:
        return self.event.meeting_tables if self.tables is None else self.tables

    @property
    def interpreter_count(self) -> int:
        return self.event.interpreters_per_slot if self.interpreters is None else self.interpreters


class Availability(models.Model):
    """A participant of a matching session is free to meet in a slot (one row per slot)."""

    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="availabilities",
        verbose_name=_("registration"),
        db_index=False,  # the unique (registration, slot) index serves it
    )
    slot = models.ForeignKey(
        MeetingSlot,
        on_delete=models.CASCADE,
        related_name="availabilities",
        verbose_name=_("slot"),
    )

    class Meta:
        verbose_name = _("availability")
        verbose_name_plural = _("availabilities")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "slot"], name="availability_once_per_slot"
            )
        ]

    def __str__(self):
        return f"{self.registration} @ {self.slot}"

    def clean(self):
        if self.registration_id and self.slot_id:
            if self.registration.event_id != self.slot.event_id:
                raise ValidationError(_("The slot belongs to another event."))


class MeetingRequest(models.Model):
    """One participant asks to meet another; the other accepts or declines."""

    class Priority(models.TextChoices):
        MUST = "must", _("must meet")
        WOULD_LIKE = "would_like", _("would like to meet")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        related_name="meeting_requests",
        verbose_name=_("event"),
        db_index=False,  # the (event, status) index serves it
    )
    from_registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="requests_sent",
        verbose_name=_("from"),
        db_index=False,  # the unique (from, to) index serves it
    )
    to_registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="requests_received",
        verbose_name=_("to"),
        db_index=False,  # the (to, status) index serves it
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.WOULD_LIKE
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_registration", "to_registration"],
                name="meeting_request_once_per_direction",
                violation_error_message=_("This meeting has already been requested."),
            ),
            models.CheckConstraint(
                condition=~Q(from_registration=F("to_registration")),
                name="meeting_request_not_to_oneself",
                violation_error_message=_("Nobody can request a meeting with themselves."),
            ),
        ]
        indexes = [
            models.Index(fields=["event", "status"], name="meeting_request_event_idx"),
            models.Index(fields=["to_registration", "status"], name="meeting_request_inbox_idx"),
        ]

    def __str__(self):
        return f"{self.from_registration} → {self.to_registration}"

    def clean(self):
        if self.event_id and self.from_registration_id and self.to_registration_id:
            events = {self.from_registration.event_id, self.to_registration.event_id}
            if events != {self.event_id}:
                raise ValidationError(_("Both people must be registered for this event."))


class ScheduleRun(models.Model):
    """One run of the meeting scheduler (a Celery task); its progress feeds the progress bar."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    ACTIVE = (Status.QUEUED, Status.RUNNING)
    TRANSITIONS = {
        Status.QUEUED: (Status.RUNNING, Status.FAILED),
        Status.RUNNING: (Status.DONE, Status.FAILED),
        Status.DONE: (),
        Status.FAILED: (),
    }

    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        related_name="schedule_runs",
        verbose_name=_("event"),
        db_index=False,  # the (event, -created_at) index serves it
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    pin_previous = models.BooleanField(
        _("keep previous meetings in place"),
        default=True,
        help_text=_("Move a meeting of the last schedule only when it no longer fits."),
    )
    requested_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    task_id = models.CharField(_("task id"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    requests_count = models.PositiveIntegerField(_("requests"), default=0)
    scheduled_count = models.PositiveIntegerField(_("meetings scheduled"), default=0)
    unscheduled_count = models.PositiveIntegerField(_("requests not scheduled"), default=0)
    moved_count = models.PositiveIntegerField(_("meetings moved"), default=0)
    total_weight = models.PositiveIntegerField(_("total weight"), default=0)
    idle_gaps = models.PositiveIntegerField(_("idle gaps"), default=0)
    # [{"a": registration id, "b": registration id, "reason": matchmaking reason code}, ...]
    unscheduled = models.JSONField(_("requests not scheduled, and why"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("schedule run")
        verbose_name_plural = _("schedule runs")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100), name="schedule_run_progress_0_100"
            ),
            # The scheduler rewrites the whole schedule: two runs at once would fight.
            models.UniqueConstraint(
                fields=["event"],
                condition=Q(status__in=["queued", "running"]),
                name="schedule_run_one_active_per_event",
                violation_error_message=_("A schedule is already being computed for this event."),
            ),
            models.CheckConstraint(
                condition=Q(started_at__isnull=True)
                | Q(finished_at__isnull=True)
                | Q(finished_at__gte=F("started_at")),
                name="schedule_run_finishes_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(progress=100), name="schedule_run_done_is_100"
            ),
        ]
        indexes = [models.Index(fields=["event", "-created_at"], name="schedule_run_latest_idx")]

    def __str__(self):
        return f"{self.event_id} · {self.get_status_display()} · {self.progress}%"

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, ())

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE


class Meeting(models.Model):
    """A 1:1 meeting of two registrations of a matching session, at a table in a slot.

    The pair is stored in order (registration_a_id < registration_b_id), so a pair has one
    form and meets at most once per event. Tables and interpreters are numbered from 1 as
    printed (the scheduler counts from 0).
    """

    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        related_name="meetings",
        verbose_name=_("event"),
        db_index=False,  # the unique (event, a, b) index serves it
    )
    registration_a = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="meetings_as_a",
        verbose_name=_("participant A"),
    )
    registration_b = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="meetings_as_b",
        verbose_name=_("participant B"),
    )
    # RESTRICT: deleting a slot with meetings fails, deleting the whole event does not.
    slot = models.ForeignKey(
        MeetingSlot,
        on_delete=models.RESTRICT,
        related_name="meetings",
        verbose_name=_("slot"),
        db_index=False,  # the unique (slot, table) index serves it
    )
    table = models.PositiveSmallIntegerField(_("table"))
    interpreter = models.PositiveSmallIntegerField(
        _("interpreter"), null=True, blank=True, help_text=_("Empty: no interpreter needed.")
    )
    locked = models.BooleanField(
        _("locked"), default=False, help_text=_("A new schedule keeps this meeting as it is.")
    )
    schedule_run = models.ForeignKey(
        ScheduleRun,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("placed by run"),
    )
    created_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
        help_text=_("Empty: placed by the scheduler."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["slot__starts_at", "table"]
        constraints = [
            models.CheckConstraint(
                condition=Q(registration_a__lt=F("registration_b")),
                name="meeting_pair_in_order",
                violation_error_message=_("A meeting is between two different people."),
            ),
            models.UniqueConstraint(
                fields=["slot", "table"],
                name="meeting_table_once_per_slot",
                violation_error_message=_("This table is taken in this slot."),
            ),
            models.UniqueConstraint(
                fields=["slot", "interpreter"],
                name="meeting_interpreter_once_per_slot",
                violation_error_message=_("This interpreter is busy in this slot."),
            ),
            # Half of "one meeting per person and slot"; the other half (A here, B there)
            # spans two columns: Meeting.clean() and the service under the event lock.
            models.UniqueConstraint(
                fields=["slot", "registration_a"], name="meeting_a_once_per_slot"
            ),
            models.UniqueConstraint(
                fields=["slot", "registration_b"], name="meeting_b_once_per_slot"
            ),
            models.UniqueConstraint(
                fields=["event", "registration_a", "registration_b"],
                name="meeting_pair_once_per_event",
                violation_error_message=_("These two already meet at this event."),
            ),
            models.CheckConstraint(condition=Q(table__gte=1), name="meeting_table_from_1"),
            models.CheckConstraint(
                condition=Q(interpreter__isnull=True) | Q(interpreter__gte=1),
                name="meeting_interpreter_from_1",
            ),
        ]

    def __str__(self):
        return f"{self.registration_a} ↔ {self.registration_b} · {self.table}"

    def clean(self):
        """Put the pair in order and check what the unique constraints cannot."""
        if not (self.registration_a_id and self.registration_b_id and self.slot_id):
            return
        if self.registration_a_id > self.registration_b_id:
            self.registration_a, self.registration_b = self.registration_b, self.registration_a
        errors = []
        slot = self.slot
        if {slot.event_id, self.registration_a.event_id, self.registration_b.event_id} != {
            self.event_id
        }:
            errors.append(_("The slot and both people must belong to this event."))
        if self.table and self.table > slot.table_count:
            errors.append(_("The event has no table %(table)s.") % {"table": self.table})
        if self.interpreter and self.interpreter > slot.interpreter_count:
            errors.append(_("The slot has no interpreter %(n)s.") % {"n": self.interpreter})
        people = [self.registration_a_id, self.registration_b_id]
        busy = (
            Meeting.objects.filter(slot_id=self.slot_id)
            .filter(Q(registration_a_id__in=people) | Q(registration_b_id__in=people))
            .exclude(pk=self.pk)
        )
        if busy.exists():
            errors.append(_("One of the two already has a meeting in this slot."))
        if errors:
            raise ValidationError(errors)

    def involves(self, registration_id: int) -> bool:
        return registration_id in (self.registration_a_id, self.registration_b_id)


class OnlineSession(models.Model):
    """A session of an online programme, with its link."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="online_sessions", verbose_name=_("event")
    )
    title_ko = models.CharField(_("title (Korean)"), max_length=200, blank=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    link = models.URLField(_("link"), max_length=500)

    class Meta:
        verbose_name = _("online session")
        verbose_name_plural = _("online sessions")
        ordering = ["event_id", "starts_at"]
        constraints = [
            _ends_after_start("online_session_ends_after_start"),
            models.CheckConstraint(
                condition=_has_one_of("title"),
                name="online_session_has_a_title",
                violation_error_message=_("Give the title in at least one language."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        return localized(self, "title")


class SessionAttendance(models.Model):
    """A registration attended an online session."""

    session = models.ForeignKey(
        OnlineSession,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("session"),
        db_index=False,  # the unique (session, registration) index serves it
    )
    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="session_attendances",
        verbose_name=_("registration"),
    )
    joined_at = models.DateTimeField(_("joined at"), null=True, blank=True)
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("session attendance")
        verbose_name_plural = _("session attendances")
        ordering = ["session_id", "registration_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "registration"], name="session_attendance_once"
            ),
            models.CheckConstraint(
                condition=Q(joined_at__isnull=True)
                | Q(left_at__isnull=True)
                | Q(left_at__gte=F("joined_at")),
                name="session_attendance_leaves_after_joining",
            ),
        ]

    def __str__(self):
        return f"{self.registration} @ {self.session}"

    def clean(self):
        if self.session_id and self.registration_id:
            if self.session.event_id != self.registration.event_id:
                raise ValidationError(_("The person is not registered for this programme."))


class Delegation(models.Model):
    """A group that visits (e.g. Korean founders flown to Harbin), with its programme."""

    name_ko = models.CharField(_("name (Korean)"), max_length=200, blank=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
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
    coordinator = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"is_staff": True},
        verbose_name=_("center coordinator"),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["-arrives_at"]
        constraints = [
            _ends_after_start("delegation_departs_after_arrival", "arrives_at", "departs_at"),
            models.CheckConstraint(
                condition=_has_one_of("name"),
                name="delegation_has_a_name",
                violation_error_message=_("Give the name in at least one language."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

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
    title_ko = models.CharField(_("title (Korean)"), max_length=200, blank=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
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
            models.CheckConstraint(
                condition=_has_one_of("title"),
                name="programme_item_has_a_title",
                violation_error_message=_("Give the title in at least one language."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        return localized(self, "title")


class CompetitionRound(models.Model):
    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        related_name="competition_rounds",
        limit_choices_to={"kind": Event.Kind.COMPETITION},
        verbose_name=_("event"),
        db_index=False,  # the unique (event, order) index serves it
    )
    name_ko = models.CharField(_("name (Korean)"), max_length=200, blank=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    judging_deadline = models.DateTimeField(_("judging deadline"), null=True, blank=True)
    released_at = models.DateTimeField(
        _("results published at"), null=True, blank=True, help_text=_("Empty: not published.")
    )

    class Meta:
        verbose_name = _("competition round")
        verbose_name_plural = _("competition rounds")
        ordering = ["event_id", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "order"],
                name="competition_round_order_unique",
                violation_error_message=_("The event has a round with this number."),
            ),
            models.CheckConstraint(
                condition=_has_one_of("name"),
                name="competition_round_has_a_name",
                violation_error_message=_("Give the name in at least one language."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def is_released(self) -> bool:
        return self.released_at is not None


class CompetitionEntry(models.Model):
    round = models.ForeignKey(
        CompetitionRound,
        on_delete=models.CASCADE,
        related_name="entries",
        verbose_name=_("round"),
        db_index=False,  # the unique (round, company) index serves it
    )
    # PROTECT: scored entries and published results outlive a deleted company profile.
    company = models.ForeignKey(
        Company,
        on_delete=models.PROTECT,
        related_name="competition_entries",
        verbose_name=_("company"),
    )
    title = models.CharField(_("title"), max_length=200)
    pitch = models.TextField(_("pitch"), blank=True)
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("competition entry")
        verbose_name_plural = _("competition entries")
        ordering = ["round_id", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "company"],
                name="competition_entry_once_per_round",
                violation_error_message=_("This company already has an entry in this round."),
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.company})"


class JudgingCriterion(models.Model):
    round = models.ForeignKey(
        CompetitionRound,
        on_delete=models.CASCADE,
        related_name="criteria",
        verbose_name=_("round"),
    )
    name_ko = models.CharField(_("name (Korean)"), max_length=200, blank=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)
    max_score = models.PositiveSmallIntegerField(_("maximum score"), default=10)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("judging criterion")
        verbose_name_plural = _("judging criteria")
        ordering = ["round_id", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gt=0),
                name="judging_criterion_weight_positive",
                violation_error_message=_("The weight must be more than 0."),
            ),
            models.CheckConstraint(
                condition=Q(max_score__gte=1),
                name="judging_criterion_max_score_positive",
                violation_error_message=_("The maximum score must be at least 1."),
            ),
            models.CheckConstraint(
                condition=_has_one_of("name"),
                name="judging_criterion_has_a_name",
                violation_error_message=_("Give the name in at least one language."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


class JudgeAssignment(models.Model):
    """A judge scores an entry (the entry says which round)."""

    entry = models.ForeignKey(
        CompetitionEntry,
        on_delete=models.CASCADE,
        related_name="judge_assignments",
        verbose_name=_("entry"),
        db_index=False,  # the unique (entry, judge) index serves it
    )
    judge = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="judge_assignments", verbose_name=_("judge")
    )
    assigned_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    submitted_at = models.DateTimeField(
        _("scores submitted at"),
        null=True,
        blank=True,
        help_text=_("Scores are final once submitted."),
    )

    class Meta:
        verbose_name = _("judge assignment")
        verbose_name_plural = _("judge assignments")
        ordering = ["entry_id", "judge_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "judge"],
                name="judge_assignment_once",
                violation_error_message=_("This judge is already assigned to this entry."),
            )
        ]

    def __str__(self):
        return f"{self.judge} · {self.entry}"

    def clean(self):
        if self.entry_id and self.judge_id:
            conflict = ConflictDeclaration.objects.filter(
                judge_id=self.judge_id, company_id=self.entry.company_id
            )
            if conflict.exists():
                raise ValidationError(_("The judge declared a conflict with this company."))


class ConflictDeclaration(models.Model):
    """A judge may not score this company's entries."""

    judge = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="conflict_declarations",
        verbose_name=_("judge"),
        db_index=False,  # the unique (judge, company) index serves it
    )
    company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        related_name="judge_conflicts",
        verbose_name=_("company"),
    )
    reason = models.TextField(_("reason"), blank=True)
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        ordering = ["judge_id", "company_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["judge", "company"],
                name="conflict_declaration_once",
                violation_error_message=_("This conflict is already declared."),
            )
        ]

    def __str__(self):
        return f"{self.judge} ✕ {self.company}"


class Score(models.Model):
    assignment = models.ForeignKey(
        JudgeAssignment,
        on_delete=models.CASCADE,
        related_name="scores",
        verbose_name=_("assignment"),
        db_index=False,  # the unique (assignment, criterion) index serves it
    )
    # RESTRICT: a criterion with scores cannot be deleted alone, only with its round.
    criterion = models.ForeignKey(
        JudgingCriterion,
        on_delete=models.RESTRICT,
        related_name="scores",
        verbose_name=_("criterion"),
    )
    value = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["assignment_id", "criterion_id"]
        permissions = [("correct_score", _("Can correct a final score, with a reason"))]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "criterion"],
                name="score_once_per_criterion",
                violation_error_message=_("This criterion is already scored."),
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="score_not_negative",
                violation_error_message=_("A score cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.value}"

    def clean(self):
        if self.assignment_id and self.criterion_id and self.value is not None:
            criterion = self.criterion
            if criterion.round_id != self.assignment.entry.round_id:
                raise ValidationError(_("The criterion belongs to another round."))
            if self.value > criterion.max_score:
                raise ValidationError(
                    {"value": _("At most %(max)s.") % {"max": criterion.max_score}}
                )


class ScoreCorrection(models.Model):
    """A change the center made to a final score, with its reason; the judge's value stays here."""

    # PROTECT: a corrected score, and so its round, is not deleted with its record.
    score = models.ForeignKey(
        Score, on_delete=models.PROTECT, related_name="corrections", verbose_name=_("score")
    )
    original_value = models.DecimalField(_("value before"), max_digits=5, decimal_places=2)
    corrected_value = models.DecimalField(_("value after"), max_digits=5, decimal_places=2)
    reason = models.TextField(_("reason"))
    corrected_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("corrected by")
    )
    corrected_at = models.DateTimeField(_("corrected at"), auto_now_add=True)

    class Meta:
        verbose_name = _("score correction")
        verbose_name_plural = _("score corrections")
        ordering = ["score_id", "corrected_at"]

    def __str__(self):
        return f"{self.score.criterion}: {self.original_value} → {self.corrected_value}"
