"""Addresses come from URL names: templates use {% url %}, every route has a snake_case name."""

from __future__ import annotations

import re
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

TEMPLATES = Path(__file__).resolve().parent.parent / "afterglow" / "templates"
# An attribute whose value starts with a path written out by hand ("/write", not {% url 'write' %}).
LITERAL = re.compile(r"""(?:href|action|src|hx-[a-z]+|data-[a-z-]+)=["'](?:\{%[^%]*%\})?/(?!static/)""")


def _routes(patterns: list, prefix: str = "") -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = []
    for p in patterns:
        if isinstance(p, URLResolver):
            found += _routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            found.append((prefix + str(p.pattern), p.name))
    return found


def test_it_writes_no_path_by_hand_in_a_template():
    offenders = [
        f"{path.relative_to(TEMPLATES)}:{n}"
        for path in TEMPLATES.rglob("*.html")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if LITERAL.search(line)
    ]
    assert offenders == []


def test_it_names_every_route_once_in_snake_case():
    routes = _routes(get_resolver().url_patterns)
    names = [name for _, name in routes]
    assert all(name and re.fullmatch(r"[a-z][a-z0-9_]*", name) for name in names), routes
    assert len(names) == len(set(names))
