"""What can go wrong in the vault, each with a sentence meant for the person.

They subclass `afterglow.lib.errors.UserError`, so a verb prints the message as
one line and exits 2; web views show the same message on the page with `status`.
"""

from __future__ import annotations

from afterglow.lib.errors import UserError


class VaultError(UserError):
    status = 400


class WrongPassphrase(VaultError):
    status = 422

    def __init__(self, message: str = "That passphrase does not open this journal. Please check it and try again.") -> None:
        super().__init__(message)


class WrongRecoveryKey(VaultError):
    status = 422

    def __init__(self) -> None:
        super().__init__("That recovery key does not match this journal. Please check each group and try again.")


class NotSetUp(VaultError):
    status = 409


class KeysMissing(VaultError):
    status = 409


class BadBackup(VaultError):
    status = 422


class StorageError(VaultError):
    status = 503


class Locked(VaultError):
    status = 423

    def __init__(self) -> None:
        super().__init__("The journal is locked; unlock it first.")


class InUse(VaultError):
    """Another Afterglow process has the journal open, so its file cannot be swapped now."""

    status = 409


class JournalMissing(VaultError):
    status = 409


class BadDestination(VaultError):
    """A place a backup must not be written to."""
