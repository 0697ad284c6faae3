"""Paths -> the files to read: files as given, folders searched recursively, and a record
for everything found but not read (see the package docstring for what is reported)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from ..errors import InputError
from ..export._atomic import OUTPUT_NAMES
from ..records import Skipped
from ._read import READ_CHUNK, display_path, open_regular, why
from .registry import LINE_SUFFIXES, SUFFIXES, describe_suffixes


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
                    Skipped(
                        source=display_path(f), reason="repeated file", detail=f"the same file as '{first}', read once"
                    )
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
            sink.append(Skipped(source=display_path(d), reason="unreadable folder", detail=why(e)))
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
                sink.append(Skipped(source=display_path(path), reason="broken link", detail=why(e)))
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
                        detail=f"{kind}: only {describe_suffixes()} files are read",
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
    """A cheap estimate of how many articles `files` hold (for a progress bar): the lines of
    JSONL, CSV and TSV files, one for every other file."""
    total = 0
    for f in files:
        if f.name.lower().endswith(LINE_SUFFIXES):
            try:
                with open_regular(f) as fh:  # newlines counted in bounded chunks: a line can be huge
                    total += max(1, sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(READ_CHUNK), b"")))
            except OSError:
                total += 1
        else:
            total += 1
    return total
