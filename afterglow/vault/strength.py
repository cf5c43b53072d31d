"""A gentle passphrase hint: length matters far more than symbols."""

from __future__ import annotations

COMMON = {"password", "passphrase", "12345678", "123456789", "qwertyuiop", "iloveyou", "afterglow", "ketamine"}


def hint(passphrase: str) -> str:
    words = len(passphrase.split())
    if not passphrase:
        return "A few ordinary words strung together make a strong passphrase that is easy to remember."
    if passphrase.lower().replace(" ", "") in COMMON:
        return "That one is among the first guesses anyone would try. Try a few words only you would put together."
    if len(passphrase) < 8:
        return "A little longer, please: at least 8 characters. Several plain words are easier to remember than symbols."
    if len(passphrase) < 14 and words < 3:
        return "This works. Adding another word or two makes it much harder to guess."
    return "Good: long passphrases are the hardest to guess. Keep it somewhere only you can find."
