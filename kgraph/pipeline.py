"""build(): the one place that knows the order of the stages.

paths --ingest--> Article --extract--> Extraction --resolve--> Entity --graph--> nx.Graph --layout--> x, y
"""

from __future__ import annotations

import datetime as _dt
import logging
import os
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from itertools import chain
from pathlib import Path
from typing import NamedTuple

import networkx as nx
import spacy

from . import __version__, _runtime
from ._caps import cap_links, shorten_sentences
from .aliases import AliasTable, alias_table
from .cache import ExtractionCache, model_identity, resolution_digest, settings_digest
from .config import DEFAULT_INPUTS, BuildConfig, make_config
from .dates import OUTSIDE_WINDOW, date_articles
from .errors import ConfigError, InputError
from .export._fork import processes_for
from .extract import extract, given_extraction, load_nlp
from .extract.dask import DaskEngine
from .extract.pieces import PIECE_CHARS, PIECE_SENTENCE_STRIDE, join_pieces, pieces
from .graph import build_graph
from .ingest import check_columns, count_articles, describe, describe_suffixes, find_files, read_articles
from .layout import LayoutUnderway
from .normalize import common_words
from .query import KnowledgeGraph
from .records import AliasRow, Article, ArticleMeta, Extraction, Skipped
from .resolve import Resolver
from .resolve.record import ArticleResolution
from .timeline import DatedExtractions, window_attrs, window_name

log = logging.getLogger("kgraph")

ProgressCallback = Callable[[int, int], None]
PhaseCallback = Callable[[str], None]
#: The phases of a build after NER, in order, as `build(phase=...)` names them.
PHASES = ("resolving entities", "counting links and their statistics", "laying out the graph")


def build(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | None = None,
    *,
    progress: ProgressCallback | None = None,
    phase: PhaseCallback | None = None,
    config: BuildConfig | None = None,
    **options: object,
) -> KnowledgeGraph:
    """Build the knowledge graph of the articles in `paths` (files and folders; one path or
    a list of them, as str or Path).

    `options` are the fields of `BuildConfig` (model, types, aliases, jobs, batch_size,
    max_sentences, cache), or pass a ready `config`. `progress(done, total)` is
    called as articles are processed, then `phase(name)` as each of the later `PHASES` starts.

    With `cache` (the path of an SQLite file, made if missing), each article's extraction is
    kept there, and a later build runs NER only on articles whose text is not in it yet (see
    `kgraph.cache`); the graph is the same with or without it. A build that finds every
    article in the cache does not load the model.

    For example (the real model runs over every article)::

        kg = build(["seeds/"], jobs=1)
        kg.save("outputs/")
    """
    if config is None:
        config = make_config(**options)
    elif options:
        raise ConfigError(f"pass either config or options, not both (got {', '.join(sorted(options))})")
    if isinstance(paths, (str, os.PathLike)):  # one path: "seeds/" is a folder, not five letters
        paths = [paths]
    inputs = [
        os.fspath(p) if isinstance(p, os.PathLike) else str(p) for p in (paths if paths is not None else DEFAULT_INPUTS)
    ]
    if not inputs:
        raise InputError("no input given: name article files or folders")
    if any(not p.strip() for p in inputs):
        raise InputError("an input path is empty: name article files or folders")
    skipped: list[Skipped] = []
    files = find_files(inputs, skipped=skipped)
    check_columns(files, config.columns())
    try:
        table = alias_table(config.aliases)
    except RecursionError:  # the YAML and JSON parsers recurse per level of nesting
        raise ConfigError(
            f"aliases file '{config.aliases}' is nested too deeply: see the README for its format"
        ) from None
    identity = model_identity(config.model)
    cache = None
    if config.cache is not None and identity is not None:
        cache = ExtractionCache(
            config.cache,
            settings_digest(config.model, identity, piece_stride=PIECE_SENTENCE_STRIDE),
            resolution=resolution_digest(table, common_words(config.model)),
        )
    elif config.cache is not None and config.scheduler is not None:
        log.warning(
            "extraction cache '%s' not used: model '%s' is not installed on this machine, so its version is "
            "unknown here; install it here too to use the cache",
            config.cache,
            config.model,
        )
    local = config.scheduler is None
    ner = _Ner(config, load_nlp(config.model) if local and (cache is None or not cache.usable) else None)
    try:
        with _runtime.frozen() as freeze:
            ner.freeze_more = freeze.more
            kg = _build(inputs, files, skipped, table, ner, identity, config, progress, cache, phase)
    finally:
        ner.close()
        if cache is not None:
            cache.close()
    return kg


