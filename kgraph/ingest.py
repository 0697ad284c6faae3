"""Paths -> Articles: read .txt, .md and .jsonl files, one folder level or many.

Files are read one at a time (JSONL line by line), so memory does not grow with the
corpus. Nothing is dropped in silence: every input that is not used, and every input
that needed special handling, becomes a `Skipped` record (one per file, or per JSONL
line) with a reason from `SKIP_REASONS` or `NOTE_REASONS`.

What a folder search reads and reports:

- ``.txt``, ``.md`` and ``.jsonl`` files (any case), in every sub-folder, in name order;
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

A file named on its own is read whatever its suffix (as JSONL when it ends in
``.jsonl``, otherwise as text).

No one input can take unbounded memory or time: a file's first 8 KB are sniffed for binary
data before the rest is read (a huge file of NUL bytes is skipped unread); a text file or a
JSONL line larger than `MAX_ARTICLE_BYTES` is skipped as "too large" without being read
whole; and a run of more than `MAX_RUN_CHARS` characters without white space (spaCy's
tokenizer is quadratic on some of them, such as a line of emoji) is cut with spaces every
`MAX_RUN_CHARS` characters, with a "long run cut" note.
"""

from __future__ import annotations

import codecs
import io
import itertools
import json
import os
import re
import stat
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import AnyStr, BinaryIO

from ._failpoint import failpoint
from .export._atomic import OUTPUT_NAMES
from .errors import InputError
from .records import Article, Skipped

TEXT_SUFFIXES = (".txt", ".md")
JSONL_SUFFIXES = (".jsonl",)
SUFFIXES = TEXT_SUFFIXES + JSONL_SUFFIXES
_TITLE_MAX = 200
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")
_SURROGATES = re.compile("[\ud800-\udfff]")
_CONTROLS = re.compile("[\x00-\x1f\x7f]")
_BINARY_PROBE = 8192
#: The largest text file or JSONL line read as one article (no news article comes close).
MAX_ARTICLE_BYTES = 100 * 1024 * 1024
#: The longest run of characters without white space handed to the tokenizer.
MAX_RUN_CHARS = 256
_LONG_RUN = re.compile(rf"\S{{{MAX_RUN_CHARS + 1},}}")
_READ_CHUNK = 1 << 20

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
)
#: Reasons for a note about an input that was used all the same.
NOTE_REASONS = ("encoding fallback", "duplicate id", "long run cut", "links capped")

# Byte order marks, longest first: the UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)
#: Encodings read without a note.
_PLAIN_ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-32")


class _NotRegular(OSError):
    """The path is a FIFO, socket, device or folder: reading it could block or fail."""


def display_path(path: str | os.PathLike[str]) -> str:
    """`path` as text that every output can hold: undecodable bytes become U+FFFD and
    control characters (a newline in a file name) become visible escapes.

    >>> display_path("caf\\udce9\\n.txt")
    'caf�\\\\x0a.txt'
    """
    raw = os.fsencode(path)
    text = raw.decode("utf-8", errors="replace")
    return _CONTROLS.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def clean_text(text: str) -> str:
    """`text` with lone surrogates (which no UTF file can hold) replaced by U+FFFD.

    >>> clean_text("a\\ud800b")
    'a�b'
    """
    return _SURROGATES.sub("\ufffd", text)


def _why(e: OSError) -> str:
    return e.strerror or str(e)


def find_files(
    paths: Iterable[str | os.PathLike[str]],
    *,
    skipped: list[Skipped] | None = None,
) -> list[Path]:
    """The article files named by `paths`: files as given, folders searched recursively.

    What is found but not usable is appended to `skipped` (see the module docstring).
    Raises InputError for a path that does not exist.
    """
    sink: list[Skipped] = skipped if skipped is not None else []
    files: list[Path] = []
    seen: dict[tuple[int, int], Path] = {}
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            if path.is_symlink():
                raise InputError(f"'{display_path(path)}' is a broken link (point it at a file or folder)")
            raise InputError(
                f"no such file or folder: '{display_path(path)}' (check the path, or run from the project folder)"
            )
        if path.is_dir():
            found = _walk(path, sink)
        elif path.is_file():
            found = [path]
        else:
            sink.append(Skipped(source=display_path(path), reason="not a file", detail="not a regular file"))
            found = []
        for f in found:
            try:
                st = os.stat(f)
                key = (st.st_dev, st.st_ino)
            except OSError:  # gone already: reading it reports that
                files.append(f)
                continue
            if key in seen:
                first = display_path(seen[key])
                sink.append(
                    Skipped(source=display_path(f), reason="repeated file", detail=f"the same file as '{first}', read once")
                )
                continue
            seen[key] = f
            files.append(f)
    return files


