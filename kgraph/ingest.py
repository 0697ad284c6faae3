"""Paths -> Articles: read .txt, .md and .jsonl files, one folder level or many.

Files are read one at a time, so memory does not grow with the corpus. Anything that
cannot be used is reported through `skipped` (see `Skipped`), never silently dropped.
"""

from __future__ import annotations

import codecs
import json
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import InputError
from .records import Article, Skipped

TEXT_SUFFIXES = (".txt", ".md")
JSONL_SUFFIXES = (".jsonl",)
SUFFIXES = TEXT_SUFFIXES + JSONL_SUFFIXES
_TITLE_MAX = 200
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")


def find_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The article files named by `paths`: files as given, folders searched recursively.

    Raises InputError for a path that does not exist.
    """
    files: list[Path] = []
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputError(f"no such file or folder: '{path}' (check the path, or run from the project folder)")
        if path.is_dir():
            found = _walk(path)
        else:
            found = [path]
        for f in found:
            key = f.resolve()
            if key not in seen:
                seen.add(key)
                files.append(f)
    return files


def _walk(folder: Path) -> list[Path]:
    out: list[Path] = []
    visited: set[tuple[int, int]] = set()
    for root, dirs, names in os.walk(folder, followlinks=True):
        st = os.stat(root)
        ident = (st.st_dev, st.st_ino)
        if ident in visited:  # a symlink loop: do not descend again
            dirs[:] = []
            continue
        visited.add(ident)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.startswith("."):
                continue
            if name.lower().endswith(SUFFIXES):
                out.append(Path(root) / name)
    return out


def count_articles(files: Iterable[Path]) -> int:
    """A cheap estimate of how many articles `files` hold (for a progress bar)."""
    total = 0
    for f in files:
        if f.name.lower().endswith(JSONL_SUFFIXES):
            try:
                with open(f, "rb") as fh:
                    total += sum(1 for line in fh if line.strip())
            except OSError:
                total += 1
        else:
            total += 1
    return total


def decode(data: bytes) -> tuple[str, str]:
    """Decode file bytes; returns (text, encoding used). Raises ValueError for binary data."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    if b"\x00" in data:
        raise ValueError("binary file (it holds NUL bytes)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
        encoding = "cp1252"
    except UnicodeDecodeError:
        text = data.decode("latin-1")
        encoding = "latin-1"
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > max(8, len(text) // 100):
        raise ValueError("binary file (not text in any supported encoding)")
    return text, encoding


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
    if files is None:
        files = find_files(paths)
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
                sink.append(
                    Skipped(
                        source=article.source,
                        reason="duplicate id",
                        detail=f"id '{article.id}' seen before; kept as '{new_id}'",
                    )
                )
                article = article.model_copy(update={"id": new_id})
            yield article


def _base_id(f: Path, roots: list[Path]) -> str:
    for root in roots:
        if root.is_dir():
            try:
                rel = f.relative_to(root)
            except ValueError:
                continue
            return rel.with_suffix("").as_posix()
    return f.stem


def _read_file(f: Path, base_id: str, sink: list[Skipped]) -> Iterator[Article]:
    source = str(f)
    try:
        data = f.read_bytes()
    except FileNotFoundError:
        sink.append(Skipped(source=source, reason="vanished", detail="the file disappeared during the run"))
        return
    except PermissionError:
        sink.append(Skipped(source=source, reason="unreadable", detail="permission denied"))
        return
    except OSError as e:
        sink.append(Skipped(source=source, reason="unreadable", detail=e.strerror or str(e)))
        return
    try:
        text, encoding = decode(data)
    except ValueError as e:
        sink.append(Skipped(source=source, reason="binary", detail=str(e)))
        return
    if encoding not in ("utf-8", "utf-8-sig"):
        sink.append(Skipped(source=source, reason="encoding fallback", detail=f"read as {encoding}; file kept"))
    if f.name.lower().endswith(JSONL_SUFFIXES):
        yield from _read_jsonl(text, source, base_id, sink)
        return
    if not text.strip():
        sink.append(Skipped(source=source, reason="empty", detail="no text"))
        return
    yield Article(id=base_id, text=text, title=_title(text, markdown=f.suffix.lower() == ".md"), source=source)


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


def _read_jsonl(text: str, source: str, base_id: str, sink: list[Skipped]) -> Iterator[Article]:
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            sink.append(Skipped(source=source, line=lineno, reason="invalid JSON", detail=e.msg))
            continue
        if not isinstance(obj, dict):
            sink.append(Skipped(source=source, line=lineno, reason="invalid JSON", detail="not an object"))
            continue
        body = obj.get("text")
        if not isinstance(body, str) or not body.strip():
            sink.append(Skipped(source=source, line=lineno, reason="no text", detail="missing or empty 'text'"))
            continue
        raw_id = obj.get("id")
        art_id = str(raw_id) if raw_id not in (None, "") else f"{base_id}:{lineno}"
        yield Article(
            id=art_id,
            text=body,
            title=_opt_str(obj.get("title")),
            date=_opt_str(obj.get("date")),
            url=_opt_str(obj.get("url")),
            source=f"{source}:{lineno}",
        )


def _opt_str(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None
