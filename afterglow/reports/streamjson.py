"""Reading a large JSON document a record at a time (ijson), so memory stays bounded.

`top_level(stream)` yields (key, value) for each key of the top object; a value
that is an array is yielded item by item as (key, item) instead, so a list of
100,000 entries never sits in memory at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

import ijson

from afterglow.lib.errors import UserError


class NotJson(UserError):
    pass


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


def top_level(stream: Readable, what: str) -> Iterator[tuple[str, Any]]:
    events = ijson.parse(stream, use_float=True)
    try:
        first = next(events, None)
        if first is None or first[1] != "start_map":
            raise NotJson(f"{what} does not hold a JSON object")
        for prefix, event, value in events:
            if prefix == "" and event in ("map_key", "end_map"):
                continue
            if event == "start_array":
                yield from ((prefix, item) for item in _items(events))
            else:
                yield prefix, _build(events, event, value)
    except ijson.JSONError as exc:
        raise NotJson(f"{what} is not valid JSON ({str(exc)[:120]})") from None
    except UnicodeDecodeError:
        raise NotJson(f"{what} is not UTF-8 text") from None


def _items(events: Iterator[tuple[str, str, Any]]) -> Iterator[Any]:
    for _prefix, event, value in events:
        if event == "end_array":
            return
        yield _build(events, event, value)


def _build(events: Iterator[tuple[str, str, Any]], event: str, value: Any) -> Any:
    if event not in ("start_map", "start_array"):
        return value
    builder = ijson.ObjectBuilder()
    builder.event(event, value)
    depth = 1
    for _prefix, inner, inner_value in events:
        builder.event(inner, inner_value)
        if inner in ("start_map", "start_array"):
            depth += 1
        elif inner in ("end_map", "end_array"):
            depth -= 1
            if depth == 0:
                return builder.value
    raise NotJson("the JSON ends too soon")
