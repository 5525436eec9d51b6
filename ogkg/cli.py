"""The `ogkg` command line: serve, ingest, seed, schema, export, import, token and the local Neo4j's start/stop/status."""

import argparse
import asyncio
import os
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TypeVar

from neo4j.exceptions import DriverError, Neo4jError

from api.persisted_queries import AllowListError
from api.principal import Role
from api.token_verifier import AuthSettingsError
from graph import bodies, jurisdictions
from graph.database import UNAVAILABLE_ERRORS, Database, with_database
from graph.duplicates import DISTINCT_BODIES_FILE, distinct_pairs, duplicate_candidates
from graph.export_formats import ExportFormat, export_files
from graph.schema import apply_schema
from graph.writes import MissingEndpointError
from ingest.errors import IngestError
from ingest.loader import Ingestion, ingest_file, load_seeds
from ingest.meaning_vectors import MEANING_CACHE
from ingest.open_data import import_export
from ingest.similarity import refresh_similarity
from ogkg.local_neo4j import LocalNeo4j, LocalNeo4jError
from ogkg.serve import serve
from ogkg.serve_lock import ServeLockError
from ogkg.settings import Settings
from ogkg.signing_key import SigningKeyError, load_signing_key
from ogkg.tokens import DEFAULT_TTL, issue_token, parse_duration

T = TypeVar("T")

API_SHUTDOWN_SECONDS = 3


