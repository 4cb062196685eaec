"""The concierge's portal forms: a new request, a reply."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from programs.forms import _file_field
from programs.models import ServiceRequest


class ServiceRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind of service"), choices=ServiceRequest.Kind.choices)
    subject = forms.CharField(label=_("subject"), max_length=200)
    body = forms.CharField(
        label=_("what you need"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Write in Korean, Chinese or English; the center answers in your language."),
    )
    file = _file_field()


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("message"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    file = _file_field()

    def clean(self):
        data = super().clean()
        if not (data.get("body") or "").strip() and not data.get("file") and not self.errors:
            raise ValidationError(_("Write a message or attach a file."))
        return data
