"""seeds/themes.csv (with theme_schemes.csv beside it) as a source kind: the theme taxonomy."""

from graph.models import Source
from graph.writes import GraphBatch
from ingest.context import IngestContext
from ingest.files import TextFile, read_text_file
from ingest.kind import SourceKind, has_columns
from ingest.themes import (
    THEME_SCHEMES_FILE,
    Taxonomy,
    ThemeRow,
    add_scheme,
    add_theme,
    parse_taxonomy,
)


def taxonomy_batch(taxonomy: Taxonomy, source: Source) -> GraphBatch:
    """Every scheme and theme, located by their lines in the curated files."""
    batch = GraphBatch(source)
    for scheme in taxonomy.schemes.values():
        add_scheme(
            batch, scheme, f"{THEME_SCHEMES_FILE} line {taxonomy.lines[f'scheme:{scheme.id}'][1]}"
        )
    for theme in taxonomy.themes.values():
        add_theme(batch, taxonomy, theme.id, f"line {taxonomy.lines[f'theme:{theme.id}'][1]}")
    return batch


def _build(file: TextFile, context: IngestContext) -> GraphBatch:
    """The taxonomy of this file, with the schemes beside it (or the seeds' schemes)."""
    schemes = file.path.parent / THEME_SCHEMES_FILE
    schemes_file = (
        read_text_file(schemes) if schemes.exists() else context.seed_file(THEME_SCHEMES_FILE)
    )
    taxonomy = parse_taxonomy(schemes_file, file)
    return taxonomy_batch(taxonomy, context.source(file, "themes"))


KIND = SourceKind("themes", has_columns(list(ThemeRow.model_fields)), _build)
