"""The cross-cutting middleware's literal paths follow STATIC_URL and the URL names: moving a page
in urls.py (or the assets' address in settings) without its path here fails this test."""

from __future__ import annotations

from django.urls import reverse

from afterglow.web import middleware


def test_its_paths_follow_the_static_url_and_the_url_names(settings) -> None:
    assert middleware.CACHEABLE_PREFIXES == (settings.STATIC_URL,)
    assert (reverse("healthz"),) == middleware.OPEN_TO_ANY_PEER


def test_it_lets_the_browser_cache_assets_and_never_a_page(client, settings) -> None:
    asset = client.get(settings.STATIC_URL + "css/vault.css")
    assert asset.status_code == 200 and asset.headers.get("Cache-Control") != "no-store"
    assert client.get(reverse("help")).headers["Cache-Control"] == "no-store"
