"""Process-wide state kgraph touches, in one place: the garbage collector, the signals that
stop a build, and the child processes kgraph starts.

**The collector.** Its full passes walk every container object alive; they come more often as
a process allocates, so a build that loads a model (several hundred thousand objects) and then
makes a graph of millions of lists and dicts spends much of its time in them. Reference
counting, which frees almost everything kgraph makes, is not affected by `frozen` or `paused`.
Each puts back what it found and changes nothing it did not set: a host application that
froze objects itself (`gc.freeze()`) or disabled the collector keeps that state. The `kgraph`
command, whose process is its own, also loads its modules and runs a query with the
collector paused (`kgraph.__main__`, `kgraph.cli.main`).

**Children.** The processes kgraph starts (NER workers, file writers, the processes of a Dask
`LocalCluster` it starts) are registered here while they run (`started`, `ended`,
`adopt_children`), so that an interrupt stops them, and only them: a host application's own
child processes are never touched. Each child first calls `as_child`: Ctrl-C is the main
process's to handle, SIGTERM and SIGHUP end it at once, and it dies with the main process.

**Signals.** A library leaves signals alone: in a Python session Ctrl-C raises
`KeyboardInterrupt` as usual, and the outputs are left as they were (`kgraph.export._atomic`).
Two blocks change that, and put back the handlers they found: `interrupts()`, which the
`kgraph` command runs a build in (its process is its own), turns Ctrl-C, SIGTERM and SIGHUP
into `Interrupted` after killing the children; and `signals_held()`, which holds them back
while a set of outputs is renamed into place and raises the first after. An `Interrupted`
says which signal came and whether the new outputs were written before it did; the command
turns it into one line and exit code 128 + the signal's number.

**BLAS threads.** numpy's matrix products run in OpenBLAS's own threads, which spin on a core
while they wait for the next product: the layout's thousands of small products then cost
several times their work on a busy machine (0.2 s of CPU on one thread, 1 to 5 s with two on a
loaded 2-core machine, for the same results). `one_blas_thread()` runs a block with one.
"""

from __future__ import annotations

import ctypes
import gc
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

# -- the garbage collector ---------------------------------------------------------------------


class Freeze:
    """What `frozen` did: whether this block froze objects (so may freeze more, and undo it)."""

    def __init__(self, owned: bool) -> None:
        self.owned = owned

    def more(self) -> None:
        """Leave the objects made since the block started out of the collector's passes too
        (the model, once loaded): only if this block froze, as only it will unfreeze them."""
        if self.owned:
            gc.freeze()


@contextmanager
def frozen() -> Iterator[Freeze]:
    """Leave the objects alive now out of the collector's passes until the block ends.

    Also keeps forked worker processes from copying the memory pages of those objects
    (which the collector would otherwise write to). If objects are frozen already (the host
    application froze them), nothing is frozen or unfrozen here: `gc.unfreeze()` would
    release the host's objects too.

    >>> import gc
    >>> gc.freeze()  # a host that froze its own objects
    >>> with frozen() as f:
    ...     f.owned
    False
    >>> gc.get_freeze_count() > 0  # still frozen, as the host left them
    True
    >>> gc.unfreeze()
    """
    if gc.get_freeze_count() > 0:
        yield Freeze(owned=False)
        return
    gc.freeze()
    try:
        yield Freeze(owned=True)
    finally:
        gc.unfreeze()


@contextmanager
def paused() -> Iterator[None]:
    """No collector passes during the block: for code that builds many containers but no
    reference cycles (graphs of dicts, lists and strings). The collector runs again after,
    if it ran before."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# -- BLAS threads ------------------------------------------------------------------------------

#: How OpenBLAS builds name their thread-count functions (numpy's and scipy's wheels add a
#: prefix and, for 64-bit integers, a suffix), as (set, get) pairs.
_OPENBLAS_NAMES = [
    (f"{prefix}openblas_set_num_threads{suffix}", f"{prefix}openblas_get_num_threads{suffix}")
    for prefix in ("", "scipy_")
    for suffix in ("", "64_")
]


def _openblas() -> list[tuple[Any, Any]]:
    """The (set, get) thread-count functions of every OpenBLAS this process has loaded (found
    in /proc/self/maps: Linux only; elsewhere none, and `one_blas_thread` does nothing)."""
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as fh:
            fields = [line.split(None, 5) for line in fh if "openblas" in line.lower()]
        paths = {f[5].strip() for f in fields if len(f) == 6}
    except OSError:
        return []
    found = []
    for path in sorted(paths):
        try:
            lib = ctypes.CDLL(path, mode=os.RTLD_NOLOAD | os.RTLD_NOW)  # already loaded: no new copy
        except OSError:
            continue
        for set_name, get_name in _OPENBLAS_NAMES:
            setter, getter = getattr(lib, set_name, None), getattr(lib, get_name, None)
            if setter is not None and getter is not None:
                setter.restype, getter.restype = None, ctypes.c_int
                found.append((setter, getter))
                break
    return found


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Run the block with numpy's OpenBLAS on one thread, then put back the count it had.
    Import numpy first (its OpenBLAS is found among the libraries loaded). The results are
    the same: OpenBLAS shares a product's rows and columns among its threads, not its sums."""
    libs = _openblas()
    before = [get() for _, get in libs]
    for set_threads, _ in libs:
        set_threads(1)
    try:
        yield
    finally:
        for (set_threads, _), count in zip(libs, before):
            set_threads(count)


