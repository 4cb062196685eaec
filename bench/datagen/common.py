"""What every part of the generator shares: the seeded random source, the clock, bulk inserts
with a progress bar and a time per table, and the word lists of names in ko, zh and en.

Nothing here calls a service: the rows are test data, written with bulk_create, but each one
satisfies its model's constraints and validators (the tests full_clean a sample of each).
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from collections import defaultdict
from decimal import Decimal

from django.db import models
from django.utils import timezone
from stdnum.cn import uscc

from companies import validators

BATCH_SIZE = 2_000


class Progress:
    """A one-line progress bar on stderr (tqdm is not a dependency of the project)."""

    WIDTH = 30

    def __init__(self, label: str, total: int, *, enabled: bool):
        self.label, self.total, self.enabled, self.done = label, max(total, 1), enabled, 0
        self.started = time.perf_counter()
        # Redrawn in place on a terminal; a log gets the final line only.
        self.live = enabled and sys.stderr.isatty()
        self._draw()

    def advance(self, n: int) -> None:
        self.done += n
        self._draw()

    def _draw(self, final: bool = False) -> None:
        if not (self.live or (self.enabled and final)):
            return
        filled = self.WIDTH * min(self.done, self.total) // self.total
        bar = "#" * filled + "." * (self.WIDTH - filled)
        sys.stderr.write(f"\r  {self.label:<28} [{bar}] {self.done:>8,}/{self.total:,}")
        sys.stderr.flush()

    def close(self) -> float:
        elapsed = time.perf_counter() - self.started
        self._draw(final=True)
        if self.enabled:
            sys.stderr.write(f"  {elapsed:6.2f} s\n")
            sys.stderr.flush()
        return elapsed


class Context:
    """The run's state: random source, clock, who is who, counts and times per table."""

    def __init__(self, *, seed: int, progress: bool, today: dt.date | None = None):
        self.seed = seed
        self.rng = random.Random(seed)
        self.progress = progress
        # Every date and time derives from this day, so a seed gives the same rows all day.
        self.today = today or timezone.localdate()
        self.now = timezone.make_aware(dt.datetime.combine(self.today, dt.time(9, 0)))
        self.prefix = f"g{seed}"
        self.counts: dict[str, int] = defaultdict(int)  # by label (users by kind)
        self.model_counts: dict[str, int] = defaultdict(int)  # by model label
        self.seconds: dict[str, float] = defaultdict(float)
        self.taken: dict[str, set] = defaultdict(set)  # unique values in use (BRN, USCC...)
        self.serial = 0

    def next_serial(self) -> int:
        self.serial += 1
        return self.serial

    def insert(self, model: type[models.Model], rows: list, *, label: str | None = None) -> list:
        """bulk_create the rows in batches with a progress bar; return them, with their ids."""
        name = label or model._meta.label
        bar = Progress(name, len(rows), enabled=self.progress)
        for start in range(0, len(rows), BATCH_SIZE):
            batch = rows[start : start + BATCH_SIZE]
            model.objects.bulk_create(batch, batch_size=BATCH_SIZE)
            bar.advance(len(batch))
        self.seconds[name] += bar.close()
        self.counts[name] += len(rows)
        self.model_counts[model._meta.label] += len(rows)
        return rows

    # --- Random values -------------------------------------------------------------------

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def pick(self, seq):
        return seq[self.rng.randrange(len(seq))]

    def weighted(self, options: dict):
        return self.rng.choices(list(options), weights=list(options.values()))[0]

    def days_ago(self, low: int, high: int) -> dt.date:
        return self.today - dt.timedelta(days=self.rng.randint(low, high))

    def at(self, day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))

    def money(self, currency: str, low: int, high: int) -> Decimal:
        """Return an amount in the currency's decimal places (none for KRW)."""
        whole = self.rng.randint(low, high)
        if currency == "KRW":
            return Decimal(whole)
        return Decimal(whole) + Decimal(self.rng.randint(0, 99)) / 100

    # --- Identifiers ----------------------------------------------------------------------

    def brn(self) -> str:
        """Return a valid business registration number not in use."""
        while True:
            office, kind, serial = (self.rng.randint(*r) for r in ((101, 899), (81, 88), (1, 9999)))
            body = f"{office}{kind}{serial:04d}"
            number = body + validators.brn_check_digit(body)
            if number not in self.taken["brn"] and validators.brn_is_valid(number):
                self.taken["brn"].add(number)
                return number

    def uscc(self, region: str = "230100") -> str:
        """Return a valid unified social credit code not in use."""
        while True:
            body = f"91{region}MA{self.rng.randint(0, 9_999_999):07d}"
            code = body + uscc.calc_check_digit(body)
            if code not in self.taken["uscc"] and validators.uscc_is_valid(code):
                self.taken["uscc"].add(code)
                return code

    def email(self, kind: str, n: int) -> str:
        return f"{self.prefix}.{kind}{n}@generated.example.com"


