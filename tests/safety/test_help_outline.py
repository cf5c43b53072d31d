"""/help reads in order for screen readers: headings never skip a level (axe `heading-order`)."""

from __future__ import annotations

import re
from itertools import pairwise

import pytest


@pytest.fixture(autouse=True)
def us_region(monkeypatch):
    monkeypatch.setenv("AFTERGLOW_CRISIS_REGION", "US")


def heading_levels(html: str) -> list[int]:
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    return [int(level) for level in re.findall(r"<h([1-6])[\s>]", main)]


@pytest.mark.parametrize("region", ["US", "GB", "INTL"])
def test_the_help_page_never_skips_a_heading_level(client, patient, region):
    levels = heading_levels(client.get(f"/help?region={region}").content.decode())
    assert levels[0] == 1 and 3 in levels
    assert all(later - earlier <= 1 for earlier, later in pairwise(levels)), levels
