"""A clinic's private entries keep their field tags sealed (`SealedTags`), never as `Tag` rows.

The names given in a private entry's tag field are stored as one JSON list sealed with
`journal.private.seal_blob` to the patient's key, with the entry's uid and owner as associated
data (a sealed list copied onto another entry does not open). Sealing needs no secret (a job or
an import seals to the public key); opening needs the patient's own request. The #words of such
an entry are inside its sealed text, so they need nothing here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from afterglow.journal import private
from afterglow.tags.models import SealedTags


def context(entry_uid: Any, owner_id: int) -> str:
    return f"afterglow tags of entry {entry_uid} of {owner_id}"


def seal(entry: Any, names: Iterable[str]) -> None:
    """Keep exactly `names` as the entry's sealed field tags (none: no row at all)."""
    wanted = list(dict.fromkeys(names))
    if not wanted:
        SealedTags.objects.filter(entry_id=entry.pk).delete()
        return
    body = seal_body(entry.owner_id, entry.uid, wanted)
    SealedTags.objects.update_or_create(entry_id=entry.pk, defaults={"owner_id": entry.owner_id, "sealed": body})


def seal_body(owner_id: int, entry_uid: Any, names: list[str]) -> bytes:
    """The sealed form of a list of names (raises private.Locked when the owner has no key yet)."""
    return private.seal_blob(owner_id, json.dumps(names).encode("utf-8"), context(entry_uid, owner_id))


def opened(entry_uid: Any, owner_id: int, sealed: bytes | memoryview) -> list[str] | None:
    """The names in one sealed list, or None when this request cannot open it."""
    plain = private.open_blob(owner_id, sealed, context(entry_uid, owner_id))
    if plain is None:
        return None
    names = json.loads(plain)
    return [str(n) for n in names] if isinstance(names, list) else []


def of(entry: Any) -> list[str] | None:
    """The entry's sealed field tags ([] when it has none; None when they are there but do not open here)."""
    found = SealedTags.objects.filter(entry_id=entry.pk).values_list("sealed", flat=True).first()
    return [] if found is None else opened(entry.uid, entry.owner_id, found)


def of_owner(owner_id: int) -> dict[int, bytes]:
    """entry id → its sealed list, for every private entry of the owner that has one (one query)."""
    rows = SealedTags.objects.filter(owner_id=owner_id).values_list("entry_id", "sealed")
    return {int(entry_id): bytes(sealed) for entry_id, sealed in rows}
