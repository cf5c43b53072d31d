"""Words that may mean someone is writing from a dark place (`data/crisis_words.toml`).

A kindness, not a detector: a match only offers help quietly after saving.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from afterglow.lib.datafiles import DataFileError, load_toml

DATA = Path(__file__).parent / "data" / "crisis_words.toml"


@cache
def _pattern() -> re.Pattern[str]:
    return load_toml(DATA, _compile)


def _compile(raw: Mapping[str, Any]) -> re.Pattern[str]:
    phrases = [str(p).strip() for p in raw.get("phrases", ()) if str(p).strip()]
    if not phrases:
        raise DataFileError("crisis_words.toml: no phrases")
    if any(p != p.lower() for p in phrases):
        raise DataFileError("crisis_words.toml: phrases must be lower-case")
    alternatives = "|".join(_phrase(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


def _phrase(phrase: str) -> str:
    # Any run of spaces between words; a straight or curly apostrophe.
    escaped = [re.escape(word).replace("'", "['’]") for word in phrase.split()]
    return r"\s+".join(escaped)


def suggests_crisis(text: str) -> bool:
    return bool(text) and _pattern().search(text) is not None
