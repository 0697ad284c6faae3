"""NER on a Dask distributed cluster (`kgraph build --scheduler ADDRESS|local`).

The main process reads the articles and sends them in batches to the cluster; each worker
loads the model once (the first batch or the check below loads it, `load_nlp` keeps it) and
returns the same compact `Extraction`s the local worker processes return, never spaCy Docs.
At most `IN_FLIGHT_PER_THREAD` batches per worker thread are out at a time, and results are
taken in the order the batches were sent, so the graph is the same as a local build's. A
worker that dies mid-batch is Dask's to handle: the scheduler runs its batches again on
another worker.

`local` starts a `LocalCluster` of `workers` single-threaded worker processes on this machine
(slower than the fork pool there: it is for trying a cluster out). Workers should run one
thread each (`dask worker ADDRESS --nthreads 1`): NER is CPU-bound, and a worker's threads
would share one `nlp`, so they take its batches one at a time.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from .. import _runtime
from .._failpoint import failpoint
from ..errors import ConfigError, KGraphError, ModelError
from ..records import Article, Extraction
from .workers import batch_sizes

#: Batches sent ahead per worker thread: one being processed, one waiting.
IN_FLIGHT_PER_THREAD = 2
#: How long to wait for the scheduler to answer, and for a first worker to join it.
CONNECT_SECONDS = 10.0
WORKER_SECONDS = 30.0
#: One batch at a time in a worker process: its threads would otherwise share one `nlp`.
_ONE_AT_A_TIME = threading.Lock()


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise ConfigError('--scheduler needs Dask distributed: pip install "kgraph[dask]"') from None
    return distributed


def _check_worker(model: str) -> dict[str, object]:
    """On a worker: load the model now (kept for its batches) and say what it is."""
    from .ner import load_nlp

    nlp = load_nlp(model)
    meta = {k: nlp.meta.get(k, "") for k in ("lang", "name", "version")}
    return {"meta": meta, "max_length": nlp.max_length}


def _run_batch(articles: list[Article], model: str, batch_size: int) -> list[Extraction]:
    """On a worker: the Extractions of one batch, as the local worker processes make them."""
    from .ner import _extract_batch, load_nlp

    with _ONE_AT_A_TIME:
        failpoint("dask-batch")
        return _extract_batch(articles, nlp=load_nlp(model), types=None, batch_size=batch_size)


class DaskEngine:
    """A connection to a Dask cluster (or a LocalCluster it started) that runs NER."""

    def __init__(self, scheduler: str, model: str, *, workers: int) -> None:
        distributed = _distributed()
        self.scheduler = scheduler
        self.model = model
        self._cluster: Any = None
        self._client: Any = None
        try:
            if scheduler == "local":
                with _runtime.adopt_children():  # its processes are kgraph's to stop on Ctrl-C
                    self._cluster = distributed.LocalCluster(
                        n_workers=workers,
                        threads_per_worker=1,
                        processes=True,
                        dashboard_address=None,  # its logs stay quiet until it closes (Dask's default)
                    )
                self._client = distributed.Client(self._cluster, set_as_default=False)
            else:
                self._client = distributed.Client(scheduler, timeout=CONNECT_SECONDS, set_as_default=False)
        except (OSError, TimeoutError):
            self.close()
            raise ConfigError(
                f"cannot reach the Dask scheduler at {scheduler} (no answer within {CONNECT_SECONDS:g} s): "
                "start it, or check --scheduler"
            ) from None
        try:
            self._client.wait_for_workers(1, timeout=WORKER_SECONDS)
        except (OSError, TimeoutError):
            self.close()
            raise ConfigError(
                f"the Dask scheduler at {scheduler} has no worker after {WORKER_SECONDS:g} s: start one with "
                f"'dask worker {scheduler} --nthreads 1'"
            ) from None
        try:
            found = self._client.run(_check_worker, model)
        except KGraphError as e:
            self.close()
            raise ModelError(f"on a Dask worker of {scheduler}: {e}") from None
        except Exception as e:  # noqa: BLE001  (whatever a worker raised, in one line)
            self.close()
            raise ModelError(
                f"a Dask worker of {scheduler} cannot load model '{model}': {type(e).__name__}: {e}"
            ) from None
        first = next(iter(found.values()))
        self.meta: dict[str, object] = first["meta"]
        self.max_length: int = min(int(f["max_length"]) for f in found.values())

    def _threads(self) -> int:
        workers = self._client.scheduler_info().get("workers", {})
        return max(1, sum(int(w.get("nthreads", 1)) for w in workers.values()))

    def extract(
        self, articles: Iterable[Article], *, batch_size: int, expected: int | None = None
    ) -> Iterator[Extraction]:
        """The Extractions of `articles`, in order, computed on the cluster."""
        threads = self._threads()
        source = iter(articles)
        sizes = batch_sizes(batch_size, threads, expected)
        batches = iter(lambda: list(islice(source, next(sizes))), [])
        window: deque[Any] = deque()
        try:
            for batch in batches:
                window.append(self._client.submit(_run_batch, batch, self.model, batch_size, pure=False))
                if len(window) >= IN_FLIGHT_PER_THREAD * threads:
                    yield from self._result(window.popleft())
            while window:
                yield from self._result(window.popleft())
        finally:
            for future in window:
                future.cancel()

    def _result(self, future: Any) -> list[Extraction]:
        try:
            done: list[Extraction] = future.result()
            return done
        except KGraphError as e:
            raise ModelError(f"NER failed on a Dask worker of {self.scheduler}: {e}") from None
        except Exception as e:  # noqa: BLE001
            raise ModelError(
                f"NER failed on the Dask cluster at {self.scheduler} ({type(e).__name__}: {e}): check its workers' logs"
            ) from None

    def close(self) -> None:
        """Disconnect, and stop the LocalCluster if this engine started one."""
        for part in (self._client, self._cluster):
            if part is not None:
                try:
                    part.close()
                except Exception:  # noqa: BLE001  (closing what may already be gone)
                    pass
        self._client = self._cluster = None
