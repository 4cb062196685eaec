from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from events import services
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


# The query parameter of the admin's add page opened from the door's check-in page: saved,
# it goes back there (`RegistrationAdmin.response_add`).
FROM_CHECK_IN = "from_check_in"


class RegistrationAddForm(forms.ModelForm):
    """Register an account (startup member, partner person) or a guest (name and e-mail).

    The service decides the place or the waitlist; this form only checks what it can say
    before saving.
    """

    class Meta:
        model = Registration
        fields = [
            "event",
            "user",
            "name",
            "guest_email",
            "affiliation",
            "speaks_ko",
            "speaks_zh",
            "speaks_en",
            "notes",
        ]
        help_texts = {
            "user": _("A startup member or a partner person with a portal account."),
            "guest_email": _("A guest without an account: name and e-mail address."),
        }

    # At the door, a full event's walk-in may get a place all the same: staff decide there,
    # rather than the waitlist deciding for them.
    over_capacity = forms.BooleanField(
        label=_("Register over capacity"),
        required=False,
        help_text=_(
            "For a guest when the event is full: a place beyond the capacity, so that they "
            "can be checked in now, instead of the waitlist."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False
        self.fields["name"].help_text = _("Required for a guest; an account's full name if empty.")

    def clean(self):
        data = super().clean()
        event, user, email = data.get("event"), data.get("user"), data.get("guest_email")
        if bool(user) == bool(email):
            raise ValidationError(_("Choose an account or give a guest's e-mail address (one)."))
        if email and not data.get("name"):
            self.add_error("name", _("A guest needs a name for the badge."))
        if user and data.get("over_capacity"):
            self.add_error(
                "over_capacity",
                _(
                    "Only a guest is registered over capacity; an account gets a place or the "
                    "waitlist."
                ),
            )
        if event is not None:
            refusal = services.registration_refusal(event=event, user=user, email=email or "")
            if refusal:
                raise ValidationError(refusal)
        return data

    def _post_clean(self):
        # The service builds and validates the row (the kind, the company or organisation,
        # the place or waitlist position, the old row of a cancelled person).
        pass

    def languages(self) -> set[str]:
        return {c for c in ("ko", "zh", "en") if self.cleaned_data.get(f"speaks_{c}")}
