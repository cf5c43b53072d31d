"""Finding #tags in text, and keeping the tags of entries and captures.

`set_tags(obj, names)` is the plain function imports and the tag field use;
`#words` in the text are kept in step by a post_save handler.

In a clinic, a private entry's tags are sealed with its words (`journal/private.py`): it has no
rows here. Its #words are in its sealed text, its field tags in a list sealed beside it. The
readers below (a tag list, counts, a filter) add them from the entries they open, which only the
patient's own request can: anyone else sees no tag of a private entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.db.models.signals import post_save

from afterglow.journal import private
from afterglow.lib.errors import UserError
from afterglow.tags import sealed
from afterglow.tags.models import NAME_MAX, Tag

# `#word` at the start of the text or after a space or an opening bracket or quote: never in
# the middle of a word, a URL (`/page#part`) or an HTML entity (`&#39;`). Letters, digits, _ and -.
_IN_TEXT = re.compile(r"(?<![^\s(\[{\"'“‘])#([^\W_][\w-]*)")
_NAME = re.compile(r"^[^\W_][\w-]*$")
_LETTER = re.compile(r"[^\W\d_]")


class TagError(UserError, ValueError):
    """A tag name that cannot be kept; the message says why, in plain words."""


def clean_name(raw: str) -> str:
    """A tag as stored: without a leading #, lower case; raises TagError for anything else."""
    name = raw.strip().lstrip("#").rstrip("-").casefold()
    if not name:
        raise TagError("A tag needs at least one letter.")
    if len(name) > NAME_MAX:
        raise TagError(f"A tag can be up to {NAME_MAX} characters; '{name[:20]}…' is longer.")
    if not _NAME.match(name) or not _LETTER.search(name):
        raise TagError(f"'{name[:NAME_MAX]}' cannot be a tag: use letters, digits, _ and - (with at least one letter).")
    return name


def extract(text: str) -> list[str]:
    """The #tags written in `text`, in order, each once (a number alone, like #1, is not a tag)."""
    found: dict[str, None] = {}
    for match in _IN_TEXT.finditer(text or ""):
        try:
            found[clean_name(match.group(1))] = None
        except TagError:
            continue
    return list(found)


def parse_field(raw: str) -> list[str]:
    """Tags typed in a tag field: separated by spaces or commas, # optional. Raises TagError."""
    names: dict[str, None] = {}
    for part in re.split(r"[\s,]+", raw or ""):
        if part.strip().lstrip("#"):
            names[clean_name(part)] = None
    return list(names)


def _target(obj: Any) -> dict[str, Any]:
    from afterglow.journal.models import Capture, Entry

    if isinstance(obj, Entry):
        return {"entry": obj}
    if isinstance(obj, Capture):
        return {"capture": obj}
    raise TypeError(f"tags belong to entries and captures, not {type(obj).__name__}")


def _replace(obj: Any, names: Iterable[str], *, from_text: bool) -> None:
    target = _target(obj)
    wanted = list(dict.fromkeys(names))
    with transaction.atomic():
        rows = Tag.objects.filter(**target, from_text=from_text)
        have = set(rows.values_list("name", flat=True))
        if have == set(wanted):
            return
        rows.exclude(name__in=wanted).delete()
        Tag.objects.bulk_create(
            [Tag(owner_id=obj.owner_id, name=n, from_text=from_text, **target) for n in wanted if n not in have]
        )


def in_seal(obj: Any) -> bool:
    """Whether `obj`'s tags are sealed, not rows: a private entry, in a clinic (see `sealed.py`)."""
    from afterglow.journal.models import Entry

    return isinstance(obj, Entry) and obj.private and private.applies()


def set_tags(obj: Any, names: Iterable[str]) -> list[str]:
    """Give an entry or capture exactly these tags (beside the #words in its text); returns them cleaned.

    For the tag field and for imports (jrnl, Day One, Afterglow json). Raises TagError for a name
    that cannot be a tag, and private.Locked for a private entry this request cannot open.
    """
    cleaned = list(dict.fromkeys(clean_name(n) for n in names))
    if in_seal(obj):
        if obj.locked:
            raise private.Locked()
        sealed.seal(obj, cleaned)
        return cleaned
    _replace(obj, cleaned, from_text=False)
    return cleaned


def tag_rows(obj: Any) -> list[tuple[str, bool]]:
    """(name, from_text) for each tag of an entry or capture, from its rows or, sealed, its seal.

    A sealed entry this request cannot open shows none.
    """
    if not in_seal(obj):
        return list(Tag.objects.filter(**_target(obj)).values_list("name", "from_text"))
    if obj.locked:
        return []
    given = sealed.of(obj) or []
    return [(name, False) for name in given] + [(name, True) for name in extract(f"{obj.title}\n{obj.text}")]


def field_tags(obj: Any) -> list[str]:
    """The tags given in the field (not the #words in the text)."""
    return [name for name, from_text in tag_rows(obj) if not from_text]


def tags_of(obj: Any) -> list[str]:
    """All of an entry's or capture's tags, each once, in name order."""
    return sorted({name for name, _ in tag_rows(obj)})


