"""Querying: a graph (just built, or loaded from its files) and the questions users ask of it.

- `knowledge`: `KnowledgeGraph` (its query methods, saving and exporting) and `load`;
- `check`: a graph read from files, checked and completed before any question is asked;
- `lookup`: from the name a user types to one entity (`KnowledgeGraph.find`);
- `answers`: the graph's attributes read into the records of `results`;
- `metrics`: rankings and communities, the same for the same graph every time;
- `results`: the typed records the queries return.

Nothing here imports spaCy or the build's modules, and this package imports nothing until a
name is first used (`kgraph.Results` needs pydantic, not networkx).
"""

from typing import TYPE_CHECKING as _TYPE_CHECKING
from typing import Any as _Any

if _TYPE_CHECKING:
    from .knowledge import GRAPH_FILES, EntityLike, KnowledgeGraph, load

__all__ = ["GRAPH_FILES", "EntityLike", "KnowledgeGraph", "load"]


def __getattr__(name: str) -> _Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from . import knowledge

    value = getattr(knowledge, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
