"""The weekly and monthly e-mails of the KPI report (incubator/reports/apps.py).

Copied here, so that the migration keeps working if the live jobs change later.
"""

from django.db import migrations

JOBS = [
    {
        "name": "Reports: e-mail last week's KPI report to the managers",
        "day_of_week": "1",
        "day_of_month": "*",
        "kwargs": '{"kind": "week"}',
    },
    {
        "name": "Reports: e-mail last month's KPI report to the managers",
        "day_of_week": "*",
        "day_of_month": "1",
        "kwargs": '{"kind": "month"}',
    },
]
TASK = "incubator.reports.tasks.kpi_report_mail_task"


def create_schedules(apps, schema_editor):
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    for job in JOBS:
        if task_model.objects.filter(name=job["name"]).exists():
            continue
        crontab, _ = crontab_model.objects.get_or_create(
            minute="0",
            hour="8",
            day_of_week=job["day_of_week"],
            day_of_month=job["day_of_month"],
            month_of_year="*",
            timezone="Asia/Shanghai",
        )
        task_model.objects.create(name=job["name"], task=TASK, crontab=crontab, kwargs=job["kwargs"])


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, migrations.RunPython.noop)]
