"""Atomic writes: a reader sees the old outputs or the complete new ones, never a mix.

One file: `atomic_path` writes a temporary file beside the target and renames it over
the target in one step (`os.replace`).

A set of files (`output_folder`): every file is first written into a hidden staging
folder inside the output folder (``.kgraph-staging-<pid>-*``). Only when all of them are
complete are they renamed into place, one `os.replace` each, with Ctrl-C and SIGTERM held
back until the last rename is done. So an interrupted build leaves the previous set
untouched, and its staging folder is removed on the way out. A build killed outright
(SIGKILL, power loss) can leave a staging folder or temporary file behind: the next
save into that folder removes them. If it was killed during the renames themselves
(a window of microseconds), a journal file (``.kgraph-commit``) names the complete
staging folder, and the next `save` finishes the renames.

Recovery trusts nothing it finds: the journal is only a hint. It opens the staging folder
without following a link, and moves only the files a save writes (`OUTPUT_NAMES`), regular
files owned by this user inside a real directory of this user inside the output folder.
Reading a graph (`kgraph.load`, `kgraph info`) never recovers: it moves nothing.

One save at a time owns a folder: `folder_lock` takes an exclusive lock on the file
``.kgraph-lock`` in it (removed again on release), so two builds into one folder cannot mix
their files. `kgraph build` takes it before the NER and stops at once, in one line, when
another build holds it; `save` waits for it.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import sys
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .. import _runtime
from .._failpoint import failpoint as _failpoint
from ..errors import OutputError

TMP_PREFIX = ".kgraph-tmp-"
STAGING_PREFIX = ".kgraph-staging-"
JOURNAL = ".kgraph-commit"
LOCK = ".kgraph-lock"
#: The files a save writes: the only names recovery ever moves into an output folder.
OUTPUT_NAMES = frozenset(
    (
        "graph.json",
        "graph.graphml",
        "graph.gexf",
        "graph.html",
        "nodes.csv",
        "edges.csv",
        "aliases.csv",
        "skipped.csv",
    )
)
#: A staging folder's name as `tempfile.mkdtemp` makes it: prefix, process id, random letters.
_STAGING_NAME = re.compile(r"\.kgraph-staging-(\d{1,10})-[a-z0-9_]{1,32}\Z")
_TEMP_NAME = re.compile(r"\.kgraph-(?:tmp|staging)-\d{1,10}-[A-Za-z0-9_.\-]{1,64}\Z")
_JOURNAL_MAX_BYTES = 4096
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_DIRECTORY = getattr(os, "O_DIRECTORY", 0)


def _fail(action: str, path: Path, e: OSError) -> OutputError:
    return OutputError(f"cannot {action} '{path}': {e.strerror or e} (choose another folder with -o)")


@contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside `path`; on success it replaces `path` in one step.

    On any error (or Ctrl-C) the temporary file is removed and `path` is untouched.
    OSErrors while writing become OutputError.
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f"{TMP_PREFIX}{os.getpid()}-", suffix=target.suffix, dir=target.parent)
        os.close(fd)
    except OSError as e:
        raise _fail("write to", target.parent, e) from None
    tmp = Path(tmp_name)
    try:
        try:
            yield tmp
            _fsync(tmp)
            os.chmod(tmp, 0o644)
            _failpoint(f"write:{target.name}")
            os.replace(tmp, target)
        except OSError as e:
            raise _fail("write", target, e) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_pieces(path: str | os.PathLike[str], pieces: Iterable[str]) -> None:
    """Write the text `pieces` make together as UTF-8 to `path` atomically, each piece as it
    comes (never joined: a large page is not held as one string, nor as its UTF-8 bytes).

    A lone surrogate (no UTF can encode one) is written as a `\\udXXX` escape instead of
    failing the whole write.
    """
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", errors="backslashreplace") as fh:
        fh.writelines(pieces)


def check_output_folder(folder: str | os.PathLike[str]) -> None:
    """Raise OutputError now, before a long build, if `folder` cannot hold outputs.

    Nothing is created: a folder that does not exist yet is checked through its nearest
    existing parent.
    """
    out = Path(folder)
    probe = out
    while not probe.exists() and not probe.is_symlink() and probe.parent != probe:
        probe = probe.parent
    if probe.exists() and not probe.is_dir():
        if probe == out:
            raise OutputError(f"output path '{out}' is a file, not a folder: choose a folder with -o")
        raise OutputError(f"cannot create output folder '{out}': '{probe}' is a file (choose another folder with -o)")
    if not probe.exists():
        raise OutputError(
            f"cannot create output folder '{out}': '{probe}' is a broken link (choose another folder with -o)"
        )
    try:
        os.rmdir(tempfile.mkdtemp(prefix=f"{TMP_PREFIX}{os.getpid()}-", dir=probe))
    except OSError as e:
        raise _fail("write to", probe, e) from None


@contextmanager
def output_folder(folder: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a staging folder; on success its files replace those in `folder` as one set.

    Before it starts, an unfinished commit of a killed build is completed and stale
    temporary files and staging folders are removed. On any error (or Ctrl-C) the
    staging folder is removed and `folder` is untouched. A Ctrl-C, SIGTERM or SIGHUP that
    comes during the final renames is held back until they are done, then raised as
    `kgraph._runtime.Interrupted` with ``outputs_written=True``.
    """
    out = Path(folder)
    check_output_folder(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise _fail("write to", out, e) from None
    with folder_lock(out, wait=True):
        yield from _staged(out)


def _staged(out: Path) -> Iterator[Path]:
    try:
        recover(out)
        remove_stale_temps(out)
        stage = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=out))
    except OSError as e:
        raise _fail("write to", out, e) from None
    committed = False
    try:
        try:
            yield stage
        except OutputError as e:  # name the output the user knows, not the staging copy
            raise OutputError(str(e).replace(str(stage), str(out))) from None
        try:
            with _runtime.signals_held():
                _commit(stage, out)
                committed = True
        except OSError as e:
            raise _fail("write to", out, e) from None
    except BaseException as e:
        shutil.rmtree(stage, ignore_errors=True)
        if committed and isinstance(e, KeyboardInterrupt):
            raise _runtime.Interrupted.of(e, outputs_written=True) from None
        raise