# -- the child processes kgraph starts ---------------------------------------------------------

#: The child processes kgraph started and has not seen end (multiprocessing Process objects).
_children: list[Any] = []


def started(process: Any) -> None:
    """Register a child process kgraph has started (until `ended`)."""
    _children[:] = [p for p in _children if p.is_alive()]
    _children.append(process)


def ended(process: Any) -> None:
    """Forget a child process (it has ended, or is about to be joined)."""
    if process in _children:
        _children.remove(process)


@contextmanager
def adopt_children() -> Iterator[None]:
    """Register the child processes a library starts for kgraph during the block (the
    processes of a Dask `LocalCluster`), which it starts through multiprocessing."""
    import multiprocessing

    before = set(multiprocessing.active_children())
    try:
        yield
    finally:
        for process in multiprocessing.active_children():
            if process not in before:
                started(process)


def children() -> list[Any]:
    """The registered child processes still running."""
    return [p for p in _children if p.is_alive()]


def kill_children(*, wait: bool = False) -> None:
    """Kill every child process kgraph started that still runs (and with `wait`, reap it)."""
    for process in children():
        process.kill()
        if wait:
            process.join(timeout=5)
    if wait:
        _children.clear()


def exit_now(code: int) -> None:
    """End this process at once with `code`, after an interrupt: kill the children kgraph
    started that still run, and skip the exit hooks of multiprocessing, which can wait
    forever on a queue no worker reads any more. For the `kgraph` command only."""
    kill_children(wait=True)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def as_child(parent: int) -> None:
    """What a child process kgraph starts does first: leave Ctrl-C (which a terminal sends to
    the whole process group) to the main process, which stops the children itself; end at
    once on SIGTERM or SIGHUP (not through the main process's handler, which a forked child
    inherits); and die with the main process (`die_with`)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for sig in STOP_SIGNALS:
        signal.signal(sig, signal.SIG_DFL)
    die_with(parent)


_PR_SET_PDEATHSIG = 1


def die_with(parent: int) -> None:
    """In a child: ask to be killed when `parent` (the process that started it) dies, and
    leave at once if it is already gone.

    A child holds the build's pipes (and its output folder's lock) open: if it outlived a
    main process killed outright (SIGKILL, an OOM kill), a caller reading the build's output
    would wait forever. Linux kills the child when its parent dies (PR_SET_PDEATHSIG);
    elsewhere this does nothing."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


# -- signals -----------------------------------------------------------------------------------

#: Signals that stop a build the way SIGTERM does (SIGHUP: the terminal closed).
STOP_SIGNALS: tuple[int, ...] = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))
#: Every signal that interrupts a build.
INTERRUPT_SIGNALS: tuple[int, ...] = (signal.SIGINT, *STOP_SIGNALS)


class Interrupted(KeyboardInterrupt):
    """Ctrl-C, SIGTERM or SIGHUP stopped kgraph (a `KeyboardInterrupt`, so code that catches
    that catches this). `outputs_written` is True when it came while a set of outputs was
    being renamed into place, which was finished first: the new outputs are all written.

    >>> e = Interrupted(signal.SIGTERM)
    >>> e.signum == signal.SIGTERM, e.exit_code, e.outputs_written
    (True, 143, False)
    """

    def __init__(self, signum: int = signal.SIGINT, *, outputs_written: bool = False) -> None:
        super().__init__()
        self.signum = signum
        self.outputs_written = outputs_written

    @property
    def exit_code(self) -> int:
        """The exit code of a command it stopped: 128 + the signal's number (130 for Ctrl-C)."""
        return 128 + self.signum

    @classmethod
    def of(cls, error: KeyboardInterrupt, *, outputs_written: bool = False) -> Interrupted:
        """`error` as an Interrupted (a plain KeyboardInterrupt is Ctrl-C)."""
        if isinstance(error, Interrupted):
            error.outputs_written = error.outputs_written or outputs_written
            return error
        return cls(signal.SIGINT, outputs_written=outputs_written)


#: The exit codes an interrupted command ends with.
INTERRUPT_EXIT_CODES = frozenset(128 + sig for sig in INTERRUPT_SIGNALS)


