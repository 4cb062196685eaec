"""Score normalisation per judge: pure, no database."""

import math
from decimal import Decimal

import pytest

from events.judging.normalization import (
    Criterion,
    Entry,
    Sheet,
    judge_z_scores,
    rank,
    weighted_total,
)

ONE = [Criterion("score", 1, 10)]
ENTRIES = [Entry("a", "Alpha", 1), Entry("b", "Beta", 2), Entry("c", "Gamma", 3)]


def sheets(judge, marks):
    return [Sheet(judge, entry, {"score": value}) for entry, value in marks.items()]


def test_weighted_total_is_a_weighted_share_of_the_maxima():
    criteria = [Criterion("tech", Decimal("2"), 10), Criterion("market", Decimal("1"), 5)]
    # (2 × 8/10 + 1 × 5/5) / 3 = 2.6 / 3
    assert weighted_total({"tech": 8, "market": 5}, criteria) == pytest.approx(100 * 2.6 / 3)
    assert weighted_total({"tech": Decimal("10"), "market": 5}, criteria) == pytest.approx(100)
    assert weighted_total({}, criteria) == 0


def test_a_harsh_and_a_lenient_judge_with_the_same_order_contribute_the_same():
    lenient = sheets("lenient", {"a": 7, "b": 8.5, "c": 10})
    harsh = sheets("harsh", {"a": 2, "b": 3.5, "c": 5})
    ranking = {row.entry.key: row for row in rank(lenient + harsh, ONE, ENTRIES)}
    for row in ranking.values():
        by_judge = {mark.judge: mark for mark in row.by_judge}
        assert by_judge["lenient"].normalized == pytest.approx(by_judge["harsh"].normalized)
        assert by_judge["lenient"].raw > by_judge["harsh"].raw  # raw scores are kept
    assert [r.entry.key for r in rank(lenient + harsh, ONE, ENTRIES)] == ["c", "b", "a"]


def test_temperament_does_not_decide_the_ranking():
    # Each entry is its first judge's favourite; X's judge marks high, Y's marks low. By raw
    # scores X wins only because of who happened to judge it; normalised, the two favourites
    # are level and the judge who saw both, and prefers Y, decides.
    entries = [Entry(key, key.upper(), n) for n, key in enumerate("xywv")]
    marks = (
        sheets("lenient", {"x": 10, "w": 8})
        + sheets("harsh", {"y": 5, "v": 3})
        + sheets("both", {"x": 5, "y": 6})
    )
    ranking = {row.entry.key: row for row in rank(marks, ONE, entries)}
    assert ranking["x"].raw_mean > ranking["y"].raw_mean  # 75 against 55
    assert ranking["y"].rank == 1
    assert ranking["x"].normalized == pytest.approx(50)


def test_z_scores_are_neutral_when_a_judge_cannot_say_an_order():
    assert judge_z_scores({"a": 70.0}) == {"a": 0.0}
    assert judge_z_scores({"a": 60.0, "b": 60.0}) == {"a": 0.0, "b": 0.0}
    z = judge_z_scores({"a": 40.0, "b": 60.0})
    assert z == {"a": pytest.approx(-1), "b": pytest.approx(1)}


def test_normalised_scores_are_between_0_and_100_and_50_is_average():
    ranking = rank(sheets("j", {"a": 0, "b": 5, "c": 10}), ONE, ENTRIES)
    scores = {row.entry.key: row.normalized for row in ranking}
    assert scores["b"] == pytest.approx(50)
    assert 0 < scores["a"] < 50 < scores["c"] < 100
    assert scores["c"] == pytest.approx(100 * 0.5 * (1 + math.erf(math.sqrt(1.5) / math.sqrt(2))))


def test_ties_break_on_raw_mean_then_judges_then_entry_date_then_title():
    entries = [Entry("late", "Zeta", 20), Entry("early", "Omega", 10), Entry("x", "Alpha", 5)]
    # Each judge scored one entry: every z is 0, every normalised score 50.
    same = [Sheet("j1", "late", {"score": 6}), Sheet("j2", "early", {"score": 6})]
    order = [row.entry.key for row in rank(same, ONE, entries)]
    assert order == ["early", "late", "x"]  # same raw: the earlier entry; x was not scored
    assert rank(same, ONE, entries)[2].rank is None

    higher_raw = [Sheet("j1", "late", {"score": 9}), Sheet("j2", "early", {"score": 6})]
    assert rank(higher_raw, ONE, entries)[0].entry.key == "late"

    more_judges = same + [Sheet("j3", "late", {"score": 6})]
    assert rank(more_judges, ONE, entries)[0].entry.key == "late"

    undated = [Entry("b", "Beta"), Entry("a", "alpha")]
    tie = [Sheet("j1", "a", {"score": 5}), Sheet("j2", "b", {"score": 5})]
    assert [row.entry.key for row in rank(tie, ONE, undated)] == ["a", "b"]


def test_ranks_are_one_based_and_distinct():
    marks = sheets("j1", {"a": 3, "b": 9, "c": 6}) + sheets("j2", {"a": 4, "b": 8, "c": 5})
    ranking = rank(marks, ONE, ENTRIES)
    assert [(row.entry.key, row.rank, row.judges) for row in ranking] == [
        ("b", 1, 2),
        ("c", 2, 2),
        ("a", 3, 2),
    ]
    assert ranking[0].raw_mean == pytest.approx(85)


def test_a_sheet_for_an_unknown_entry_is_refused():
    with pytest.raises(ValueError):
        rank([Sheet("j", "nope", {"score": 1})], ONE, ENTRIES)
