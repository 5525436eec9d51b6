"""Structured logs: one JSON object per line, each carrying the id of the request it was written in."""

import itertools
import json
import logging
import os
import re
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

# The id of the request being served, set by the vital-signs middleware for the request's task.
REQUEST_ID: ContextVar[str | None] = ContextVar("ogkg_request_id", default=None)
REQUEST_ID_HEADER = "x-request-id"
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


def log_config(level: str, log_format: str) -> dict[str, Any]:
    """A `logging.config.dictConfig` (and uvicorn `log_config`) for ogkg's and uvicorn's loggers.

    Plain JSON data (the formatter is named by its dotted path), so it can be saved for
    `uvicorn --log-config`.

    uvicorn's own access log is off: the vital-signs middleware writes one line per request,
    with its id, route, status and duration.
    """
    formatter: dict[str, Any] = (
        {"()": f"{JsonLogFormatter.__module__}.{JsonLogFormatter.__qualname__}"}
        if log_format == "json"
        else {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}
    )
    handler = {"class": "logging.StreamHandler", "formatter": "ogkg", "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"ogkg": formatter},
        "handlers": {"ogkg": handler},
        "loggers": {
            "ogkg": {"handlers": ["ogkg"], "level": level.upper(), "propagate": False},
            "uvicorn": {"handlers": ["ogkg"], "level": level.upper(), "propagate": False},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        },
        "root": {"handlers": ["ogkg"], "level": "WARNING"},
    }