@contextmanager
def interrupts() -> Iterator[None]:
    """Ctrl-C, SIGTERM and SIGHUP raise `Interrupted` in this process during the block, after
    the children kgraph started are killed: an orderly shutdown could wait forever for a
    worker blocked on a full pipe, and the exception unwinds the build, which removes what it
    had staged. For the `kgraph` command, whose process is its own. A Ctrl-C the shell told the
    process to ignore (a background job) stays ignored; outside the main thread nothing is
    changed."""
    main = os.getpid()

    def handler(signum: int, frame: object) -> None:
        if os.getpid() != main:  # a child forked before it set its own handlers (`as_child`)
            if signum in STOP_SIGNALS:
                signal.signal(signum, signal.SIG_DFL)
                os.kill(os.getpid(), signum)
            return
        kill_children()
        raise Interrupted(signum)

    previous = {}
    for sig in INTERRUPT_SIGNALS:
        if sig == signal.SIGINT and signal.getsignal(sig) is not signal.default_int_handler:
            continue
        try:
            previous[sig] = signal.signal(sig, handler)
        except ValueError:  # not the main thread
            pass
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


#: Signals that came while `signals_held` held them back, in order.
_held: list[int] = []


def held_count() -> int:
    """How many signals have come while held back, since the block began (for the test hook
    `kgraph._failpoint`, which waits for a signal)."""
    return len(_held)


@contextmanager
def signals_held() -> Iterator[None]:
    """Hold back Ctrl-C, SIGTERM and SIGHUP for the duration; raise the first one after
    (through the handler that was there: `interrupts`' or Python's own). Only the main
    thread receives signals: elsewhere this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}
    _held.clear()

    def hold(signum: int, frame: object) -> None:
        _held.append(signum)

    for sig in INTERRUPT_SIGNALS:
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


# -- work in a forked child --------------------------------------------------------------------

#: How long a child that has sent its result (or was killed) is waited for.
_JOIN_SECONDS = 5.0
_T = TypeVar("_T")


def can_fork() -> bool:
    """Whether this platform forks (Linux): a forked child inherits the graph in memory,
    where a fresh one would need it pickled."""
    import multiprocessing as mp

    return sys.platform.startswith("linux") and "fork" in mp.get_all_start_methods()


class Forked(Generic[_T]):
    """`fn()` run in a child forked now, while this process goes on; `result()` waits for
    what it returned, or raises what it raised (so it must return and raise picklable
    values). The child is registered (`started`) and behaves as kgraph's children do
    (`as_child`); `close()`, which `result()` calls, stops it if it still runs.

    `failed(why)` makes the error raised when the child dies without an answer (killed,
    perhaps for lack of memory) or its exception cannot be pickled; an interrupt that
    killed it is raised as `Interrupted`.

    >>> Forked(lambda: 6 * 7, name="answer", failed=RuntimeError).result() if can_fork() else 42
    42
    """

    def __init__(self, fn: Callable[[], _T], *, name: str, failed: Callable[[str], Exception]) -> None:
        import multiprocessing as mp

        ctx = mp.get_context("fork")
        self._failed = failed
        self._receive, send = ctx.Pipe(duplex=False)
        self._child = ctx.Process(target=_forked_child, args=(fn, send, os.getpid(), failed), daemon=True, name=name)
        try:
            self._child.start()
        finally:
            send.close()
        started(self._child)

    def result(self) -> _T:
        try:
            try:
                status, payload = self._receive.recv()
            except (EOFError, OSError):
                self._child.join(_JOIN_SECONDS)
                code = self._child.exitcode
                if code is not None and -code in INTERRUPT_SIGNALS:  # a signal to the whole process group
                    raise Interrupted(-code) from None
                why = "killed, perhaps for lack of memory" if code is not None and code < 0 else f"exit code {code}"
                raise self._failed(why) from None
            if status == "error":
                raise payload
            value: _T = payload
            return value
        finally:
            self.close()

    def close(self) -> None:
        """Stop the child if it still runs, and forget it."""
        if self._child.is_alive():
            self._child.kill()
        self._child.join(_JOIN_SECONDS)
        ended(self._child)
        self._receive.close()


def _forked_child(fn: Callable[[], Any], send: Any, parent: int, failed: Callable[[str], Exception]) -> None:
    """In a forked child: run `fn`, send back ("ok", its value) or ("error", its exception)."""
    as_child(parent)
    try:
        message: tuple[str, object] = ("ok", fn())
    except BaseException as e:  # noqa: BLE001  (everything goes back to the main process)
        message = ("error", e)
    try:
        send.send(message)
    except Exception:  # noqa: BLE001  (an exception that cannot be pickled: send its text)
        error = message[1]
        send.send(("error", failed(f"{type(error).__name__}: {error}")))
    send.close()