class _Ner:
    """Where NER runs: this machine's worker processes, or a Dask cluster (`scheduler`). The
    model is loaded, or the cluster reached, the first time an article needs NER."""

    def __init__(self, config: BuildConfig, nlp: spacy.language.Language | None) -> None:
        self.config = config
        self._nlp = nlp
        self._cluster: DaskEngine | None = None
        #: Called once the model is loaded (`_runtime.Freeze.more` during a build).
        self.freeze_more: Callable[[], None] = lambda: None

    def nlp(self) -> spacy.language.Language:
        if self._nlp is None:
            self._nlp = load_nlp(self.config.model)
            self.freeze_more()  # as `_runtime.frozen` did for what was alive before: forked workers share it
        return self._nlp

    def cluster(self) -> DaskEngine:
        if self._cluster is None:
            assert self.config.scheduler is not None
            self._cluster = DaskEngine(self.config.scheduler, self.config.model, workers=self.config.jobs)
        return self._cluster

    def meta(self) -> dict[str, object]:
        return self.nlp().meta if self.config.scheduler is None else self.cluster().meta

    def extract(
        self, articles: Iterator[Article], jobs: int, *, expected: int | None = None
    ) -> Generator[Extraction, None, None]:  # a generator: close() stops the NER workers
        if self.config.scheduler is None:
            return _extract_articles(articles, self.nlp(), self.config, jobs, expected=expected)
        return _extract_articles(articles, None, self.config, jobs, expected=expected, cluster=self.cluster())

    def close(self) -> None:
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None


def _build(
    inputs: list[str],
    files: list[Path],
    skipped: list[Skipped],
    table: AliasTable,
    ner: _Ner,
    identity: dict[str, object] | None,
    config: BuildConfig,
    progress: ProgressCallback | None,
    cache: ExtractionCache | None,
    phase: PhaseCallback | None = None,
) -> KnowledgeGraph:
    total = count_articles(files)
    date_notes: list[Skipped] = []  # noted after the summary of the inputs: the articles are used
    articles = date_articles(
        read_articles(inputs, skipped=skipped, files=files, columns=config.columns()),
        date_notes,
        since=config.since,
        until=config.until,
    )
    jobs = _processes(total, config.jobs, config.batch_size)
    resolver = Resolver(
        table, types=config.types, lexicon=common_words(config.model), max_sentences=config.max_sentences
    )
    done = 0
    tokens = 0
    dated = DatedExtractions()
    if cache is not None and cache.usable:
        items = _with_given(articles, lambda todo: _extract_cached(todo, ner, jobs, cache, expected=total))
    else:
        items = _with_given(articles, lambda todo: map(_Item.of, ner.extract(todo, jobs, expected=total)))
    for item in items:
        resolved = item.resolved
        if resolved is None:
            assert item.extraction is not None
            resolved = resolver.resolve_article(item.extraction)
            if item.key is not None and cache is not None:
                cache.put_resolved(item.key, resolved, item.meta.id, item.tokens)
        resolver.add_resolved(item.meta, resolved)
        if item.meta.date:
            assert item.extraction is not None
            dated.add(item.extraction)
        done += 1
        tokens += item.tokens
        if progress is not None:
            progress(done, max(total, done))
    if progress is not None and done:
        progress(done, done)  # the count of articles was an estimate: now it is known
    window = [s for s in date_notes if s.reason == OUTSIDE_WINDOW]
    if done == 0:
        skipped.extend(window)
        raise InputError(_nothing_usable(inputs, skipped))
    if cache is not None:
        cache.finish()
    if skipped:
        log.warning("inputs: %s; see skipped.csv", describe(skipped), extra={"kgraph_summary": True})
    if window:
        log.warning(
            "%d article(s) outside %s; see skipped.csv",
            len(window),
            window_name(config.since, config.until),
            extra={"kgraph_summary": True},
        )
    skipped.extend(date_notes)
    provenance = {
        "kgraph_version": __version__,
        "spacy_version": spacy.about.__version__,
        "spacy_model": _model_label(identity if identity is not None else ner.meta(), config.model),
        "created": _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
        "inputs": inputs,
        "token_count": tokens,
        **window_attrs(config.since, config.until),
    }
    g, alias_rows, capped = _graph(resolver, config, provenance, phase)
    skipped.extend(capped)
    kg = KnowledgeGraph(g, alias_rows=alias_rows, skipped=skipped)
    kg._windows = _Windows(dated, table, config, provenance)
    if cache is not None:
        kg.cache_hits, kg.cache_misses = cache.hits, cache.misses
    return kg


