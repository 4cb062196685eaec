import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from tests.conftest import need

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = ["ko", "zh_Hans"]


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("ko", "헤이룽장성에 진출하세요"),
        ("zh-hans", "黑龙江"),
        ("en", "Bring your Korean technology to Heilongjiang"),
    ],
)
@pytest.mark.django_db
def test_the_landing_page_speaks_each_language(client, language, heading):
    client.cookies["lang"] = language
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert heading in html
    assert 'href="/portal/sign-up/"' in html and 'href="/portal/sign-in/"' in html


@pytest.mark.django_db
def test_korean_is_the_default_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="")
    assert '<html lang="ko">' in response.content.decode()


@pytest.mark.django_db
def test_the_switcher_sets_the_language(client):
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert response.status_code == 302
    assert '<html lang="zh-hans">' in client.get("/").content.decode()


@pytest.mark.django_db
def test_a_signed_in_person_who_switches_keeps_the_language_for_e_mails_and_next_time(client):
    from incubator.models import AuditRecord
    from tests.companies.factories import UserFactory

    person = UserFactory(language="ko")
    client.force_login(person)
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/portal/"})
    client.post("/i18n/setlang/", {"language": "klingon", "next": "/portal/"})
    person.refresh_from_db()
    assert person.language == "zh-hans"
    assert AuditRecord.objects.get(verb="user.preferences").changes == {
        "language": ["ko", "zh-hans"]
    }


@pytest.mark.parametrize("locale", CATALOGUES)
def test_every_catalogue_entry_is_translated(locale):
    catalogue = polib.pofile(str(ROOT / "locale" / locale / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in catalogue.untranslated_entries() + catalogue.fuzzy_entries()]
    assert missing == []


@pytest.mark.parametrize("locale", CATALOGUES)
def test_gettext_accepts_every_catalogue(locale, tmp_path):
    """msgfmt --check, as a translator's tools run it: each placeholder of a format string
    in its translation, the plural forms the language declares, a well-formed header."""
    need(shutil.which("msgfmt") is not None, "GNU gettext (msgfmt)")
    catalogue = ROOT / "locale" / locale / "LC_MESSAGES" / "django.po"
    checked = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(catalogue)],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr


def test_every_string_of_the_code_is_in_the_catalogues(tmp_path):
    """Extract the strings anew and check that none lacks a translation."""
    need(shutil.which("xgettext") is not None, "GNU gettext (xgettext)")
    copy = tmp_path / "src"
    # Only what makemessages reads: manage.py, the settings and apps it imports and scans
    # (Python packages), the templates and the catalogues; not tests, static files, .git.
    skip = shutil.ignore_patterns("*.mo", "__pycache__")
    copy.mkdir()
    shutil.copy2(ROOT / "manage.py", copy / "manage.py")
    for entry in sorted(ROOT.iterdir()):
        package = (entry / "__init__.py").is_file() and entry.name not in {"tests", "bench"}
        if package or entry.name in {"templates", "locale"}:
            shutil.copytree(entry, copy / entry.name, ignore=skip)
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "--no-obsolete",
            "--no-location",
            *[f"-l{locale}" for locale in CATALOGUES],
            "--ignore=tests",
            "--ignore=bench",
            "--ignore=.venv",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"DEBUG": "1", "PATH": "/usr/bin:/bin"},
    )
    for locale in CATALOGUES:
        catalogue = polib.pofile(str(copy / "locale" / locale / "LC_MESSAGES" / "django.po"))
        missing = [e.msgid for e in catalogue.untranslated_entries() + catalogue.fuzzy_entries()]
        assert missing == [], f"{locale}: run `make messages-extract` and translate: {missing[:10]}"


@pytest.mark.django_db
def test_the_admins_change_links_read_change_and_the_language_button_switch(client):
    # One msgid "Change" served both, so every "Change" link of the admin read 切换 (switch).
    from tests.companies.factories import staff_in

    client.force_login(staff_in("center_manager"))
    client.cookies["lang"] = "zh-hans"
    page = client.get("/admin/").content.decode()
    assert re.search(r'class="changelink"[^>]*>修改</a>', page)
    assert not re.search(r'class="changelink"[^>]*>切换</a>', page)
    assert '<button type="submit">切换</button>' in page


HANGUL = re.compile("[\uac00-\ud7a3]")


@pytest.mark.django_db
def test_chinese_admin_pages_and_scripts_show_no_korean_of_django(client):
    # A string Django's Chinese catalogue lacks falls back to the default language, Korean:
    # the app list's hidden headers, a title with errors, the group picker's buttons.
    from tests.companies.factories import staff_in

    client.force_login(staff_in("center_manager"))
    client.cookies["lang"] = "zh-hans"
    pages = {
        "/admin/": client.get("/admin/"),
        "/admin/incubator/user/add/ with errors": client.post("/admin/incubator/user/add/", {}),
        "/admin/jsi18n/": client.get("/admin/jsi18n/"),
    }
    # The script holds its catalogue as JSON, its strings written as \u escapes.
    script = pages.pop("/admin/jsi18n/").content.decode()
    catalogue = json.loads(re.search(r"const newcatalog = (\{.*?\});\n", script, re.S)[1])
    texts = {url: response.content.decode() for url, response in pages.items()}
    texts["/admin/jsi18n/"] = json.dumps(catalogue, ensure_ascii=False)
    # 한국어: the language menu names Korean in Korean, as it names each language.
    korean = {url: set(HANGUL.findall(text)) - set("한국어") for url, text in texts.items()}
    assert korean == {url: set() for url in texts}, korean
    assert catalogue["Choose all %s"] == "全选 %s"


@pytest.mark.django_db
def test_the_korean_admins_date_widget_note_is_korean_throughout(client):
    from tests.companies.factories import staff_in

    client.force_login(staff_in("center_manager"))
    client.cookies["lang"] = "ko"
    script = client.get("/admin/jsi18n/").content.decode()
    catalogue = json.loads(re.search(r"const newcatalog = (\{.*?\});\n", script, re.S)[1])
    assert catalogue["Note: You are %s hour ahead of server time."] == [
        "참고: 서버 시간보다 %s시간 빠릅니다."
    ]
