"""kgraph: turn a folder of news articles into a knowledge graph of people, places and
organizations.

Build a graph (the real model runs over every article) and save it::

    import kgraph
    kg = kgraph.build(["seeds/"])
    kg.save("outputs/")
"""

from typing import TYPE_CHECKING as _TYPE_CHECKING
from typing import Any as _Any

from .errors import (
    AmbiguousEntity,
    ConfigError,
    InputError,
    KGraphError,
    LookupFailed,
    ModelError,
    OutputError,
    UnknownEntity,
)

if _TYPE_CHECKING:
    from .cache import CacheInfo, cache_clear, cache_info
    from .config import BuildConfig
    from .pipeline import build
    from .query import KnowledgeGraph, load
    from .query.results import (
        ArticleEvidence,
        Community,
        Edge,
        EntityPath,
        EntityRef,
        Evidence,
        GraphInfo,
        Neighbor,
        Ranked,
        Results,
        Timeline,
        TimelineMonth,
    )
    from .records import AliasRow, Article, ArticleMeta, Entity, Extraction, Mention, Skipped

    __version__: str

__all__ = [
    "AliasRow",
    "AmbiguousEntity",
    "Article",
    "ArticleEvidence",
    "ArticleMeta",
    "BuildConfig",
    "CacheInfo",
    "Community",
    "ConfigError",
    "Edge",
    "Entity",
    "EntityPath",
    "EntityRef",
    "Evidence",
    "Extraction",
    "GraphInfo",
    "InputError",
    "KGraphError",
    "KnowledgeGraph",
    "LookupFailed",
    "Mention",
    "ModelError",
    "Neighbor",
    "OutputError",
    "Ranked",
    "Results",
    "Skipped",
    "Timeline",
    "TimelineMonth",
    "UnknownEntity",
    "__version__",
    "build",
    "cache_clear",
    "cache_info",
    "load",
]


#: What `__getattr__` imports when first used, and from where. Nothing but the errors is
#: imported by `import kgraph`: `build` brings spaCy, scipy and the exporters, which `load` and
#: the queries never need; `load` brings networkx and pydantic, which a command that only
#: prints its help or version never needs (see bench/query_startup.py); the cache brings sqlite3.
_LAZY = {
    "build": "pipeline",
    "BuildConfig": "config",
    "KnowledgeGraph": "query",
    "load": "query",
    "CacheInfo": "cache",
    "cache_clear": "cache",
    "cache_info": "cache",
    **dict.fromkeys(("AliasRow", "Article", "ArticleMeta", "Entity", "Extraction", "Mention", "Skipped"), "records"),
    **dict.fromkeys(
        (
            "ArticleEvidence",
            "Community",
            "Edge",
            "EntityPath",
            "EntityRef",
            "Evidence",
            "GraphInfo",
            "Neighbor",
            "Ranked",
            "Results",
            "Timeline",
            "TimelineMonth",
        ),
        "query.results",
    ),
}


def __getattr__(name: str) -> _Any:
    if name == "__version__":
        from importlib import metadata

        try:
            value: _Any = metadata.version("kgraph")
        except metadata.PackageNotFoundError:  # running from a source tree that is not installed
            value = "0.0.0+unknown"
    elif name in _LAZY:
        from importlib import import_module

        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
