"""Open a secret link in the browser without showing it to other users (framework-free).

A browser is started with its URL on the command line, and every user of the
computer can read command lines (`ps`, /proc/<pid>/cmdline). So a link that
carries a secret goes into a small page only this user can read, and the
browser is pointed at that file instead; the page forwards to the link.
"""

from __future__ import annotations

import html
import os
import tempfile
import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path

PREFIX = ".open-afterglow-"
KEEP_SECONDS = 120.0  # long enough for a slow browser start; the secret works once anyway


def forwarding_page(url: str) -> str:
    safe = html.escape(url, quote=True)
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="refresh" content="0;url={safe}"><title>Opening Afterglow</title></head>'
        f'<body><p><a href="{safe}">Open Afterglow</a></p></body></html>\n'
    )


def remove_leftovers(folder: Path) -> None:
    """Pages left by a server that was stopped before it could remove its own."""
    for stale in folder.glob(f"{PREFIX}*.html"):
        stale.unlink(missing_ok=True)


def write_private_page(url: str, folder: Path) -> Path:
    """The forwarding page, readable by this user only (mode 0600)."""
    fd, name = tempfile.mkstemp(prefix=PREFIX, suffix=".html", dir=folder)
    with os.fdopen(fd, "w", encoding="utf-8") as page:
        page.write(forwarding_page(url))
    return Path(name)


def open_privately(url: str, folder: Path, *, opener: Callable[[str], object] = webbrowser.open) -> Path:
    """Point the browser at a private page that forwards to `url`; the page is removed soon after."""
    page = write_private_page(url, folder)
    opener(page.as_uri())
    timer = threading.Timer(KEEP_SECONDS, page.unlink, kwargs={"missing_ok": True})
    timer.daemon = True
    timer.start()
    return page
