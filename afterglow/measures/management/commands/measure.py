"""`afterglow measure phq9|gad7|pcl5 [--answers 0,1,2,…]`: take a questionnaire from the terminal."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.management.base import CommandParser

from afterglow.access import local_patient
from afterglow.lib.errors import UserError
from afterglow.measures import meaning, responses
from afterglow.measures.instruments import Instrument, instruments
from afterglow.measures.scoring import AnswerError, clean_answers
from afterglow.preferences.store import for_patient
from afterglow.safety.crisis import Region, region_for
from afterglow.safety.preferences import chosen_region
from afterglow.vault.verbs import Command as BaseCommand
from afterglow.web.cli import ask_line, takes_dash_values

SKIP = {"", "-"}


class Command(BaseCommand):
    help = "Take the PHQ-9, GAD-7 or PCL-5: question by question, or all answers at once with --answers."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("instrument", choices=list(instruments()), help="which questionnaire")
        parser.add_argument("--answers", help="one answer per question, comma-separated (e.g. 0,1,2,…); '-' skips one")
        takes_dash_values(parser, "--answers")

    def handle(self, *args: Any, **options: Any) -> None:
        instrument = instruments()[options["instrument"]]
        given = options["answers"]
        answers = parse_answers(instrument, given) if given is not None else self._ask(instrument)
        if not answers:
            raise UserError("No answers were given, so nothing was saved.")
        owner = local_patient()
        saved = responses.save_answers(owner, instrument, uuid.uuid4(), answers)
        responses.finish(saved)
        result = responses.result(instrument, saved)
        if result.score.crisis:
            # Help comes first, before any number.
            self.stdout.write("\n".join(crisis_lines(_region(owner))) + "\n")
        self.stdout.write(meaning.headline(result))
        for note in meaning.notes(result):
            self.stdout.write(f"  {note}")

    def _ask(self, instrument: Instrument) -> dict[int, int]:
        self.stdout.write(f"{instrument.title}\n{instrument.question}\n")
        for option in instrument.scored_items[0].options:
            self.stdout.write(f"  {option.value} = {option.label}")
        self.stdout.write("Type a number and Enter; Enter alone skips a question.\n")
        answers: dict[int, int] = {}
        for item in instrument.scored_items:
            value = self._ask_one(instrument, item.number, item.text)
            if value is not None:
                answers[item.number] = value
            if item.number == instrument.crisis_item and (value or 0) > 0:
                # At once, not only at the end.
                self.stdout.write("\n".join(crisis_lines(_region(local_patient()))) + "\n")
        self.stdout.write(f"\n{instrument.attribution}\n")
        return answers

    def _ask_one(self, instrument: Instrument, number: int, text: str) -> int | None:
        while True:
            try:
                raw = ask_line(f"{number}. {text}: ")
            except EOFError:
                return None
            try:
                return clean_answers(instrument, {number: raw}).get(number)
            except AnswerError as error:
                self.stdout.write(str(error))


def parse_answers(instrument: Instrument, raw: str) -> dict[int, int]:
    """'0,1,2,…' with one answer per scored question; '-' or nothing between commas skips one."""
    parts = [p.strip() for p in raw.split(",")]
    expected = len(instrument.scored_items)
    if len(parts) != expected:
        raise UserError(f"the {instrument.name} has {expected} questions; --answers gave {len(parts)} answers.")
    given = {item.number: ("" if part in SKIP else part) for item, part in zip(instrument.scored_items, parts, strict=True)}
    try:
        return clean_answers(instrument, given)
    except AnswerError as error:
        raise UserError(str(error)) from None


def _region(owner: Any) -> Region:
    return region_for(chosen_region(for_patient(owner)))


def crisis_lines(region: Region) -> list[str]:
    lines = [
        "You answered that you have had thoughts of being better off dead or of hurting yourself.",
        "Please reach out now — you do not have to be sure it is an emergency:",
    ]
    for line in region.lines:
        lines.append(f"  {line.name}: {line.how}." + (f" Online: {line.url}" if line.url else ""))
    lines.append(f"  Emergency: call {region.emergency}.")
    lines.append("  Contact your care team now, and open your safety plan if you have one (afterglow serve → Get help now).")
    return lines
