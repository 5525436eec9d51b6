"""The curated registry of jurisdictions and bodies (seeds/*.csv) that every ingest resolves names against."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from graph.models import Body, Jurisdiction
from graph.vocabulary import BodyKind, JurisdictionLevel
from ingest.curated_csv import read_rows
from ingest.errors import IngestError
from ingest.files import TextFile, read_text_file
from ingest.names import AmbiguousNameError, NameIndex

JURISDICTIONS_FILE = "jurisdictions.csv"
BODIES_FILE = "bodies.csv"

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]


def _split_aliases(value: object) -> object:
    if isinstance(value, str):
        return tuple(alias.strip() for alias in value.split(";") if alias.strip())
    return value


Aliases = Annotated[tuple[str, ...], BeforeValidator(_split_aliases)]


class JurisdictionRow(BaseModel):
    """A row of seeds/jurisdictions.csv; `aliases` are separated by semicolons."""

    model_config = ConfigDict(extra="forbid")

    id: Slug
    name: str
    level: JurisdictionLevel
    parent: Slug | None = None
    aliases: Aliases = ()


class BodyRow(BaseModel):
    """A row of seeds/bodies.csv; `aliases` are separated by semicolons."""

    model_config = ConfigDict(extra="forbid")

    id: Slug
    name: str
    kind: BodyKind
    jurisdiction: Slug | None = None
    aliases: Aliases = ()


@dataclass
class Registry:
    """Jurisdictions and bodies by id, where each was defined, and indexes of their names."""

    jurisdictions: dict[str, Jurisdiction] = field(default_factory=dict)
    bodies: dict[str, Body] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    jurisdiction_names: NameIndex = field(default_factory=NameIndex)
    body_names: NameIndex = field(default_factory=NameIndex)
    files: dict[str, TextFile] = field(default_factory=dict)

    def jurisdiction_chain(self, jurisdiction_id: str) -> list[Jurisdiction]:
        """The jurisdiction and every jurisdiction it is part of, innermost first."""
        chain: list[Jurisdiction] = []
        current: str | None = jurisdiction_id
        while current is not None and current not in {j.id for j in chain}:
            jurisdiction = self.jurisdictions[current]
            chain.append(jurisdiction)
            current = jurisdiction.parent_id
        return chain


def parse_jurisdictions(file: TextFile, registry: Registry) -> None:
    rows = read_rows(file, JurisdictionRow)
    for line, row in rows:
        if row.id in registry.jurisdictions:
            raise IngestError(file.path, f"duplicate id {row.id!r}", line=line, field="id")
        registry.jurisdictions[row.id] = Jurisdiction(
            id=row.id, name=row.name, level=row.level, parent_id=row.parent, aliases=row.aliases
        )
        registry.lines[f"jurisdiction:{row.id}"] = line
        _index_names(file, line, registry.jurisdiction_names, row.id, (row.name, *row.aliases))
    for line, row in rows:
        if row.parent is not None and row.parent not in registry.jurisdictions:
            raise IngestError(
                file.path, f"unknown jurisdiction {row.parent!r}", line=line, field="parent"
            )
    registry.files[JURISDICTIONS_FILE] = file


def parse_bodies(file: TextFile, registry: Registry) -> None:
    for line, row in read_rows(file, BodyRow):
        if row.id in registry.bodies:
            raise IngestError(file.path, f"duplicate id {row.id!r}", line=line, field="id")
        if row.jurisdiction is not None and row.jurisdiction not in registry.jurisdictions:
            raise IngestError(
                file.path,
                f"unknown jurisdiction {row.jurisdiction!r}",
                line=line,
                field="jurisdiction",
            )
        registry.bodies[row.id] = Body(
            id=row.id,
            name=row.name,
            kind=row.kind,
            jurisdiction_id=row.jurisdiction,
            aliases=row.aliases,
        )
        registry.lines[f"body:{row.id}"] = line
        _index_names(file, line, registry.body_names, row.id, (row.name, *row.aliases))
    registry.files[BODIES_FILE] = file


def _index_names(
    file: TextFile, line: int, index: NameIndex, entity_id: str, names: tuple[str, ...]
) -> None:
    for name in names:
        try:
            index.add(name, entity_id)
        except AmbiguousNameError as error:
            raise IngestError(file.path, str(error), line=line, field="aliases") from None


def load_registry(seeds_dir: Path) -> Registry:
    """Read and cross-check seeds/jurisdictions.csv and seeds/bodies.csv."""
    registry = Registry()
    parse_jurisdictions(read_text_file(seeds_dir / JURISDICTIONS_FILE), registry)
    parse_bodies(read_text_file(seeds_dir / BODIES_FILE), registry)
    return registry
