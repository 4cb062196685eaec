"""Forms of the judging pages."""

from django import forms
from django.utils.translation import gettext_lazy

from events.judging.models import CompetitionRound, Score


class JudgeAssignForm(forms.Form):
    entry = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Entry"))
    email = forms.EmailField(
        label=gettext_lazy("Judge's e-mail address"),
        max_length=254,
        help_text=gettext_lazy("The judge's portal account."),
    )

    def __init__(self, *args, round_: CompetitionRound, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = round_.entries.select_related("company")


class ScoreSheetForm(forms.Form):
    """A judge's sheet as typed: a number the score column can hold and a comment per criterion.

    Whether every criterion is scored and within its range is `judging.score_submit`'s rule.
    """

    action = forms.ChoiceField(choices=[("save", "save"), ("submit", "submit")], required=False)

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = Score._meta.get_field("value").formfield(
                required=False
            )
            self.fields[f"comment_{criterion.pk}"] = Score._meta.get_field("comment").formfield()

    def scores(self) -> dict[int, tuple]:
        return {
            c.pk: (self.cleaned_data[f"score_{c.pk}"], self.cleaned_data[f"comment_{c.pk}"])
            for c in self.criteria
        }

    def sheet_errors(self) -> dict[str, list]:
        """Return the errors keyed as `score_submit` keys them, comments as "comment_<id>"."""
        errors = {"": [*self.non_field_errors(), *self.errors.get("action", [])]}
        for criterion in self.criteria:
            errors[str(criterion.pk)] = self.errors.get(f"score_{criterion.pk}", [])
            errors[f"comment_{criterion.pk}"] = self.errors.get(f"comment_{criterion.pk}", [])
        return errors
