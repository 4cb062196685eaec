"""The admin lists' action checkboxes: written as one string, the same HTML as Django's."""

import pytest
from django.contrib import admin
from django.utils import translation

from companies.models import Company
from tests.companies.factories import CompanyFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_checkbox_is_the_one_django_renders(language):
    company = CompanyFactory(name_en="Lee & O'Brien <Robotics>", name_ko="이앤오 & 로보틱스")
    model_admin = admin.site._registry[Company]
    with translation.override(language):
        ours = model_admin.action_checkbox(company)
        djangos = admin.ModelAdmin.action_checkbox(model_admin, company)
    assert ours == djangos
    assert "&amp;" in ours  # the object's name escaped once, as Django does
    assert type(model_admin).action_checkbox is not model_admin.action_checkbox.__func__
