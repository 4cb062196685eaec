"""Rows admissions and the journey cannot work without, and the reminder schedule.

Everything is copied here, so that the migration keeps working if the live
defaults change later: screening policy v1 (programs/admissions/defaults.py),
the default milestone templates and service targets (programs/stages.py,
programs/services.py) and the quarterly reminders job (programs/apps.py).
The role groups get the new models' permissions from incubator's post_migrate
handler (incubator/apps.py, sync_roles_after_migrate), run after every migrate.
"""

import datetime

from django.db import migrations

FIRST_POLICY = {
    "version": 1,
    "effective_from": datetime.datetime(2020, 8, 10, tzinfo=datetime.UTC),
    "min_years_since_founding": 3,
    "patents_required": 1,
    "patents_registered_only": False,
    "financing_or_market_required": True,
    "certification_kinds": ["venture", "innobiz", "mainbiz", "rnd_center", "tips", "high_tech"],
    "certification_must_be_valid": True,
    "sectors_accepted": [],
    "notes": "Criteria of the center's founding (2020): patents, 3+ years, financing or "
    "market validation, a Korean high-tech or venture certification.",
}
# Copied here so that the migration keeps working if the defaults change later.
MILESTONES = [
    # code, stage, en, ko, zh, due days, required, position
    ("local_entity_registered", "incubation", "Local entity registered", "현지 법인 등록",
     "本地公司注册", 120, True, 10),
    ("office_moved_in", "incubation", "Office moved in at the center", "센터 사무실 입주",
     "入驻中心办公室", 60, False, 20),
    ("first_financing_matched", "acceleration", "First financing matched", "첫 투자 유치 연결",
     "首笔融资对接", 240, True, 30),
    ("first_local_customer", "acceleration", "First local customer", "첫 현지 고객",
     "首个本地客户", 300, False, 40),
    ("production_started", "industrialization", "Production started", "생산 개시", "投产",
     480, True, 50),
]  # fmt: skip
TARGET_DAYS = {
    "visa": 14,
    "company_registration": 30,
    "tax": 10,
    "financing": 30,
    "ip": 21,
    "translation": 5,
    "hiring": 21,
    "office": 7,
    "other": 10,
}


REMINDERS = {
    "name": "Quarterly reports: ask enrolled companies when due",
    "task": "programs.tasks.quarterly_report_reminders_task",
    "hour": "9",
    "timezone": "Asia/Shanghai",
}


def create_first_policy(apps, schema_editor):
    policy_model = apps.get_model("programs", "ScreeningPolicy")
    if not policy_model.objects.exists():
        policy_model.objects.create(**FIRST_POLICY)


def create_defaults(apps, schema_editor):
    template_model = apps.get_model("programs", "MilestoneTemplate")
    for code, stage, en, ko, zh, days, required, position in MILESTONES:
        template_model.objects.get_or_create(
            code=code,
            defaults={
                "stage": stage,
                "title_en": en,
                "title_ko": ko,
                "title_zh": zh,
                "due_days": days,
                "required": required,
                "position": position,
            },
        )
    target_model = apps.get_model("programs", "ServiceTarget")
    for kind, days in TARGET_DAYS.items():
        target_model.objects.get_or_create(kind=kind, defaults={"days": days})


def create_reminder_schedule(apps, schema_editor):
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    if task_model.objects.filter(name=REMINDERS["name"]).exists():
        return
    crontab, _ = apps.get_model("django_celery_beat", "CrontabSchedule").objects.get_or_create(
        minute="0",
        hour=REMINDERS["hour"],
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=REMINDERS["timezone"],
    )
    task_model.objects.create(name=REMINDERS["name"], task=REMINDERS["task"], crontab=crontab)


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(create_first_policy, migrations.RunPython.noop),
        migrations.RunPython(create_defaults, migrations.RunPython.noop),
        migrations.RunPython(create_reminder_schedule, migrations.RunPython.noop),
    ]
