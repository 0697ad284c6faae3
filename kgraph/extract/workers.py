"""Worker processes for extraction: NER and the extraction of mentions run in the workers.

spaCy's own `nlp.pipe(n_process=N)` sends every Doc back to the main process, which
deserializes it (about a millisecond an article) only for kgraph to keep a few mentions.
Here each worker runs `nlp.pipe` on whole batches and sends back the small `Extraction`s,
so the main process only reads files and aggregates. Batches travel on one shared queue
(a free worker takes the next one); results are put back in article order. At most
`2 * processes` full batches' worth of articles are out at a time, so memory does not grow
with the corpus (the smaller batches of a corpus's end go out more at a time).

When the number of articles is known in advance (estimated), the last batches get smaller
(`batch_sizes`): otherwise one worker can spend a whole batch (a second or more) on the
end of the corpus while the others have nothing left to do.

Workers are forked where the platform allows it (they share the loaded model's memory);
elsewhere they start fresh and receive the pipeline pickled.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import sys
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from .. import _runtime
from ..errors import ModelError
from ..records import Article, Extraction

#: How long the main process waits for a result before it checks that the workers live.
_POLL_SECONDS = 1.0
_JOIN_SECONDS = 5.0

#: Extracts one batch of articles (`ner._extract_batch` with its options bound).
ExtractBatch = Callable[[list[Article]], list[Extraction]]

#: The smallest batch the end of a corpus is cut into.
MIN_TAIL_BATCH = 8

#: What a forked worker runs: set by the parent just before it forks (not pickled).
_FORKED_RUN: ExtractBatch | None = None


def _context() -> Any:
    if sys.platform.startswith("linux") and "fork" in mp.get_all_start_methods():
        return mp.get_context("fork")
    return mp.get_context("spawn")


def _work(run: ExtractBatch | None, tasks: Any, results: Any, parent: int) -> None:
    """A worker: take (batch number, articles), put (batch number, extractions, error)."""
    _runtime.as_child(parent)  # Ctrl-C is the main process's to handle; never an orphan holding the build's pipes
    run = run if run is not None else _FORKED_RUN
    assert run is not None
    while True:
        task = tasks.get()
        if task is None:
            return
        number, articles = task
        try:
            out = run(articles)
        except Exception as e:  # noqa: BLE001  (reported to the main process, which raises it)
            results.put((number, None, f"{type(e).__name__}: {e}"))
            continue
        results.put((number, out, None))


def batch_sizes(batch_size: int, processes: int, expected: int | None) -> Iterator[int]:
    """Sizes of successive batches: first MIN_TAIL_BATCH, so that the first results come
    back soon (a rebuild waits for them before it reads its cached articles, while the
    workers go on); then `batch_size`, and once fewer than 2 batches per process are left of
    the `expected` articles, about a quarter of what is left per process, down to
    MIN_TAIL_BATCH, so the workers finish together. Without an estimate, or past it,
    always `batch_size`.

    >>> from itertools import islice
    >>> list(islice(batch_sizes(64, 2, 968), 20))
    [8, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 48, 36, 27, 21, 15, 12, 9]
    >>> list(islice(batch_sizes(64, 2, 97), 8))
    [8, 23, 17, 13, 9, 8, 8, 8]
    """
    yield min(batch_size, MIN_TAIL_BATCH)
    read = min(batch_size, MIN_TAIL_BATCH)
    while True:
        left = (expected or 0) - read
        size = batch_size
        if left > 0:
            size = min(batch_size, max(MIN_TAIL_BATCH, -(-left // (2 * processes))))
        yield size
        read += size


def extract_parallel(
    articles: Iterable[Article],
    run: ExtractBatch,
    *,
    batch_size: int,
    processes: int,
    expected: int | None = None,
) -> Iterator[Extraction]:
    """`run` over every batch of `batch_size` articles in `processes` worker processes;
    the Extractions in article order. `run` holds `nlp` (pickled where workers are not forked).
    `expected` (an estimate of the number of articles) lets the last batches be smaller."""
    global _FORKED_RUN
    ctx = _context()
    forked = ctx.get_start_method() == "fork"
    tasks = ctx.Queue()
    results = ctx.Queue()
    window = 2 * processes * batch_size  # articles out at a time
    _FORKED_RUN = run if forked else None
    workers = [
        ctx.Process(
            target=_work,
            args=(None if forked else run, tasks, results, os.getpid()),
            daemon=True,
            name=f"kgraph-ner-{i}",
        )
        for i in range(processes)
    ]
    try:
        for w in workers:
            w.start()
            _runtime.started(w)
    finally:
        _FORKED_RUN = None
    source = iter(articles)
    sizes = batch_sizes(batch_size, processes, expected)
    batches = iter(lambda: list(islice(source, next(sizes))), [])
    sent = 0  # batches handed out
    wanted = 0  # the batch to yield next
    in_flight = 0  # articles handed out and not yielded yet
    ready: dict[int, list[Extraction]] = {}
    exhausted = False
    finished = False

    def send() -> None:
        nonlocal sent, exhausted, in_flight
        while not exhausted and in_flight < window:
            batch = next(batches, None)
            if batch is None:
                exhausted = True
                return
            tasks.put((sent, batch))
            sent += 1
            in_flight += len(batch)

    try:
        send()
        while wanted < sent:
            while wanted not in ready:
                number, out, error = _receive(results, workers)
                if out is None:
                    raise ModelError(f"NER failed in a worker process ({error}): run with --jobs 1 to see where")
                ready[number] = out
            done = ready.pop(wanted)
            in_flight -= len(done)
            yield from done
            wanted += 1
            send()
        finished = True
    finally:
        _stop(workers, tasks, results, wait=finished)


def _stop(workers: list[Any], tasks: Any, results: Any, *, wait: bool) -> None:
    """End the workers: politely when all went well, at once after an error or Ctrl-C."""
    if wait:
        for _ in workers:
            tasks.put(None)
        for w in workers:
            w.join(_JOIN_SECONDS)
    for w in workers:
        if w.is_alive():
            w.terminate()
        w.join()
        _runtime.ended(w)
    for q in (tasks, results):
        q.close()
        q.cancel_join_thread()


def _receive(results: Any, workers: list[Any]) -> tuple[int, list[Extraction] | None, str | None]:
    while True:
        try:
            got: tuple[int, list[Extraction] | None, str | None] = results.get(timeout=_POLL_SECONDS)
            return got
        except queue.Empty:
            dead = [w for w in workers if not w.is_alive()]
            if dead:
                code = dead[0].exitcode
                why = "killed, perhaps for lack of memory" if code is not None and code < 0 else f"exit code {code}"
                raise ModelError(f"an NER worker process stopped ({why}): run with fewer --jobs, or --jobs 1") from None
