"""The kgraph command line: a thin layer over the library, and the only place that prints."""

from __future__ import annotations

import contextlib
import copy
import logging
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

# typer parses with its own copy of click: its exceptions are the ones raised
from typer._click import exceptions as _click
from typer.main import get_command_name

from . import _runtime
from .config import DEFAULT_BATCH_SIZE, DEFAULT_MAX_NODES, DEFAULT_MAX_SENTENCES, DEFAULT_MODEL
from .errors import KGraphError

if TYPE_CHECKING:  # what a command needs is imported when it runs (see _LazyConsole)
    from rich.console import Console
    from rich.text import Text

    from .query import KnowledgeGraph
    from .query.results import Evidence, Neighbor

#: `kgraph.cache.CACHE_NAME`, named here without importing the cache (and sqlite3) for the
#: help text of every command; tests/test_cli.py checks that the two agree.
CACHE_NAME = ".kgraph-cache.sqlite"


class _LazyConsole:
    """A rich Console, made when it first prints. Importing rich takes a tenth of a query
    command's start-up (bench/query_startup.py): `--json` prints without it, and the other
    commands import it when they print."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Console | None = None

    def console(self) -> Console:
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.console(), name)


app = typer.Typer(
    help="Turn news articles into a knowledge graph of people, places and organizations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = _LazyConsole()
err = _LazyConsole(stderr=True)
#: Runs over more articles than this show a progress bar.
PROGRESS_MIN_ARTICLES = 5
T = TypeVar("T")


def _fail(message: str, code: int = 1) -> None:
    from rich.markup import escape

    one_line = str(message).replace("\r", " ").replace("\n", " ")
    err.print(f"[bold red]error:[/] {escape(one_line)}", highlight=False, markup=True, soft_wrap=True)
    raise typer.Exit(code)


@contextmanager
def _only_errors(quiet: bool) -> Iterator[None]:
    """With --quiet: kgraph's log messages below ERROR and Python warnings (spaCy's too) are
    not shown while the block runs."""
    if not quiet:
        yield
        return
    log = logging.getLogger("kgraph")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        log.setLevel(level)


@contextmanager
def _output_lock(output: Path) -> Iterator[None]:
    """Own an existing output folder for the whole build: a second build into it stops at
    once, in one line, and not after its NER. (A new folder is locked when it is saved.)"""
    from .export._atomic import folder_lock

    if not output.is_dir():
        yield
        return
    with folder_lock(output, wait=False):
        yield


def _is_summary(record: logging.LogRecord) -> bool:
    """The library's end-of-build warning; the CLI prints its own summary instead."""
    return not getattr(record, "kgraph_summary", False)


def _duration(seconds: float) -> str:
    """A duration as people say it: 0.4 s, 12 s, 3 min 05 s, 1 h 02 min.

    >>> _duration(0.42), _duration(12.3), _duration(185), _duration(3725)
    ('0.4 s', '12 s', '3 min 05 s', '1 h 02 min')
    """
    if seconds < 10:
        return f"{seconds:.1f} s"
    s = int(round(seconds))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60:02d} s"
    return f"{s // 3600} h {s % 3600 // 60:02d} min"


def _version(value: bool) -> None:
    if value:
        from . import __version__

        out.print(f"kgraph {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool | None, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = None,
) -> None:
    """Turn news articles into a knowledge graph of people, places and organizations."""


#: Loggers of the libraries the readers use, which log each page they cannot read.
_READER_LOGGERS = ("trafilatura", "htmldate", "courlan", "justext", "pypdfium2", "docx", "openpyxl")


