"""The judge's score sheet refused: what it shows again."""

import re

import pytest
from django.urls import reverse

from events.judging import services as judging
from tests.events.factories import judge_sheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def sheet(client):
    """A judge signed in, assigned to an entry of a round with two criteria (out of 10, 5)."""
    assignment, criteria = judge_sheet()
    client.force_login(assignment.judge)
    client.cookies["lang"] = "ko"
    return assignment, criteria


def shown_scores(page: str) -> dict[str, str]:
    return dict(re.findall(r'name="(score_\d+|comment_\d+)" value="([^"]*)"', page)) | dict(
        re.findall(r'name="(comment_\d+)"[^>]*>([^<]*)</textarea>', page)
    )


def test_a_refused_sheet_shows_what_the_judge_posted_beside_the_error(client, sheet):
    assignment, (technology, market) = sheet
    judging.score_submit(
        assignment=assignment,
        scores={technology.pk: ("5", "Old"), market.pk: ("3", "")},
        judge=assignment.judge,
        submit=False,
    )
    url = reverse("events:judging-score", args=[assignment.pk])
    posted = {
        f"score_{technology.pk}": "12",
        f"comment_{technology.pk}": "Strong patents",
        f"score_{market.pk}": "4",
        f"comment_{market.pk}": "Small market",
    }

    for action in ("save", "submit"):
        page = client.post(url, {**posted, "action": action})

        assert page.status_code == 400
        html = page.content.decode()
        assert shown_scores(html) == posted
        field = html.split(f'id="score-{technology.pk}"')[1].split("</div>")[0]
        assert 'aria-invalid="true"' in field and f'id="score-{technology.pk}-error"' in field
        assert f'id="score-{market.pk}-error"' not in html
    assert {s.criterion_id: s.value for s in assignment.scores.all()} == {
        technology.pk: 5,
        market.pk: 3,
    }


def test_a_post_to_a_submitted_sheet_shows_the_final_scores_not_the_posted(client, sheet):
    assignment, (technology, market) = sheet
    judging.score_submit(
        assignment=assignment,
        scores={technology.pk: ("7", ""), market.pk: ("3", "")},
        judge=assignment.judge,
    )

    page = client.post(
        reverse("events:judging-score", args=[assignment.pk]),
        {f"score_{technology.pk}": "9", f"score_{market.pk}": "1", "action": "submit"},
    )

    assert page.status_code == 400
    table = page.content.decode().split('id="scores"')[1].split("</table>")[0]
    cells = re.findall(r"<td>([^<]*) / (\d+)</td>", table)
    assert cells == [("7", "10"), ("3", "5")]
