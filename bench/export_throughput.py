"""Benchmark: the open-data export of the synthetic graph (bench/ingest_throughput.py's shape), per format.

Loads the synthetic graph through the ingest path (so every record has its sources), then
exports it in each format, each in a child process of its own so that its peak memory is its
own; prints records (lines written) per second and the child's peak RSS before and after exporting.

    .venv/bin/python -m bench.export_throughput                  # 100k commitments, ~1M rows
    .venv/bin/python -m bench.export_throughput --commitments 20000
    NEO4J_URI=bolt://127.0.0.1:7690 .venv/bin/python -m bench.export_throughput --reuse

Uses NEO4J_URI if set (the graph is cleared!), else starts a throw-away local Neo4j.
"""

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.bench_neo4j import bench_neo4j
from bench.ingest_throughput import Shape, clear, synthetic_batches
from graph.database import Database, open_driver
from graph.export_formats import ExportFormat, export_files
from graph.schema import apply_schema
from graph.writes import write_batch
from ogkg.settings import Neo4jSettings, Settings


def peak_rss_mib() -> float:
    """This process's peak resident memory since it began.

    Linux's VmHWM: unlike getrusage's ru_maxrss, it starts afresh at exec, so it is not the parent's.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def load(settings: Settings, uri: str, shape: Shape) -> int:
    driver = open_driver(settings.neo4j, uri)
    database = Database(driver, settings.neo4j.database)
    rows = 0
    try:
        await apply_schema(database)
        await clear(database)
        for batch in synthetic_batches(shape):
            rows += batch.row_count()
            await write_batch(database, batch)
    finally:
        await driver.close()
    return rows


async def export_once(uri: str, export_format: ExportFormat, out: Path) -> dict[str, float]:
    """Export every file of `export_format` into `out`; the records written and the time taken."""
    settings = Settings(neo4j=Neo4jSettings(uri=uri))
    driver = open_driver(settings.neo4j, uri)
    database = Database(driver, settings.neo4j.database)
    before = peak_rss_mib()
    records = 0
    started = time.perf_counter()
    try:
        for name, file in export_files(export_format).items():
            with (out / name).open("w", encoding="utf-8", newline="") as written:
                async for chunk in file.write(database):
                    written.write(chunk)
                    records += chunk.count("\n")
    finally:
        await driver.close()
    seconds = time.perf_counter() - started
    return {
        "records": records,
        "seconds": seconds,
        "rss_before": before,
        "rss_peak": peak_rss_mib(),
    }


def child(uri: str, export_format: str, out: str) -> None:
    """Run in a child process: one format's export, its figures as one JSON line on stdout."""
    figures = asyncio.run(export_once(uri, ExportFormat(export_format), Path(out)))
    print(json.dumps(figures))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--commitments", type=int, default=100_000)
    parser.add_argument("--bodies", type=int, default=20_000)
    parser.add_argument("--jurisdictions", type=int, default=500)
    parser.add_argument(
        "--reuse", action="store_true", help="export the graph NEO4J_URI holds, loading nothing"
    )
    parser.add_argument(
        "--child", nargs=3, metavar=("URI", "FORMAT", "OUT"), help=argparse.SUPPRESS
    )
    arguments = parser.parse_args()
    if arguments.child:
        child(*arguments.child)
        return
    shape = Shape(arguments.commitments, arguments.bodies, arguments.jurisdictions)
    with bench_neo4j() as (settings, uri):
        if not arguments.reuse:
            started = time.perf_counter()
            rows = asyncio.run(load(settings, uri, shape))
            print(
                f"shape: {shape.commitments} commitments, {shape.bodies} bodies, "
                f"{shape.jurisdictions} jurisdictions, {shape.themes} themes: {rows} rows loaded "
                f"in {time.perf_counter() - started:.0f} s"
            )
        print(
            f"{'format':<8} {'records':>10} {'seconds':>8} {'records/s':>10} "
            f"{'RSS before':>11} {'peak RSS':>9} {'output':>9}"
        )
        for export_format in ExportFormat:
            with tempfile.TemporaryDirectory(prefix="ogkg-export-bench-") as out:
                result = subprocess.run(
                    [sys.executable, "-m", "bench.export_throughput", "--child", uri, export_format.value, out],
                    capture_output=True, text=True, check=True, env=dict(os.environ),
                )  # fmt: skip
                figures = json.loads(result.stdout.strip().splitlines()[-1])
                size = sum(path.stat().st_size for path in Path(out).iterdir()) / 2**20
            per_second = figures["records"] / figures["seconds"]
            print(
                f"{export_format.value:<8} {figures['records']:>10.0f} {figures['seconds']:>8.1f} "
                f"{per_second:>10.0f} {figures['rss_before']:>8.0f} MiB {figures['rss_peak']:>5.0f} MiB "
                f"{size:>5.0f} MiB"
            )


if __name__ == "__main__":
    main()
