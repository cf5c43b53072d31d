"""Which mode Afterglow runs in, and every answer that depends on it.

Local mode (the default): one person on one computer. The journal is an encrypted SQLite file
whose key lives only in the memory of the process that was unlocked, so that process runs the
background worker too, and it serves this computer alone.

Clinic mode (`AFTERGLOW_MODE=clinic`): one server, many patients who sign in, PostgreSQL from
`DATABASE_URL`, behind the clinic's TLS proxy, background work in worker processes of its own.

Code outside settings.py never tests the mode's name: it asks `current()` a question, so clinic
mode is finished in one place (the `Clinic` class). This module sits just above `lib` in the
layers: it imports only `lib.env` (to refuse an unknown mode) and Django only inside functions. The vault, which
sits above it, tells it how to ask whether the journal is unlocked (`use_vault`, from the vault
app's `ready()`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol
from urllib.parse import parse_qs, unquote, urlsplit

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.http import HttpRequest

LOCAL = "local"
CLINIC = "clinic"
# Local mode's one patient: every row of the journal belongs to this account.
LOCAL_USERNAME = "me"
# The CLI verbs that act on the one journal kept on this computer. A clinic's server keeps no
# journal of its own (each patient's lives in their account), so in clinic mode they have nothing
# to act on and are refused; every other verb (migrate, worker, clinic, check, serve, prompts…)
# is the server's. tests/cli/test_clinic_verbs.py makes each new verb take a side.
JOURNAL_VERBS = frozenset(
    {
        "backup", "checkin", "export", "image", "import", "init", "list", "measure", "passphrase",
        "recover", "remind", "report", "restore", "search", "session", "voice", "write",
    }
)  # fmt: skip
CLINIC_SERVER_VERBS = "migrate, collectstatic, check --deploy, clinic createadmin and worker (gunicorn serves the pages)"


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

    def refuses_verb(self, verb: str) -> str:
        """Why `afterglow VERB` has nothing to do in this mode, in one line for a person ('' when it has)."""
        return ""


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
        """The entry for a postgres:// URL, read as libpq reads it (ValueError, naming no part of it, otherwise).

        The host may be a Unix socket folder, percent-encoded (`postgres://me@%2Frun%2Fpostgresql/db`)
        or given as `?host=/run/postgresql`.
        """
        url = url.strip()
        if not url:
            raise ValueError("DATABASE_URL is not set: clinic mode needs postgres://USER:PASSWORD@HOST:PORT/NAME")
        parts = urlsplit(url)
        if parts.scheme not in {"postgres", "postgresql"}:
            raise ValueError("DATABASE_URL must be a postgres:// URL in clinic mode")
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ValueError("DATABASE_URL names no database: end it with /DATABASE_NAME")
        host = unquote(parts.netloc.rpartition("@")[2])
        port = ""
        if not host.startswith("/") and ":" in host.rpartition("]")[2]:
            host, _, port = host.rpartition(":")
        host = parse_qs(parts.query).get("host", [host])[0].strip("[]")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": host,
            "PORT": port,
            "CONN_MAX_AGE": 60,
            # A kept connection that went stale (PostgreSQL restarted) is noticed before a request uses it.
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {"connect_timeout": 5},
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

    def refuses_verb(self, verb: str) -> str:
        if verb not in JOURNAL_VERBS:
            return ""
        return (
            f"`afterglow {verb}` is for a journal kept on one computer; in clinic mode each patient's journal "
            f"lives in their own account on the clinic's web pages. A clinic server uses {CLINIC_SERVER_VERBS}."
        )


LOCAL_MODE = Local()
CLINIC_MODE = Clinic()


def named(name: str) -> Mode:
    """The mode AFTERGLOW_MODE names (unset or empty is local); any other name is refused at start,
    so a misspelt `clinc` never quietly runs a clinic's server as one person's local journal."""
    from afterglow.lib.env import BadEnvironment

    chosen = name.strip().lower() or LOCAL
    if chosen == CLINIC:
        return CLINIC_MODE
    if chosen == LOCAL:
        return LOCAL_MODE
    raise BadEnvironment(f"AFTERGLOW_MODE={name!r} is not a mode Afterglow knows: use {LOCAL} or {CLINIC}")


def current() -> Mode:
    from django.conf import settings

    return CLINIC_MODE if settings.CLINIC else LOCAL_MODE


def local_patient() -> User:
    """Local mode has exactly one patient, created on first use (or at `init`)."""
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username=LOCAL_USERNAME)
    return user
