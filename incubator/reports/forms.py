"""The staff's form to run the KPI report: a preset or a range of dates."""

import datetime as dt

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from incubator.reports.period import Period, PresetKind

FIRST_YEAR = "first_year"
# The centers were founded on 2020-08-10; the article reports on the year that followed.
FIRST_YEAR_PERIOD = (dt.date(2020, 8, 10), dt.date(2021, 8, 31))


class ReportRunForm(forms.Form):
    preset = forms.ChoiceField(
        label=_("Period"),
        required=False,
        choices=[
            ("", _("the dates below")),
            *PresetKind.CHOICES,
            (FIRST_YEAR, _("the center's first year (2020-08-10 to 2021-08-31)")),
        ],
    )
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    language = forms.ChoiceField(label=_("Language of the workbook"), choices=settings.LANGUAGES)

    def clean(self):
        data = super().clean()
        preset = data.get("preset")
        if preset and (data.get("start") or data.get("end")):
            # Both would be a guess at which the person meant: ask for one.
            self.add_error(
                None,
                ValidationError(
                    _(
                        "Choose a period or give dates, not both: "
                        "clear the dates to use “%(period)s”."
                    ),
                    code="preset_and_dates",
                    params={"period": dict(self.fields["preset"].choices)[preset]},
                ),
            )
            return data
        try:
            if preset == FIRST_YEAR:
                data["period"] = Period(*FIRST_YEAR_PERIOD)
            elif preset:
                data["period"] = Period.preset(preset)
            elif data.get("start") and data.get("end"):
                data["period"] = Period(data["start"], data["end"])
            elif not self.errors:
                raise ValidationError(_("Choose a period, or give both dates."), code="required")
        except ValidationError as error:
            self.add_error(None, error)
        return data
