"""Log lines: short and readable on a terminal, else one JSON object each with the request id."""

import itertools
import json
import logging
import os
import re
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, TextIO

# The id of the request being served, set by the vital-signs middleware for the request's task.
REQUEST_ID: ContextVar[str | None] = ContextVar("ogkg_request_id", default=None)
REQUEST_ID_HEADER = "x-request-id"
# True inside a request the app makes of itself (an explorer page asking /graphql): its access
# line is at debug level, so a page visit reads as one line.
INNER_REQUEST: ContextVar[bool] = ContextVar("ogkg_inner_request", default=False)
# A request id a client (or a proxy in front) may choose: short, and nothing a log reader trips on.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}\Z")

# LogRecord attributes every record has (and uvicorn's coloured copy of the message); anything
# else was passed in `extra=` and is logged too.
STANDARD_ATTRIBUTES = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "taskName",
}


class RequestIds:
    """New request ids: 32 hex digits, a random half per instance (one per app) and a count.

    Unique like a random UUID's without asking the system for randomness on every request.
    """

    def __init__(self) -> None:
        self._prefix = os.urandom(8).hex()
        self._count = itertools.count()

    def request_id_from(self, header: str | None) -> str:
        """The client's `X-Request-Id` when it is sane, else a new one."""
        if header is not None and SANE_REQUEST_ID.match(header):
            return header
        return f"{self._prefix}{next(self._count):016x}"


class JsonLogFormatter(logging.Formatter):
    """A log record as one line of JSON: time, level, logger, message, request id and extras."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": REQUEST_ID.get(),
        }
        line.update(
            (key, value)
            for key, value in record.__dict__.items()
            if key not in STANDARD_ATTRIBUTES and not key.startswith("_")
        )
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


class TextLogFormatter(logging.Formatter):
    """A log record as a line a person reads: time, level, message (and a request's duration)."""

    def format(self, record: logging.LogRecord) -> str:
        moment = datetime.fromtimestamp(record.created).strftime("%H:%M:%S")
        line = f"{moment} {record.levelname.lower():<7} {record.getMessage()}"
        duration = getattr(record, "duration_ms", None)
        if isinstance(duration, int | float):
            line += f" {duration:.0f} ms"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def resolved_log_format(log_format: str, stream: TextIO | None = None) -> str:
    """`auto` is `text` when the log goes to a terminal and `json` when it goes anywhere else."""
    if log_format != "auto":
        return log_format
    stream = stream if stream is not None else sys.stderr
    try:
        return "text" if stream.isatty() else "json"
    except ValueError:  # a closed stream
        return "json"


def log_config(level: str, log_format: str) -> dict[str, Any]:
    """A `logging.config.dictConfig` (and uvicorn `log_config`) for ogkg's and uvicorn's loggers.

    Plain JSON data (the formatter is named by its dotted path), so it can be saved for
    `uvicorn --log-config`. `log_format` is `json`, `text` or `auto` (by where stderr goes).

    uvicorn's own access log is off: the vital-signs middleware writes one line per request,
    with its id, route, status and duration. On a terminal uvicorn's start and stop notices are
    left out too (`ogkg serve` says where to go and when it stops); its warnings stay.
    """
    text = resolved_log_format(log_format) == "text"
    chosen = TextLogFormatter if text else JsonLogFormatter
    uvicorn_level = "WARNING" if text and level.upper() == "INFO" else level.upper()
    formatter: dict[str, Any] = {"()": f"{chosen.__module__}.{chosen.__qualname__}"}
    handler = {"class": "logging.StreamHandler", "formatter": "ogkg", "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"ogkg": formatter},
        "handlers": {"ogkg": handler},
        "loggers": {
            "ogkg": {"handlers": ["ogkg"], "level": level.upper(), "propagate": False},
            "uvicorn": {"handlers": ["ogkg"], "level": uvicorn_level, "propagate": False},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        },
        "root": {"handlers": ["ogkg"], "level": "WARNING"},
    }
