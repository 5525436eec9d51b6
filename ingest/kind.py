"""A kind of source: how ogkg recognises its files and turns one into a graph batch."""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

from graph.writes import GraphBatch
from ingest.context import IngestContext
from ingest.files import TextFile

JSON_SUFFIXES = frozenset({".json", ".jsonl"})


@dataclass(frozen=True)
class Candidate:
    """A file being recognised: its text, whether it is a CSV (or JSON) and its first rows (cells stripped)."""

    file: TextFile
    is_csv: bool
    rows: list[list[str]]

    @property
    def is_json(self) -> bool:
        """Whether the file is JSON data (a document, or JSON Lines): recognised by its content."""
        return self.file.path.suffix.lower() in JSON_SUFFIXES

    @property
    def header(self) -> list[str]:
        return self.rows[0] if self.rows else []


def candidate(file: TextFile) -> Candidate:
    is_csv = file.path.suffix.lower() == ".csv"
    return Candidate(file, is_csv, first_rows(file) if is_csv else [])


def first_rows(file: TextFile, count: int = 2) -> list[list[str]]:
    reader = csv.reader(io.StringIO(file.text, newline=""))
    rows: list[list[str]] = []
    for cells in reader:
        rows.append([cell.strip() for cell in cells])
        if len(rows) == count:
            break
    return rows


@dataclass(frozen=True)
class SourceKind:
    """One kind of source. `recognises` looks at a file; `build` reads, checks and converts it.

    `build` writes nothing: it returns everything the file states, or raises an `IngestError`
    naming the file, line and column of the first bad row.
    """

    name: str
    recognises: Callable[[Candidate], bool]
    build: Callable[[TextFile, IngestContext], GraphBatch]


def has_columns(columns: list[str]) -> Callable[[Candidate], bool]:
    """Recognise a curated CSV by its header: exactly `columns`, in order."""
    return lambda candidate: candidate.is_csv and candidate.header == columns