class CommandError(Exception):
    """A failure to report in one line, without a traceback."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ogkg",
        description="The open-government knowledge graph. Options fall back to OGKG_* and NEO4J_* "
        "environment variables; with NEO4J_URI unset, ogkg runs a local Neo4j itself.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser(
        "serve", help="start Neo4j if needed, prepare the graph, serve GraphQL"
    )
    serve.add_argument("--host", help="address to listen on (env OGKG_HOST, default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (env OGKG_PORT, default 8000)")

    ingest = commands.add_parser("ingest", help="ingest source files into the graph")
    ingest.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    ingest.add_argument(
        "--dry-run", action="store_true", help="report what would change, write nothing"
    )

    commands.add_parser("seed", help="apply the schema and ingest every file in the seeds folder")
    commands.add_parser(
        "review-duplicates",
        help="list bodies whose names look alike but are separate, for a coordinator to decide",
    )
    commands.add_parser("schema", help="apply constraints and indexes (idempotent)")

    export = commands.add_parser(
        "export", help="write the whole graph as open data: CSV, JSON-LD or NDJSON files"
    )
    export.add_argument(
        "--format", required=True, choices=[f.value for f in ExportFormat], dest="export_format"
    )
    export.add_argument(
        "--out", type=Path, default=Path("export"), help="folder to write into (default ./export)"
    )
    import_ = commands.add_parser(
        "import", help="ingest a CSV export (`ogkg export --format csv`), keeping its sources"
    )
    import_.add_argument("directory", type=Path, metavar="DIR")

    token = commands.add_parser(
        "token", help="print a bearer token signed by this install's key (created if missing)"
    )
    token.add_argument(
        "--role",
        action="append",
        required=True,
        choices=[role.value for role in Role],
        help="a role the token grants (repeatable)",
    )
    token.add_argument("--subject", required=True, help="who the token names: a stable user name")
    token.add_argument("--name", help="display name")
    token.add_argument(
        "--ttl",
        default=DEFAULT_TTL,
        help=f"how long the token lasts: seconds, or like 30m, 12h, 7d (default {DEFAULT_TTL})",
    )

    neo4j = commands.add_parser("neo4j", help="control the local Neo4j server")
    neo4j.add_argument("action", choices=["start", "stop", "status"])
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = build_parser().parse_args(argv)
    settings = Settings()
    if getattr(arguments, "host", None):
        settings.host = arguments.host
    if getattr(arguments, "port", None) is not None:
        settings.port = arguments.port
    try:
        match arguments.command:
            case "neo4j":
                return neo4j_command(settings, arguments.action)
            case "serve":
                return serve(settings, local_neo4j(settings), progress=terminal_progress)
            case "ingest":
                return run_against_graph(
                    settings, lambda db: ingest(db, settings, arguments.paths, arguments.dry_run)
                )
            case "seed":
                return run_against_graph(settings, lambda db: seed(db, settings))
            case "review-duplicates":
                return run_against_graph(settings, lambda db: review_duplicates(db, settings))
            case "schema":
                return run_against_graph(settings, schema)
            case "export":
                export_format = ExportFormat(arguments.export_format)
                return run_against_graph(
                    settings, lambda db: export(db, export_format, arguments.out)
                )
            case "import":
                return run_against_graph(
                    settings, lambda db: import_(db, settings, arguments.directory)
                )
            case "token":
                return token(
                    settings, arguments.subject, arguments.role, arguments.name, arguments.ttl
                )
    except (
        CommandError,
        LocalNeo4jError,
        IngestError,
        MissingEndpointError,
        AllowListError,
        SigningKeyError,
        AuthSettingsError,
        ServeLockError,
    ) as error:
        print(f"ogkg: error: {error}", file=sys.stderr)
        return 1
    except UNAVAILABLE_ERRORS:
        print(f"ogkg: error: cannot reach Neo4j at {settings.neo4j_uri}", file=sys.stderr)
        return 1
    except (Neo4jError, DriverError) as error:
        print(f"ogkg: error: Neo4j refused the request: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # Ctrl-C (or SIGTERM) before serving began; what started is stopped.
        print("ogkg: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `ogkg ... | head`: the reader has gone; so do we, quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 2


def local_neo4j(settings: Settings) -> LocalNeo4j:
    return LocalNeo4j(settings.local_neo4j, settings.home)


def neo4j_command(settings: Settings, action: str) -> int:
    if not settings.uses_local_neo4j:
        print(f"NEO4J_URI is set ({settings.neo4j_uri}): ogkg does not manage that server")
        return 0 if action == "status" else 1
    server = local_neo4j(settings)
    if action == "start":
        if server.start():
            print(f"Neo4j started at {settings.local_neo4j.uri}")
        else:
            print(
                f"Neo4j already running (pid {server.running_pid()}) at {settings.local_neo4j.uri}"
            )
    elif action == "stop":
        stopped = server.stop()
        print("Neo4j stopped" if stopped else "Neo4j was not running")
    else:
        status = server.status()
        pid = f" (pid {status.pid})" if status.pid else ""
        print(f"Neo4j {status.detail}{pid} at {status.uri}")
        return 0 if status.running else 3
    return 0


def run_against_graph(settings: Settings, command: Callable[[Database], Awaitable[int]]) -> int:
    """Run a command against the graph, starting the local Neo4j first if it is the one in use."""
    if settings.uses_local_neo4j and local_neo4j(settings).start():
        print(f"started the local Neo4j at {settings.local_neo4j.uri} ('ogkg neo4j stop' stops it)")

    return asyncio.run(with_database(settings.neo4j, settings.neo4j_uri, command))


def print_ingestions(ingestions: Sequence[Ingestion]) -> None:
    for ingestion in ingestions:
        verb = "would change" if ingestion.dry_run else "ingested"
        summary = ingestion.summary
        print(
            f"{verb} {ingestion.path.name}: source {summary.source_id}, "
            f"{summary.created} created, {summary.updated} updated"
        )
        print(
            f"  {'label or type':<20} {'created':>8} {'updated':>8} {'moved':>8} {'unchanged':>10}"
        )
        for name, counts in sorted(summary.counts.items()):
            print(
                f"  {name:<20} {counts.created:>8} {counts.updated:>8} {counts.moved:>8} "
                f"{counts.unchanged:>10}"
            )
        for note in ingestion.notes:
            print(f"  note: {note}")
        for clash in summary.clashes:
            print(f"  curated: {clash}")


def terminal_progress(source_id: str, done: int, total: int) -> None:
    """One progress line on a terminal, rewritten in place and cleared when a file is done.

    Nothing when stderr is a file or pipe.
    """
    if not sys.stderr.isatty() or total == 0:
        return
    width = 30
    filled = width * done // total
    line = f"  {source_id[:40]:<40} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} rows"
    print(f"\r\x1b[K{line}" if done < total else "\r\x1b[K", end="", file=sys.stderr, flush=True)


async def ingest(database: Database, settings: Settings, paths: list[Path], dry_run: bool) -> int:
    await apply_schema(database)
    ingestions = [
        await ingest_file(
            database, path, settings.seeds_dir, dry_run=dry_run, progress=terminal_progress
        )
        for path in paths
    ]
    print_ingestions(ingestions)
    if not dry_run:
        refreshed = await refresh_similarity(
            database, settings.seeds_dir, settings.home / MEANING_CACHE
        )
        print(f"similarity terms refreshed for {refreshed} items")
    return 0


async def seed(database: Database, settings: Settings) -> int:
    await apply_schema(database)
    print_ingestions(
        await load_seeds(
            database,
            settings.seeds_dir,
            progress=terminal_progress,
            cache_dir=settings.home / MEANING_CACHE,
        )
    )
    return 0


async def review_duplicates(database: Database, settings: Settings) -> int:
    """Print candidate pairs; merging is a coordinator's edit to seeds/bodies.csv (an alias)."""
    distinct_file = settings.seeds_dir / DISTINCT_BODIES_FILE
    distinct = distinct_pairs(distinct_file)
    candidates = duplicate_candidates(
        await bodies.bodies(database), await jurisdictions.all_jurisdictions(database), distinct
    )
    print(f"{len(candidates)} pair(s) of bodies may be one organisation:")
    print(f"  {'where':<14} {'body':<44} {'looks like':<44} why")
    for candidate in candidates:
        first = f"{candidate.first.name} [{candidate.first.id}]"
        second = f"{candidate.second.name} [{candidate.second.id}]"
        print(
            f"  {candidate.jurisdiction_id or 'international':<14} {first:<44} {second:<44} {candidate.reason}"
        )
    print(
        "To merge a pair, a coordinator calls the GraphQL mutation mergeBodies(keep:, drop:, "
        "reason:) (see README, Curating); to merge it in every fresh install too, give the kept "
        "body the other's name as an alias in seeds/bodies.csv and add a redirect to "
        f"seeds/redirects.csv; to keep them apart, add the pair to seeds/{DISTINCT_BODIES_FILE}."
    )
    return 0


