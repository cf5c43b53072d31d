"""Which mode Afterglow runs in, and every answer that depends on it.

Local mode (the default): one person on one computer. The journal is an encrypted SQLite file
whose key lives only in the memory of the process that was unlocked, so that process runs the
background worker too, and it serves this computer alone.

Clinic mode (`AFTERGLOW_MODE=clinic`): one server, many patients who sign in, PostgreSQL from
`DATABASE_URL`, behind the clinic's TLS proxy, background work in worker processes of its own.

Code outside settings.py never tests the mode's name: it asks `current()` a question, so clinic
mode is finished in one place (the `Clinic` class). This module sits at the bottom of the layers,
below `lib`: it imports nothing of Afterglow's and Django only inside functions. The vault, which
sits above it, tells it how to ask whether the journal is unlocked (`use_vault`, from the vault
app's `ready()`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol
from urllib.parse import unquote, urlsplit

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.http import HttpRequest

LOCAL = "local"
CLINIC = "clinic"
# Local mode's one patient: every row of the journal belongs to this account.
LOCAL_USERNAME = "me"


class Vault(Protocol):
    """What the mode asks the vault (afterglow.vault.session answers)."""

    def current_key(self) -> bytes | None: ...

    def open_to(self, request: Any) -> bool: ...


class _NoVault:
    """Until the vault app is ready nothing is unlocked: closed is the safe answer."""

    def current_key(self) -> bytes | None:
        return None

    def open_to(self, request: Any) -> bool:
        return False


_vault: Vault = _NoVault()


def use_vault(vault: Vault) -> None:
    global _vault
    _vault = vault


class Mode(ABC):
    name: ClassVar[str]
    clinic: ClassVar[bool]
    # The data key lives in this process's memory, put there by a passphrase: the vault's pages, the
    # idle lock, the re-key check and the CLI's unlock apply, and only this process can read the journal.
    unlocks_in_process: ClassVar[bool]

    @property
    def runs_worker_in_process(self) -> bool:
        """Whether `serve` runs the job queue's worker as one of its threads (nothing else could read the jobs)."""
        return self.unlocks_in_process

    @property
    def serves_this_computer_only(self) -> bool:
        """Whether the web app refuses every peer that is not this computer (a clinic's proxy decides there)."""
        return not self.clinic

    @abstractmethod
    def database(self, home: Path, url: str) -> dict[str, object]:
        """The Django DATABASES entry (settings.py reads the environment and asks once)."""

    @abstractmethod
    def patient(self, request: HttpRequest) -> User:
        """Whose journal this request reads and writes."""

    @abstractmethod
    def journal_open(self, request: HttpRequest | None = None) -> bool:
        """Whether the journal can be read now: by this request when one is given, else by this process."""

    @abstractmethod
    def unlocked_with(self) -> object | None:
        """What the journal is open with in this process (None while locked); a new object after each unlock."""


class Local(Mode):
    name = LOCAL
    clinic = False
    unlocks_in_process = True

    def database(self, home: Path, url: str) -> dict[str, object]:
        return {
            "ENGINE": "afterglow.vault.backend",
            "NAME": str(home / "journal.db"),
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
            # Kept open between requests so each server thread keeps its decrypted
            # page cache; the backend closes any connection opened under another key.
            "CONN_MAX_AGE": 600,
            "TEST": {"NAME": ":memory:"},
        }

    def patient(self, request: HttpRequest) -> User:
        return local_patient()

    def journal_open(self, request: HttpRequest | None = None) -> bool:
        # Unlocked in this process, and for a request also bound to its browser (the vault's token).
        return _vault.current_key() is not None if request is None else _vault.open_to(request)

    def unlocked_with(self) -> object | None:
        return _vault.current_key()


class Clinic(Mode):
    name = CLINIC
    clinic = True
    unlocks_in_process = False

    def database(self, home: Path, url: str) -> dict[str, object]:
        parts = urlsplit(url)
        if parts.scheme not in {"postgres", "postgresql"}:
            raise ValueError("DATABASE_URL must be a postgres:// URL in clinic mode")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
        }

    def patient(self, request: HttpRequest) -> User:
        from django.core.exceptions import PermissionDenied

        user = request.user
        if not user.is_authenticated:  # no journal is anyone's until they sign in
            raise PermissionDenied("Please sign in first.")
        return user

    def journal_open(self, request: HttpRequest | None = None) -> bool:
        # The database is always open; a request reads it once its person has signed in.
        return True if request is None else bool(request.user.is_authenticated)

    def unlocked_with(self) -> object | None:
        return self


LOCAL_MODE = Local()
CLINIC_MODE = Clinic()


def named(name: str) -> Mode:
    """The mode AFTERGLOW_MODE names (anything but "clinic" is local, as it always was)."""
    return CLINIC_MODE if name == CLINIC else LOCAL_MODE


def current() -> Mode:
    from django.conf import settings

    return CLINIC_MODE if settings.CLINIC else LOCAL_MODE


def local_patient() -> User:
    """Local mode has exactly one patient, created on first use (or at `init`)."""
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username=LOCAL_USERNAME)
    return user
