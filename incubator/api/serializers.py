"""What the API takes in a body: the fields of the call, each of its JSON type.

DRF drops a field it does not know (`"descripton"`: a typo lost without a word), ignores a
read-only one (`"id": 99`) and coerces what it can ("111" or 111.0 for an id, "yes" or 1
for true, 42 for a text). The schema promises less, so the API takes less: each of those
is a 400 naming the field.
"""

from collections.abc import Mapping

from django.utils.translation import gettext as _
from rest_framework import serializers

# The JSON type each kind of field takes, and the key of the field's own message for
# another (DRF's messages, translated by DRF).
_TYPES = (
    (serializers.BooleanField, (bool,), "invalid"),
    (serializers.IntegerField, (int,), "invalid"),
    (serializers.CharField, (str,), "invalid"),
    (serializers.ChoiceField, (str,), "invalid_choice"),
    (serializers.ListField, (list,), "not_a_list"),
)


def _type_error(field, value) -> str | None:
    """The message of `value` when it is not of the JSON type `field` takes, else None."""
    if value is None:
        return None  # the field's own null check words it
    for kind, types, key in _TYPES:
        if isinstance(field, kind):
            wrong = not isinstance(value, types) or (
                kind is serializers.IntegerField and isinstance(value, bool)
            )
            if wrong:
                return field.error_messages[key].format(
                    input=value, input_type=type(value).__name__
                )
            if kind is serializers.ListField:
                return next(filter(None, (_type_error(field.child, item) for item in value)), None)
            return None
    return None


# A serializer of a body that refuses a field it does not take, or of another type. Put
# first among the bases: `class XSerializer(StrictInput, serializers.Serializer)`. (No
# docstring: drf-spectacular would show it, untranslated, as each serializer's description.)
class StrictInput:
    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            errors = {}
            writable = sorted(name for name, field in self.fields.items() if not field.read_only)
            for name, value in data.items():
                field = self.fields.get(name)
                if field is None:
                    errors[name] = [
                        _("Unknown field: this call takes %(names)s.")
                        % {"names": ", ".join(writable)}
                    ]
                elif field.read_only:
                    errors[name] = [_("This field is read only: it cannot be set.")]
                elif message := _type_error(field, value):
                    errors[name] = [message]
            if errors:
                # With what DRF finds in the rest (a required field missing...): all at once.
                try:
                    super().to_internal_value(data)
                except serializers.ValidationError as found:
                    if isinstance(found.detail, dict):
                        errors = {**found.detail, **errors}
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)
