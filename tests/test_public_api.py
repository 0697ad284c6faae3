"""`kgraph.__all__` is exactly the public surface: everything in it exists, nothing else is public."""

from __future__ import annotations

import types

import kgraph

PUBLIC = {
    # entry points
    "build",
    "load",
    "KnowledgeGraph",
    "BuildConfig",
    "__version__",
    # the extraction cache
    "cache_info",
    "cache_clear",
    "CacheInfo",
    # records of a build
    "AliasRow",
    "Article",
    "ArticleMeta",
    "Entity",
    "Extraction",
    "Mention",
    "Skipped",
    "Timeline",
    "TimelineMonth",
    # records of a query
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
    # errors
    "KGraphError",
    "InputError",
    "ConfigError",
    "ModelError",
    "OutputError",
    "LookupFailed",
    "UnknownEntity",
    "AmbiguousEntity",
}


def test_all_is_exactly_the_public_surface() -> None:
    assert set(kgraph.__all__) == PUBLIC
    assert len(kgraph.__all__) == len(set(kgraph.__all__)), "duplicates in __all__"
    assert kgraph.__all__ == sorted(kgraph.__all__), "keep __all__ sorted"


def test_every_public_name_exists_and_nothing_else_is_public() -> None:
    for name in kgraph.__all__:
        assert hasattr(kgraph, name), name
    exposed = {
        name
        for name, value in vars(kgraph).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert exposed == PUBLIC - {"__version__"}


def test_star_import_gives_the_public_surface() -> None:
    namespace: dict[str, object] = {}
    exec("from kgraph import *", namespace)  # noqa: S102
    assert set(namespace) - {"__builtins__"} == PUBLIC


def test_errors_share_one_base() -> None:
    for name in (
        "InputError",
        "ConfigError",
        "ModelError",
        "OutputError",
        "LookupFailed",
        "UnknownEntity",
        "AmbiguousEntity",
    ):
        assert issubclass(getattr(kgraph, name), kgraph.KGraphError)
    assert issubclass(kgraph.UnknownEntity, kgraph.LookupFailed) and issubclass(kgraph.AmbiguousEntity, LookupError)
