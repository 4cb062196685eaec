"""Every admin page a staff member opens reads in Korean and in Chinese: no English word left.

The pages are the authorization matrix's: each admin GET the center manager (who may open
every one the other staff roles may) gets a 200 on, with the matrix world's objects.
Each page is read as a person reads it (tests/authz/visible_text.py): no ASCII word of
three letters or more may be left, but proper nouns, codes and what people typed. The
pages alternate between Korean and Chinese, and those of the third-party apps, whose
catalogues differ most between the two, are read in both (some 7 s of CPU for some 235
pages).
"""

import pytest

from tests.authz import matrix
from tests.authz.visible_text import data_by_word, english_on, report

pytestmark = pytest.mark.django_db

# Pages of the apps whose strings come from other projects' catalogues: read in both.
THIRD_PARTY = ("admin:auth_", "admin:django_celery_beat_", "admin:axes_", "admin:app_list[")


def admin_pages(world):
    table = matrix.read_table()
    served = matrix.project_rows()
    for number, (row, pattern) in enumerate(served.items()):
        if not row.url.startswith("admin") or row.method != "GET":
            continue
        if table.get(row, {}).get("center_manager") != 200:
            continue
        if row.url.startswith(THIRD_PARTY):
            languages = ("ko", "zh-hans")
        elif row.url.endswith("_history"):
            continue  # its heading is the change page's title, and the world has no history
        else:
            languages = (("ko", "zh-hans")[number % 2],)
        yield row.url, matrix.url_of(row, pattern, world), languages


def test_every_admin_page_reads_in_korean_or_chinese(world):
    data = data_by_word()
    problems, read = {}, 0
    with matrix.quick_requests():
        manager = world.users["center_manager"]
        clients = {language: matrix.RoleClient(manager, language) for language in ("ko", "zh-hans")}
        for name, url, languages in admin_pages(world):
            for language in languages:
                response = clients[language].page(url)
                if response is None:
                    continue
                read += 1
                if words := english_on(response, data, alt=False):
                    problems[f"{language} {name}"] = words
    assert read > 200
    if problems:
        pytest.fail(report(problems, read), False)