#: Folder locks this process holds, by (thread, device, inode of the folder): [fd, depth].
_LOCKS: dict[tuple[int, int, int], list[int]] = {}


@contextmanager
def folder_lock(folder: str | os.PathLike[str], *, wait: bool) -> Iterator[None]:
    """Hold the exclusive lock of the output folder `folder` (which must exist).

    With `wait`, wait for another process (or thread) that holds it; otherwise raise
    OutputError at once, naming it. A thread that holds it may take it again. The lock
    file is removed on release; where there is no `fcntl` (Windows) this does nothing.
    """
    try:
        import fcntl
    except ImportError:
        yield
        return
    out = Path(folder)
    try:
        st = out.stat()
    except OSError as e:
        raise _fail("write to", out, e) from None
    key = (threading.get_ident(), st.st_dev, st.st_ino)
    if key in _LOCKS:
        _LOCKS[key][1] += 1
        try:
            yield
        finally:
            _LOCKS[key][1] -= 1
        return
    fd = _take_lock(out, wait, fcntl)
    _LOCKS[key] = [fd, 1]
    try:
        yield
    finally:
        del _LOCKS[key]
        try:
            (out / LOCK).unlink(missing_ok=True)  # while still held: see _take_lock
        except OSError:
            pass
        os.close(fd)


def _take_lock(out: Path, wait: bool, fcntl: Any) -> int:
    path = out / LOCK
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | _O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0), 0o644)
        except OSError as e:
            raise _fail("write to", out, e) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            holder = _lock_holder(fd)
            os.close(fd)
            raise OutputError(
                f"another kgraph build{holder} is writing to '{out}': wait for it to finish, or choose another folder with -o"
            ) from None
        except OSError as e:
            os.close(fd)
            raise _fail("lock", out, e) from None
        # its last holder removes the file before letting go: a lock on a removed file is no lock
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(path, follow_symlinks=False))
        except OSError:
            same = False
        if same:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            return fd
        os.close(fd)


def _lock_holder(fd: int) -> str:
    """' (process N)' from the lock file open as `fd`, or '' if it names none."""
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return ""
    return f" (process {text})" if text.isdigit() else ""


def _commit(stage: Path, out: Path) -> None:
    names = sorted(p.name for p in stage.iterdir() if not p.name.startswith("."))
    journal = out / JOURNAL
    with atomic_path(journal) as tmp:
        tmp.write_text(stage.name + "\n", encoding="utf-8")
    for name in names:
        _failpoint(f"commit:{name}")
        os.replace(stage / name, out / name)
    _fsync_dir(out)
    journal.unlink()
    shutil.rmtree(stage, ignore_errors=True)


def recover(folder: str | os.PathLike[str]) -> bool:
    """Finish the renames of a build killed while committing its outputs to `folder`.

    Returns True when there was one to finish. A commit still under way in a live
    process is left alone. The journal names the staging folder; it is believed only as
    far as can be checked (see the module docstring): a journal that names anything else
    is removed, and nothing is moved.
    """
    if os.open not in os.supports_dir_fd or os.rename not in os.supports_dir_fd:
        return False  # no way to move files without following links here
    try:
        out_fd = os.open(folder, os.O_RDONLY | _O_DIRECTORY)
    except OSError:
        return False
    try:
        name = _read_journal(out_fd)
        if name is None:
            return False
        match = _STAGING_NAME.match(name)
        if match and _owner_alive(name, STAGING_PREFIX):
            return False
        if match:
            _move_own_outputs(out_fd, name)
        try:
            os.unlink(JOURNAL, dir_fd=out_fd)
        except OSError:  # gone, or a folder by that name: not ours to remove, and no journal
            pass
        return match is not None
    finally:
        os.close(out_fd)