@app.command()
def build(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            help="Article files or folders (text, Markdown, JSONL, HTML, PDF, DOCX, RSS/Atom, CSV/TSV/XLSX, GDELT GKG; "
            "folders recursively). Default: seeds/"
        ),
    ] = None,
    output: Annotated[str, typer.Option("--output", "-o", help="Folder to write the outputs to.")] = "outputs",
    model: Annotated[str, typer.Option(help="Installed spaCy pipeline to use for NER.")] = DEFAULT_MODEL,
    types: Annotated[
        str | None, typer.Option(help="Entity types to keep, comma-separated: person,place,organization.")
    ] = None,
    aliases: Annotated[Path | None, typer.Option(help="YAML or JSON file of merge groups and names to ignore.")] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            help="Processes for NER and for writing the files (1: all in the main process). Default: all cores.",
        ),
    ] = None,
    batch_size: Annotated[int, typer.Option(help="Articles per spaCy batch.")] = DEFAULT_BATCH_SIZE,
    max_nodes: Annotated[
        int, typer.Option(help="Most entities drawn in graph.html (the files keep all).")
    ] = DEFAULT_MAX_NODES,
    max_sentences: Annotated[int, typer.Option(help="Example sentences kept per edge.")] = DEFAULT_MAX_SENTENCES,
    cache: Annotated[
        Path | None,
        typer.Option(help=f"Extraction cache (SQLite) to read and add to. Default: OUTPUT/{CACHE_NAME}."),
    ] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Run NER on every article; use no cache.")] = False,
    scheduler: Annotated[
        str | None,
        typer.Option(help="Run NER on a Dask cluster: its scheduler (tcp://HOST:8786), or 'local' to start one here."),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(help="Only articles dated on or after this day (YYYY-MM-DD); undated ones are left out."),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(help="Only articles dated on or before this day (YYYY-MM-DD); undated ones are left out."),
    ] = None,
    text_column: Annotated[
        str | None,
        typer.Option(help="CSV/TSV/Excel column holding the article text. Default: guessed from the headers."),
    ] = None,
    title_column: Annotated[str | None, typer.Option(help="CSV/TSV/Excel column holding the title.")] = None,
    date_column: Annotated[str | None, typer.Option(help="CSV/TSV/Excel column holding the date.")] = None,
    id_column: Annotated[str | None, typer.Option(help="CSV/TSV/Excel column holding the article id.")] = None,
    url_column: Annotated[str | None, typer.Option(help="CSV/TSV/Excel column holding the URL.")] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Build even when the files are up to date with the inputs and options.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
) -> None:
    """Read articles, extract and resolve entities, and write graph.html, graph.graphml, graph.gexf and graph.json."""
    # imported here: the query commands start without spaCy, scipy and the page's code
    import shlex

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from . import stamp
    from .config import make_config
    from .dates import BAD_DATE, DATE_NOTES
    from .export._atomic import check_output_folder
    from .graph import summary
    from .ingest import summarize

    options: dict[str, object] = {"model": model, "batch_size": batch_size, "max_sentences": max_sentences}
    if max_nodes < 1:  # a drawing option of the page, checked here as BuildConfig checks the build's
        _fail(f"--max-nodes must be at least 1, got {max_nodes}: draw at least one entity")
    if no_cache and cache is not None:
        _fail("--cache and --no-cache contradict each other: pass one of them")
    if not no_cache:
        options["cache"] = cache if cache is not None else Path(output) / CACHE_NAME
    if scheduler is not None:
        options["scheduler"] = scheduler
    if types is not None:
        options["types"] = types
    if aliases is not None:
        options["aliases"] = aliases
    if jobs is not None:
        options["jobs"] = jobs
    if since is not None:
        options["since"] = since
    if until is not None:
        options["until"] = until
    columns = {"text": text_column, "title": title_column, "date": date_column, "id": id_column, "url": url_column}
    options.update({f"{col}_column": name for col, name in columns.items() if name is not None})
    logging.basicConfig(level=logging.ERROR if quiet else logging.WARNING, format="%(message)s")
    for reader_log in _READER_LOGGERS:  # each unreadable input is already one row of skipped.csv
        logging.getLogger(reader_log).setLevel(logging.CRITICAL)
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TextColumn("{task.fields[eta]}"),
        console=err.console(),
        transient=True,
        disable=quiet or not err.is_terminal,  # a bar in a log file is noise
    )
    task = None
    started = time.perf_counter()

    def on_progress(done: int, total: int) -> None:
        nonlocal task
        if total <= PROGRESS_MIN_ARTICLES:
            return
        if task is None:
            progress.start()
            task = progress.add_task("articles", total=total, rate="", eta="")
        elapsed = progress.tasks[0].elapsed or 0.0
        speed = done / elapsed if elapsed > 0 else 0.0
        rate = f"{speed:,.1f} articles/s" if speed else ""
        eta = f"ETA {_duration((total - done) / speed)}" if speed and done < total else ""
        progress.update(task, completed=done, total=total, rate=rate, eta=eta)

    def on_phase(name: str) -> None:
        # after NER the clock keeps running and the line says what is being done (no frozen ETA)
        from .pipeline import PHASES

        if task is not None:
            progress.update(
                task,
                description=name,
                rate="",
                eta=f"(step {PHASES.index(name) + 2} of {len(PHASES) + 2})" if name in PHASES else "",
            )

    def stop_progress() -> None:
        if task is not None:  # stopping a bar that never started prints a blank line
            progress.stop()

    if not output.strip():
        _fail("the output folder name is empty: give a folder with -o, e.g. -o outputs")
    if paths and any(not p.strip() for p in paths):
        _fail("an input path is empty: name article files or folders (or none, for seeds/)")
    logging.getLogger("kgraph").addFilter(_is_summary)
    try:
        with _runtime.interrupts(), _only_errors(quiet):
            check_output_folder(output)
            with _output_lock(Path(output)):
                config = make_config(**options)  # the options, typed and checked in one place
                digest = stamp.inputs_digest(list(paths) if paths else None, config, max_nodes=max_nodes)
                if not force and stamp.up_to_date(output, digest):
                    if not quiet:
                        out.print(
                            f"up to date: no input, option or kgraph file changed since the files in '{output}' "
                            "were built (--force builds them again)",
                            highlight=False,
                            markup=False,
                        )
                    return
                stamp.forget(output)
                from .pipeline import build as build_graph  # spaCy: only when there is something to build

                kg = build_graph(list(paths) if paths else None, progress=on_progress, phase=on_phase, config=config)
                on_phase("writing the files")
                written = kg.save(output, max_nodes=max_nodes, jobs=jobs)
                stamp.write_stamp(output, digest, written.values())
    except KGraphError as e:
        stop_progress()
        _fail(str(e))
        return
    except KeyboardInterrupt as e:  # Ctrl-C, SIGTERM or SIGHUP (kgraph._runtime.interrupts)
        stop_progress()
        stopped = _runtime.Interrupted.of(e)
        if stopped.outputs_written:
            _fail(f"interrupted just after the new outputs were written to '{output}'", stopped.exit_code)
        _fail(f"interrupted: the previous outputs in '{output}' are kept", stopped.exit_code)
        return
    finally:
        logging.getLogger("kgraph").removeFilter(_is_summary)
    stop_progress()
    if quiet:
        return
    s = summary(kg.graph)
    by_type = ", ".join(f"{n} {t}" for t, n in s["by_type"].items()) or "none"
    out.print(f"articles used: {s['articles']}", highlight=False, markup=False)
    skips, notes = summarize([x for x in kg.skipped if x.reason not in DATE_NOTES])
    info = kg.info()
    undated = s["articles"] - info.dated_articles  # skipped.csv has one note for all of them
    unread = sum(1 for x in kg.skipped if x.reason == BAD_DATE)
    if info.dated_articles:
        out.print(
            f"dated: {info.dated_articles} of {s['articles']} articles, {info.first_date} to {info.last_date}"
            + (f"; {undated} undated (see skipped.csv)" if undated else "")
            + (f"; {unread} date(s) not understood" if unread else ""),
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
    elif undated:
        out.print(f"dated: none of {s['articles']} articles (see skipped.csv)", highlight=False, markup=False)
    if skips:
        listed = f" (full list: {written['skipped']})" if "skipped" in written else ""
        counts = ", ".join(f"{n} {r}" for r, n in skips.most_common())
        out.print(f"skipped: {counts}{listed}", highlight=False, markup=False, soft_wrap=True)
    if notes:
        counts = ", ".join(f"{n} {r}" for r, n in notes.most_common())
        out.print(f"noted: {counts} (used all the same)", highlight=False, markup=False, soft_wrap=True)
    out.print(f"entities: {s['entities']} ({by_type})", highlight=False, markup=False)
    out.print(f"edges: {s['edges']}", highlight=False, markup=False)
    if kg.cache_hits is not None:
        out.print(
            f"extraction cache: {kg.cache_hits} articles found, {kg.cache_misses} new", highlight=False, markup=False
        )
    for path in written.values():
        out.print(f"wrote {path}", highlight=False, markup=False, soft_wrap=True)
    if info.backbone_edges is not None:
        out.print(
            f"significant links: {info.backbone_edges:,} in the backbone, tested {info.link_stats_note}",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
    from .export.html import first_view

    shown, links, mode = first_view(kg.graph, max_nodes=max_nodes)
    out.print(
        f"page: {shown:,} of {s['entities']:,} entities, {links:,} links ({mode})",
        highlight=False,
        markup=False,
        soft_wrap=True,
    )
    out.print(f"took {_duration(time.perf_counter() - started)}", highlight=False, markup=False)
    if "html" in written:
        top = kg.top(1)
        ask = f" or ask: kgraph neighbors {shlex.quote(top[0].label)} -g {shlex.quote(str(output))}" if top else ""
        out.print(f"next: open {written['html']} in a browser,{ask}", highlight=False, markup=False, soft_wrap=True)


# -- querying a saved graph ------------------------------------------------------------------
GraphOption = Annotated[str, typer.Option("--graph", "-g", help="Output folder, graph.json or graph.graphml to read.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (and nothing else) instead of a table.")]
TypeOption = Annotated[
    str | None, typer.Option("--type", "-t", help="Only entities of this type: person, place or organization.")
]


def _query(graph: str, ask: Callable[[KnowledgeGraph], T]) -> T:
    """Load `graph` and ask it one question; a KGraphError becomes a one-line error."""
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    if not graph.strip():
        _fail("the graph path is empty: give an output folder, graph.json or graph.graphml with --graph")
    from .query import load

    try:
        return ask(load(graph))
    except KGraphError as e:
        _fail(str(e))
        raise  # unreachable: _fail exits


def _print_json(data: object) -> None:
    import json

    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _text(value: object, style: str = "") -> Text:
    """Untrusted text (names, titles, sentences) as rich Text: never read as markup."""
    from rich.text import Text

    return Text("" if value is None else str(value), style=style)


@app.command()
def find(
    name: Annotated[str, typer.Argument(help="A name, alias or id, in any case, with or without accents.")],
    type: TypeOption = None,
    graph: GraphOption = "outputs",
    as_json: JsonOption = False,
) -> None:
    """Show the entity a name refers to."""
    e = _query(graph, lambda kg: kg.find(name, type=type))
    if as_json:
        _print_json({**e.model_dump(mode="json"), "article_count": e.article_count})
        return
    from rich.table import Table

    table = Table(show_header=False, box=None, title=_text(e.label, "bold"), title_justify="left")
    table.add_column(style="dim")
    table.add_column()
    for key, value in (
        ("id", e.id),
        ("type", e.type),
        ("articles", e.article_count),
        ("mentions", e.mention_count),
        ("aliases", ", ".join(e.aliases)),
    ):
        table.add_row(key, _text(value))
    out.print(table)


RankOption = Annotated[
    str,
    typer.Option(
        "--rank",
        "-r",
        help="Order: articles (most shared articles first) or significance (lowest q-value first: least explained by chance).",
    ),
]


def _number(x: float | None, digits: int = 1) -> str:
    return "" if x is None else f"{x:.{digits}f}"


def _q(x: float | None) -> str:
    return "" if x is None else f"{x:.2g}"


@app.command()
def neighbors(
    name: Annotated[str, typer.Argument(help="The entity: a name, alias or id.")],
    type: TypeOption = None,
    min_weight: Annotated[int, typer.Option(help="Only links with at least this many shared articles.")] = 1,
    limit: Annotated[int, typer.Option("--limit", "-n", min=0, help="Show at most this many (0: all).")] = 20,
    rank: RankOption = "articles",
    graph: GraphOption = "outputs",
    as_json: JsonOption = False,
) -> None:
    """List the entities linked to one, strongest first (most shared articles, then sentences) or most significant first."""

    def ask(kg: KnowledgeGraph) -> tuple[str, list[Neighbor]]:
        return kg.find(name).label, kg.neighbors(name, type=type, min_weight=min_weight, limit=limit or None, rank=rank)

    label, rows = _query(graph, ask)
    if as_json:
        _print_json([r.model_dump(mode="json") for r in rows])
        return
    unit = "sentences" if rows and rows[0].unit == "sentence" else "articles"
    title = f"linked to {label}" + (" (most significant first)" if rank == "significance" else "")
    from rich.table import Table

    table = Table(title=_text(title, "bold"), title_justify="left")
    table.add_column("entity")
    table.add_column("type")
    table.add_column("articles", justify="right")
    table.add_column("sentences", justify="right")
    significance = rank == "significance"
    by_p = unit == "sentences"  # a small corpus: the backbone is chosen by p (see kgraph.stats)
    if significance:  # the columns the order is made of
        table.add_column(f"expected {unit}", justify="right")
        table.add_column("p" if by_p else "q", justify="right")
    for r in rows:
        cells: list[str | Text] = [_text(r.label), r.type, str(r.weight), str(r.sentence_count)]
        test = _q(r.p_value if by_p else r.q_value)
        table.add_row(*cells, *((_number(r.expected), test) if significance else ()))
    out.print(table)


@app.command()
def edges(
    max_q: Annotated[
        float | None, typer.Option(help="Only links with a q-value (false discovery rate) at most this, e.g. 0.05.")
    ] = None,
    backbone: Annotated[
        bool, typer.Option("--backbone", help="Only the backbone links (what graph.html opens on).")
    ] = False,
    min_weight: Annotated[int, typer.Option(help="Only links with at least this many shared articles.")] = 1,
    limit: Annotated[int, typer.Option("--limit", "-n", help="Show at most this many (0: all).")] = 20,
    rank: RankOption = "significance",
    graph: GraphOption = "outputs",
    as_json: JsonOption = False,
) -> None:
    """List the links of the graph, most significant first (or most shared articles first)."""
    rows = _query(graph, lambda kg: kg.edges(min_weight=min_weight, max_q=max_q, backbone=backbone, rank=rank))
    shown = rows[:limit] if limit else rows
    if as_json:
        _print_json([r.model_dump(mode="json") for r in shown])
        return
    unit = "sentences" if rows and rows[0].unit == "sentence" else "articles"
    from rich.table import Table

    table = Table(title=_text(f"{len(shown)} of {len(rows)} links", "bold"), title_justify="left")
    by_p = unit == "sentences"  # a small corpus: the backbone is chosen by p (see kgraph.stats)
    for column in ("entity", "entity", "articles", "sentences", f"expected {unit}", "p" if by_p else "q", "backbone"):
        table.add_column(column, justify="left" if column == "entity" else "right")
    for r in shown:
        table.add_row(
            _text(r.source_label),
            _text(r.target_label),
            str(r.weight),
            str(r.sentence_count),
            _number(r.expected),
            _q(r.p_value if by_p else r.q_value),
            "yes" if r.backbone else "",
        )
    out.print(table)


def _print_evidence(ev: Evidence) -> None:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    out.print(
        Text.assemble(
            _text(ev.a.label, "bold"),
            " — ",
            _text(ev.b.label, "bold"),
            f": {ev.weight} shared article{'s' * (ev.weight != 1)}"
            + (f", {ev.expected:.1f} expected" if ev.expected is not None and ev.unit == "article" else "")
            + f"; {ev.sentence_count} shared sentence{'s' * (ev.sentence_count != 1)}"
            + (f", {ev.expected:.1f} expected" if ev.expected is not None and ev.unit == "sentence" else "")
            + (f" ({len(ev.sentences)} kept)" if len(ev.sentences) < ev.sentence_count else "")
            + (f"; q = {ev.q_value:.2g}" if ev.q_value is not None and ev.unit != "sentence" else "")
            + (f"; p = {ev.p_value:.2g}" if ev.p_value is not None and ev.unit == "sentence" else ""),
        )
    )
    if not ev.articles:
        out.print("  no article mentions both", highlight=False)
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=1)
    grid.add_column()
    for art in ev.articles:
        sentences = Table.grid(padding=(0, 1))
        sentences.add_column(width=1)
        sentences.add_column()
        for sentence in art.sentences:
            sentences.add_row("•", _text(sentence))
        named = art.title or art.lead
        details = _text(" · ".join(x for x in (named and art.id, art.date, art.url or art.source) if x), "dim")
        grid.add_row(_text("▸", "bold"), Group(_text(named or art.id, "bold"), details, sentences))
    out.print(grid)


@app.command()
def evidence(
    a: Annotated[str, typer.Argument(help="One entity: a name, alias or id.")],
    b: Annotated[str, typer.Argument(help="The other entity.")],
    graph: GraphOption = "outputs",
    as_json: JsonOption = False,
) -> None:
    """Show the articles that mention two entities, and the sentences that mention both."""
    ev = _query(graph, lambda kg: kg.evidence(a, b))
    if as_json:
        _print_json(ev.model_dump(mode="json"))
        return
    _print_evidence(ev)


@app.command()
def timeline(
    a: Annotated[str, typer.Argument(help="One entity: a name, alias or id.")],
    b: Annotated[str, typer.Argument(help="The other entity.")],
    graph: GraphOption = "outputs",
    as_json: JsonOption = False,
) -> None:
    """Show the articles that mention two entities month by month, oldest first."""
    t = _query(graph, lambda kg: kg.timeline(a, b))
    if as_json:
        _print_json(t.model_dump(mode="json"))
        return
    from rich.text import Text

    dated = sum(m.count for m in t.months)
    out.print(
        Text.assemble(
            _text(t.a.label, "bold"),
            " — ",
            _text(t.b.label, "bold"),
            f": {dated} dated article{'s' * (dated != 1)}, {len(t.undated)} undated",
        )
    )
    for m in t.months:
        out.print(Text.assemble(_text(m.month, "bold"), f"  {'█' * m.count or '·'} {m.count}"))
        for art in m.articles:
            out.print(Text.assemble("  ", _text(art.date or "", "dim"), "  ", _text(art.title or art.lead or art.id)))
    if t.undated:
        out.print(_text("undated", "bold"))
        for art in t.undated:
            out.print(Text.assemble("  ", _text(art.title or art.lead or art.id)))


@app.command("new-links")
def new_links(
    since: Annotated[str, typer.Option(help="Links first seen on or after this day (YYYY-MM-DD).")],
    n: Annotated[int, typer.Option("-n", min=1, help="How many links to list.")] = 20,
    graph: GraphOption = "outputs",
    as_json: JsonOption = False,
) -> None:
    """List the links first seen on or after a day, newest first."""
    rows = _query(graph, lambda kg: kg.new_links(since))[:n]
    if as_json:
        _print_json([r.model_dump(mode="json") for r in rows])
        return
    from rich.table import Table

    table = Table(title=_text(f"links first seen since {since}", "bold"), title_justify="left")
    for col in ("first seen", "entity", "entity", "articles"):
        table.add_column(col, justify="right" if col == "articles" else "left")
    for e in rows:
        table.add_row(e.first_seen or "", _text(e.source_label), _text(e.target_label), str(e.weight))
    out.print(table)


@app.command()
def path(
    a: Annotated[str, typer.Argument(help="Where the path starts: a name, alias or id.")],
    b: Annotated[str, typer.Argument(help="Where it ends.")],
    graph: GraphOption = "outputs",
    as_json: JsonOption = False,
) -> None:
    """Show a shortest chain of links between two entities, with the evidence for each hop."""
    p = _query(graph, lambda kg: (kg.path(a, b), kg.find(a).label, kg.find(b).label))
    found, label_a, label_b = p
    if found is None:
        _fail(f"no path between {label_a!r} and {label_b!r}: no chain of shared articles joins them")
        return
    if as_json:
        _print_json(found.model_dump(mode="json"))
        return
    out.print(_text(" → ".join(e.label for e in found.entities), "bold"))
    for hop in found.hops:
        _print_evidence(hop)


@app.command()
def top(
    n: Annotated[int, typer.Option("-n", min=1, help="How many entities to list.")] = 10,
    by: Annotated[
        str, typer.Option(help="Ranking: articles, degree, weighted_degree, pagerank or betweenness.")
    ] = "articles",
    type: TypeOption = None,
    graph: GraphOption = "outputs",
    as_json: JsonOption = False,
) -> None:
    """List the most central entities."""
    rows = _query(graph, lambda kg: kg.top(n, by=by, type=type))
    if as_json:
        _print_json([r.model_dump(mode="json") for r in rows])
        return
    from rich.table import Table

    table = Table(title=_text(f"top {len(rows)} by {by}", "bold"), title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("entity")
    table.add_column("type")
    table.add_column(by, justify="right")
    for r in rows:
        score = f"{r.score:.4f}" if by in ("pagerank", "betweenness") else f"{r.score:g}"
        table.add_row(str(r.rank), _text(r.label), r.type, score)
    out.print(table)


@app.command()
def info(graph: GraphOption = "outputs", as_json: JsonOption = False) -> None:
    """Show what a saved graph holds and what built it."""
    i = _query(graph, lambda kg: kg.info())
    if as_json:
        _print_json(i.model_dump(mode="json"))
        return
    by_type = ", ".join(f"{n} {t}" for t, n in i.by_type.items()) or "none"
    from rich.table import Table

    table = Table(show_header=False, box=None)
    table.add_column(style="dim")
    table.add_column()
    for key, value in (
        ("graph", i.source),
        ("selection", i.selection),
        ("articles", i.articles),
        ("entities", f"{i.entities} ({by_type})"),
        ("links", i.edges),
        ("components", f"{i.components} (largest: {i.largest_component} entities, {i.isolated} unlinked)"),
        ("density", f"{i.density:.4f}"),
        (
            "dated",
            f"{i.dated_articles} of {i.articles} articles, {i.first_date} to {i.last_date}"
            if i.dated_articles
            else None,
        ),
        ("window", " to ".join((i.since or "…", i.until or "…")) if i.since or i.until else None),
        ("link statistics", i.link_stats_note),
        ("backbone", None if i.backbone_edges is None else f"{i.backbone_edges} links (kgraph edges --backbone)"),
        ("inputs", ", ".join(i.inputs)),
        ("model", i.spacy_model),
        ("built", " by kgraph ".join(x for x in (i.created, i.kgraph_version) if x) or None),
    ):
        if value is not None:
            table.add_row(key, _text(value))
    out.print(table)


@app.command()
def export(
    format: Annotated[
        str, typer.Option("--format", "-f", help="graphology (also sigma.js), cytoscape (cytoscape.js) or d3.")
    ],
    graph: GraphOption = "outputs",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="File to write. [default: graph.FORMAT.json beside the graph]"),
    ] = None,
) -> None:
    """Write a saved graph as the JSON a JavaScript library loads."""
    written = _query(graph, lambda kg: kg.export(output, format=format))  # type: ignore[arg-type]
    out.print(f"wrote {written}", highlight=False, markup=False, soft_wrap=True)


