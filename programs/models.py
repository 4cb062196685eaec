from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def localized(obj, field: str) -> str:
    """Return obj.<field>_<language>, falling back to Korean then English."""
    language = (get_language() or "ko").split("-")[0]
    for code in (language, "ko", "en", "zh"):
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return value
    return ""


class Program(models.Model):
    name_ko = models.CharField(_("name (Korean)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_ko = models.TextField(_("description (Korean)"), blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["name_ko"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def description(self) -> str:
        return localized(self, "description")


class Intake(models.Model):
    """A program's window for applications."""

    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="intakes", verbose_name=_("program")
    )
    label = models.CharField(_("label"), max_length=100, help_text=_("e.g. 2026 autumn"))
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))

    class Meta:
        verbose_name = _("intake")
        verbose_name_plural = _("intakes")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="intake_closes_after_it_opens",
                violation_error_message=_("An intake must close after it opens."),
            )
        ]

    def __str__(self):
        return f"{self.program} · {self.label}"

    def is_open(self, at=None) -> bool:
        at = at or timezone.now()
        return self.opens_at <= at < self.closes_at
