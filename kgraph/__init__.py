"""kgraph: turn a folder of news articles into a knowledge graph of people, places and
organizations.

Build a graph (the real model runs over every article) and save it::

    import kgraph
    kg = kgraph.build(["seeds/"])
    kg.save("outputs/")
"""

from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("kgraph")
except _metadata.PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

from .cache import CacheInfo, cache_clear, cache_info  # noqa: E402
from .config import BuildConfig  # noqa: E402
from .errors import (  # noqa: E402
    AmbiguousEntity,
    ConfigError,
    InputError,
    KGraphError,
    LookupFailed,
    ModelError,
    OutputError,
    UnknownEntity,
)
from .pipeline import build  # noqa: E402
from .query import KnowledgeGraph, load  # noqa: E402
from .records import AliasRow, Article, ArticleMeta, Entity, Extraction, Mention, Skipped  # noqa: E402
from .results import (  # noqa: E402
    ArticleEvidence,
    Community,
    Edge,
    EntityPath,
    EntityRef,
    Evidence,
    GraphInfo,
    Neighbor,
    Ranked,
    Timeline,
    TimelineMonth,
)

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
