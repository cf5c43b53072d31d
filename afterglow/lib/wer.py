"""Word error rate: how far a transcript is from what was said, in words (for tests and benchmarks)."""

from __future__ import annotations

import re


def words(text: str) -> list[str]:
    """Lower-case words without punctuation ("Grandmother's garden." -> ["grandmother's", "garden"])."""
    return re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text.lower().replace("’", "'"))


def word_errors(said: str, heard: str) -> tuple[int, int]:
    """(substitutions + deletions + insertions, words said): the edit distance over words."""
    ref, hyp = words(said), words(heard)
    row = list(range(len(hyp) + 1))
    for i, word in enumerate(ref, 1):
        diagonal, row[0] = row[0], i
        for j, other in enumerate(hyp, 1):
            diagonal, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, diagonal + (word != other))
    return row[len(hyp)], len(ref)


def word_error_rate(said: str, heard: str) -> float:
    errors, total = word_errors(said, heard)
    return errors / max(1, total)
