"""Forms of the 1:1 meeting pages."""

from django import forms
from django.utils.translation import gettext_lazy

from companies.models import SPOKEN_LANGUAGES
from events.matching.models import MeetingRequest, MeetingSlot
from events.models import Event, Registration
from incubator import times
from incubator.templatetags.when import unbroken


def _language_choices():
    return [
        (code, Registration._meta.get_field(f"speaks_{code}").verbose_name)
        for code in SPOKEN_LANGUAGES
    ]


def _slot_label(slot: MeetingSlot, event: Event, viewer_zone: str | None):
    # A checkbox's label on a phone wraps between a slot's pieces, never inside a zone's name.
    return unbroken(
        times.when_pieces(
            slot.starts_at, slot.ends_at, event_zone=event.time_zone, viewer_zone=viewer_zone
        )
    )


class AvailabilityForm(forms.Form):
    slots = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Time slots when you can meet"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": gettext_lazy("A chosen time slot is not part of this event.")
        },
    )
    languages = forms.MultipleChoiceField(
        label=gettext_lazy("Languages you can meet in"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one language you speak.")},
    )

    def __init__(self, *args, event: Event, viewer_zone: str | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slots"].choices = [
            (slot.pk, _slot_label(slot, event, viewer_zone)) for slot in event.slots.all()
        ]
        self.fields["languages"].choices = _language_choices()


class MeetingRequestForm(forms.Form):
    to = forms.IntegerField(widget=forms.HiddenInput)
    priority = forms.ChoiceField(
        label=gettext_lazy("How much do you want this meeting?"),
        choices=MeetingRequest.Priority.choices,
        initial=MeetingRequest.Priority.WOULD_LIKE,
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=gettext_lazy("Message"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MeetingAddForm(forms.Form):
    registration_a = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Participant"))
    registration_b = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Meets"))
    slot = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Time slot"))
    table = forms.IntegerField(
        label=gettext_lazy("Table"),
        required=False,
        min_value=1,
        help_text=gettext_lazy("Empty: the first free table."),
    )
    locked = forms.BooleanField(
        label=gettext_lazy("Locked (the next schedule keeps it here)"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        people = event.registrations.filter(status=Registration.Status.REGISTERED).order_by(
            "search_name"
        )
        self.fields["registration_a"].queryset = people
        self.fields["registration_b"].queryset = people
        self.fields["slot"].queryset = event.slots.all()


class MeetingAnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", "accept"), ("decline", "decline")])


class MeetingLockForm(forms.Form):
    locked = forms.ChoiceField(choices=[("1", "1"), ("0", "0")])


class ScheduleGenerateForm(forms.Form):
    pin_previous = forms.MultipleChoiceField(choices=[("0", "0"), ("1", "1")], required=False)

    def clean_pin_previous(self) -> bool:
        # The hidden "0" comes before the checkbox: absent altogether means the default.
        values = self.cleaned_data["pin_previous"]
        return "1" in values if values else True
