"""1:1 meetings of matching sessions: slots, availability, requests, meetings, scheduler runs.

Tables of the `events` app (its label and table names); `events.models` imports them.
"""

from decimal import ROUND_FLOOR, Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from events.models import Event, Registration, _ends_after_start
from incubator.models import acting_user
from incubator.status_flow import BackgroundRun
from incubator.zones import zone_words

__all__ = ["Availability", "Meeting", "MeetingRequest", "MeetingSlot", "ScheduleRun"]


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
        return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M} {zone_words(self.event.time_zone, start)}"

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
                fields=["registration", "slot"],
                name="availability_once_per_slot",
                violation_error_message=_("This availability is already recorded for the slot."),
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


class ScheduleRun(BackgroundRun, models.Model):
    """One run of the meeting scheduler (a Celery task); its progress feeds the progress bar."""

    Status = BackgroundRun.Status

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
    requested_by = acting_user(_("requested by"))
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
    # Computed in the same task as the schedule (events/matching/bound.py).
    upper_bound = models.PositiveIntegerField(
        _("upper bound of the total weight"),
        null=True,
        blank=True,
        help_text=_(
            "No schedule that keeps the locked meetings (and, when the run keeps them in place, "
            "the meetings of the last schedule) can weigh more."
        ),
    )
    bound_share = models.DecimalField(
        _("share of the upper bound (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "The total weight as a share of the upper bound, rounded down: 100 is optimal."
        ),
    )
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

    @property
    def is_optimal(self) -> bool:
        """The schedule weighs as much as its upper bound: no schedule is better."""
        return self.upper_bound is not None and self.total_weight >= self.upper_bound

    @property
    def bound_share_shown(self) -> Decimal | None:
        """The share with one decimal, rounded down: 99.96 % is not shown as 100.0 %."""
        if self.bound_share is None:
            return None
        return Decimal(self.bound_share).quantize(Decimal("0.1"), rounding=ROUND_FLOOR)

    @staticmethod
    def share_of(weight: int, bound: int) -> Decimal:
        """`weight` as a percentage of `bound`, with two decimals, rounded down."""
        if bound <= 0:
            return Decimal(100)
        return (Decimal(100 * weight) / bound).quantize(Decimal("0.01"), rounding=ROUND_FLOOR)


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
    created_by = acting_user(_("created by"), help_text=_("Empty: placed by the scheduler."))
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
                fields=["slot", "registration_a"],
                name="meeting_a_once_per_slot",
                violation_error_message=_("This participant already has a meeting in this slot."),
            ),
            models.UniqueConstraint(
                fields=["slot", "registration_b"],
                name="meeting_b_once_per_slot",
                violation_error_message=_("This participant already has a meeting in this slot."),
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