# -- the extraction cache --------------------------------------------------------------------
cache_app = typer.Typer(help="Look into or clear the extraction cache that makes rebuilds fast.", no_args_is_help=True)
app.add_typer(cache_app, name="cache")
CacheOption = Annotated[Path | None, typer.Option("--cache", help=f"The cache file. Default: OUTPUT/{CACHE_NAME}.")]
OutputOption = Annotated[Path, typer.Option("--output", "-o", help="Output folder whose cache to use.")]


@cache_app.command("info")
def cache_info_cmd(
    cache: CacheOption = None, output: OutputOption = Path("outputs"), as_json: JsonOption = False
) -> None:
    """Show the cache's size, its entries, and the hit rate of the last build that used it."""
    from .cache import cache_info

    try:
        i = cache_info(cache if cache is not None else output / CACHE_NAME)
    except KGraphError as e:
        _fail(str(e))
        return
    if as_json:
        _print_json({**i.model_dump(mode="json"), "hit_rate": i.hit_rate})
        return
    last = "no build yet"
    if i.hit_rate is not None:
        last = f"{i.last_hits} found, {i.last_misses} new ({i.hit_rate:.1%} hit rate)"
    from rich.table import Table

    table = Table(show_header=False, box=None)
    table.add_column(style="dim")
    table.add_column()
    for key, value in (
        ("cache", i.path),
        ("size", _size(i.size_bytes)),
        ("entries", f"{i.entries:,} distinct article texts"),
        ("last build", last),
    ):
        table.add_row(key, _text(value))
    out.print(table)


