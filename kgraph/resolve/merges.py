"""One merge structure for resolution: a union-find with direction.

A merge sends one entity (its root) into another and records why, so the result keeps the
target's key and every decision can be explained. Dropping a name is a merge into a sink.
"""

from __future__ import annotations

from collections.abc import Callable

#: The root every dropped key is merged into.
DROPPED = "\x00dropped"


class MergeSet:
    """Keys merged into others, with the rule of each merge.

    >>> ms = MergeSet()
    >>> ms.merge("khalilzad", "zalmay khalilzad", "short name"), ms.find("khalilzad")
    (True, 'zalmay khalilzad')
    >>> ms.merge("zalmay khalilzad", "khalilzad", "loop"), "khalilzad" in ms, "zalmay khalilzad" in ms
    (False, True, False)
    """

    def __init__(self, on_merge: Callable[[str, str, str], None] | None = None) -> None:
        self._parent: dict[str, str] = {}
        self._rule: dict[str, str] = {}
        self._on_merge = on_merge

    def find(self, key: str) -> str:
        """The key `key` ended in (itself if it was never merged)."""
        root = key
        while root in self._parent:
            root = self._parent[root]
        while key != root:  # path compression
            self._parent[key], key = root, self._parent[key]
        return root

    def merge(self, src: str, dst: str, rule: str) -> bool:
        """Send `src`'s entity into `dst`'s; False if they are one already."""
        a, b = self.find(src), self.find(dst)
        if a in (b, DROPPED):
            return False
        self._parent[a] = b
        self._rule[a] = rule
        if self._on_merge is not None and b != DROPPED:
            self._on_merge(a, b, rule)
        return True

    def drop(self, key: str, rule: str) -> None:
        """Drop `key` (it names no entity)."""
        self.merge(key, DROPPED, rule)

    def rule(self, key: str) -> str:
        """The rule that merged `key` into the next key ('' if it is a root)."""
        return self._rule.get(key, "")

    def dropped(self, key: str) -> bool:
        return self.find(key) == DROPPED

    def __contains__(self, key: object) -> bool:
        """Whether `key` was merged into another (it is no root any more)."""
        return key in self._parent
