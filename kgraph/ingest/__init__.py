"""Paths -> Articles: read the files of a folder, whatever their format, one at a time.

Files are read one at a time (JSONL, CSV and GKG files line by line, PDFs page by page),
so memory does not grow with the corpus. Nothing is dropped in silence: every input that is
not used, and every input that needed special handling, becomes a `Skipped` record (one per
file, or per line, row, page or entry) with a reason from `SKIP_REASONS` or `NOTE_REASONS`.

One reader per format, chosen by suffix and sniffed content (`registry`): text and Markdown
(`plain`, `markdown`), JSONL (`jsonl`), saved web pages (`html`), PDF (`pdf`), Word
(`docx`), RSS/Atom (`feed`), CSV/TSV/Excel with a text column (`table`) and GDELT GKG 2.1
(`gdelt`). Each yields `Article`s whose `source` names the file and, where it has several
articles, the ``:LINE``, ``:row N``, ``:page N`` or ``:entry N``.

What a folder search reads and reports (`walk`):

- files with a suffix of `SUFFIXES` (any case), in every sub-folder, in name order;
- other regular files: one "unsupported type" record each;
- hidden entries (names starting with "."; ``.git``, ``.DS_Store``): not read, not
  entered, and counted in one "hidden" record per input folder rather than listed;
- the outputs of a kgraph build (a folder holding graph.json and graph.graphml, as when
  ``-o`` is the input folder): not read, and counted in one "kgraph output" record;
- links are followed; a link to a folder already read (a symlink loop) is reported
  once, not followed again; broken links, FIFOs, sockets and devices are reported;
- folders that cannot be listed (no permission, path too long, vanished) are reported
  and the search goes on. The search is iterative: very deep trees cannot overflow
  the stack.

A file named on its own is read whatever its suffix (its first bytes pick the reader; text
when they show no other format).

No one input can take unbounded memory or time (`_read`): a file's first 8 KB are sniffed
for binary data before a text format reads the rest (a huge file of NUL bytes is skipped
unread); a text file or a JSONL line larger than `MAX_ARTICLE_BYTES` is skipped as "too
large" without being read whole; PDFs are read through their handle, never whole; a DOCX or
XLSX whose zip directory declares more than 256 MB, or a part packed 200 times tighter than
its size, is a "zip bomb", refused before anything is unpacked; and a run of more than
`MAX_RUN_CHARS` characters without white space (spaCy's tokenizer is quadratic on some of
them, such as a line of emoji) is cut with spaces every `MAX_RUN_CHARS` characters, with a
"long run cut" note. A damaged or truncated file is one "corrupt" record; the other files
are read.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from .._failpoint import failpoint
from ..records import Article, Skipped
from ._read import (
    BINARY_PROBE,
    MAX_ARTICLE_BYTES,
    Binary,
    NotRegular,
    ReadContext,
    TooLarge,
    Unusable,
    clean_text,
    decode,
    display_path,
    open_regular,
    why,
)
from ._text import MAX_RUN_CHARS, cut_long_runs
from .registry import READERS, SUFFIXES, choose, describe_suffixes
from .table import COLUMNS
from .table import check_columns as _check_table_columns
from .walk import count_articles, find_files

__all__ = [
    "COLUMNS",
    "MAX_ARTICLE_BYTES",
    "MAX_RUN_CHARS",
    "NOTE_REASONS",
    "READERS",
    "SKIP_REASONS",
    "SUFFIXES",
    "check_columns",
    "clean_text",
    "count_articles",
    "cut_long_runs",
    "decode",
    "describe",
    "describe_suffixes",
    "display_path",
    "find_files",
    "read_articles",
    "summarize",
]

#: Reasons an input was not used.
SKIP_REASONS = (
    "binary",
    "empty",
    "unreadable",
    "vanished",
    "invalid JSON",
    "no text",
    "unsupported type",
    "not a file",
    "broken link",
    "repeated file",
    "repeated folder",
    "unreadable folder",
    "hidden",
    "too large",
    "kgraph output",
    "corrupt",
    "encrypted",
    "no text layer",
    "no main text",
    "zip bomb",
    "invalid feed",
    "invalid CSV",
    "invalid GKG",
    "no text column",
)
#: Reasons for a note about an input that was used all the same.
NOTE_REASONS = ("encoding fallback", "duplicate id", "long run cut", "links capped", "summary only")
_TRAILING_NUMBER = re.compile(r"(\d+)$")


def read_articles(
    paths: Iterable[str | os.PathLike[str]],
    *,
    skipped: list[Skipped] | None = None,
    files: list[Path] | None = None,
    columns: dict[str, str | None] | None = None,
) -> Iterator[Article]:
    """Yield the articles in `paths` (files and folders) in a stable order.

    Problems with single files or lines are appended to `skipped` and the rest goes on.
    Article ids are unique: a repeated id gets a suffix ("a", "a~2") and is reported.
    `columns` names the columns of CSV, TSV and Excel files ({"text": "body", ...}, keys
    from `COLUMNS`); the others are guessed from their headers.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()); _ = (d / "a.txt").write_text("Title\\n\\nBody.")
    >>> [(a.id, a.title) for a in read_articles([d])]
    [('a', 'Title')]
    """
    sink: list[Skipped] = skipped if skipped is not None else []
    paths = list(paths)
    if files is None:
        files = find_files(paths, skipped=sink)
    roots = [Path(p) for p in paths]
    named = {Path(p) for p in paths}
    ids: dict[str, int] = {}
    for f in files:
        ctx = ReadContext(source=display_path(f), base_id=_base_id(f, roots), sink=sink, columns=dict(columns or {}))
        for article in _read_file(f, ctx, named=f in named):
            n = ids.get(article.id, 0) + 1
            ids[article.id] = n
            if n > 1:
                new_id = f"{article.id}~{n}"
                while new_id in ids:
                    n += 1
                    new_id = f"{article.id}~{n}"
                ids[new_id] = 1
                where = _TRAILING_NUMBER.search(article.source[len(ctx.source) :])
                sink.append(
                    Skipped(
                        source=ctx.source,
                        line=int(where.group(1)) if where else None,
                        reason="duplicate id",
                        detail=f"id '{article.id}' seen before; kept as '{new_id}'",
                    )
                )
                article = article.model_copy(update={"id": new_id})
            yield article


def check_columns(files: Iterable[Path], columns: dict[str, str | None] | None) -> None:
    """Raise InputError when a column the user named (`columns`) is missing from a CSV, TSV
    or Excel file among `files`; the message lists that file's headers."""
    if not columns or not any(columns.values()):
        return
    tables = []
    for f in files:
        reader = choose(f.name, _head(f), named=True)
        if reader is not None and reader.name in ("csv", "tsv", "xlsx"):
            tables.append(f)
    _check_table_columns(tables, columns)


