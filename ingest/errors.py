"""The one error an ingest raises for bad input: which file, which line, which field, and why."""

from pathlib import Path


class IngestError(Exception):
    """Bad input, located precisely enough for a person to fix it."""

    def __init__(
        self, path: Path | str, reason: str, *, line: int | None = None, field: str | None = None
    ) -> None:
        self.path = str(path)
        self.line = line
        self.field = field
        self.reason = reason
        place = self.path if line is None else f"{self.path}:{line}"
        subject = f"{field}: " if field else ""
        super().__init__(f"{place}: {subject}{reason}")
