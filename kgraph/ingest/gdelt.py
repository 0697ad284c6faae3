"""GDELT Global Knowledge Graph 2.1 files (``*.gkg.csv``, tab-separated, no header): one
article per record, whose persons, organizations and locations GDELT already found.

No NER runs on these articles: their names travel as `Article.given` and become mentions
directly (`kgraph.extract.given_extraction`), so a GDELT extract gets kgraph's resolution,
graph and exports. The article has no text of its own: the document URL is the evidence.
A record's title comes from its ``<PAGE_TITLE>`` extra, its date from its DATE field
(YYYY-MM-DD, ``date_source="field"``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import BinaryIO

from ..records import Article, GivenName
from . import _read
from ._read import ReadContext, Unusable
from ._text import make_article, one_line
from .jsonl import _bounded_lines

#: A GKG 2.1 record starts: GKGRECORDID (date-serial, T for translated), DATE, collection.
SNIFF = re.compile(rb"^\d{14}-T?\d+\t\d{14}\t\d+\t")
_FIELDS = 27
_ID, _DATE, _COLLECTION, _SITE, _DOCUMENT = 0, 1, 2, 3, 4
_LOCATIONS_V1, _LOCATIONS, _PERSONS_V1, _PERSONS, _ORGS_V1, _ORGS = 9, 10, 11, 12, 13, 14
_EXTRAS = 26
_TITLE = re.compile(r"<PAGE_TITLE>(.*?)</PAGE_TITLE>", re.S)
_NAMES_MAX = 500  # names kept per record (GDELT lists each once, with its first offset)


def is_gkg(head: bytes) -> bool:
    """Whether a file's first bytes are a GKG 2.1 record."""
    return bool(SNIFF.match(head.lstrip(b"\xef\xbb\xbf")))


def read_gkg(fh: BinaryIO, ctx: ReadContext) -> Iterator[Article]:
    """The records of a GKG file with at least one name, each an article (id GKGRECORDID)."""
    bad = 0
    first_bad = 0
    lineno = 0
    for raw in _bounded_lines(fh.readline):
        lineno += 1
        if raw == "":
            ctx.note("too large", f"a line of more than {_read.MAX_ARTICLE_BYTES // 2**20} MB", lineno)
            continue
        assert isinstance(raw, bytes)
        fields = raw.decode("utf-8", errors="replace").rstrip("\r\n").split("\t")
        if len(fields) < _FIELDS or not SNIFF.match(raw):
            if raw.strip():
                bad += 1
                first_bad = first_bad or lineno
            continue
        names = _names(fields)
        if not names:
            continue
        yield _article(fields, names, lineno, ctx)
    if bad:
        ctx.note(
            "invalid GKG",
            f"{bad} line(s) are not GKG 2.1 records (27 tab-separated fields), first line {first_bad}",
            first_bad,
        )
    if lineno == 0:
        raise Unusable("empty", "0 bytes")


def _article(fields: list[str], names: tuple[GivenName, ...], lineno: int, ctx: ReadContext) -> Article:
    title = _TITLE.search(fields[_EXTRAS])
    stamp = fields[_DATE]
    url = fields[_DOCUMENT].strip()
    return make_article(
        ctx,
        "",
        id=one_line(fields[_ID]),
        where=str(lineno),
        line=lineno,
        title=one_line(html.unescape(title.group(1))) if title else None,
        date=f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]}",
        date_source="field",
        url=url if url.lower().startswith(("http://", "https://")) else None,
        given=names,
    )


def _names(fields: list[str]) -> tuple[GivenName, ...]:
    """The record's names (enhanced fields with offsets; the V1 lists when those are empty)."""
    found: dict[tuple[str, str], GivenName] = {}
    people = _offset_list(fields[_PERSONS]) or [(n, -1) for n in _plain_list(fields[_PERSONS_V1])]
    orgs = _offset_list(fields[_ORGS]) or [(n, -1) for n in _plain_list(fields[_ORGS_V1])]
    places = _locations(fields[_LOCATIONS], offset_at=8) or _locations(fields[_LOCATIONS_V1], offset_at=None)
    for label, items in (("PERSON", people), ("ORG", orgs), ("GPE", places)):
        for name, offset in items:
            name = _case(name)
            if name and (label, name) not in found and len(found) < _NAMES_MAX:
                found[(label, name)] = GivenName(label=label, name=name, offset=offset)
    return tuple(found.values())


def _offset_list(field: str) -> list[tuple[str, int]]:
    """'Ashraf Ghani,1204;Kabul,88' -> [('Ashraf Ghani', 1204), ('Kabul', 88)]."""
    out = []
    for item in field.split(";"):
        name, _, offset = item.rpartition(",")
        if name.strip():
            out.append((name.strip(), int(offset) if offset.isdigit() else -1))
    return out


def _plain_list(field: str) -> list[str]:
    return [x.strip() for x in field.split(";") if x.strip()]


def _locations(field: str, *, offset_at: int | None) -> list[tuple[str, int]]:
    """'4#Kabul, Kabul, Afghanistan#AF#...#1023' -> [('Kabul', 1023)]: the place itself, not
    the regions GDELT adds after it."""
    out = []
    for item in field.split(";"):
        parts = item.split("#")
        if len(parts) < 2 or not parts[1].strip():
            continue
        offset = parts[offset_at] if offset_at is not None and len(parts) > offset_at else ""
        out.append((parts[1].split(",")[0].strip(), int(offset) if offset.isdigit() else -1))
    return out


def _case(name: str) -> str:
    """GDELT lower-cases some names ('united nations'): those get capitals back."""
    name = " ".join(name.split())
    return name.title() if name.islower() else name
