"""The floor under a query command: the libraries kgraph's CLI is made of, doing what
``kgraph neighbors NAME`` does, and nothing of kgraph.

typer parses the options (typer builds a pydantic validator for each of them), the graph is
read from graph.json into networkx, each answer is a pydantic record and rich draws the table.
`bench/query_startup.py` runs it beside the real commands, so what kgraph itself adds to a
query's start-up can be read off.

    python bench/query_floor.py neighbors Taliban -g outputs
"""

from __future__ import annotations

import json
from typing import Annotated

import networkx as nx
import typer
from pydantic import BaseModel

app = typer.Typer(add_completion=False)


class Row(BaseModel):
    label: str
    weight: int


@app.callback()
def main_options() -> None:
    """The floor under a query command."""


@app.command()
def neighbors(
    name: str,
    graph: Annotated[str, typer.Option("--graph", "-g")] = "outputs",
    limit: Annotated[int, typer.Option("-n")] = 20,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    with open(f"{graph}/graph.json", encoding="utf-8") as fh:
        data = json.load(fh)
    g = nx.node_link_graph(data, edges="edges")
    node = next(n for n, d in g.nodes(data=True) if d.get("label") == name)
    rows = [Row(label=g.nodes[m]["label"], weight=d["weight"]) for m, d in g[node].items()]
    rows = sorted(rows, key=lambda r: -r.weight)[:limit]
    if as_json:
        typer.echo(json.dumps([r.model_dump() for r in rows]))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"linked to {name}")
    table.add_column("entity")
    table.add_column("articles", justify="right")
    for r in rows:
        table.add_row(r.label, str(r.weight))
    Console().print(table)


if __name__ == "__main__":
    app()
