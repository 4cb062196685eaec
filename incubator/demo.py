"""Demo data of the center's staff; the apps add theirs through DEMO_LOADERS."""

from importlib import import_module

from django.apps import apps
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.module_loading import module_has_submodule

from incubator import roles
from incubator.models import User

DEMO_PASSWORD = "demo-center-2020"

STAFF = [
    # email, name, role, language, time zone
    ("manager@center.example", "김학봉 Kim Hak-bong", roles.CENTER_MANAGER, "ko", "Asia/Shanghai"),
    ("officer@center.example", "李明 Li Ming", roles.PROGRAM_OFFICER, "zh-hans", "Asia/Shanghai"),
    (
        "events@center.example",
        "박서연 Park Seo-yeon",
        roles.EVENT_COORDINATOR,
        "ko",
        "Asia/Shanghai",
    ),
    (
        "viewer@center.example",
        "王芳 Wang Fang (Binxian county)",
        roles.VIEWER,
        "zh-hans",
        "Asia/Shanghai",
    ),
]


def demo_user(*, email: str, full_name: str, language: str, time_zone: str, staff: bool) -> User:
    """Return the demo account, creating it with the demo password the first time."""
    user, created = User.objects.get_or_create(
        email=email,
        defaults={
            "full_name": full_name,
            "language": language,
            "time_zone": time_zone,
            "is_staff": staff,
            "email_verified": True,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def load_staff() -> list[tuple[str, str]]:
    sign_ins = []
    for email, name, role, language, time_zone in STAFF:
        user = demo_user(
            email=email, full_name=name, language=language, time_zone=time_zone, staff=True
        )
        user.groups.add(Group.objects.get(name=role))
        sign_ins.append((role, email))
    return sign_ins


def load() -> None:
    load_staff()


SIGN_INS = [(role, email) for email, _name, role, _language, _zone in STAFF]


def app_demo_modules():
    """Return the `demo` module of the core and of every app that has one, in app order.

    Each has `load()` (idempotent) and `SIGN_INS`, a list of (role, e-mail); the
    core finds them instead of importing the apps that depend on it.
    """
    modules = []
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "demo"):
            modules.append(import_module(f"{config.name}.demo"))
    return modules


def sign_ins() -> list[tuple[str, str]]:
    """Return (role, e-mail) of every demo account, for `make run` to print."""
    return [pair for module in app_demo_modules() for pair in module.SIGN_INS]


def demo_notes() -> list[str]:
    """Return the lines the apps' demo modules add after the sign-ins (e.g. an API key)."""
    return [line for module in app_demo_modules() for line in getattr(module, "notes", list)()]
