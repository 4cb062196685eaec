"""The partner API's view of the caller's own organisation: its people, whom the calls that
act for a person name."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from companies.models import PartnerPerson
from companies.selectors import people_of_organisation
from incubator.api.permissions import HasScope


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
            "as `person`. Any key of the organisation may read them."
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
