from tests.vault.conftest import _initialised_template, home  # noqa: F401  (fixtures for the on-disk purge test)