def _walk(folder: Path, sink: list[Skipped]) -> list[Path]:
    """Depth-first, in name order, with an explicit stack (no recursion limit)."""
    out: list[Path] = []
    visited: set[tuple[int, int]] = set()
    hidden = 0
    stack = [folder]
    while stack:
        d = stack.pop()
        try:
            st = os.stat(d)
            ident = (st.st_dev, st.st_ino)
            if ident in visited:
                sink.append(
                    Skipped(
                        source=display_path(d),
                        reason="repeated folder",
                        detail="a link to a folder already read (a symlink loop?); not read again",
                    )
                )
                continue
            visited.add(ident)
            with os.scandir(d) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as e:
            sink.append(Skipped(source=display_path(d), reason="unreadable folder", detail=_why(e)))
            continue
        subdirs: list[Path] = []
        names = {e.name for e in entries}
        outputs = OUTPUT_NAMES if {"graph.json", "graph.graphml"} <= names else frozenset()
        earlier = 0
        for entry in entries:
            if entry.name.startswith("."):
                hidden += 1
                continue
            if entry.name in outputs:  # an output folder inside the inputs (or -o the input folder)
                earlier += 1
                continue
            path = d / entry.name
            try:
                is_dir = entry.is_dir()
                is_file = not is_dir and entry.is_file()
            except OSError as e:  # e.g. a link that points at itself
                sink.append(Skipped(source=display_path(path), reason="broken link", detail=_why(e)))
                continue
            if is_dir:
                subdirs.append(path)
            elif not is_file:
                if entry.is_symlink():
                    sink.append(Skipped(source=display_path(path), reason="broken link", detail="it points at nothing"))
                else:
                    sink.append(
                        Skipped(source=display_path(path), reason="not a file", detail="a FIFO, socket or device")
                    )
            elif entry.name.lower().endswith(SUFFIXES):
                out.append(path)
            else:
                kind = f"'{display_path(Path(entry.name).suffix.lower())}'" if Path(entry.name).suffix else "no suffix"
                sink.append(
                    Skipped(
                        source=display_path(path),
                        reason="unsupported type",
                        detail=f"{kind}: only .txt, .md and .jsonl files are read",
                    )
                )
        if earlier:
            sink.append(
                Skipped(
                    source=display_path(d),
                    reason="kgraph output",
                    detail=f"{earlier} file(s) written by an earlier kgraph build (graph.json, ...) not read",
                )
            )
        stack.extend(reversed(subdirs))
    if hidden:
        sink.append(
            Skipped(
                source=display_path(folder),
                reason="hidden",
                detail=f"{hidden} hidden file(s) or folder(s) not read (names starting with '.')",
            )
        )
    return out


def count_articles(files: Iterable[Path]) -> int:
    """A cheap estimate of how many articles `files` hold (for a progress bar)."""
    total = 0
    for f in files:
        if f.name.lower().endswith(JSONL_SUFFIXES):
            try:
                with _open_regular(f) as fh:  # newlines counted in bounded chunks: a line can be huge
                    total += max(1, sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(_READ_CHUNK), b"")))
            except OSError:
                total += 1
        else:
            total += 1
    return total


