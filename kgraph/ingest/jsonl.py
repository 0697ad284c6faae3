"""JSONL files: one article per line, ``{"id", "text"}`` plus optional ``"title"``,
``"date"`` and ``"url"``. Lines are read one at a time with a bound (a line longer than
`MAX_ARTICLE_BYTES` is skipped in bounded pieces), each bad line is one `Skipped` row with
its line number, and the others are kept."""

from __future__ import annotations

import io
import itertools
import json
from collections import Counter
from collections.abc import Callable, Iterator
from typing import AnyStr, BinaryIO

from ..records import Article
from . import _read
from ._read import BINARY_PROBE, BOMS, READ_CHUNK, ReadContext, Unusable, clean_text, decode_legacy
from ._text import make_article

#: Stands for a line longer than MAX_ARTICLE_BYTES, which is not kept.
_TOO_LONG = ""


def read_jsonl(fh: BinaryIO, ctx: ReadContext) -> Iterator[Article]:
    """The articles of a JSONL file, line by line; the source of each is ``path:LINE``."""
    fallback: Counter[str] = Counter()
    first_fallback = 0
    lineno = 0
    blank = True
    lines = _jsonl_lines(fh)
    try:
        first = next(lines, None)
    except ValueError as e:
        raise Unusable("binary", str(e)) from None
    for encoding, raw in itertools.chain([first] if first is not None else [], lines):
        lineno += 1
        if encoding == "too long":
            ctx.note("too large", _too_large_line(), lineno)
            blank = False
            continue
        if encoding is None:
            assert isinstance(raw, bytes)
            line, encoding = decode_legacy(raw)
            fallback[encoding.split(" with")[0]] += 1
            first_fallback = first_fallback or lineno
        else:
            assert isinstance(raw, str)
            line = raw
        if not line.strip():
            continue
        blank = False
        article = _jsonl_article(line, lineno, ctx)
        if article is not None:
            yield article
    if fallback:
        encs = ", ".join(f"{n} line(s) as {e}" for e, n in fallback.most_common())
        ctx.note("encoding fallback", f"not UTF-8 from line {first_fallback}: read {encs}; lines kept", first_fallback)
    if blank:
        raise Unusable("empty", "no lines" if lineno == 0 else "only blank lines")


def _jsonl_lines(fh: BinaryIO) -> Iterator[tuple[str | None, bytes | str]]:
    """(encoding, line) pairs of a JSONL file; encoding None means the line is not UTF-8."""
    head = fh.read(4)
    for bom, codec, _name in BOMS:
        if head.startswith(bom):
            fh.seek(len(bom))
            if codec == "utf-8":
                break
            text = io.TextIOWrapper(fh, encoding=codec, errors="replace", newline="\n")
            for line in _bounded_lines(text.readline):
                yield codec, line
            return
    else:
        fh.seek(0)
        probe = fh.read(BINARY_PROBE)
        if b"\x00" in probe:
            raise ValueError("binary file (it holds NUL bytes)")
        fh.seek(0)
    for raw in _bounded_lines(fh.readline):
        if raw is _TOO_LONG:
            yield "too long", raw
            continue
        assert isinstance(raw, bytes)
        try:
            yield "utf-8", raw.decode("utf-8")
        except UnicodeDecodeError:
            yield None, raw


def _bounded_lines(readline: Callable[[int], AnyStr]) -> Iterator[AnyStr | str]:
    """The lines `readline` gives, each read with a bound: a line longer than
    MAX_ARTICLE_BYTES is read in bounded pieces, dropped, and given as _TOO_LONG."""
    limit = _read.MAX_ARTICLE_BYTES
    while True:
        line = readline(limit + 1)
        if not line:
            return
        if len(line) <= limit or line[-1:] in ("\n", b"\n"):
            yield line
            continue
        while line and line[-1:] not in ("\n", b"\n"):  # skip to the end of this line
            line = readline(READ_CHUNK)
        yield _TOO_LONG


def _too_large_line() -> str:
    return f"a line of more than {_read.MAX_ARTICLE_BYTES // 2**20} MB; split it into articles"


def _jsonl_article(line: str, lineno: int, ctx: ReadContext) -> Article | None:
    try:
        obj = json.loads(line)
    except RecursionError:
        ctx.note("invalid JSON", "nested too deeply", lineno)
        return None
    except ValueError as e:  # JSONDecodeError, or a number too long to convert
        ctx.note("invalid JSON", e.msg if isinstance(e, json.JSONDecodeError) else str(e), lineno)
        return None
    if not isinstance(obj, dict):
        ctx.note("invalid JSON", "not an object", lineno)
        return None
    body = obj.get("text")
    if not isinstance(body, str) or not body.strip():
        ctx.note("no text", "missing or empty 'text'", lineno)
        return None
    date = _opt_str(obj.get("date"))
    return make_article(
        ctx,
        body,
        id=_opt_str(obj.get("id")) or f"{ctx.base_id}:{lineno}",
        where=str(lineno),
        line=lineno,
        title=_opt_str(obj.get("title")),
        date=date,
        date_source="field" if date else None,
        url=_opt_str(obj.get("url")),
    )


def _opt_str(value: object) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = clean_text(str(value)).strip()
    return text or None