def _graph(
    resolver: Resolver, config: BuildConfig, provenance: dict[str, object], phase: PhaseCallback | None = None
) -> tuple[nx.Graph, list[AliasRow], list[Skipped]]:
    """The stages after extraction: resolution across the corpus (which ends `resolver`), the
    graph and its statistics, its layout. Returns the graph, the rows of aliases.csv and the
    notes of capped articles."""
    step = phase or (lambda name: None)
    with _runtime.paused():  # millions of dicts and lists at scale, and no reference cycles
        step(PHASES[0])
        resolution, capped = cap_links(resolver.finish())  # a list-like article is not n² co-mentions
        if capped:
            log.warning(
                "links capped in %d list-like article(s); see skipped.csv", len(capped), extra={"kgraph_summary": True}
            )
        step(PHASES[1])
        underway: list[LayoutUnderway] = []

        def lay_out(linked: nx.Graph) -> None:  # in a child, while the statistics are added here
            size = linked.number_of_nodes() + linked.number_of_edges()
            underway.append(LayoutUnderway(linked, fork=processes_for(size, config.jobs, 2) > 1))

        try:
            g = build_graph(resolution, max_sentences=config.max_sentences, provenance=provenance, linked=lay_out)
            alias_rows = resolution.alias_rows
            del resolution  # its lists per article: what the graph needs of them it holds now
            shorten_sentences(g)
            step(PHASES[2])
            g = underway[0].add_to(g)
        finally:
            for layout in underway:
                layout.close()
    return g, alias_rows, list(capped)


class _Windows:
    """Builds the graph of the articles dated within a window from what a build kept: the
    same stages after extraction as the build, over the window's extractions only; so the
    graph is the one `build(..., since=, until=)` gives (`KnowledgeGraph.between`)."""

    def __init__(
        self, dated: DatedExtractions, table: AliasTable, config: BuildConfig, provenance: dict[str, object]
    ) -> None:
        self.dated, self.table, self.config = dated, table, config
        self.provenance = {k: v for k, v in provenance.items() if k not in ("since", "until")}

    def __call__(self, since: str | None, until: str | None) -> KnowledgeGraph:
        """The graph of [since, until] within the window this graph was built for (if any)."""
        outer = self.config
        since = max(since, outer.since) if since and outer.since else since or outer.since
        until = min(until, outer.until) if until and outer.until else until or outer.until
        config = self.config.model_copy(update={"since": since, "until": until})
        resolver = Resolver(
            self.table, types=config.types, lexicon=common_words(config.model), max_sentences=config.max_sentences
        )
        tokens = count = 0
        for extraction in self.dated.window(since, until):
            resolver.add(extraction)
            tokens += extraction.tokens
            count += 1
        if not count:
            raise InputError(f"no article is dated within {window_name(since, until)}: see kg.info() for the span")
        provenance = {**self.provenance, "token_count": tokens, **window_attrs(since, until)}
        g, alias_rows, capped = _graph(resolver, config, provenance)
        kg = KnowledgeGraph(g, alias_rows=alias_rows, skipped=capped)
        kg._windows = _Windows(self.dated, self.table, config, self.provenance)
        return kg