def decode(data: bytes) -> tuple[str, str]:
    """Decode file bytes; returns (text, encoding used). Raises ValueError for binary data.

    A byte order mark (UTF-8, UTF-16, UTF-32) decides; otherwise UTF-8, then UTF-8 with a
    few bad bytes replaced (when most of the file is valid UTF-8), then cp1252, then latin-1.

    >>> decode("Café".encode("cp1252"))
    ('Café', 'cp1252')
    >>> decode(b"\\xef\\xbb\\xbfHi")
    ('Hi', 'utf-8-sig')
    """
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            try:
                return body.decode(codec), name
            except UnicodeDecodeError:
                text = body.decode(codec, errors="replace")
                return text, f"{name} with undecodable bytes replaced"
    if b"\x00" in data:
        raise ValueError("binary file (it holds NUL bytes; UTF-16 text needs a byte order mark)")
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = _decode_legacy(data)
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > max(8, len(text) // 100):
        raise ValueError("binary file (not text in any supported encoding)")
    return text, encoding


def _decode_legacy(data: bytes) -> tuple[str, str]:
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 127 and ch != "\ufffd")
    if good > bad:  # UTF-8 with a few broken bytes, not a legacy encoding
        return text, f"utf-8 with {bad} undecodable byte sequence(s) replaced"
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def read_articles(
    paths: Iterable[str | os.PathLike[str]],
    *,
    skipped: list[Skipped] | None = None,
    files: list[Path] | None = None,
) -> Iterator[Article]:
    """Yield the articles in `paths` (files and folders) in a stable order.

    Problems with single files or lines are appended to `skipped` and the rest goes on.
    Article ids are unique: a repeated id gets a suffix ("a", "a~2") and is reported.

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
    ids: dict[str, int] = {}
    for f in files:
        for article in _read_file(f, _base_id(f, roots), sink):
            n = ids.get(article.id, 0) + 1
            ids[article.id] = n
            if n > 1:
                new_id = f"{article.id}~{n}"
                while new_id in ids:
                    n += 1
                    new_id = f"{article.id}~{n}"
                ids[new_id] = 1
                where = article.source.rpartition(":")
                line = int(where[2]) if f.name.lower().endswith(JSONL_SUFFIXES) and where[2].isdigit() else None
                sink.append(
                    Skipped(
                        source=display_path(f),
                        line=line,
                        reason="duplicate id",
                        detail=f"id '{article.id}' seen before; kept as '{new_id}'",
                    )
                )
                article = article.model_copy(update={"id": new_id})
            yield article


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


def _open_regular(f: Path) -> BinaryIO:
    """Open `f` for reading bytes, refusing anything but a regular file (a FIFO would block)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(f, flags)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _NotRegular("not a regular file")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _read_file(f: Path, base_id: str, sink: list[Skipped]) -> Iterator[Article]:
    source = display_path(f)
    failpoint(f"read:{f.name}")
    try:
        if f.name.lower().endswith(JSONL_SUFFIXES):
            yield from _read_jsonl(f, source, base_id, sink)
            return
        with _open_regular(f) as fh:
            data = _read_bounded(fh)
    except _TooLarge as e:
        sink.append(Skipped(source=source, reason="too large", detail=str(e)))
        return
    except _Binary as e:
        sink.append(Skipped(source=source, reason="binary", detail=str(e)))
        return
    except _NotRegular:
        sink.append(Skipped(source=source, reason="not a file", detail="not a regular file"))
        return
    except FileNotFoundError:
        sink.append(Skipped(source=source, reason="vanished", detail="the file disappeared during the run"))
        return
    except PermissionError:
        sink.append(Skipped(source=source, reason="unreadable", detail="permission denied"))
        return
    except OSError as e:
        sink.append(Skipped(source=source, reason="unreadable", detail=_why(e)))
        return
    if not data.strip():
        sink.append(Skipped(source=source, reason="empty", detail="only white space" if data else "0 bytes"))
        return
    try:
        text, encoding = decode(data)
    except ValueError as e:
        sink.append(Skipped(source=source, reason="binary", detail=str(e)))
        return
    if not text.strip():
        sink.append(Skipped(source=source, reason="empty", detail="only white space"))
        return
    if encoding not in _PLAIN_ENCODINGS:
        sink.append(Skipped(source=source, reason="encoding fallback", detail=f"read as {encoding}; file kept"))
    title = _title(text, markdown=f.suffix.lower() == ".md")
    text = cut_long_runs(text, source, None, sink)
    yield Article(id=base_id, text=text, title=title, source=source)


class _TooLarge(OSError):
    """A file or line larger than MAX_ARTICLE_BYTES: not read further."""


class _Binary(ValueError):
    """A file whose first bytes show it is not text: not read further."""


def _read_bounded(fh: BinaryIO) -> bytes:
    """The bytes of a text file; raises ValueError (binary) after reading only its first 8 KB
    when they hold a NUL byte and no byte order mark, and _TooLarge without reading a file
    larger than MAX_ARTICLE_BYTES."""
    head = fh.read(_BINARY_PROBE)
    if b"\x00" in head and not any(head.startswith(bom) for bom, _codec, _name in _BOMS):
        raise _Binary("binary file (it holds NUL bytes; UTF-16 text needs a byte order mark)")
    size = os.fstat(fh.fileno()).st_size
    if size > MAX_ARTICLE_BYTES:
        raise _TooLarge(_too_large(size))
    rest = fh.read(MAX_ARTICLE_BYTES + 1 - len(head))  # the file may have grown since
    if len(head) + len(rest) > MAX_ARTICLE_BYTES:
        raise _TooLarge(_too_large(len(head) + len(rest)))
    return head + rest


def _too_large(size: int) -> str:
    return (
        f"{size / 2**20:,.0f} MB, more than the {MAX_ARTICLE_BYTES // 2**20} MB one article may have; "
        "split it into articles (one file each, or JSONL lines)"
    )


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


