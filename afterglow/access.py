"""The one access rule: a patient's object is loaded for that patient, or it is not there at all.

Every view that loads a row of someone's journal by an id in its URL (or a form) goes through
`owned_or_404`; another patient's row is answered exactly like a missing one, so nobody can learn
that it exists. Domain code that finds another patient's row behind a uid raises `NotYours`.

Whose journal: a web request carries its patient as `request.patient` (`PatientRequest`); a CLI
command works on local mode's one patient, `local_patient()` (the mode decides; see modes.py).
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from afterglow.modes import local_patient

__all__ = ["NotYours", "PatientRequest", "local_patient", "owned", "owned_or_404"]

M = TypeVar("M", bound=Model)


class PatientRequest(HttpRequest):
    """A request as journal views see it, past the middleware (no such class exists at run time).

    `patient` is whose journal it reads (patient_middleware, resolved on first use);
    `vault_unlocked` is set by the vault middleware in local mode, for the page's lock button.
    """

    patient: User
    vault_unlocked: bool


class NotYours(LookupError):
    """An id or uid that belongs to another patient's row: answered exactly like a missing one."""


def owned(rows: type[M] | QuerySet[M], owner: Any) -> QuerySet[M]:
    """Only `owner`'s rows of a model or a queryset."""
    found = rows._default_manager.all() if isinstance(rows, type) else rows
    return found.filter(owner=owner)


def owned_or_404(rows: type[M] | QuerySet[M], request: PatientRequest, **lookup: Any) -> M:
    """The patient's one row matching `lookup`, else 404 (missing, or another patient's)."""
    return get_object_or_404(owned(rows, request.patient), **lookup)
