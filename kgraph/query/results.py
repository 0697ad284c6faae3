"""Typed records that `KnowledgeGraph` queries return.

Each is a frozen pydantic model: `.model_dump()` gives a plain dict (for JSON), and its repr
and `print` stay one short line. A list of them is a `Results`, which makes a table with
`to_pandas()`. A result that holds a sequence behaves as one: an `EntityPath` is its
entities, an `Evidence` its articles, a `Community` its entities (`len`, `[i]`, `for`).

>>> from kgraph._demo import demo
>>> kg = demo()
>>> path = kg.path("Ashraf Ghani", "Doha")
>>> len(path), path[0].label, [e.label for e in path]
(3, 'Ashraf Ghani', ['Ashraf Ghani', 'Zalmay Khalilzad', 'Doha'])
>>> ev = kg.evidence("Taliban", "Doha")
>>> len(ev), [art.id for art in ev]
(2, ['a1', 'a2'])
>>> print(ev)
<Evidence Taliban — Doha: 2 articles, 2 sentences (1.0 expected; 2 kept)>
>>> rows = kg.neighbors("Taliban")
>>> rows.to_dicts()[0]["label"], type(rows[:2]).__name__, len(rows[:2])
('Doha', 'Results', 2)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, Generic, SupportsIndex, TypeVar, overload

from pydantic import BaseModel, ConfigDict, computed_field

from ..errors import ConfigError

if TYPE_CHECKING:
    import pandas as pd

#: The rankings `KnowledgeGraph.top` knows.
RANKINGS = ("articles", "degree", "weighted_degree", "pagerank", "betweenness")
#: The orders `KnowledgeGraph.neighbors` and `KnowledgeGraph.edges` know for links: most shared
#: articles first, or most significant first (lowest q-value; see `kgraph.stats`).
LINK_RANKS = ("articles", "significance")


class _Result(BaseModel):
    # defer_build: made when first used (see `kgraph.records._Record`)
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    def __str__(self) -> str:  # print(result): the short repr, not every field
        return repr(self)


R = TypeVar("R", bound=BaseModel)


class Results(list[R], Generic[R]):
    """A list of query results (`neighbors`, `edges`, `top`, `entities`, `communities`) that
    also makes a table: `to_dicts()` gives one plain dict per result, `to_pandas()` a pandas
    DataFrame with one column per field (pandas is not a dependency of kgraph: install it to
    use this). `pandas.DataFrame(results)` would see each result as (field, value) pairs."""

    def __init__(self, items: Iterable[R] = (), *, kind: type[R] | None = None) -> None:
        super().__init__(items)
        self.kind = kind if kind is not None else (type(self[0]) if self else None)

    @overload
    def __getitem__(self, i: SupportsIndex) -> R: ...
    @overload
    def __getitem__(self, i: slice) -> Results[R]: ...
    def __getitem__(self, i: SupportsIndex | slice) -> R | Results[R]:
        if isinstance(i, slice):
            return Results(super().__getitem__(i), kind=self.kind)
        return super().__getitem__(i)

    def to_dicts(self) -> list[dict[str, Any]]:
        """One plain dict per result (nested results become dicts too)."""
        return [r.model_dump() for r in self]

    def to_pandas(self) -> pd.DataFrame:
        """A DataFrame with one row per result and one column per field.

        For example, ``kg.neighbors("Taliban").to_pandas()`` has the columns unit, expected,
        lift, npmi, p_value, q_value, backbone, id, label, type, weight and sentence_count.
        """
        try:
            import pandas as pd
        except ImportError:
            raise ConfigError("to_pandas() needs pandas, which kgraph does not install: pip install pandas") from None
        columns = None
        if self.kind is not None:
            columns = [*self.kind.model_fields, *self.kind.model_computed_fields]
        return pd.DataFrame(self.to_dicts(), columns=columns)


class EntityRef(_Result):
    """An entity named inside another result: its id, label and type."""

    id: str
    label: str
    type: str


class LinkStats(_Result):
    """The statistics of a link (see `kgraph.stats`); None where a graph does not hold them.

    `unit` is what was counted: "article", or "sentence" for a corpus too small to test articles.
    """

    unit: str | None = None
    expected: float | None = None
    lift: float | None = None
    npmi: float | None = None
    p_value: float | None = None
    q_value: float | None = None
    backbone: bool = False


class Neighbor(LinkStats):
    """An entity linked to another one: `weight` articles mention both, `sentence_count` sentences,
    `expected` would by chance."""

    id: str
    label: str
    type: str
    weight: int
    sentence_count: int


class Edge(LinkStats):
    """One link of the graph as a flat row, for iterating or for pandas."""

    source: str
    target: str
    source_label: str
    target_label: str
    weight: int
    sentence_count: int
    article_ids: tuple[str, ...]
    first_seen: str | None = None
    last_seen: str | None = None


class ArticleEvidence(_Result):
    """One article that mentions two entities, and the sentences in it that mention both;
    `lead` is its first line when it has no title."""

    id: str
    title: str | None = None
    date: str | None = None
    url: str | None = None
    source: str = ""
    lead: str | None = None
    sentences: tuple[str, ...] = ()


class Evidence(LinkStats):
    """Why two entities are linked: the articles that mention both, with their sentences.

    `weight` is the number of such articles and `sentence_count` the number of sentences that
    mention both; the graph keeps only a few example sentences per link (`kgraph build
    --max-sentences`), so `sentences` can hold fewer than `sentence_count`. `expected` is how
    many shared articles (or sentences, for a small corpus) chance alone would give.
    """

    a: EntityRef
    b: EntityRef
    weight: int
    sentence_count: int
    articles: tuple[ArticleEvidence, ...]

    @property
    def sentences(self) -> list[str]:
        """Every example sentence, article by article."""
        return [s for art in self.articles for s in art.sentences]

    # a sequence of its articles (pydantic's own iteration gives (field, value) pairs)
    def __len__(self) -> int:
        return len(self.articles)

    def __getitem__(self, i: int) -> ArticleEvidence:
        return self.articles[i]

    def __iter__(self) -> Iterator[ArticleEvidence]:  # type: ignore[override]
        return iter(self.articles)

    def __repr__(self) -> str:
        kept = len(self.sentences)
        expected = "" if self.expected is None else f"{self.expected:.1f} expected"
        articles = f"{self.weight} article{'s' * (self.weight != 1)}"
        sentences = f"{self.sentence_count} sentence{'s' * (self.sentence_count != 1)}"
        if self.unit == "sentence" and expected:
            sentences += f" ({expected}; {kept} kept)"
        else:
            articles += f" ({expected})" if expected else ""
            sentences += f" ({kept} kept)"
        return f"<Evidence {self.a.label} — {self.b.label}: {articles}, {sentences}>"


class TimelineMonth(_Result):
    """The articles of one month (``YYYY-MM``) that mention both entities of a link, in date order."""

    month: str
    articles: tuple[ArticleEvidence, ...]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def count(self) -> int:
        """How many articles."""
        return len(self.articles)


class Timeline(_Result):
    """A link's articles month by month (`KnowledgeGraph.timeline`): `months` run from the
    first to the last month with an article (months without one included, with none);
    `undated` are its articles without a date."""

    a: EntityRef
    b: EntityRef
    months: tuple[TimelineMonth, ...]
    undated: tuple[ArticleEvidence, ...] = ()

    def __repr__(self) -> str:
        dated = sum(m.count for m in self.months)
        span = f"{self.months[0].month} to {self.months[-1].month}" if self.months else "no dated article"
        return (
            f"<Timeline {self.a.label} — {self.b.label}: {dated} dated articles, {span}; {len(self.undated)} undated>"
        )


class EntityPath(_Result):
    """A shortest chain of links between two entities, and the evidence for each hop."""

    entities: tuple[EntityRef, ...]
    hops: tuple[Evidence, ...]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def length(self) -> int:
        """The number of hops."""
        return len(self.hops)

    # a sequence of its entities, as networkx gives a path as a list of nodes
    def __len__(self) -> int:
        return len(self.entities)

    def __getitem__(self, i: int) -> EntityRef:
        return self.entities[i]

    def __iter__(self) -> Iterator[EntityRef]:  # type: ignore[override]
        return iter(self.entities)

    def __repr__(self) -> str:
        chain = " → ".join(e.label for e in self.entities)
        return f"<EntityPath {chain} ({self.length} hop{'s' * (self.length != 1)})>"


class Ranked(_Result):
    """An entity's place in a ranking (`KnowledgeGraph.top`): `score` is its value for `by`."""

    rank: int
    id: str
    label: str
    type: str
    score: float
    by: str


