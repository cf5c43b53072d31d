"""What a result means, in plain words: the same sentences for the web page and the CLI."""

from __future__ import annotations

from afterglow.measures.responses import Result

ASK_CLINICIAN = "Talk to your clinician about what this means for you."


def headline(result: Result) -> str:
    score = result.score
    name = score.instrument.name
    if score.total is None:
        return f"{name}: {score.answered} of {len(score.instrument.scored_items)} questions answered, so there is no total."
    band = f" — {score.band.name}" if score.band else ""
    return f"{name}: {score.total} out of {score.instrument.max_total}{band}"


def notes(result: Result) -> list[str]:
    """Plain sentences about this result and its change over the course, most important first."""
    score, change = result.score, result.change
    instrument = score.instrument
    out: list[str] = []
    if score.total is None:
        out.append(
            "A total is only meaningful when every question is answered, so none is shown. "
            "You can take it again whenever you like."
        )
    if score.crisis_unknown:
        out.append(f"Question {instrument.crisis_item} was not answered, so how you are doing on it is unknown.")
    if change.since_baseline is not None and result.baseline is not None:
        out.append(
            f"Since your first {instrument.name} of this course ({result.baseline.when:%-d %b}): "
            f"{_signed(change.since_baseline)}."
        )
    if change.since_last is not None and result.last is not None:
        out.append(f"Since the one before ({result.last.when:%-d %b}): {_signed(change.since_last)}.")
    mid = instrument.meaningful_change
    if change.meaningful_since_last or change.meaningful_since_baseline:
        out.append(
            f"A change of {mid} or more points is usually counted as a real change for one person, "
            "not just an ordinary up-and-down."
        )
    elif change.since_last is not None and mid:
        out.append(f"Changes smaller than {mid} points are often ordinary ups and downs.")
    if change.response:
        out.append(
            "Your total has dropped by half or more since the start of the course: studies of ketamine call this a “response”."
        )
    if change.remission:
        out.append(f"A total under {instrument.remission_below} is what studies call “remission”.")
    out += _pcl5(result)
    if score.total is not None or out:
        out.append(ASK_CLINICIAN)
    return out


def _pcl5(result: Result) -> list[str]:
    score = result.score
    instrument = score.instrument
    out: list[str] = []
    if score.above_cutoff is not None and instrument.cutoff is not None:
        side = "at or above" if score.above_cutoff else "below"
        out.append(
            f"This total is {side} {instrument.cutoff}, the cut-off many clinics use to suggest a closer look; "
            "it is not a diagnosis."
        )
    if score.pattern_met is not None:
        met = "matches" if score.pattern_met else "does not match"
        out.append(
            f"The pattern of your answers {met} the DSM-5 symptom pattern "
            "(enough items at “Moderately” or more in each group). Only a clinician can assess PTSD."
        )
    return out


def _signed(points: int) -> str:
    if points == 0:
        return "no change"
    word = "point" if abs(points) == 1 else "points"
    return f"{'up' if points > 0 else 'down'} {abs(points)} {word}"
