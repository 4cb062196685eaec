"""The upload form of the bulk import (the rows are checked by companies.imports.services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from companies.imports.parsing import COMPANIES, LEADS
from companies.models import Lead

MAX_BYTES = 5 * 1024 * 1024


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("import as"), choices=[(COMPANIES, _("companies")), (LEADS, _("leads"))]
    )
    source = forms.ChoiceField(
        label=_("source of the leads"),
        choices=Lead.Source.choices,
        initial=Lead.Source.ASSOCIATION,
        help_text=_("Only for leads."),
    )
    file = forms.FileField(
        label=_("spreadsheet"),
        help_text=_("XLSX or CSV, at most 2,000 rows and 5 MB; the first row holds the headers."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        # Over the project's upload limit the handler hands a RefusedUpload: its size only.
        if uploaded.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size).1f MB; files may be at most %(max).0f MB.")
                % {"size": uploaded.size / 1_048_576, "max": MAX_BYTES / 1_048_576}
            )
        return uploaded
