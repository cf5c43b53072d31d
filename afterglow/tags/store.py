"""Finding #tags in text, and keeping the tags of entries and captures.

`set_tags(obj, names)` is the plain function imports and the tag field use;
`#words` in the text are kept in step by a post_save handler.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet
from django.db.models.signals import post_save

from afterglow.lib.errors import UserError
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


def set_tags(obj: Any, names: Iterable[str]) -> list[str]:
    """Give an entry or capture exactly these tags (beside the #words in its text); returns them cleaned.

    For the tag field and for imports (jrnl, Day One, Afterglow json). Raises TagError for a name
    that cannot be a tag.
    """
    cleaned = list(dict.fromkeys(clean_name(n) for n in names))
    _replace(obj, cleaned, from_text=False)
    return cleaned


def field_tags(obj: Any) -> list[str]:
    """The tags given in the field (not the #words in the text)."""
    return list(Tag.objects.filter(**_target(obj), from_text=False).values_list("name", flat=True))


def tags_of(obj: Any) -> list[str]:
    """All of an entry's or capture's tags, each once, in name order."""
    return sorted(set(Tag.objects.filter(**_target(obj)).values_list("name", flat=True)))


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

    An entry tagged both in its text and in its field counts once.
    """
    sql = (
        "SELECT name, COUNT(DISTINCT COALESCE(entry_id, -capture_id)) AS n FROM tags_tag "
        "WHERE owner_id = %s GROUP BY name ORDER BY n DESC, name"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [getattr(owner, "pk", owner)])
        return [(str(name), int(n)) for name, n in cur.fetchall()]


def tagged_entries(owner: Any, name: str) -> QuerySet[Tag, Any]:
    """The ids of the owner's entries that carry the tag `name` (for a filter such as the timeline's)."""
    return Tag.objects.filter(owner=owner, name=name, entry__isnull=False).values("entry_id")


def _on_save(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and not ({"text", "title", *_capture_columns()} & set(update_fields)):
        return  # ticking `private`, touching `updated_at`: the text is unchanged
    sync_text_tags(instance)


def _capture_columns() -> tuple[str, ...]:
    from afterglow.journal.search import CAPTURE_COLUMNS

    return CAPTURE_COLUMNS


def connect_signals() -> None:
    from afterglow.journal.models import Capture, Entry

    post_save.connect(_on_save, sender=Entry, dispatch_uid="tags.entry")
    post_save.connect(_on_save, sender=Capture, dispatch_uid="tags.capture")
