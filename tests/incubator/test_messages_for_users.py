"""Errors read as the portal's own sentences, in each language, not Django's generic ones.

Django builds a duplicate's message from the model's field labels ("包含 Company、国家/地区
和 编号 的 专利 已经存在") and its Korean for a number's whole digits says "significant
digits in all". Every table of the project names its own duplicates, every column has a
translated label, and the project's catalogues word Django's number messages.
"""

from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import UniqueConstraint
from django.utils import translation
from django.utils.functional import Promise

from events.judging.models import Score
from tests.companies.factories import CompanyFactory, PatentFactory

PROJECT_APPS = ("incubator", "companies", "programs", "events")


def project_models():
    return [m for m in apps.get_models() if m._meta.app_label in PROJECT_APPS]


def test_every_unique_constraint_over_several_fields_says_what_is_duplicated():
    generic = UniqueConstraint.default_violation_error_message
    missing = [
        f"{model.__name__}.{constraint.name}"
        for model in project_models()
        for constraint in model._meta.constraints
        if isinstance(constraint, UniqueConstraint)
        and len(constraint.fields) > 1
        and constraint.violation_error_message in (None, generic)
    ]
    assert missing == []


def test_every_column_has_a_translated_label():
    # The API key's hash (djangorestframework-api-key's column) shows on no page.
    untranslated = [
        f"{model.__name__}.{field.name}"
        for model in project_models()
        for field in model._meta.local_concrete_fields
        if field.name not in {"id", "hashed_key"} and not isinstance(field.verbose_name, Promise)
    ]
    assert untranslated == []


@pytest.mark.django_db
def test_a_duplicate_patent_is_named_in_chinese():
    patent = PatentFactory(company=CompanyFactory())
    copy = PatentFactory.build(
        company=patent.company, jurisdiction=patent.jurisdiction, number=patent.number
    )
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as error:
            copy.validate_constraints()
        assert error.value.messages == ["该专利号已登记在本公司名下。"]


def test_a_number_too_large_is_worded_by_the_project_in_korean():
    field = Score._meta.get_field("value")
    with translation.override("ko"):
        with pytest.raises(ValidationError) as error:
            field.clean(Decimal("1234.5"), None)
        assert error.value.messages == ["소수점 앞은 3자리까지 입력할 수 있습니다."]


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "words"), [("ko", "주기 작업"), ("zh-hans", "周期任务")])
def test_the_periodic_tasks_screens_speak_the_staffs_language(client, language, words):
    from incubator import roles
    from tests.events.test_setup_services import staff

    client.force_login(staff(roles.CENTER_MANAGER))
    client.cookies["lang"] = language
    page = client.get("/admin/django_celery_beat/").content.decode()
    assert words in page
    for english in ("Clocked", "Crontabs", "Intervals", "Periodic tasks", "Solar events", "Home"):
        assert f">{english}<" not in page
