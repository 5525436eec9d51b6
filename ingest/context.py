"""What every source of one run reads besides its own file, read once: registry, taxonomy, sources.csv."""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict

from graph.models import Source
from ingest.batches import slugify
from ingest.curated_csv import read_rows
from ingest.files import TextFile, read_text_file
from ingest.registry import Registry, load_registry
from ingest.themes import Taxonomy, load_taxonomy

SOURCES_FILE = "sources.csv"

T = TypeVar("T")


class SourceRow(BaseModel):
    """A row of seeds/sources.csv: what the project knows about a file it ingests."""

    model_config = ConfigDict(extra="forbid")

    file: str
    title: str
    publisher: str | None = None
    licence: str | None = None


@dataclass
class IngestContext:
    """The seeds folder and what is read from it, each file at most once per run.

    One context serves a whole `ogkg seed`; the seeds do not change while it runs.
    """

    seeds_dir: Path
    _files: dict[str, TextFile] = field(default_factory=dict, repr=False)
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)

    def memo(self, key: str, make: Callable[[], T]) -> T:
        """What `make` returns, made once per run (for what several sources derive alike)."""
        if key not in self._memo:
            self._memo[key] = make()
        value: T = self._memo[key]
        return value

    def seed_file(self, name: str) -> TextFile:
        """A file of the seeds folder, read on first use."""
        if name not in self._files:
            self._files[name] = read_text_file(self.seeds_dir / name)
        return self._files[name]

    def built(self, path: Path, make: Callable[[], T]) -> T:
        """The batch of the file at `path`, built once per run."""
        return self.memo(f"batch:{path.resolve()}", make)

    @cached_property
    def registry(self) -> Registry:
        return load_registry(self.seeds_dir)

    @cached_property
    def taxonomy(self) -> Taxonomy:
        return load_taxonomy(self.seeds_dir)

    @cached_property
    def sources(self) -> dict[str, SourceRow]:
        if not (self.seeds_dir / SOURCES_FILE).exists():
            return {}
        return {row.file: row for _, row in read_rows(self.seed_file(SOURCES_FILE), SourceRow)}

    def source(self, file: TextFile, default_title: str) -> Source:
        """The `Source` node of a file: its title, publisher and licence from sources.csv."""
        row = self.sources.get(file.path.name)
        return Source(
            id=slugify(file.path.stem),
            title=row.title if row else default_title,
            publisher=row.publisher if row else None,
            licence=row.licence if row else None,
            path=file.path.name,
            checksum=file.checksum,
        )
