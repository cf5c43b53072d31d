import pytest


@pytest.fixture(autouse=True)
def own_config(settings, tmp_path):
    """Each test's preferences (config.toml) in its own folder."""
    settings.HOME = tmp_path
    return tmp_path


from tests.vault.conftest import _initialised_template, home  # noqa: E402, F401  (real journals for `remind`)
