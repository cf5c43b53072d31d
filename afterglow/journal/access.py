"""Whose journal a CLI command works on: local mode's one patient (the mode decides; see afterglow/modes.py).

Web requests carry theirs as `request.patient` (afterglow/access.py).
"""

from __future__ import annotations

from afterglow.modes import LOCAL_USERNAME, local_patient

__all__ = ["LOCAL_USERNAME", "local_patient"]
