"""Demo data of the reminders: an online briefing that starts 24 hours after the demo is
loaded, with the demo company's Korean owner registered, so that the reminders sweep (every
5 minutes under `make run`) writes its 24-hour reminder into var/mail/ within minutes: in
Korean, with the time in Harbin (CST) and in Seoul (KST).

Kept upcoming relative to now, as the demo's competition is: loading the demo again moves
the briefing to 24 hours from then (a new due moment, so a new reminder). Keyed on its
English title.
"""

import datetime as dt

from django.utils import timezone

from companies import demo as companies_demo
from companies.models import Membership
from events.models import Event, Registration

TITLE_EN = "Online briefing for new residents (reminder demo)"
SIGN_INS: list[tuple[str, str]] = []


def load() -> None:
    owner = (
        Membership.objects.filter(user__email=companies_demo.OWNER_EMAIL)
        .select_related("user", "company")
        .first()
    )
    if owner is None:
        return
    # Its 24-hour moment is now: the first sweep after start-up sends it (6 hours' grace).
    starts = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(hours=24)
    event = Event.objects.filter(title_en=TITLE_EN).first()
    if event is None:
        event = Event(
            kind=Event.Kind.ONLINE_PROGRAMME,
            status=Event.Status.PUBLISHED,
            title_en=TITLE_EN,
            title_ko="신규 입주 기업 온라인 설명회 (알림 데모)",
            title_zh="新入驻企业线上说明会（提醒演示）",
            time_zone="Asia/Shanghai",
            online_url="https://meeting.example.cn/j/briefing",
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=1),
        )
        event.full_clean()
        event.save()
    elif event.starts_at - dt.timedelta(hours=24) < timezone.now() - dt.timedelta(hours=6):
        # Its reminder's moment is past its grace: move it to 24 hours from now.
        Event.objects.filter(pk=event.pk).update(
            starts_at=starts, ends_at=starts + dt.timedelta(hours=1)
        )
    Registration.objects.get_or_create(
        event=event,
        user=owner.user,
        defaults={
            "kind": Registration.Kind.STARTUP,
            "company": owner.company,
            "name": owner.user.full_name,
            "speaks_ko": True,
        },
    )
