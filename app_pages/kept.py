"""Values derived from an object that is never changed, kept by the object's identity: a
shared figure with its caption (app_pages/show.py). Each entry holds its object, so its id
cannot be reused by another object while the entry lives; least recently used entries leave
past `max_entries`."""

from __future__ import annotations

import collections
import threading
from collections.abc import Callable, Hashable


class KeptByIdentity:
    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self._kept: collections.OrderedDict[tuple[int, Hashable], tuple[object, object]] = (
            collections.OrderedDict()
        )
        self._lock = threading.Lock()

    def get(self, obj: object, extra: Hashable, derive: Callable[[], object]):
        """What `derive()` gives for `obj` (and `extra`), derived once while kept."""
        key = (id(obj), extra)
        with self._lock:
            hit = self._kept.get(key)
            if hit is not None and hit[0] is obj:
                self._kept.move_to_end(key)
                return hit[1]
        value = derive()
        with self._lock:
            self._kept[key] = (obj, value)
            while len(self._kept) > self.max_entries:
                self._kept.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
