import pytest


@pytest.fixture(autouse=True)
def fresh_themes():
    """Each test's journal is new (ids are reused): start without the pieces a previous test left in memory."""
    from afterglow.insights import themes

    themes.forget()
    yield
    themes.forget()
