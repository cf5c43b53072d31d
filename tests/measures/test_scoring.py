from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from afterglow.measures.instruments import instruments
from afterglow.measures.scoring import AnswerError, change, clean_answers, score

PHQ9 = instruments()["phq9"]
GAD7 = instruments()["gad7"]
PCL5 = instruments()["pcl5"]


def answers(*values: int) -> dict[int, int]:
    return {n: v for n, v in enumerate(values, start=1)}


def full(instrument, total_values):
    return st.lists(st.sampled_from(total_values), min_size=len(instrument.scored_items), max_size=len(instrument.scored_items))


# Hand-worked examples --------------------------------------------------------------------------------


def test_phq9_scores_a_hand_worked_example():
    result = score(PHQ9, answers(1, 2, 1, 2, 1, 0, 1, 1, 1))
    assert (result.total, result.band.name, result.crisis) == (10, "Moderate", True)


def test_gad7_scores_a_hand_worked_example():
    result = score(GAD7, answers(2, 2, 2, 2, 1, 1, 1))
    assert (result.total, result.band.name) == (11, "Moderate")


def test_pcl5_scores_clusters_and_the_dsm5_pattern_by_hand():
    # B: one item at 2; C: one at 3; D: two at 2; E: two at 4; the rest 1 or 0.
    values = [2, 1, 0, 0, 0, 3, 0, 2, 2, 1, 0, 0, 0, 0, 4, 4, 1, 0, 0, 0]
    result = score(PCL5, answers(*values))
    assert result.total == 20
    assert {c.cluster.key: (c.total, c.endorsed) for c in result.clusters} == {"B": (3, 1), "C": (3, 1), "D": (5, 2), "E": (9, 2)}
    assert result.pattern_met is True
    assert result.above_cutoff is False


def test_pcl5_pattern_fails_when_one_cluster_is_short():
    values = [2, 1, 0, 0, 0, 3, 0, 2, 1, 1, 0, 0, 0, 0, 4, 4, 1, 0, 0, 0]  # D has only one item at 2+
    result = score(PCL5, answers(*values))
    assert result.pattern_met is False


def test_pcl5_above_cutoff_at_the_cutoff_itself():
    values = [4] * 8 + [1] * 1 + [0] * 11  # 32 + 1 = 33
    assert score(PCL5, answers(*values)).above_cutoff is True
    values = [4] * 8 + [0] * 12  # 32
    assert score(PCL5, answers(*values)).above_cutoff is False


# Incomplete answers -----------------------------------------------------------------------------------


def test_an_incomplete_questionnaire_has_no_total_or_band():
    result = score(PHQ9, answers(1, 1, 1, 1))
    assert result.total is None and result.band is None
    assert result.missing == (5, 6, 7, 8, 9) and not result.complete


def test_a_skipped_item_9_is_unknown_never_zero():
    given = answers(0, 0, 0, 0, 0, 0, 0, 0)
    result = score(PHQ9, given)
    assert result.crisis_answer is None and result.crisis_unknown and not result.crisis
    assert result.total is None


def test_item_9_at_zero_is_known_and_not_a_crisis():
    result = score(PHQ9, answers(0, 0, 0, 0, 0, 0, 0, 0, 0))
    assert result.crisis_answer == 0 and not result.crisis_unknown and not result.crisis


def test_the_unscored_difficulty_item_does_not_count():
    result = score(PHQ9, answers(1, 1, 1, 1, 1, 1, 1, 1, 1, 3))
    assert result.total == 9


def test_pcl5_incomplete_has_no_pattern_and_no_cutoff_verdict():
    result = score(PCL5, answers(4, 4, 4))
    assert result.pattern_met is None and result.above_cutoff is None
    assert result.clusters[0].total is None


# Cleaning input -----------------------------------------------------------------------------------------


def test_it_cleans_loosely_typed_answers_and_treats_empty_as_skipped():
    assert clean_answers(PHQ9, {"1": "3", 2: 0, "9": "", "4": None}) == {1: 3, 2: 0}


@pytest.mark.parametrize("bad", [{"1": "4"}, {"2": "x"}, {"3": "-1"}, {"3": "1.5"}, {"11": "1"}, {"a": "1"}])
def test_it_refuses_answers_that_are_not_options(bad):
    with pytest.raises(AnswerError):
        clean_answers(PHQ9, bad)


