"""How pages and charts look: light, dark or as the system says, and the text size. The `[display]` preferences.

Read without unlocking (local mode's config.toml), so the unlock page and /help are dark too when that was chosen.
"""

from __future__ import annotations

from dataclasses import dataclass

from afterglow.lib.errors import UserError
from afterglow.preferences.store import Store

SECTION = "display"
THEMES = {"system": "As my computer is set", "light": "Light", "dark": "Dark (low light)"}
TEXT_SIZES = {"normal": "Usual", "large": "Larger", "largest": "Largest"}


@dataclass(frozen=True)
class Display:
    theme: str = "system"
    text: str = "normal"


def load(prefs: Store) -> Display:
    raw = prefs.section(SECTION)
    theme, text = raw.get("theme"), raw.get("text")
    return Display(theme if theme in THEMES else "system", text if text in TEXT_SIZES else "normal")


class DisplayError(UserError, ValueError):
    """A look or text size that is not one of the listed ones (400)."""


def save(prefs: Store, theme: str, text: str) -> None:
    if theme not in THEMES or text not in TEXT_SIZES:
        raise DisplayError("Please choose one of the listed looks and text sizes.")
    prefs.update(SECTION, {"theme": theme, "text": text})
