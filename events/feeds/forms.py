from django import forms
from django.utils.translation import gettext_lazy as _

MINE = "mine"
ORGANISATION = "organisation"


class FeedActionForm(forms.Form):
    """Which feed a button acts on, and the confirmation that its old address will die."""

    feed = forms.ChoiceField(choices=[(MINE, MINE), (ORGANISATION, ORGANISATION)])
    confirm = forms.BooleanField(
        label=_("I understand that the current address stops working."), required=False
    )

    def __init__(self, *args, active: set[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.active = active

    def clean(self):
        data = super().clean()
        if data.get("feed") in self.active and not data.get("confirm"):
            self.add_error(
                "confirm",
                _("Tick the box: calendars subscribed to the current address lose it."),
            )
        return data
