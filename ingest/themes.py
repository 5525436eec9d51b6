"""The curated theme taxonomy (seeds/themes.csv, seeds/theme_schemes.csv): SKOS-like schemes, broader/narrower."""

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from graph.relationships import THEME_BROADER, THEME_IN_SCHEME
from graph.vocabulary import Label
from graph.writes import GraphBatch, NodeRow, RelationshipRow
from ingest.curated_csv import read_rows
from ingest.errors import IngestError
from ingest.files import TextFile, read_text_file
from ingest.registry import Slug

THEMES_FILE = "themes.csv"
THEME_SCHEMES_FILE = "theme_schemes.csv"
PLAN_THEMES_SCHEME = "plan-themes"


class ThemeSchemeRow(BaseModel):
    """A row of seeds/theme_schemes.csv."""

    model_config = ConfigDict(extra="forbid")

    id: Slug
    name: str
    description: str | None = None


class ThemeRow(BaseModel):
    """A row of seeds/themes.csv; `column` names the OGP/IRM data column that tags this theme."""

    model_config = ConfigDict(extra="forbid")

    id: Slug
    name: str
    scheme: Slug
    broader: Slug | None = None
    column: str | None = None


@dataclass
class Taxonomy:
    schemes: dict[str, ThemeSchemeRow] = field(default_factory=dict)
    themes: dict[str, ThemeRow] = field(default_factory=dict)
    lines: dict[str, tuple[str, int]] = field(default_factory=dict)

    def theme_for_column(self) -> dict[str, str]:
        return {theme.column: theme.id for theme in self.themes.values() if theme.column}


def parse_taxonomy(schemes_file: TextFile, themes_file: TextFile) -> Taxonomy:
    taxonomy = Taxonomy()
    for line, scheme in read_rows(schemes_file, ThemeSchemeRow):
        if scheme.id in taxonomy.schemes:
            raise IngestError(
                schemes_file.path, f"duplicate id {scheme.id!r}", line=line, field="id"
            )
        taxonomy.schemes[scheme.id] = scheme
        taxonomy.lines[f"scheme:{scheme.id}"] = (THEME_SCHEMES_FILE, line)
    rows = read_rows(themes_file, ThemeRow)
    columns: set[str] = set()
    for line, theme in rows:
        if theme.id in taxonomy.themes:
            raise IngestError(themes_file.path, f"duplicate id {theme.id!r}", line=line, field="id")
        if theme.scheme not in taxonomy.schemes:
            raise IngestError(
                themes_file.path, f"unknown scheme {theme.scheme!r}", line=line, field="scheme"
            )
        if theme.column is not None:
            if theme.column in columns:
                raise IngestError(
                    themes_file.path,
                    f"column {theme.column!r} is mapped twice",
                    line=line,
                    field="column",
                )
            columns.add(theme.column)
        taxonomy.themes[theme.id] = theme
        taxonomy.lines[f"theme:{theme.id}"] = (THEMES_FILE, line)
    for line, theme in rows:
        broader = taxonomy.themes.get(theme.broader) if theme.broader else None
        if theme.broader is not None and (broader is None or broader.scheme != theme.scheme):
            raise IngestError(
                themes_file.path,
                f"broader theme {theme.broader!r} is not a theme of scheme {theme.scheme!r}",
                line=line,
                field="broader",
            )
    return taxonomy


def load_taxonomy(seeds_dir: Path) -> Taxonomy:
    return parse_taxonomy(
        read_text_file(seeds_dir / THEME_SCHEMES_FILE), read_text_file(seeds_dir / THEMES_FILE)
    )


def add_scheme(batch: GraphBatch, scheme: ThemeSchemeRow, location: str) -> None:
    if not batch.has_node(Label.THEME_SCHEME, scheme.id):
        batch.add_node(
            Label.THEME_SCHEME,
            NodeRow(
                id=scheme.id,
                properties={"name": scheme.name, "description": scheme.description},
                location=location,
            ),
        )


def add_theme(batch: GraphBatch, taxonomy: Taxonomy, theme_id: str, location: str) -> None:
    """Add a theme with its scheme and every broader theme above it."""
    theme: ThemeRow | None = taxonomy.themes[theme_id]
    while theme is not None and not batch.has_node(Label.THEME, theme.id):
        add_scheme(batch, taxonomy.schemes[theme.scheme], location)
        batch.add_node(
            Label.THEME,
            NodeRow(
                id=theme.id,
                properties={"name": theme.name, "scheme": theme.scheme},
                location=location,
            ),
        )
        batch.add_relationship(
            THEME_IN_SCHEME,
            RelationshipRow(start_id=theme.id, end_id=theme.scheme, location=location),
        )
        if theme.broader is not None:
            batch.add_relationship(
                THEME_BROADER,
                RelationshipRow(start_id=theme.id, end_id=theme.broader, location=location),
            )
        theme = taxonomy.themes[theme.broader] if theme.broader else None