async def schema(database: Database) -> int:
    await apply_schema(database)
    print("schema applied")
    return 0


async def export(database: Database, export_format: ExportFormat, out: Path) -> int:
    """Write every file of the export into `out`, each streamed from the graph as it is read."""
    out.mkdir(parents=True, exist_ok=True)
    for name, file in export_files(export_format).items():
        with (out / name).open("w", encoding="utf-8", newline="") as written:
            async for chunk in file.write(database):
                written.write(chunk)
        print(f"wrote {out / name}")
    return 0


async def import_(database: Database, settings: Settings, directory: Path) -> int:
    await apply_schema(database)
    summaries = await import_export(database, directory)
    created = sum(summary.created for summary in summaries)
    updated = sum(summary.updated for summary in summaries)
    print(f"imported {directory}: {len(summaries)} batches, {created} created, {updated} updated")
    refreshed = await refresh_similarity(
        database, settings.seeds_dir, settings.home / MEANING_CACHE
    )
    print(f"similarity terms refreshed for {refreshed} items")
    return 0


def token(settings: Settings, subject: str, roles: list[str], name: str | None, ttl: str) -> int:
    """Print a token for the local issuer; with an OIDC provider configured, tokens come from it."""
    if settings.jwks_url is not None:
        raise CommandError("OGKG_JWKS_URL is set: get tokens from the OIDC provider instead")
    if not subject.strip():
        raise CommandError("--subject must not be empty")
    if "@" in subject or (name and "@" in name):
        raise CommandError("a token names a person, never an email address: drop the '@…'")
    try:
        lifetime = parse_duration(ttl)
    except ValueError as error:
        raise CommandError(f"--ttl: {error}") from error
    key = load_signing_key(settings)
    print(issue_token(key, subject, [Role(r) for r in roles], display_name=name, ttl=lifetime))
    return 0


if __name__ == "__main__":
    sys.exit(main())
