"""The partner API's view of the caller's own organisation: its people, whom the calls that
act for a person name."""

import datetime as dt

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound

from companies.models import PartnerPerson
from companies.policies import can_act_for
from companies.selectors import people_of_organisation
from incubator.api.permissions import HasScope

# The largest id a database holds: a larger one would overflow the query, not miss.
MAX_ID = 2**63 - 1


def an_id(help_text: str, **kwargs) -> serializers.IntegerField:
    """An id a call names. A plain number, not a related field: the view looks it up among
    what the caller may see, so that an object out of sight is a 404 like one that does
    not exist (a related field would say 400 "does not exist" for the one only)."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text=help_text, **kwargs)


def utc(**kwargs) -> serializers.DateTimeField:
    """A time written in UTC ("2026-12-10T01:00:00Z"), as every time of the API and of the
    webhooks: DRF's own field would write it in the server's zone (+08:00)."""
    return serializers.DateTimeField(default_timezone=dt.UTC, read_only=True, **kwargs)


def organisation_person(request, person_id: int) -> PartnerPerson:
    """Return one of the caller's organisation's people; anyone else is a 404."""
    person = PartnerPerson.objects.select_related("user").filter(pk=person_id).first()
    if not can_act_for(request.user.organisation_id, person):
        raise NotFound
    return person


class PersonSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.full_name", read_only=True)
    languages = serializers.SerializerMethodField()

    class Meta:
        model = PartnerPerson
        fields = ["id", "name", "title", "languages"]

    def get_languages(self, person) -> list[str]:
        return sorted(person.languages)


@extend_schema_view(
    list=extend_schema(
        summary=_("Your organisation's people"),
        description=_(
            "The ids that registrations, meeting requests, interests and inquiries name "
            "as `person`."
        ),
    ),
    retrieve=extend_schema(summary=_("One of your organisation's people")),
)
class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasScope]
    scope = None
    serializer_class = PersonSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return PartnerPerson.objects.none()
        return people_of_organisation(self.request.user.organisation)
