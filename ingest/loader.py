"""Ingest one file or the whole seeds folder: recognise the file's kind, build its batch, write it atomically."""

from dataclasses import dataclass
from pathlib import Path

from graph.database import Database
from graph.writes import GraphBatch, Progress, WriteSummary, write_batch
from ingest import uk_nations
from ingest.context import IngestContext
from ingest.errors import IngestError
from ingest.files import read_text_file
from ingest.kind import SourceKind, candidate
from ingest.kinds import SOURCE_KINDS, participedia_cases
from ingest.kinds.lessons import LESSONS_FILE
from ingest.kinds.lineage import LINEAGE_FILE
from ingest.kinds.local_authorities import LOCAL_AUTHORITIES_FILE
from ingest.kinds.practices import PRACTICES_FILE
from ingest.kinds.redirects import REDIRECTS_FILE
from ingest.kinds.standards import STANDARDS_FILE
from ingest.register_rows import REGISTER_FILES
from ingest.registry import BODIES_FILE, JURISDICTIONS_FILE
from ingest.similarity import refresh_similarity
from ingest.themes import THEMES_FILE

OGP_COMMITMENTS_FILE = "ogp-irm-commitments-2016.csv"


@dataclass(frozen=True)
class Ingestion:
    path: Path
    summary: WriteSummary
    dry_run: bool
    notes: tuple[str, ...] = ()


def kind_of(path: Path) -> SourceKind:
    """The first source kind that recognises the file; an `IngestError` if none does."""
    file = read_text_file(path)
    seen = candidate(file)
    for kind in SOURCE_KINDS:
        if kind.recognises(seen):
            return kind
    if seen.is_csv:
        raise IngestError(path, "unrecognised CSV: its header matches no source ogkg knows", line=1)
    raise IngestError(path, "unrecognised file: its content matches no source ogkg knows")


def build_batch(path: Path, seeds_dir: Path, context: IngestContext | None = None) -> GraphBatch:
    """Read, validate and convert one file; nothing touches the graph."""
    shared = context or IngestContext(seeds_dir)
    return shared.built(path, lambda: kind_of(path).build(read_text_file(path), shared))


async def ingest_file(
    database: Database,
    path: Path,
    seeds_dir: Path,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    context: IngestContext | None = None,
) -> Ingestion:
    """Ingest `path` in one transaction; with `dry_run`, report what would change and roll back."""
    batch = build_batch(path, seeds_dir, context)
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
        seeds_dir / uk_nations.PLANS_FILE,
        seeds_dir / uk_nations.COMMITMENTS_FILE,
        seeds_dir / uk_nations.MILESTONES_FILE,
        seeds_dir / uk_nations.LESSONS_FILE,
        *(seeds_dir / name for name in REGISTER_FILES),
        seeds_dir / STANDARDS_FILE,
        seeds_dir / PRACTICES_FILE,
        seeds_dir / LESSONS_FILE,
        seeds_dir / participedia_cases.CASES_FILE,
        seeds_dir / LINEAGE_FILE,
        seeds_dir / REDIRECTS_FILE,
    ]


async def load_seeds(
    database: Database,
    seeds_dir: Path,
    progress: Progress | None = None,
    cache_dir: Path | None = None,
) -> list[Ingestion]:
    """Every seed in load order, each file in its own transaction, the shared files read once.

    Then every item's weighted words and themes are refreshed for `similar` (ingest/similarity.py).
    """
    context = IngestContext(seeds_dir)
    ingestions = [
        await ingest_file(database, path, seeds_dir, progress=progress, context=context)
        for path in seed_files(seeds_dir)
    ]
    await refresh_similarity(database, seeds_dir, cache_dir)
    return ingestions
