from django.contrib.auth.management import create_permissions
from django.db import migrations

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


def sync_roles(apps, schema_editor):
    # The new models' permissions (and programs.decide_fund) exist only after the
    # whole migrate; create them now so the role groups get them on the first run.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    from incubator.roles import sync_role_permissions

    sync_role_permissions(apps=apps, using=schema_editor.connection.alias)


def create_reminder_schedule(apps, schema_editor):
    from incubator.schedules import ensure_periodic_job
    from programs.apps import QUARTERLY_REMINDERS

    ensure_periodic_job(QUARTERLY_REMINDERS, apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0002_journey"),
        ("incubator", "0002_roles_and_schedules"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(create_defaults, migrations.RunPython.noop),
        migrations.RunPython(sync_roles, migrations.RunPython.noop),
        migrations.RunPython(create_reminder_schedule, migrations.RunPython.noop),
    ]
