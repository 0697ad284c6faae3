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
staging folder, and the next `save` or `load` finishes the renames.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .._failpoint import failpoint as _failpoint
from .._failpoint import held as _held
from ..errors import OutputError

TMP_PREFIX = ".kgraph-tmp-"
STAGING_PREFIX = ".kgraph-staging-"
JOURNAL = ".kgraph-commit"
#: Signals held back while a set of outputs is being renamed into place.
_HELD_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


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


def write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write `text` as UTF-8 to `path` atomically.

    A lone surrogate (no UTF can encode one) is written as a `\\udXXX` escape instead of
    failing the whole write.
    """
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", errors="backslashreplace") as fh:
        fh.write(text)


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
        raise OutputError(f"cannot create output folder '{out}': '{probe}' is a broken link (choose another folder with -o)")
    try:
        os.rmdir(tempfile.mkdtemp(prefix=f"{TMP_PREFIX}{os.getpid()}-", dir=probe))
    except OSError as e:
        raise _fail("write to", probe, e) from None


@contextmanager
def output_folder(folder: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a staging folder; on success its files replace those in `folder` as one set.

    Before it starts, an unfinished commit of a killed build is completed and stale
    temporary files and staging folders are removed. On any error (or Ctrl-C) the
    staging folder is removed and `folder` is untouched. A Ctrl-C or SIGTERM that comes
    during the final renames is raised once they are done, with the attribute
    ``outputs_written = True`` on the exception.
    """
    out = Path(folder)
    check_output_folder(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
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
            with _signals_held():
                _commit(stage, out)
                committed = True
        except OSError as e:
            raise _fail("write to", out, e) from None
    except BaseException as e:
        if committed and isinstance(e, KeyboardInterrupt):
            e.outputs_written = True  # type: ignore[attr-defined]
        shutil.rmtree(stage, ignore_errors=True)
        raise


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
    process is left alone.
    """
    out = Path(folder)
    journal = out / JOURNAL
    try:
        name = journal.read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return False
    stage = out / name
    if name.startswith(STAGING_PREFIX) and "/" not in name and os.sep not in name:
        if _owner_alive(name, STAGING_PREFIX):
            return False
        if stage.is_dir():
            for p in sorted(stage.iterdir()):
                if not p.name.startswith("."):
                    os.replace(p, out / p.name)
            _fsync_dir(out)
            shutil.rmtree(stage, ignore_errors=True)
    journal.unlink(missing_ok=True)
    return True


def remove_stale_temps(folder: str | os.PathLike[str]) -> None:
    """Remove temporary files and staging folders that a killed build left in `folder`.

    Those of a process still running (another build into the same folder) are kept.
    """
    d = Path(folder)
    if not d.is_dir():
        return
    for p in d.iterdir():
        for prefix in (TMP_PREFIX, STAGING_PREFIX):
            if p.name.startswith(prefix) and not _owner_alive(p.name, prefix):
                if p.is_dir() and not p.is_symlink():
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


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold back Ctrl-C, SIGTERM and SIGHUP for the duration; raise the first one after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}
    _held.clear()

    def hold(signum: int, frame: object) -> None:
        _held.append(signum)

    for sig in _HELD_SIGNALS:
        try:
            previous[sig] = signal.signal(sig, hold)
        except (OSError, ValueError):
            pass
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if _held:
            first = _held[0]
            _held.clear()
            signal.raise_signal(first)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


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
