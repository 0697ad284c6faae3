"""The set of files a graph is saved as, and reading one of them back.

`save` writes graph.json, graph.graphml, graph.gexf, graph.html, nodes.csv and edges.csv
(plus aliases.csv and skipped.csv when asked) as one set: all of them are written into a
staging folder first, then moved into place together (`kgraph.export._atomic`), so an
interrupted save leaves the previous set untouched. `read` loads graph.json or
graph.graphml. `KnowledgeGraph.save` and `kgraph.load` are these two functions.

This module imports each writer when it is used: loading a graph.json for a query reads
neither lxml nor the page's statistics.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from ..errors import OutputError
from ..records import AliasRow, Skipped

if TYPE_CHECKING:
    from ._fork import Task

#: The graph files every save writes (aliases.csv and skipped.csv come from a build).
GRAPH_FILES = ("graph.json", "graph.graphml", "graph.gexf", "graph.html", "nodes.csv", "edges.csv")
#: The files `read` accepts in an output folder, in the order it looks for them.
READABLE = ("graph.json", "graph.graphml")


def graph_files(g: nx.Graph, folder: Path, *, max_nodes: int) -> list[Task]:
    """The writers of the graph files, with their relative costs (CPU time, measured on the
    news benchmark's graph, 5,700 entities and 64,000 links, with 1 and with 10 articles
    behind a typical link; GraphML 0.32 s and 0.6 s: JSON 0.85 and 0.95 of it, GEXF 1.1 and
    1.15, edges.csv 0.6, the page 0.65 when the layout's communities are known (as after a
    build, `kgraph.layout.LayoutUnderway`; 1.5 when Louvain runs again), nodes.csv 0.15;
    aliases.csv, which `save` adds, 0.1 and 0.15).

    The edge table the edge writers share (`kgraph.export._columns.EdgeTable`: the edges
    sorted, typed and read into columns, 0.17 s) is made here, before they run."""
    from ._columns import EdgeTable
    from ._fork import Task
    from .gexf import write_gexf
    from .graphml import write_graphml
    from .html import write_html
    from .json import write_json
    from .tables import write_edges_csv, write_nodes_csv

    table = EdgeTable(g).prepare()  # here, before the writers run side by side: a forked one finds it made
    return [
        Task("json", 0.9, lambda: write_json(g, folder / "graph.json", table=table)),
        Task("graphml", 1.0, lambda: write_graphml(g, folder / "graph.graphml", table=table)),
        Task("gexf", 1.15, lambda: write_gexf(g, folder / "graph.gexf", table=table)),
        Task("html", 0.65, lambda: write_html(g, folder / "graph.html", max_nodes=max_nodes)),
        Task("nodes", 0.15, lambda: write_nodes_csv(g, folder / "nodes.csv")),
        Task("edges", 0.6, lambda: write_edges_csv(g, folder / "edges.csv", table=table)),
    ]


def save(
    g: nx.Graph,
    folder: str | os.PathLike[str],
    *,
    max_nodes: int,
    jobs: int | None = None,
    alias_rows: Sequence[AliasRow] | None = None,
    skipped: Sequence[Skipped] | None = None,
    overwrite: bool = False,
) -> dict[str, Path]:
    """Write the graph files of `g` to `folder` as one set, with aliases.csv and skipped.csv
    unless `alias_rows` / `skipped` is None; returns each file by kind ("json", "aliases"...).

    A large graph's files are written side by side by up to `jobs` processes (default: the
    cores available; 1: the main process alone; see `kgraph.export._fork`).

    A selection (`ego`, `subgraph`, `backbone`: the graph attribute ``selection``) is not
    saved over a full build (a folder with the skipped.csv every build writes) unless
    `overwrite`; then its aliases.csv and skipped.csv replace the build's, so no file of
    the build is left beside the smaller graph."""
    from ._atomic import output_folder
    from ._fork import Task, processes_for, write_all

    if not os.fspath(folder).strip():  # Path("") is the current folder: never what was meant
        raise OutputError("the output folder name is empty: name a folder (e.g. 'outputs')")
    odd = next((n for n in g if not isinstance(n, str)), None)
    if odd is not None:  # the files key entities by text, and sort them: 1 and "1" cannot both be there
        raise OutputError(
            f"entity id {odd!r} is a {type(odd).__name__}: the graph files need text ids "
            "(relabel the graph first, e.g. networkx.relabel_nodes(g, str))"
        )
    out = Path(folder)
    selection = g.graph.get("selection")
    with output_folder(out) as stage:
        if selection and (out / "skipped.csv").exists():
            if not overwrite:
                raise OutputError(
                    f"'{out}' holds a full build: saving the {selection} there would replace it; "
                    "save it to another folder, or pass overwrite=True"
                )
            alias_rows, skipped = alias_rows or (), skipped or ()
        elif selection and (out / "aliases.csv").exists():
            alias_rows = alias_rows or ()  # an earlier selection's aliases would stay otherwise
        tasks = graph_files(g, stage, max_nodes=max_nodes)
        if alias_rows is not None:  # written side by side with the graph files too
            tasks.append(Task("aliases", 0.12, partial(_write_aliases, stage / "aliases.csv", alias_rows)))
        if skipped is not None:
            tasks.append(Task("skipped", 0.01, partial(_write_skipped, stage / "skipped.csv", skipped)))
        written = write_all(tasks, processes_for(g.number_of_nodes() + g.number_of_edges(), jobs, len(tasks)))
    return {kind: out / path.name for kind, path in written.items()}


def _write_aliases(path: Path, rows: Sequence[AliasRow]) -> Path:
    from ._xml import join_list
    from .csv import write_csv

    header = ["surface", "entity_id", "entity_label", "rule", "article_ids"]
    return write_csv(
        path, header, ((r.surface, r.entity_id, r.entity_label, r.rule, join_list(r.article_ids, " | ")) for r in rows)
    )


def _write_skipped(path: Path, notes: Sequence[Skipped]) -> Path:
    from .csv import write_csv

    header = ["source", "line", "reason", "detail"]
    return write_csv(path, header, ((s.source, "" if s.line is None else s.line, s.reason, s.detail) for s in notes))


def find(path: str | os.PathLike[str]) -> Path:
    """The graph file `path` names: itself, or in an output folder its graph.json, else its
    graph.graphml. Nothing is moved here, not even a killed build's commit: the next save
    finishes it."""
    p = Path(path)
    if p.is_dir():
        for name in READABLE:
            if (p / name).is_file():
                return p / name
        raise OutputError(f"no graph.json or graph.graphml in '{path}': run 'kgraph build' first")
    if not p.exists():
        raise OutputError(
            f"no graph at '{path}': run 'kgraph build' first, or give an output folder, graph.json or graph.graphml"
        )
    if not p.is_file():
        raise OutputError(f"'{path}' is not a file: give an output folder, graph.json or graph.graphml")
    if p.suffix.lower() in (".html", ".gexf", ".csv"):
        raise OutputError(
            f"cannot load '{path}': kgraph reads graph.json or graph.graphml; give one of them or their folder"
        )
    return p


def read(path: str | os.PathLike[str]) -> tuple[nx.Graph, Path]:
    """The graph saved at `path` (see `find`), unchecked, and the file it came from. Whatever
    goes wrong is one `OutputError` line."""
    p = find(path)
    if p.suffix.lower() == ".graphml":
        from .graphml import read_graphml as reader
    else:
        from .json import read_json as reader
    try:
        return reader(p), p
    except OutputError:
        raise
    except RecursionError:
        raise OutputError(f"cannot read graph '{path}': nested too deeply (rebuild it with 'kgraph build')") from None
    except MemoryError:
        raise OutputError(f"cannot read graph '{path}': not enough memory to read it") from None
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as e:
        what = f"{type(e).__name__}: {e}"
        raise OutputError(f"cannot read graph '{path}': {what[:200]} (rebuild it with 'kgraph build')") from None
