"""Worker processes for a cold build: forked, and never outliving the build that started them.

Parsing posts (content/sources.py) and rendering pages (output.py) fan out to a pool of forked
processes when there is enough work. A worker must die with its build: killed parallel builds once
left workers alive for ten seconds and more, stuck writing to a pipe nobody read (issue 22). So each
worker asks the kernel to kill it when its parent dies (Linux's PR_SET_PDEATHSIG; SIGKILL of the
parent included), ignores Ctrl-C (the parent handles it for the whole build), and a build that stops
with an exception or an interrupt terminates its workers instead of waiting for their chunks.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import itertools
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.pool import AsyncResult, Pool
from typing import Any, TypeVar

T = TypeVar("T")

_PR_SET_PDEATHSIG = 1


def can_fork() -> bool:
    """Return True where worker processes are forked (Linux, macOS): they inherit the site, nothing is pickled."""
    return "fork" in multiprocessing.get_all_start_methods()


@contextlib.contextmanager
def worker_pool(count: int, initializer: Callable[..., None], initargs: tuple[Any, ...]) -> Iterator[Pool]:
    """Yield a pool of `count` forked workers, each set up by `initializer(*initargs)`; kill them on failure.

    multiprocessing's Pool, not concurrent.futures': its `terminate()` stops workers at once, while a
    ProcessPoolExecutor whose workers are killed could hang or print a traceback at interpreter exit
    (CPython 3.11's manager thread races the exit hook). Use `in_order` to stream results in order.
    """
    _one_heap()
    pool = multiprocessing.get_context("fork").Pool(count, initializer=_start,
                                                    initargs=(os.getpid(), initializer, initargs))
    try:
        yield pool
    except BaseException:
        pool.terminate()
        raise
    else:
        pool.close()
    finally:
        pool.join()


def in_order(pool: Pool, function: Callable[[Any], T], tasks: Iterable[Any], ahead: int) -> Iterator[T]:
    """Yield `function(task)` for each task, in order, computed by the pool with at most `ahead` tasks sent ahead
    of the result being consumed.

    `Pool.imap` sends every task at once and keeps every result until it is taken: when the consumer is slower
    than the workers (the writer creating files), the results piled up in the parent (issue 24: 50 MiB of
    rendered pages at 5,000 posts). A window keeps the workers busy and the parent's memory bounded.
    """
    waiting: deque[AsyncResult[T]] = deque()
    tasks = iter(tasks)
    for task in itertools.islice(tasks, ahead):
        waiting.append(pool.apply_async(function, (task,)))
    while waiting:
        result = waiting.popleft().get()
        for task in itertools.islice(tasks, 1):  # the next task goes out before this result is consumed
            waiting.append(pool.apply_async(function, (task,)))
        yield result


def _start(parent: int, initializer: Callable[..., None], initargs: tuple[Any, ...]) -> None:
    """Tie the worker's life to its parent's, then run the pool's own set-up."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the parent stops the build
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # no prctl: the parent's own clean-up is all there is
            pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)
    initializer(*initargs)


def release_freed_memory() -> None:
    """Give the free pages of the process's heap back to the system (glibc's malloc_trim; elsewhere, nothing).

    Bytes that came back from workers were made in the pool's result thread, in that thread's malloc arena; once
    freed (the charts, written before the pages) glibc keeps their pages, and what the main thread allocates next
    grows the process instead (issue 24: at 5,000 posts 100 MiB of written charts stayed in the peak while the
    pages rendered, and in every render worker forked then). It costs a few milliseconds.
    """
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return
    trim(0)


_M_ARENA_MAX = -8


@functools.cache
def _one_heap() -> None:
    """Make every thread of this process allocate from one heap (glibc's M_ARENA_MAX=1; elsewhere, nothing).

    A pool's result thread unpickles what workers send back (posts, pages, drawings); in a heap of its own,
    what the main thread frees of them is not reused by the main thread, and the process grows (issue 24: 5 to
    10 MiB more at the peak of a cold build of 5,000 posts, varying from run to run). The interpreter holds
    the GIL while it allocates, so one heap costs no waiting. Called before the first pool starts its threads.
    """
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # not glibc
        return
    mallopt(_M_ARENA_MAX, 1)