def _head(f: Path) -> bytes:
    try:
        with open_regular(f) as fh:
            return fh.read(BINARY_PROBE)
    except OSError:
        return b""


def summarize(skipped: Sequence[Skipped]) -> tuple[Counter[str], Counter[str]]:
    """(skipped inputs by reason, notes by reason), most common first.

    >>> s, n = summarize([Skipped(source="a", reason="binary"), Skipped(source="b", reason="encoding fallback")])
    >>> dict(s), dict(n)
    ({'binary': 1}, {'encoding fallback': 1})
    """
    skips: Counter[str] = Counter()
    notes: Counter[str] = Counter()
    for s in skipped:
        (notes if s.reason in NOTE_REASONS else skips)[s.reason] += 1
    return skips, notes


def describe(skipped: Sequence[Skipped]) -> str:
    """One line for a log or an error: '3 skipped (2 binary, 1 empty); 1 noted (1 duplicate id)'."""
    skips, notes = summarize(skipped)
    parts = []
    for label, counts in (("skipped", skips), ("noted", notes)):
        if counts:
            detail = ", ".join(f"{n} {r}" for r, n in counts.most_common())
            parts.append(f"{sum(counts.values())} {label} ({detail})")
    return "; ".join(parts) or "nothing skipped"


def _base_id(f: Path, roots: list[Path]) -> str:
    for root in roots:
        if root.is_dir():
            try:
                rel = f.relative_to(root)
            except ValueError:
                continue
            return display_path(rel.with_suffix("").as_posix())
    return display_path(f.stem)


def _read_file(f: Path, ctx: ReadContext, *, named: bool) -> Iterator[Article]:
    """The articles of one file, by the reader its suffix and first bytes choose; whatever
    stops the reading is one Skipped row (the articles before it are kept)."""
    failpoint(f"read:{f.name}")
    try:
        with open_regular(f) as fh:
            head = fh.read(BINARY_PROBE)
            fh.seek(0)
            reader = choose(f.name, head, named=named)
            if reader is None:
                ctx.note(
                    "unsupported type",
                    f"'{f.suffix.lower()}' that is not an RSS or Atom feed: only {describe_suffixes()} files are read",
                )
                return
            yield from reader.read(fh, ctx)
    except Unusable as e:
        ctx.note(e.reason, e.detail, e.line)
    except TooLarge as e:
        ctx.note("too large", str(e))
    except Binary as e:
        ctx.note("binary", str(e))
    except NotRegular:
        ctx.note("not a file", "not a regular file")
    except FileNotFoundError:
        ctx.note("vanished", "the file disappeared during the run")
    except PermissionError:
        ctx.note("unreadable", "permission denied")
    except OSError as e:
        ctx.note("unreadable", why(e))