class _Item(NamedTuple):
    """One article as the build loop takes it: its Extraction, or its resolution within the
    article that the cache kept, or both."""

    meta: ArticleMeta
    tokens: int
    #: None only for an undated article whose resolution the cache holds: not decoded
    extraction: Extraction | None
    resolved: ArticleResolution | None = None  # None: to be resolved (and kept under `key`)
    key: bytes | None = None  # its cache entry's key

    @classmethod
    def of(cls, extraction: Extraction, key: bytes | None = None) -> _Item:
        return cls(extraction.article, extraction.tokens, extraction, None, key)


def _with_given(articles: Iterator[Article], run: Callable[[Iterator[Article]], Iterator[_Item]]) -> Iterator[_Item]:
    """The extractions of `articles`: `run` (NER, or the cache) for those with text, and,
    after them, those whose names a source gave (`Article.given`, GDELT), made without NER.
    NER starts only if some article needs it."""
    given: list[Extraction] = []

    def needs_ner() -> Iterator[Article]:
        for a in articles:
            if a.given:
                given.append(given_extraction(a))
            else:
                yield a

    todo = needs_ner()
    first = next(todo, None)
    if first is not None:
        yield from run(chain([first], todo))
    yield from map(_Item.of, given)


def _nothing_usable(inputs: list[str], skipped: list[Skipped]) -> str:
    """The one line of a build that found no usable article: what was skipped, and what to do."""
    if not skipped:
        return f"no usable article in {', '.join(inputs)}: no article files ({describe_suffixes()}); point kgraph at news articles"
    column = next((s for s in skipped if s.reason == "no text column"), None)
    if column is not None:
        return f"no usable article in {', '.join(inputs)}: {column.source}: {column.detail}"
    return (
        f"no usable article in {', '.join(inputs)}: {describe(skipped)}; "
        f"point kgraph at news articles ({describe_suffixes()})"
    )


def _model_label(meta: dict[str, object], model: str) -> str:
    """How the graph names its model: lang_name-version, as in spaCy's package names."""
    return f"{meta.get('lang', '')}_{meta.get('name', model)}-{meta.get('version', '')}"