class Community(_Result):
    """A group of entities linked more closely to each other than to the rest of the graph.

    `entities` come most-mentioned first; `internal_weight` sums the weights of the links
    inside the group.
    """

    id: int
    entities: tuple[EntityRef, ...]
    internal_weight: int

    @computed_field  # type: ignore[prop-decorator]
    @property
    def size(self) -> int:
        """The number of entities."""
        return len(self.entities)

    # a sequence of its entities
    def __len__(self) -> int:
        return len(self.entities)

    def __getitem__(self, i: int) -> EntityRef:
        return self.entities[i]

    def __iter__(self) -> Iterator[EntityRef]:  # type: ignore[override]
        return iter(self.entities)

    def __repr__(self) -> str:
        names = ", ".join(e.label for e in self.entities[:5])
        more = f", … (+{self.size - 5})" if self.size > 5 else ""
        return f"<Community {self.id}: {self.size} entities: {names}{more}>"


class GraphInfo(_Result):
    """What a graph holds and what built it."""

    source: str | None = None
    articles: int
    entities: int
    by_type: dict[str, int]
    edges: int
    components: int
    largest_component: int
    isolated: int
    density: float
    kgraph_version: str | None = None
    spacy_model: str | None = None
    created: str | None = None
    inputs: tuple[str, ...] = ()
    selection: str | None = None
    link_stats: str | None = None
    link_stats_units: int | None = None
    backbone_edges: int | None = None
    cache_hits: int | None = None
    cache_misses: int | None = None
    dated_articles: int = 0
    first_date: str | None = None
    last_date: str | None = None
    since: str | None = None
    until: str | None = None

    @property
    def link_stats_note(self) -> str | None:
        """How the links were tested, in words (None for a graph without link statistics)."""
        if self.link_stats == "sentence":
            return (
                f"by sentence ({self.link_stats_units} sentences name two or more entities): "
                "too few articles for an article-level test"
            )
        if self.link_stats == "article":
            return f"by article ({self.link_stats_units} articles)"
        return None

    def __repr__(self) -> str:
        types = ", ".join(f"{n} {t}" for t, n in self.by_type.items())
        return f"<GraphInfo {self.articles} articles, {self.entities} entities ({types}), {self.edges} edges>"