# --- Words --------------------------------------------------------------------------------

KO_SURNAMES = ("김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "한", "오", "서", "신")
KO_GIVEN = ("민준", "서연", "도윤", "지우", "하준", "서현", "지호", "수빈", "예준", "지민", "현우")
KO_ROMAN = {"김": "Kim", "이": "Lee", "박": "Park", "최": "Choi", "정": "Jung", "강": "Kang"}
ZH_SURNAMES = ("王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱")
ZH_GIVEN = ("伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明")
EN_FIRST = ("Alex", "Jordan", "Taylor", "Morgan", "Chris", "Sam", "Robin", "Jamie", "Casey")
EN_LAST = ("Smith", "Brown", "Wilson", "Taylor", "Clark", "Hall", "Young", "King", "Wright")

# (ko, zh, en) parts of company names.
NAME_STEMS = (
    ("한빛", "韩光", "Hanbit"),
    ("누리", "努力", "Nuri"),
    ("미래", "未来", "Mirae"),
    ("새솔", "新松", "Saesol"),
    ("하늘", "天空", "Haneul"),
    ("바다", "海洋", "Bada"),
    ("별빛", "星光", "Byeolbit"),
    ("온누리", "温诺里", "Onnuri"),
    ("다온", "多温", "Daon"),
    ("라온", "乐温", "Raon"),
    ("가람", "佳兰", "Garam"),
    ("푸른", "青蓝", "Pureun"),
)
SECTOR_WORDS = {
    "ai": ("에이아이", "智能", "AI"),
    "scitech_finance": ("핀테크", "金融科技", "Fintech"),
    "intelligent_manufacturing": ("로보틱스", "机器人", "Robotics"),
    "education": ("에듀", "教育", "Edu"),
    "bio_health": ("바이오", "生物", "Bio"),
    "energy_environment": ("에너지", "能源", "Energy"),
    "other": ("솔루션", "解决方案", "Solutions"),
}
KO_CITIES = ("서울", "부산", "대구", "인천", "광주", "대전", "판교", "수원")
CN_CITIES = ("哈尔滨", "宾县", "大庆", "齐齐哈尔", "牡丹江", "上海", "北京", "深圳")


def person_name(ctx: Context, culture: str) -> str:
    rng = ctx.rng
    if culture == "ko":
        return rng.choice(KO_SURNAMES) + rng.choice(KO_GIVEN)
    if culture == "zh":
        return rng.choice(ZH_SURNAMES) + rng.choice(ZH_GIVEN) + rng.choice(("", *ZH_GIVEN))
    return f"{rng.choice(EN_FIRST)} {rng.choice(EN_LAST)}"


def three(ko: str, zh: str, en: str, field: str) -> dict[str, str]:
    """Return the three columns of a translated text: {"title_ko": ..., ...}."""
    return {f"{field}_ko": ko, f"{field}_zh": zh, f"{field}_en": en}
