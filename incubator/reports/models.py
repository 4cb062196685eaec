"""A staff member's run of the KPI report: queued, computed by a task, then downloaded."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from incubator.models import acting_user
from incubator.status_flow import BackgroundRun


def report_file_path(run, filename: str) -> str:
    # Private storage (MEDIA_ROOT is never served): only the staff download view reads it.
    return f"reports/{run.pk}/{filename}"


class ReportRun(BackgroundRun, models.Model):
    Status = BackgroundRun.Status

    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    language = models.CharField(_("language of the headers"), max_length=10, default="ko")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("current step"), max_length=100, blank=True)
    file = models.FileField(_("workbook"), upload_to=report_file_path, max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = acting_user(_("requested by"))
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report run")
        verbose_name_plural = _("report runs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="report_run_period_ordered"
            ),
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100), name="report_run_progress_0_100"
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(progress=100), name="report_run_done_is_100"
            ),
        ]

    def __str__(self):
        return f"{self.period_start} – {self.period_end} · {self.get_status_display()}"
