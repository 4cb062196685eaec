"""The admin's link fields: a typed address without a scheme is a secure one."""

import pytest
from django.contrib import admin

from companies.models import Company
from events.models import Event
from events.online.models import OnlineSession


@pytest.mark.parametrize(
    ("model", "field"),
    [(Company, "website"), (Event, "online_url"), (OnlineSession, "link")],
)
def test_a_link_typed_without_its_scheme_is_saved_as_https(model, field):
    model_admin = admin.site._registry[model]
    form_field = model_admin.formfield_for_dbfield(model._meta.get_field(field), request=None)
    assert form_field.clean("meet.example.kr") == "https://meet.example.kr"
    assert form_field.clean("http://old.example.kr") == "http://old.example.kr"