@cache_app.command("clear")
def cache_clear_cmd(cache: CacheOption = None, output: OutputOption = Path("outputs")) -> None:
    """Delete the cache: the next build runs NER on every article again."""
    from .cache import cache_clear

    path = cache if cache is not None else output / CACHE_NAME
    try:
        freed = cache_clear(path)
    except KGraphError as e:
        _fail(str(e))
        return
    message = f"cleared {path} ({_size(freed)})" if freed else f"no cache at {path}"
    out.print(message, highlight=False, markup=False, soft_wrap=True)


def _size(n: int) -> str:
    """A file size for people.

    >>> _size(36_864), _size(52_400_000)
    ('36.9 kB', '52.4 MB')
    """
    return f"{n / 1e3:,.1f} kB" if n < 1e6 else f"{n / 1e6:,.1f} MB"


#: The commands that read a saved graph, answer and end.
QUERY_COMMANDS = frozenset(
    ("find", "neighbors", "edges", "evidence", "timeline", "new-links", "path", "top", "info", "export")
)


def _query_command(argv: list[str]) -> str | None:
    """The query command `argv` (without the program name) runs, if it starts with one.

    >>> _query_command(["neighbors", "Khalilzad", "-g", "out"]), _query_command(["--help", "top"])
    ('neighbors', None)
    """
    return argv[0] if argv and argv[0] in QUERY_COMMANDS else None


