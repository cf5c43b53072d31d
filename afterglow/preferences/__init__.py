"""A person's preferences: config.toml in local mode, a row per person in clinic mode (see store.py).

The Settings page that gathers them is a page of its own (afterglow.pages.settings): this package
sits low in the layers so that every domain can read its own section.
"""
