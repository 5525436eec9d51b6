"""Ingest one file or the whole seeds folder: recognise the file, parse it, write it atomically."""

from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from graph.database import Database
from graph.models import Source
from graph.writes import GraphBatch, Progress, WriteSummary, write_batch
from ingest.action_plan_text import parse_action_plan
from ingest.batches import action_plan_batch, bodies_batch, jurisdictions_batch, slugify
from ingest.curated_csv import read_rows
from ingest.curated_knowledge import (
    LESSONS_FILE,
    PRACTICES_FILE,
    STANDARDS_FILE,
    LessonRow,
    PracticeRow,
    StandardRow,
    lessons_batch,
    practices_batch,
    standards_batch,
)
from ingest.errors import IngestError
from ingest.files import TextFile, read_text_file
from ingest.local_authorities import is_local_authority_register, local_authorities_batch
from ingest.ogp_commitments import commitments_batch, first_rows, is_ogp_commitments
from ingest.redirects import REDIRECTS_FILE, RedirectRow, redirects_batch
from ingest.registry import (
    BODIES_FILE,
    JURISDICTIONS_FILE,
    BodyRow,
    JurisdictionRow,
    Registry,
    load_registry,
    parse_bodies,
    parse_jurisdictions,
)
from ingest.themes import (
    THEME_SCHEMES_FILE,
    THEMES_FILE,
    ThemeRow,
    load_taxonomy,
    parse_taxonomy,
    taxonomy_batch,
)

SOURCES_FILE = "sources.csv"
LOCAL_AUTHORITIES_FILE = "uk-local-authorities.csv"
OGP_COMMITMENTS_FILE = "ogp-irm-commitments-2016.csv"


class SourceRow(BaseModel):
    """A row of seeds/sources.csv: what the project knows about a file it ingests."""

    model_config = ConfigDict(extra="forbid")

    file: str
    title: str
    publisher: str | None = None
    licence: str | None = None


@dataclass(frozen=True)
class Ingestion:
    path: Path
    summary: WriteSummary
    dry_run: bool
    notes: tuple[str, ...] = ()


def _source(file: TextFile, seeds_dir: Path, default_title: str) -> Source:
    known: dict[str, SourceRow] = {}
    sources_path = seeds_dir / SOURCES_FILE
    if sources_path.exists():
        known = {row.file: row for _, row in read_rows(read_text_file(sources_path), SourceRow)}
    row = known.get(file.path.name)
    return Source(
        id=slugify(file.path.stem),
        title=row.title if row else default_title,
        publisher=row.publisher if row else None,
        licence=row.licence if row else None,
        path=file.path.name,
        checksum=file.checksum,
    )


def build_batch(path: Path, seeds_dir: Path) -> GraphBatch:
    """Read, validate and convert one file; nothing touches the graph."""
    file = read_text_file(path)
    if path.suffix.lower() != ".csv":
        registry = load_registry(seeds_dir)
        plan = parse_action_plan(file, registry)
        return action_plan_batch(plan, registry, _source(file, seeds_dir, plan.title))
    rows = first_rows(file)
    header = rows[0] if rows else []
    if header == list(JurisdictionRow.model_fields):
        registry = Registry()
        parse_jurisdictions(file, registry)
        return jurisdictions_batch(registry, _source(file, seeds_dir, "jurisdictions"))
    if header == list(BodyRow.model_fields):
        registry = Registry()
        parse_jurisdictions(read_text_file(seeds_dir / JURISDICTIONS_FILE), registry)
        parse_bodies(file, registry)
        return bodies_batch(registry, _source(file, seeds_dir, "bodies"))
    if header == list(ThemeRow.model_fields):
        schemes = path.parent / THEME_SCHEMES_FILE
        schemes_file = read_text_file(
            schemes if schemes.exists() else seeds_dir / THEME_SCHEMES_FILE
        )
        taxonomy = parse_taxonomy(schemes_file, file)
        return taxonomy_batch(taxonomy, _source(file, seeds_dir, "themes"))
    if header == list(StandardRow.model_fields):
        return standards_batch(file, _source(file, seeds_dir, "standards"))
    if header == list(PracticeRow.model_fields):
        source = _source(file, seeds_dir, "practices")
        return practices_batch(
            file, seeds_dir, load_registry(seeds_dir), load_taxonomy(seeds_dir), source
        )
    if header == list(LessonRow.model_fields):
        source = _source(file, seeds_dir, "lessons")
        return lessons_batch(
            file, seeds_dir, load_registry(seeds_dir), load_taxonomy(seeds_dir), source
        )
    if header == list(RedirectRow.model_fields):
        return redirects_batch(file, _source(file, seeds_dir, "redirects"))
    if is_local_authority_register(header):
        registry = load_registry(seeds_dir)
        return local_authorities_batch(
            file, registry, _source(file, seeds_dir, "local authorities")
        )
    if is_ogp_commitments(rows):
        source = _source(file, seeds_dir, "OGP/IRM commitments")
        return commitments_batch(file, load_registry(seeds_dir), load_taxonomy(seeds_dir), source)
    raise IngestError(path, "unrecognised CSV: its header matches no source ogkg knows", line=1)


async def ingest_file(
    database: Database,
    path: Path,
    seeds_dir: Path,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> Ingestion:
    """Ingest `path` in one transaction; with `dry_run`, report what would change and roll back."""
    batch = build_batch(path, seeds_dir)
    summary = await write_batch(database, batch, dry_run=dry_run, progress=progress)
    return Ingestion(path=path, summary=summary, dry_run=dry_run, notes=tuple(batch.notes))


def seed_files(seeds_dir: Path) -> list[Path]:
    """The seeds in load order: registries and taxonomy, the sources, then what links them."""
    return [
        seeds_dir / JURISDICTIONS_FILE,
        seeds_dir / BODIES_FILE,
        seeds_dir / THEMES_FILE,
        seeds_dir / LOCAL_AUTHORITIES_FILE,
        *sorted(seeds_dir.glob("*.txt")),
        seeds_dir / OGP_COMMITMENTS_FILE,
        seeds_dir / STANDARDS_FILE,
        seeds_dir / PRACTICES_FILE,
        seeds_dir / LESSONS_FILE,
        seeds_dir / REDIRECTS_FILE,
    ]


async def load_seeds(
    database: Database, seeds_dir: Path, progress: Progress | None = None
) -> list[Ingestion]:
    return [
        await ingest_file(database, path, seeds_dir, progress=progress)
        for path in seed_files(seeds_dir)
    ]