def _read_journal(out_fd: int) -> str | None:
    """The staging name in the journal of the folder open as `out_fd`; '' for a journal that
    is not one of ours (a link, another user's file, too large); None when there is none."""
    try:
        fd = os.open(JOURNAL, os.O_RDONLY | _O_NOFOLLOW | os.O_NONBLOCK, dir_fd=out_fd)
    except FileNotFoundError:
        return None
    except OSError:  # a link (ELOOP) or unreadable: not ours
        return ""
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or not _own(st) or st.st_size > _JOURNAL_MAX_BYTES:
            return ""
        data = os.read(fd, _JOURNAL_MAX_BYTES)
    finally:
        os.close(fd)
    try:
        return data.decode("utf-8").strip()
    except UnicodeDecodeError:
        return ""


def _move_own_outputs(out_fd: int, name: str) -> None:
    """Move the output files of the staging folder `name` (inside the folder open as
    `out_fd`) into that folder, then remove the staging folder. Nothing that is a link, or
    not this user's, or not a name a save writes, is touched."""
    try:
        stage_fd = os.open(name, os.O_RDONLY | _O_DIRECTORY | _O_NOFOLLOW, dir_fd=out_fd)
    except OSError:  # gone, a link, or not a directory
        return
    try:
        if not _own(os.fstat(stage_fd)):
            return
        for entry in sorted(os.listdir(stage_fd)):
            if entry not in OUTPUT_NAMES:
                continue
            st = os.stat(entry, dir_fd=stage_fd, follow_symlinks=False)
            if stat.S_ISREG(st.st_mode) and _own(st):
                os.replace(entry, entry, src_dir_fd=stage_fd, dst_dir_fd=out_fd)
        _fsync_fd(out_fd)
        _remove_tree(out_fd, name)
    finally:
        os.close(stage_fd)


def _own(st: os.stat_result) -> bool:
    """Is this file this process's user's? (Always true where files have no owner.)"""
    return not hasattr(os, "geteuid") or st.st_uid == os.geteuid()


def _remove_tree(parent_fd: int, name: str) -> None:
    """Remove the directory `name` of the folder open as `parent_fd` (never through a link)."""
    try:
        if sys.version_info >= (3, 11):
            shutil.rmtree(name, dir_fd=parent_fd)  # refuses a link; fd-based where the platform allows
        else:  # rmtree takes dir_fd from Python 3.11: the same walk, by hand
            _remove_tree_fd(parent_fd, name)
    except (OSError, TypeError, NotImplementedError):
        pass


def _remove_tree_fd(parent_fd: int, name: str) -> None:
    """`shutil.rmtree(name, dir_fd=parent_fd)` for Python 3.10: every path relative to an open
    folder, links removed as files and never followed."""
    for _root, dirs, files, root_fd in os.fwalk(name, topdown=False, follow_symlinks=False, dir_fd=parent_fd):
        for entry in files:
            os.unlink(entry, dir_fd=root_fd)
        for entry in dirs:
            try:
                os.rmdir(entry, dir_fd=root_fd)
            except NotADirectoryError:  # a link to a folder: fwalk lists it with the folders
                os.unlink(entry, dir_fd=root_fd)
    os.rmdir(name, dir_fd=parent_fd)


def remove_stale_temps(folder: str | os.PathLike[str]) -> None:
    """Remove temporary files and staging folders that a killed build left in `folder`.

    Those of a process still running (another build into the same folder), those of
    another user and links are kept.
    """
    d = Path(folder)
    if not d.is_dir():
        return
    for p in d.iterdir():
        if not _TEMP_NAME.match(p.name):
            continue
        prefix = TMP_PREFIX if p.name.startswith(TMP_PREFIX) else STAGING_PREFIX
        if _owner_alive(p.name, prefix):
            continue
        try:
            st = p.lstat()
        except OSError:
            continue
        if not _own(st) or stat.S_ISLNK(st.st_mode):
            continue
        if stat.S_ISDIR(st.st_mode):
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink(missing_ok=True)


def _owner_alive(name: str, prefix: str) -> bool:
    """Is the process whose id is in a temporary name (prefix + pid + '-...') running?"""
    pid_text = name[len(prefix) :].partition("-")[0]
    if not pid_text.isdigit() or os.name != "posix":
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_fd(fd: int) -> None:
    try:
        os.fsync(fd)
    except OSError:
        pass


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