# Properties ---------------------------------------------------------------------------------------------------


@given(full(PHQ9, [0, 1, 2, 3]))
def test_phq9_totals_stay_in_range_and_every_total_has_exactly_one_band(values):
    result = score(PHQ9, answers(*values))
    assert 0 <= result.total <= 27 and result.total == sum(values)
    assert sum(1 for b in PHQ9.bands if b.low <= result.total <= b.high) == 1


@given(full(PCL5, [0, 1, 2, 3, 4]))
def test_pcl5_clusters_add_up_to_the_total_and_the_pattern_follows_the_counts(values):
    result = score(PCL5, answers(*values))
    assert sum(c.total for c in result.clusters) == result.total <= 80
    endorsed = {c.cluster.key: sum(1 for n in c.cluster.items if values[n - 1] >= 2) for c in result.clusters}
    expected = endorsed["B"] >= 1 and endorsed["C"] >= 1 and endorsed["D"] >= 2 and endorsed["E"] >= 2
    assert result.pattern_met is expected


@given(full(PHQ9, [0, 1, 2, 3]), st.integers(min_value=1, max_value=9))
def test_leaving_out_any_item_means_no_total(values, skipped):
    given_answers = answers(*values)
    del given_answers[skipped]
    assert score(PHQ9, given_answers).total is None


@given(full(PHQ9, [0, 1, 2, 3]))
def test_crisis_follows_item_9_whatever_the_total(values):
    assert score(PHQ9, answers(*values)).crisis is (values[8] > 0)


def band_of(instrument, total):
    return instrument.band_for(total).name


@pytest.mark.parametrize(
    ("low", "high", "below", "above"),
    [
        (4, 5, "Minimal", "Mild"),
        (9, 10, "Mild", "Moderate"),
        (14, 15, "Moderate", "Moderately severe"),
        (19, 20, "Moderately severe", "Severe"),
    ],
)
def test_phq9_band_boundaries_are_exact(low, high, below, above):
    assert band_of(PHQ9, low) == below and band_of(PHQ9, high) == above


@pytest.mark.parametrize(
    ("low", "high", "below", "above"), [(4, 5, "Minimal", "Mild"), (9, 10, "Mild", "Moderate"), (14, 15, "Moderate", "Severe")]
)
def test_gad7_band_boundaries_are_exact(low, high, below, above):
    assert band_of(GAD7, low) == below and band_of(GAD7, high) == above


def test_phq9_bands_through_real_answer_sets_at_each_boundary():
    def total_of(n: int) -> dict[int, int]:
        values = [3] * (n // 3) + ([n % 3] if n % 3 else [])
        return answers(*(values + [0] * (9 - len(values))))

    assert [score(PHQ9, total_of(n)).band.name for n in (4, 5, 9, 10, 14, 15, 19, 20)] == [
        "Minimal", "Mild", "Mild", "Moderate", "Moderate", "Moderately severe", "Moderately severe", "Severe",
    ]  # fmt: skip


# Change ---------------------------------------------------------------------------------------------------------


def test_change_counts_a_drop_of_five_as_meaningful_and_half_as_response():
    baseline = score(PHQ9, answers(2, 2, 2, 2, 2, 2, 2, 2, 0))  # 16
    last = score(PHQ9, answers(2, 2, 2, 2, 1, 1, 1, 1, 0))  # 12
    now = score(PHQ9, answers(1, 1, 1, 1, 1, 1, 1, 1, 0))  # 8
    moved = change(now, baseline, last)
    assert (moved.since_baseline, moved.since_last) == (-8, -4)
    assert moved.meaningful_since_baseline and not moved.meaningful_since_last
    assert moved.response and not moved.remission


def test_remission_is_a_total_under_five():
    now = score(PHQ9, answers(1, 1, 1, 1, 0, 0, 0, 0, 0))
    assert change(now, None, None).remission
    assert not change(score(PHQ9, answers(1, 1, 1, 1, 1, 0, 0, 0, 0)), None, None).remission


def test_response_needs_a_baseline_above_zero_and_a_total():
    zero = score(PHQ9, answers(0, 0, 0, 0, 0, 0, 0, 0, 0))
    assert not change(zero, zero, None).response
    assert not change(score(PHQ9, answers(1)), score(PHQ9, answers(3, 3, 3, 3, 3, 3, 3, 3, 3)), None).response
