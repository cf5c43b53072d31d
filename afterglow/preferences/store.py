"""Where a person's preferences live, behind one interface: `for_request(request)` or `for_patient(owner)`.

Local mode: `config.toml` in the data folder, read without unlocking (a locked /help still shows the
chosen crisis lines and look), one person, so every store is the same file. Clinic mode: one row per
person in the database, so patient A choosing the UK's crisis lines never changes patient B's; a
visitor who has not signed in gets the defaults and cannot save. Both keep the same sections of flat
values, checked by `lib.config` on the way in and on the way out. Each domain (safety, rhythm, the
look, the idle lock, key moments) reads and checks its own section through a `Store`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.http import HttpRequest

from afterglow import modes
from afterglow.lib import config
from afterglow.lib.errors import UserError

# A request's store, kept on it: every page asks several times (look, crisis region, idle minutes).
_ON_REQUEST = "_afterglow_preferences"


class SignInFirst(UserError):
    """Saving a preference in clinic mode before signing in: there is nobody to keep it for."""

    status = 403


class Store(ABC):
    @abstractmethod
    def read(self) -> dict[str, dict[str, config.Scalar]]:
        """Every section (a fresh copy each call)."""

    @abstractmethod
    def update(self, section: str, values: Mapping[str, config.Scalar]) -> None:
        """Keep these values in `section`, leaving its other keys and the other sections as they were."""

    def section(self, name: str) -> dict[str, config.Scalar]:
        return self.read().get(name, {})

    def get(self, section: str, key: str, default: Any = None) -> Any:
        return self.section(section).get(key, default)


class FileStore(Store):
    """Local mode: config.toml, as before (re-read only when the file changed; written atomically)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> dict[str, dict[str, config.Scalar]]:
        return config.read(self.path)

    def update(self, section: str, values: Mapping[str, config.Scalar]) -> None:
        config.update(self.path, section, dict(values))


class RowStore(Store):
    """Clinic mode: the person's row, read once per store (a store lives as long as its request)."""

    def __init__(self, owner: Any) -> None:
        self.owner = owner
        self._kept: dict[str, dict[str, config.Scalar]] | None = None

    def read(self) -> dict[str, dict[str, config.Scalar]]:
        if self._kept is None:
            from afterglow.preferences.models import PatientPreferences

            relation = _relation(self.owner)
            if relation is not None and relation.is_cached(self.owner):  # read with the account (clinic/backend.py)
                row = relation.get_cached_value(self.owner)
                found = None if row is None else row.sections
            else:
                found = PatientPreferences.objects.filter(owner=self.owner).values_list("sections", flat=True).first()
            self._kept = config.sections(found)
        return {name: dict(body) for name, body in self._kept.items()}

    def update(self, section: str, values: Mapping[str, config.Scalar]) -> None:
        from afterglow.preferences.models import PatientPreferences

        values = config.checked(section, values)
        with transaction.atomic():
            row, _ = PatientPreferences.objects.select_for_update().get_or_create(owner=self.owner)
            # Locked, so two tabs saving different sections at once both keep theirs.
            kept = config.sections(row.sections)
            kept.setdefault(section, {}).update(values)
            row.sections = kept
            row.save(update_fields=["sections", "updated"])
        self._kept = kept
        relation = _relation(self.owner)
        if relation is not None and relation.is_cached(self.owner):
            relation.set_cached_value(self.owner, row)  # a later store in this request reads what was just saved


def _relation(owner: Any) -> Any:
    """The account's reverse link to its preferences row, when the account has one (None for anything else)."""
    try:
        return owner._meta.get_field("preferences")
    except (AttributeError, FieldDoesNotExist):
        return None


class Defaults(Store):
    """Clinic mode before signing in (/help, the sign-in page): every preference at its default."""

    def read(self) -> dict[str, dict[str, config.Scalar]]:
        return {}

    def update(self, section: str, values: Mapping[str, config.Scalar]) -> None:
        raise SignInFirst("Please sign in first: your choices are kept with your account.")


def local() -> FileStore:
    """Local mode's one person's config.toml."""
    return FileStore(Path(settings.HOME) / "config.toml")


def for_patient(owner: Any) -> Store:
    """Whose preferences: in local mode the one config.toml (whoever `owner` is), in clinic mode `owner`'s row."""
    if not modes.current().clinic:
        return local()
    return RowStore(owner)


class NoOneHere(UserError):
    """A verb that reads one person's preferences, run on a clinic's server, where they are each patient's own."""


def for_command() -> Store:
    """A CLI verb's (`afterglow remind`): local mode's config.toml, readable while the journal is locked.

    A clinic's server has no one person whose preferences a verb could read (and must not make one up)."""
    if modes.current().clinic:
        raise NoOneHere(
            "In clinic mode each patient's reminders are their own: they show in the patient's browser and "
            "in the calendar file each patient downloads from Settings."
        )
    return local()


def for_request(request: HttpRequest) -> Store:
    """The preferences of the person making this request; in local mode config.toml, without unlocking."""
    kept = getattr(request, _ON_REQUEST, None)
    if kept is None:
        kept = _store_for(request)
        setattr(request, _ON_REQUEST, kept)
    return kept


def _store_for(request: HttpRequest) -> Store:
    mode = modes.current()
    if not mode.clinic:
        return local()
    if not hasattr(request, "user"):
        return Defaults()  # an error page answered before the request reached sign-in (a wrong Host, say)
    # The mode says whose request this is (the person signed in); before signing in, nobody's.
    return RowStore(mode.patient(request)) if mode.journal_open(request) else Defaults()