def _title(text: str, *, markdown: bool) -> str | None:
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if markdown:
            m = _MD_HEADING.match(line)
            if m:
                return m.group(1)
        return line if len(line) <= _TITLE_MAX else None
    return None


def _jsonl_lines(fh: BinaryIO) -> Iterator[tuple[str | None, bytes | str]]:
    """(encoding, line) pairs of a JSONL file; encoding None means the line is not UTF-8."""
    head = fh.read(4)
    for bom, codec, _name in _BOMS:
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
        probe = fh.read(_BINARY_PROBE)
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


#: Stands for a line longer than MAX_ARTICLE_BYTES, which is not kept.
_TOO_LONG = ""


def _bounded_lines(readline: Callable[[int], AnyStr]) -> Iterator[AnyStr | str]:
    """The lines `readline` gives, each read with a bound: a line longer than
    MAX_ARTICLE_BYTES is read in bounded pieces, dropped, and given as _TOO_LONG."""
    while True:
        line = readline(MAX_ARTICLE_BYTES + 1)
        if not line:
            return
        if len(line) <= MAX_ARTICLE_BYTES or line[-1:] in ("\n", b"\n"):
            yield line
            continue
        while line and line[-1:] not in ("\n", b"\n"):  # skip to the end of this line
            line = readline(_READ_CHUNK)
        yield _TOO_LONG


def _read_jsonl(f: Path, source: str, base_id: str, sink: list[Skipped]) -> Iterator[Article]:
    fallback: Counter[str] = Counter()
    first_fallback = 0
    lineno = 0
    blank = True
    with _open_regular(f) as fh:
        lines = _jsonl_lines(fh)
        try:
            first = next(lines, None)
        except ValueError as e:
            sink.append(Skipped(source=source, reason="binary", detail=str(e)))
            return
        for encoding, raw in itertools.chain([first] if first is not None else [], lines):
            lineno += 1
            if encoding == "too long":
                sink.append(Skipped(source=source, line=lineno, reason="too large", detail=_too_large_line()))
                blank = False
                continue
            if encoding is None:
                assert isinstance(raw, bytes)
                line, encoding = _decode_legacy(raw)
                fallback[encoding.split(" with")[0]] += 1
                first_fallback = first_fallback or lineno
            else:
                assert isinstance(raw, str)
                line = raw
            if not line.strip():
                continue
            blank = False
            article = _jsonl_article(line, lineno, source, base_id, sink)
            if article is not None:
                yield article
    if blank:
        sink.append(Skipped(source=source, reason="empty", detail="no lines" if lineno == 0 else "only blank lines"))
    if fallback:
        encs = ", ".join(f"{n} line(s) as {e}" for e, n in fallback.most_common())
        sink.append(
            Skipped(
                source=source,
                line=first_fallback,
                reason="encoding fallback",
                detail=f"not UTF-8 from line {first_fallback}: read {encs}; lines kept",
            )
        )


def _too_large_line() -> str:
    return f"a line of more than {MAX_ARTICLE_BYTES // 2**20} MB; split it into articles"


def _jsonl_article(line: str, lineno: int, source: str, base_id: str, sink: list[Skipped]) -> Article | None:
    try:
        obj = json.loads(line)
    except RecursionError:
        sink.append(Skipped(source=source, line=lineno, reason="invalid JSON", detail="nested too deeply"))
        return None
    except ValueError as e:  # JSONDecodeError, or a number too long to convert
        detail = e.msg if isinstance(e, json.JSONDecodeError) else str(e)
        sink.append(Skipped(source=source, line=lineno, reason="invalid JSON", detail=detail))
        return None
    if not isinstance(obj, dict):
        sink.append(Skipped(source=source, line=lineno, reason="invalid JSON", detail="not an object"))
        return None
    body = obj.get("text")
    if not isinstance(body, str) or not body.strip():
        sink.append(Skipped(source=source, line=lineno, reason="no text", detail="missing or empty 'text'"))
        return None
    art_id = _opt_str(obj.get("id")) or f"{base_id}:{lineno}"
    date = _opt_str(obj.get("date"))
    return Article(
        id=art_id,
        text=cut_long_runs(clean_text(body), source, lineno, sink),
        title=_opt_str(obj.get("title")),
        date=date,
        date_source="field" if date else None,
        url=_opt_str(obj.get("url")),
        source=f"{source}:{lineno}",
    )


def _opt_str(value: object) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = clean_text(str(value)).strip()
    return text or None
