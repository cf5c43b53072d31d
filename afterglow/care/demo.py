"""The care team's part of the demo clinic (`make clinic-demo`): who shares what with whom.

Three of the four demo patients share with a clinician, so each clinician's list shows patients ordered by
need (the clinic's demo gives sam a question 9 answer, alex a warning sign, jo worsening and missed days);
kim shares nothing yet, so is on no list.
"""

from __future__ import annotations

from typing import Any

from afterglow.care.models import Category
from afterglow.care.sharing import set_consent

EVERYTHING: list[str] = list(Category.values)
SHARING: list[tuple[str, str, list[str]]] = [
    ("sam", "dr-rivera", EVERYTHING),
    ("alex", "dr-rivera", [Category.SESSIONS, Category.CHECKINS, Category.SIDE_EFFECTS]),
    ("alex", "dr-okafor", [Category.CHECKINS]),
    ("jo", "dr-rivera", [Category.CHECKINS, Category.MEASURES]),
    ("jo", "dr-okafor", EVERYTHING),
]


def share(people: dict[str, Any]) -> None:
    """The consents above, as each patient would give them on their Sharing page."""
    for patient, clinician, categories in SHARING:
        set_consent(people[patient], people[clinician], categories, [])