def _app_for(command: str | None) -> typer.Typer:
    """The app, with only `command` among its commands when one is named: typer makes a click
    command of each command's signature before it parses anything, and making all of them
    took 12 to 20 ms of a query's start-up. What the one command parses, prints and
    reports is the same (a group-level option or help comes first, and then the whole app
    runs)."""
    if command is None:
        return app
    lean = copy.copy(app)
    lean.registered_commands = [
        c
        for c in app.registered_commands
        if c.callback is not None and (c.name or get_command_name(c.callback.__name__)) == command
    ]
    lean.registered_groups = []
    return lean


def main() -> None:
    """Entry point of the `kgraph` command. A usage error (a missing argument, a bad
    option value) is one line on stderr and exit code 2, as for every other error.

    A query runs with the garbage collector paused: it reads one graph, answers and ends,
    and what it makes holds no reference cycles (reference counting frees it), so the
    collector's passes over the graph and the loaded modules would only cost time (40 to
    90 ms of a query's start-up, bench/query_startup.py). A build keeps the collector, and
    its own policy for it (`kgraph._runtime`)."""
    command = _query_command(sys.argv[1:])
    with _runtime.paused() if command else contextlib.nullcontext():
        _run(_app_for(command))


def _run(app: typer.Typer) -> None:
    try:
        code = app(standalone_mode=False)
    except _click.NoArgsIsHelpError as e:  # `kgraph` alone: the help
        typer.echo(e.ctx.get_help() if e.ctx is not None else "", err=True)
        sys.exit(e.exit_code)
    except _click.UsageError as e:
        where = e.ctx.command_path if e.ctx is not None else "kgraph"
        one_line = e.format_message().replace("\r", " ").replace("\n", " ")
        err.print(f"error: {one_line} (try '{where} --help')", highlight=False, markup=False, soft_wrap=True)
        sys.exit(e.exit_code)
    except _click.ClickException as e:
        err.print(f"error: {e.format_message()}", highlight=False, markup=False, soft_wrap=True)
        sys.exit(e.exit_code)
    except typer.Abort:  # Ctrl-C outside a build (which handles its own)
        err.print("error: interrupted", highlight=False, markup=False)
        _runtime.exit_now(_runtime.Interrupted().exit_code)
    except KGraphError as e:  # raised outside a command's own handler
        err.print(f"error: {e}", highlight=False, markup=False)
        sys.exit(1)
    except SystemExit as e:
        if isinstance(e.code, int) and e.code in _runtime.INTERRUPT_EXIT_CODES:
            _runtime.exit_now(e.code)
        raise
    if isinstance(code, int) and code in _runtime.INTERRUPT_EXIT_CODES:
        _runtime.exit_now(code)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