def capture_text(capture: Any) -> str:
    from afterglow.journal.search import CAPTURE_COLUMNS

    return "\n".join(str(getattr(capture, column, "") or "") for column in CAPTURE_COLUMNS)


def sync_text_tags(obj: Any) -> None:
    """Keep the #words of an entry's or capture's text as its tags."""
    from afterglow.journal.models import Entry

    text = f"{obj.title}\n{obj.text}" if isinstance(obj, Entry) else capture_text(obj)
    _replace(obj, extract(text), from_text=True)


def counts(owner: Any) -> list[tuple[str, int]]:
    """Every tag of the owner with how many entries and captures carry it, most used first.

    An entry tagged both in its text and in its field counts once. A clinic's private entries
    count only for their patient's own request (the one that opens them).
    """
    owner_id = getattr(owner, "pk", owner)
    sql = "SELECT name, COUNT(DISTINCT COALESCE(entry_id, -capture_id)) FROM tags_tag WHERE owner_id = %s GROUP BY name"
    with connection.cursor() as cur:
        cur.execute(sql, [owner_id])
        tally = {str(name): int(n) for name, n in cur.fetchall()}
    for names in sealed_tags(owner_id).values():
        for name in names:
            tally[name] = tally.get(name, 0) + 1
    return sorted(tally.items(), key=lambda item: (-item[1], item[0]))


def sealed_tags(owner_id: int) -> dict[int, set[str]]:
    """entry id → tags, for each of the owner's private entries this request opens (in a clinic; else none).

    The database cannot look inside the seals, so each private entry is opened in memory, as
    search does: its #words from its text, its field tags from its sealed list.
    """
    if not private.applies():
        return {}
    from afterglow.journal.models import Entry

    given = sealed.of_owner(owner_id)
    rows = Entry.objects.filter(owner_id=owner_id, private=True).order_by()
    found: dict[int, set[str]] = {}
    for entry in rows.only("id", "uid", "owner_id", "private", "title", "text", "sealed").iterator(500):
        names = set(extract(f"{entry.title}\n{entry.text}")) if not entry.locked else set()
        if entry.pk in given:
            names.update(sealed.opened(entry.uid, owner_id, given[entry.pk]) or [])
        if names:
            found[entry.pk] = names
    return found


def sealed_field_tags(owner_id: int) -> dict[int, list[str]]:
    """entry id → the names given in its tag field, for the owner's private entries this request opens."""
    if not private.applies():
        return {}
    from afterglow.journal.models import Entry

    given = sealed.of_owner(owner_id)
    uids = dict(Entry.objects.filter(pk__in=list(given), owner_id=owner_id).values_list("pk", "uid")) if given else {}
    found = {pk: sealed.opened(uids[pk], owner_id, body) for pk, body in given.items() if pk in uids}
    return {pk: names for pk, names in found.items() if names}


def tagged_entries(owner: Any, name: str) -> Q:
    """The owner's entries that carry the tag `name`, as a filter (such as the timeline's)."""
    owner_id = getattr(owner, "pk", owner)
    rows = Tag.objects.filter(owner_id=owner_id, name=name, entry__isnull=False).values("entry_id")
    hidden = sealed_tagged(owner_id, name)
    return Q(pk__in=rows) | Q(pk__in=hidden) if hidden else Q(pk__in=rows)


def sealed_tagged(owner_id: int, name: str) -> list[int]:
    """The ids of the owner's private entries tagged `name` that this request opens (a clinic only)."""
    return sorted(pk for pk, names in sealed_tags(owner_id).items() if name in names)


def _on_save(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and not ({"text", "title", *_capture_columns()} & set(update_fields)):
        return  # ticking `private`, touching `updated_at`: the text is unchanged
    if in_seal(instance):
        _into_seal(instance)
        return
    if getattr(instance, "_private_stored", None) and private.applies():
        _out_of_seal(instance)  # an entry that was private until this save
    sync_text_tags(instance)


def _into_seal(entry: Any) -> None:
    """A private entry keeps no `Tag` row: those left (it was just marked private) go into its seal."""
    rows = list(Tag.objects.filter(entry=entry).values_list("name", "from_text"))
    if not rows:
        return
    given = [name for name, from_text in rows if not from_text]
    if given:
        already = sealed.of(entry)
        if already is None:
            raise private.Locked()
        sealed.seal(entry, [*already, *given])
    Tag.objects.filter(entry=entry).delete()


def _out_of_seal(entry: Any) -> None:
    given = sealed.of(entry)
    if given is None:
        raise private.Locked()
    if given:
        _replace(entry, given, from_text=False)
        sealed.seal(entry, [])  # no sealed list left


def _capture_columns() -> tuple[str, ...]:
    from afterglow.journal.search import CAPTURE_COLUMNS

    return CAPTURE_COLUMNS


def connect_signals() -> None:
    from afterglow.journal.models import Capture, Entry

    post_save.connect(_on_save, sender=Entry, dispatch_uid="tags.entry")
    post_save.connect(_on_save, sender=Capture, dispatch_uid="tags.capture")
