"""Facts about the processes on this machine: alive or not, command line, who holds a port or a lock."""

from __future__ import annotations

import os
from pathlib import Path

PROC = Path("/proc")


def pid_alive(pid: int) -> bool:
    """True while `pid` runs; a zombie child of ours counts as gone (and is reaped)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        reaped, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:  # Not our child: alive, as kill(0) said.
        return True
    return reaped == 0


def command_line(pid: int) -> list[str] | None:
    """The arguments `pid` was started with; None where they cannot be read (no procfs)."""
    try:
        raw = (PROC / str(pid) / "cmdline").read_bytes()
    except OSError:
        return None
    return [part.decode(errors="replace") for part in raw.split(b"\0") if part]


def pids_started_with(*arguments: str) -> list[int]:
    """Every live process whose command line holds all of `arguments`, each as a whole argument."""
    found = []
    for entry in PROC.glob("[0-9]*"):
        words = command_line(int(entry.name))
        if words and all(argument in words for argument in arguments):
            found.append(int(entry.name))
    return sorted(found)


def describe(pid: int) -> str:
    """`pid 1234 (java)`, or just `pid 1234` when the name cannot be read."""
    try:
        name = (PROC / str(pid) / "comm").read_text().strip()
    except OSError:
        return f"pid {pid}"
    return f"pid {pid} ({name})"


def port_holder(port: int) -> int | None:
    """The pid of a process with a TCP socket bound to `port`, where this user may see it."""
    inodes = set()
    for table in ("tcp", "tcp6"):
        try:
            rows = (PROC / "net" / table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            local_port = int(fields[1].rsplit(":", 1)[1], 16)
            if local_port == port and fields[9] != "0":
                inodes.add(f"socket:[{fields[9]}]")
    return _pid_with_open(inodes) if inodes else None


def lock_holder(path: Path) -> int | None:
    """The pid holding a POSIX or flock lock on `path`, as /proc/locks tells."""
    try:
        found = path.stat()
        rows = (PROC / "locks").read_text().splitlines()
    except OSError:
        return None
    file_id = f"{os.major(found.st_dev):02x}:{os.minor(found.st_dev):02x}:{found.st_ino}"
    for row in rows:  # "1: POSIX  ADVISORY  WRITE 1234 08:01:5678 0 EOF"; waiters have "->"
        fields = row.split()
        if len(fields) > 5 and fields[5] == file_id and fields[4].isdigit():
            return int(fields[4])
    return None


def _pid_with_open(targets: set[str]) -> int | None:
    for entry in PROC.glob("[0-9]*"):
        try:
            for descriptor in (entry / "fd").iterdir():
                if os.readlink(descriptor) in targets:
                    return int(entry.name)
        except OSError:
            continue
    return None
