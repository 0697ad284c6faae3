"""Text clean-up every reader applies before an article leaves ingestion: long runs without
white space cut (spaCy's tokenizer is quadratic on some of them), titles found, and the
`Article` made."""

from __future__ import annotations

import re

from ..records import Article, Skipped
from ._read import ReadContext, clean_text

#: The longest run of characters without white space handed to the tokenizer.
MAX_RUN_CHARS = 256
_LONG_RUN = re.compile(rf"\S{{{MAX_RUN_CHARS + 1},}}")
TITLE_MAX = 200
_SPACES = re.compile(r"\s+")


def cut_long_runs(text: str, source: str, line: int | None, sink: list[Skipped]) -> str:
    """`text` with every run of more than MAX_RUN_CHARS characters without white space cut
    by a space every MAX_RUN_CHARS characters (noted in `sink`).

    >>> sink = []
    >>> cut_long_runs("ab " + "x" * 600, "a.txt", None, sink).split(" ")[1:] == ["x" * 256, "x" * 256, "x" * 88]
    True
    >>> sink[0].reason
    'long run cut'
    """
    runs = 0

    def cut(m: re.Match[str]) -> str:
        nonlocal runs
        runs += 1
        run = m.group()
        return " ".join(run[i : i + MAX_RUN_CHARS] for i in range(0, len(run), MAX_RUN_CHARS))

    if len(text) <= MAX_RUN_CHARS:
        return text
    out = _LONG_RUN.sub(cut, text)
    if runs:
        sink.append(
            Skipped(
                source=source,
                line=line,
                reason="long run cut",
                detail=f"{runs} run(s) of more than {MAX_RUN_CHARS} characters without a space were cut with spaces "
                "(the tokenizer slows down badly on them); article kept",
            )
        )
    return out


def first_line_title(text: str) -> str | None:
    """The first non-blank line of `text`, when it is short enough to be a title."""
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line if len(line) <= TITLE_MAX else None
    return None


def one_line(value: object, limit: int = 1000) -> str | None:
    """A metadata value (title, url, date, id) as one clean line of text, or None when empty.

    >>> one_line("  A\\n title  "), one_line(None), one_line(["list"])
    ('A title', None, None)
    """
    if value is None or isinstance(value, (dict, list, tuple, bytes)):
        return None
    text = _SPACES.sub(" ", clean_text(str(value))).strip()[:limit]
    return text or None


def make_article(
    ctx: ReadContext,
    text: str,
    *,
    id: str | None = None,
    where: str = "",
    line: int | None = None,
    **meta: object,
) -> Article:
    """The Article of `text` read from `ctx`'s file: surrogates replaced, long runs cut;
    `where` ("page 3", "row 7") is added to the source, `line` names the row in notes."""
    body = cut_long_runs(clean_text(text), ctx.source, line, ctx.sink)
    source = f"{ctx.source}:{where}" if where else ctx.source
    return Article(id=id or ctx.base_id, text=body, source=source, **meta)  # type: ignore[arg-type]
