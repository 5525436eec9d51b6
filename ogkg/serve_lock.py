"""One `ogkg serve` per home and port: a new start waits for a stopping one, refuses a serving one."""

from __future__ import annotations

import errno
import fcntl
import os
import socket
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

from ogkg import processes

POLL_SECONDS = 0.1
# A serve that was just sent Ctrl-C says it is stopping within this many seconds.
SIGNAL_GRACE_SECONDS = 5.0

Say = Callable[[str], None]


class ServeLockError(Exception):
    """Another ogkg holds the port, or the previous one did not stop in time: one line."""


class ServeLock:
    """An flock held for a serve's whole life, naming what it is doing: `starting|serving|stopping PID`.

    The holder keeps it until its API has closed the port and its local Neo4j has stopped, so a
    start that waits for it meets neither a port nor a Neo4j that is about to go away.
    """

    def __init__(self, home: Path, host: str, port: int) -> None:
        self.path = home / "run" / f"serve-{host}-{port}.lock"
        self._file: IO[str] | None = None

    def acquire(self, timeout: float, say: Say) -> None:
        """Hold the lock, waiting for a previous serve that is stopping; refuse one that serves."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        file = self.path.open("a+")
        deadline = time.monotonic() + timeout
        grace = time.monotonic() + SIGNAL_GRACE_SECONDS
        said = False
        while not _locked_now(file):
            state, pid = self._holder()
            if state in {"starting", "serving"} and time.monotonic() > grace:
                file.close()
                raise ServeLockError(
                    f"ogkg is already {state} here (pid {pid}) on this port: stop it first "
                    "(Ctrl-C in its terminal), or choose another port with OGKG_PORT"
                )
            if state == "stopping" and not said:
                say(f"waiting for the previous ogkg (pid {pid}) to stop")
                said = True
            if time.monotonic() > deadline:
                file.close()
                raise ServeLockError(
                    f"the previous ogkg (pid {pid}) did not stop within {timeout:.0f}s; "
                    f"'kill {pid}' stops it"
                )
            time.sleep(POLL_SECONDS)
        self._file = file
        self.mark("starting")

    def mark(self, state: str) -> None:
        """Say what this serve is doing now, for a start that finds the lock held."""
        if self._file is None:
            return
        self._file.seek(0)
        self._file.truncate()
        self._file.write(f"{state} {os.getpid()}\n")
        self._file.flush()

    def release(self) -> None:
        if self._file is not None:
            self._file.seek(0)
            self._file.truncate()
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None

    def _holder(self) -> tuple[str, str]:
        """What the holder last said: its state and pid ("starting" until it says otherwise)."""
        try:
            words = self.path.read_text().split()
        except FileNotFoundError:
            words = []
        return (words[0], words[1]) if len(words) == 2 else ("starting", "unknown")


def _locked_now(file: IO[str]) -> bool:
    try:
        fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def bind_when_free(host: str, port: int, timeout: float, say: Say) -> socket.socket:
    """A socket bound to the API's address, waiting up to `timeout` for another holder to let go.

    Bound here, before Neo4j starts, and handed to the server: no one takes the port between.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    deadline = time.monotonic() + timeout
    said = False
    while True:
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as error:
            sock.close()
            if error.errno != errno.EADDRINUSE:
                raise ServeLockError(f"cannot listen on {host}:{port}: {error.strerror}") from error
            holder = processes.port_holder(port)
            by = processes.describe(holder) if holder is not None else "another program"
            if time.monotonic() > deadline:
                raise ServeLockError(
                    f"port {port} on {host} is taken by {by}: stop it, or set OGKG_PORT to a "
                    "free port"
                ) from error
            if not said:
                say(f"waiting for port {port} on {host}, held by {by}")
                said = True
            time.sleep(POLL_SECONDS)
            continue
        sock.set_inheritable(False)
        return sock
