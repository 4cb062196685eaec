from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import Event, Registration


class EventFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of event"),
        required=False,
        choices=[("", _("All kinds")), *Event.Kind.choices],
    )


class RegistrationForm(forms.Form):
    """What a startup member tells when signing up: the languages they can meet in."""

    speaks_ko = forms.BooleanField(label=_("I speak Korean"), required=False, initial=True)
    speaks_zh = forms.BooleanField(label=_("I speak Chinese"), required=False)
    speaks_en = forms.BooleanField(label=_("I speak English"), required=False)

    def clean(self):
        data = super().clean()
        if not any(data.get(f"speaks_{code}") for code in ("ko", "zh", "en")):
            raise forms.ValidationError(
                _("Tick at least one language you speak: the center plans interpreters with it.")
            )
        return data

    def languages(self) -> set[str]:
        return {code for code in ("ko", "zh", "en") if self.cleaned_data.get(f"speaks_{code}")}


class CheckInSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Badge code or name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "none",
                "spellcheck": "false",
                "enterkeyhint": "search",
                "autofocus": True,
            }
        ),
        help_text=_("Type the code under the QR code, or the first letters of the name."),
    )


class CheckInForm(forms.Form):
    registration = forms.ModelChoiceField(queryset=Registration.objects.none())

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registration"].queryset = event.registrations.all()


class AttendanceForm(forms.Form):
    attendees = forms.ModelMultipleChoiceField(
        label=_("Attended"),
        queryset=Registration.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = Registration.objects.filter(
            event_id=session.event_id, status=Registration.Status.REGISTERED
        ).order_by("search_name", "pk")
