"""The drawings and photos of a private entry on a clinic's server: stored sealed, opened only for their patient.

Local mode needs none of this (the whole journal is one SQLCipher file), so nothing here acts there.
In a clinic, a picture whose entry is private is stored with its image, thumbnail and strokes each
sealed by `journal.private.seal_blob` for its owner, and its caption sealed the same way into
`caption_sealed` (the `caption` column empty, so the caption search index holds none of its words).
Marking the entry private seals its pictures in the same save, un-marking opens them
(`pictures.follow_entry`, from the media app's `ready()`).
Each seal names the picture's uid, its owner and the column, so sealed bytes moved onto another row,
or into another column, do not open. Width, height, kind and dates stay readable.

A row is opened as it is read (`Picture.from_db`), only in the patient's own request (the key that
`private.opening` holds). Read without it (a clinician, a job), the bytes read as empty, the caption
as "", and `locked` is true: nothing ever serves the ciphertext as a picture. The sealed values stay
on the object (`_stored`), so the Trash, which serializes rows, keeps them as they are stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from typing import Any

from afterglow.journal import private

BLOBS = ("image", "thumb", "strokes")
CAPTION = ("caption", "caption_sealed", "sealed")
COLUMNS = frozenset((*BLOBS, "caption", "caption_sealed"))
LOCKED_MESSAGE = (
    "This picture belongs to a private entry and is locked: it was sealed with a key that does not open "
    "here. Please sign in again; nothing was changed."
)

# What a locked picture's bytes read as: never the ciphertext.
_EMPTY: dict[str, bytes | None] = {"image": b"", "thumb": b"", "strokes": None}


def context(uid: Any, owner_id: int, column: str) -> str:
    return f"afterglow picture {uid} of {owner_id}: {column}"


def open_value(uid: Any, owner_id: int, column: str, stored: bytes | memoryview | None, sealed: bool) -> bytes | None:
    """A column's bytes as the patient sees them; None when they are sealed and this request cannot open them."""
    if stored is None or not sealed:
        return None if stored is None else bytes(stored)
    return private.open_blob(owner_id, stored, context(uid, owner_id, column))


def open_caption(uid: Any, owner_id: int, caption: str, caption_sealed: bytes | memoryview | None) -> str:
    """A caption from its columns (for code that reads values, not rows); "" when it cannot be opened."""
    if caption_sealed is None:
        return caption
    plain = private.open_blob(owner_id, caption_sealed, context(uid, owner_id, "caption"))
    return plain.decode("utf-8") if plain is not None else ""


# ---- rows ----------------------------------------------------------------------------------------


def opened(picture: Any, columns: Iterable[str]) -> None:
    """As a row (or some of its columns) is read: open what is sealed, when this request may."""
    columns = COLUMNS & set(columns)
    if not columns or not private.applies():
        return
    stored: dict[str, bytes] = picture.__dict__.setdefault("_stored", {})
    for name in columns:
        stored.pop(name, None)
    if not picture.sealed:
        return
    uid, owner_id, values = picture.uid, picture.owner_id, picture.__dict__
    if "caption" in columns and "caption_sealed" not in values:
        picture.caption_sealed  # noqa: B018 (read now, deferred: it opens the caption as it loads)
    for name in columns & {*BLOBS, "caption_sealed"}:
        value = values[name]
        if value is None:
            continue
        key = "caption" if name == "caption_sealed" else name
        plain = private.open_blob(owner_id, value, context(uid, owner_id, key))
        if name != "caption_sealed":
            stored[name] = bytes(value)
        if plain is None:
            picture._locked = True
            values[key] = "" if key == "caption" else _EMPTY[key]
        else:
            values[key] = plain.decode("utf-8") if key == "caption" else plain


def reload(picture: Any, columns: AbstractSet[str], using: str | None) -> None:
    """Read these columns again as stored, and open them (a deferred column being loaded)."""
    if "caption" in columns:
        columns = columns | {"caption_sealed"}
    rows = type(picture)._base_manager.db_manager(using or picture._state.db).filter(pk=picture.pk)
    row = rows.values(*columns, "sealed", "uid", "owner_id").get()
    for name in columns:
        picture.__dict__[name] = row[name]
    for name in ("sealed", "uid", "owner_id"):
        picture.__dict__.setdefault(name, row[name])
    opened(picture, columns)


def prepared(picture: Any, update_fields: Any) -> Any:
    """Before a save: a picture changing between sealed and open rewrites every column that changes."""
    if not private.applies():
        return update_fields
    if not picture._state.adding and picture.sealed != picture.entry.private:
        for name in BLOBS:
            getattr(picture, name)  # a deferred one is loaded (and opened) now, to be written again
        return None if update_fields is None else {*update_fields, *BLOBS, *CAPTION}
    if update_fields is not None and set(update_fields) & COLUMNS:
        return {*update_fields, *CAPTION}
    return update_fields


@contextmanager
def storing(picture: Any) -> Iterator[None]:
    """While `picture` is written: a private entry's goes in sealed; the object keeps what it shows."""
    if not private.applies():
        yield
        return
    seal = picture.entry.private
    if picture._locked:
        yield from _storing_locked(picture, seal)
        return
    values = picture.__dict__
    plain = {name: values[name] for name in BLOBS if name in values}
    caption = picture.caption
    stored: dict[str, bytes] = {}
    if seal:
        owner_id, uid = picture.owner_id, picture.uid
        for name, value in plain.items():
            if value is not None:
                stored[name] = private.seal_blob(owner_id, bytes(value), context(uid, owner_id, name))
                values[name] = stored[name]
        words = caption.encode("utf-8")
        picture.caption_sealed = private.seal_blob(owner_id, words, context(uid, owner_id, "caption")) if caption else None
        picture.caption = ""
    else:
        picture.caption_sealed = None
    picture.sealed = seal
    try:
        yield
    finally:
        values.update(plain)
        picture.caption = caption
    picture.__dict__["_stored"] = stored


def _storing_locked(picture: Any, seal: bool) -> Iterator[None]:
    # Its columns can only be written back as they are stored: still sealed, nothing new in them.
    values = picture.__dict__
    if not seal or picture.caption or any(values.get(name) for name in BLOBS):
        raise private.Locked(LOCKED_MESSAGE)
    shown = {name: values[name] for name in BLOBS if name in values}
    values.update({name: value for name, value in picture._stored.items() if name in shown})
    try:
        yield
    finally:
        values.update(shown)
