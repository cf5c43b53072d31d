"""Flash messages kept in server memory: no cookie ever carries their text.

A message can quote journal text ("“call my sister” is ticked off"). Django's
cookie storage would put it in a signed, readable cookie (signing is not
encryption), and the session is a signed cookie too. Here the browser's
session holds only a random box id; the text stays in this process until the
next page shows it, and every box is emptied when the journal locks.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from typing import Any

from django.contrib.messages.storage.base import BaseStorage, Message

BOX_KEY = "_message_box"
MAX_BOXES = 1024

_boxes: OrderedDict[str, list[Message]] = OrderedDict()
_lock = threading.Lock()


def forget() -> None:
    with _lock:
        _boxes.clear()


class MemoryStorage(BaseStorage):
    def _get(self, *args: Any, **kwargs: Any) -> tuple[list[Message], bool]:
        box = self.request.session.get(BOX_KEY)
        with _lock:
            return list(_boxes.get(box, ())) if isinstance(box, str) else [], True

    def _store(self, messages: list[Message], response: Any, *args: Any, **kwargs: Any) -> list[Message]:
        box = self.request.session.get(BOX_KEY)
        if not messages:
            if isinstance(box, str):
                with _lock:
                    _boxes.pop(box, None)
            return []
        if not isinstance(box, str):
            box = self.request.session[BOX_KEY] = secrets.token_urlsafe(16)
        with _lock:
            _boxes[box] = list(messages)
            _boxes.move_to_end(box)
            while len(_boxes) > MAX_BOXES:
                _boxes.popitem(last=False)
        return []
