"""The dynamic parts of a GEXF file checked as Gephi's importer reads them: the rules of
shared/tools/gephi_lint.py (which checks GraphML) carried over to GEXF time, from
gephi/gephi ImporterGEXF.java (readGraph, readElementSpell, readNode, readEdge) and its issues
on time (#649 date-times in a date graph, #666 intervals whose start equals their end,
#1984 ISO 8601 dates). Same severity words as gephi_lint: FATAL, SEVERE block an import or
lose data; WARN does not.
"""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path

from lxml import etree

BLOCKING = ("FATAL", "DROP", "DUP-KEY", "SEVERE")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIMEFORMATS = ("double", "float", "date", "datetime", "timestamp")


def _is_date(value: str) -> bool:
    if not _DATE.fullmatch(value):
        return False
    try:
        _dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def lint_time(path: str | Path) -> list[str]:
    """Gephi's complaints about the time in the GEXF file at `path` (empty for a good or static file)."""
    try:
        root = etree.parse(str(path)).getroot()
    except etree.XMLSyntaxError as e:
        return [f"FATAL not well-formed XML ({e})"]
    ns = root.nsmap.get(None, "")
    q = (lambda tag: f"{{{ns}}}{tag}") if ns else (lambda tag: tag)
    graph = root.find(q("graph"))
    if graph is None:
        return ["FATAL no <graph> element"]
    problems: list[str] = []
    mode = graph.get("mode", "static")
    timeformat = graph.get("timeformat", "")
    representation = graph.get("timerepresentation", "interval")
    spells = list(root.iter(q("spell")))
    if mode != "dynamic":
        if spells:
            problems.append("SEVERE spells in a graph whose mode is not dynamic: Gephi does not make a timeline")
        return problems
    if timeformat not in _TIMEFORMATS:
        problems.append(
            f"SEVERE timeformat {timeformat!r}: Gephi reads double, date or datetime (else times are doubles)"
        )
    if representation not in ("timestamp", "interval"):
        problems.append(f"SEVERE timerepresentation {representation!r} unknown to Gephi")
    if not spells:
        problems.append("WARN a dynamic graph without a spell: Gephi shows no timeline")
    for kind in ("node", "edge"):
        for el in root.iter(q(kind)):
            name = el.get("id")
            for a in ("start", "end", "startopen", "endopen", "timestamp", "timestamps", "intervals"):
                if el.get(a) is not None and representation == "timestamp" and a not in ("timestamp", "timestamps"):
                    problems.append(f"SEVERE {kind} {name!r}: {a}= under timerepresentation=timestamp")
            days = []
            for s in el.findall(f"{q('spells')}/{q('spell')}"):
                if representation == "timestamp":
                    if s.get("start") is not None or s.get("end") is not None:
                        problems.append(f"SEVERE {kind} {name!r}: a start/end spell under timerepresentation=timestamp")
                    stamp = s.get("timestamp")
                    if not stamp:
                        problems.append(f"SEVERE {kind} {name!r}: a spell without a timestamp is ignored")
                        continue
                    days.append(stamp)
                else:
                    start, end = s.get("start"), s.get("end")
                    if start is not None and start == end:
                        problems.append(f"SEVERE {kind} {name!r}: spell start equals end (#666: silently lost)")
                    days += [x for x in (start, end) if x]
            if timeformat == "date":
                for day in days:
                    if not _is_date(day):
                        problems.append(f"SEVERE {kind} {name!r}: {day!r} is not a YYYY-MM-DD date (#649, #1984)")
            if len(days) != len(set(days)):
                problems.append(f"WARN {kind} {name!r}: a timestamp repeated")
    problems += _edges_within_nodes(root, q)
    return problems


def _edges_within_nodes(root: etree._Element, q) -> list[str]:  # noqa: ANN001
    """An edge shown at a time when one of its ends is not: Gephi's timeline hides it then."""
    stamps = {}
    for n in root.iter(q("node")):
        stamps[n.get("id")] = {s.get("timestamp") for s in n.findall(f"{q('spells')}/{q('spell')}")}
    out = []
    for e in root.iter(q("edge")):
        own = {s.get("timestamp") for s in e.findall(f"{q('spells')}/{q('spell')}")}
        for end in (e.get("source"), e.get("target")):
            missing = own - stamps.get(end, set())
            if missing and stamps.get(end):
                out.append(f"SEVERE edge {e.get('id')!r}: at {sorted(missing)[0]} its end {end!r} is absent")
    return out


def spells_of(path: str | Path) -> dict[str, list[str]]:
    """Node id (or "source|target" for an edge) -> the timestamps of its spells, in file order."""
    root = etree.parse(str(path)).getroot()
    ns = root.nsmap.get(None, "")
    out = {}
    for kind in ("node", "edge"):
        for el in root.iter(f"{{{ns}}}{kind}"):
            key = el.get("id") if kind == "node" else f"{el.get('source')}|{el.get('target')}"
            out[key] = [s.get("timestamp") for s in el.iter(f"{{{ns}}}spell")]
    return out
