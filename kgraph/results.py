"""Typed records that `KnowledgeGraph` queries return.

Each is a frozen pydantic model: `.model_dump()` gives a plain dict (for JSON or pandas), and
the repr stays short enough to read in a notebook.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, computed_field

#: The rankings `KnowledgeGraph.top` knows.
RANKINGS = ("articles", "degree", "weighted_degree", "pagerank", "betweenness")
#: The orders `KnowledgeGraph.neighbors` and `KnowledgeGraph.edges` know for links: most shared
#: articles first, or most significant first (lowest q-value; see `kgraph.stats`).
LINK_RANKS = ("articles", "significance")


class _Result(BaseModel):
    # defer_build: made when first used (see `kgraph.records._Record`)
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


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


class EntityPath(_Result):
    """A shortest chain of links between two entities, and the evidence for each hop."""

    entities: tuple[EntityRef, ...]
    hops: tuple[Evidence, ...]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def length(self) -> int:
        """The number of hops."""
        return len(self.hops)

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