def _processes(total: int, jobs: int, batch_size: int, cores: int | None = None) -> int:
    """How many processes NER uses for about `total` articles when `jobs` are allowed.

    spaCy hands whole batches to its workers, so more processes than batches only cost
    their start-up: a corpus of one batch (64 articles by default) runs in this process.
    NER keeps a core busy, so more processes than `cores` (default: those this process may
    use) only cost memory: --jobs 300 runs as many workers as there are cores.

    >>> _processes(50, 2, 64, 8), _processes(100, 2, 64, 8), _processes(10_000, 4, 64, 8), _processes(10_000, 300, 1, 8)
    (1, 2, 4, 8)
    """
    if cores is None:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(jobs, -(-total // batch_size), cores))


def _extract_articles(
    articles: Iterator[Article],
    nlp: spacy.language.Language | None,
    config: BuildConfig,
    jobs: int,
    *,
    expected: int | None = None,
    cluster: DaskEngine | None = None,
) -> Generator[Extraction, None, None]:
    """Extractions in article order, by `nlp` in `jobs` processes or on a Dask `cluster`;
    articles longer than PIECE_CHARS (or the model's max_length) go in pieces (`kgraph.extract.pieces`)."""
    if cluster is not None:
        limit = min(cluster.max_length, PIECE_CHARS)
        stream = cluster.extract(pieces(articles, limit), batch_size=config.batch_size, expected=expected)
    else:
        assert nlp is not None
        stream = extract(
            pieces(articles, min(nlp.max_length, PIECE_CHARS)),
            nlp,
            types=None,
            batch_size=config.batch_size,
            n_process=jobs,
            expected=expected,
        )
    pending: list[Extraction] = []
    for ex in stream:
        if pending and pending[0].article.id != ex.article.id:
            joined = join_pieces(pending)  # empties `pending`: the pieces are not kept beside the whole
            yield joined
        pending.append(ex)
    if pending:
        yield join_pieces(pending)


def _extract_cached(
    articles: Iterator[Article],
    ner: _Ner,
    jobs: int,
    cache: ExtractionCache,
    *,
    expected: int | None = None,
) -> Iterator[_Item]:
    """Articles in order: those found in `cache` read from it (their resolution within the
    article too, when kept), the others from NER (started, and the model loaded, at the
    first article the cache does not hold) and stored.

    NER starts at the first miss and reads ahead of what is yielded; the articles it passes
    over meanwhile wait in `plan` with their stored values (compressed bytes, a few kB each),
    so memory stays small.
    """
    plan: deque[tuple[Article, bytes, tuple[bytes, bytes | None] | None]] = deque()

    def look_up(a: Article) -> bool:
        """Whether the cache holds `a`; either way it joins `plan`."""
        key = cache.key(a)
        found = cache.lookup(key)
        plan.append((a, key, found))
        return found is not None

    def misses() -> Iterator[Article]:
        for a in articles:
            if not look_up(a):
                yield a

    running: Generator[Extraction, None, None] | None = None
    held: Extraction | None = None  # a result NER gave before the articles ahead of it were yielded
    try:
        while True:
            if plan:
                a, key, found = plan.popleft()
                if found is not None:
                    yield _found(a, key, found, ner, cache)
                    continue
                assert running is not None
                ex = held if held is not None else next(running)
                held = None
                cache.put(key, ex)
                yield _Item.of(ex, key)
            elif running is None:
                # one article at a time until the first miss: reading on through the hits
                # for it held every article of a build from the cache in `plan` (a million
                # articles' texts at once)
                first = next(articles, None)
                if first is None:
                    return
                if not look_up(first):
                    # what is left for NER: the corpus but the hits so far (the workers share
                    # out its end evenly: 97 new articles of 9,777 are not one batch of 64 and one of 33)
                    left = None if expected is None else max(1, expected - cache.hits)
                    running = ner.extract(chain([first], misses()), jobs, expected=left)
                    # started now (its first batches handed out), not when the hits ahead of
                    # them are through: then the workers run while this process reads the hits
                    held = next(running, None)
            else:
                held = next(running, None)
                if held is None and not plan:
                    return
    finally:
        if running is not None:
            running.close()  # stops NER worker processes still running


def _found(a: Article, key: bytes, found: tuple[bytes, bytes | None], ner: _Ner, cache: ExtractionCache) -> _Item:
    """An article the cache holds: its resolution within the article if kept, and its
    Extraction when that is needed too (no resolution kept, or a dated article: a window of
    the graph resolves it again)."""
    value, stored = found
    resolved = cache.decode_resolved(key, stored, a.id) if stored is not None else None
    extraction = None
    if resolved is None or a.date:
        extraction = cache.decode(key, value, a)
        if extraction is None:  # a damaged entry: this one article goes through NER here
            extraction = next(ner.extract(iter([a]), 1))
    if resolved is None:
        assert extraction is not None
        return _Item.of(extraction, key)
    return _Item(a.meta(), resolved[0], extraction, resolved[1], key)
