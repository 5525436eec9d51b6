"""Benchmark: a fresh `ogkg serve`'s time to ready, and each page's first request against its tenth.

Starts `ogkg serve` (its local Neo4j too, so the JVM is cold; the graph in OGKG_HOME must be
seeded already, as after one `make run`), times the start to its ready line, then asks the
explorer's pages and a dashboard's GraphQL question ten times each, in turn, and prints the first
answer's time against the tenth's: the ratio the warm-up is for. Run it with and without the
warm-up to see what it buys:

    .venv/bin/python -m bench.first_requests
    OGKG_WARM_UP=false .venv/bin/python -m bench.first_requests
    .venv/bin/python -m bench.first_requests --after 15   # a visitor who arrives 15 s after ready
"""

import argparse
import os
import subprocess
import sys
import time
from urllib.parse import urlencode

import httpx

from bench.bench_neo4j import free_port
from ogkg.settings import PROJECT_ROOT

DASHBOARD = """{ coverage(level: NATION) { themes { id } rows { jurisdiction { id } counts } }
  irmSummary { assessed } commitmentsByPlan { year commitments } }"""
SAMPLE_IDS = """{ commitmentsConnection(first: 1) { edges { node { id } } }
  bodiesConnection(first: 1) { edges { node { id } } } }"""


def started(port: int) -> tuple[subprocess.Popen[str], float]:
    """`ogkg serve` on `port` and the seconds to its ready line."""
    began = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "ogkg.cli", "serve", "--port", str(port)],
        cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env={**os.environ, "OGKG_LOG_LEVEL": "warning"},
    )  # fmt: skip
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("ogkg is ready"):
            return process, time.perf_counter() - began
    raise SystemExit(f"ogkg serve exited with {process.wait()} before it was ready")


def timed(client: httpx.Client, method: str, path: str, body: dict[str, str] | None) -> float:
    began = time.perf_counter()
    answer = client.request(method, path, json=body)
    answer.raise_for_status()
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument(
        "--after", type=float, default=0.0, help="seconds to wait after ready (a person reading)"
    )
    arguments = parser.parse_args()
    port = free_port()
    process, ready_seconds = started(port)
    print(
        f"ready after {ready_seconds:.1f} s (OGKG_WARM_UP={os.environ.get('OGKG_WARM_UP', 'true')})"
    )
    time.sleep(arguments.after)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
            requests: list[tuple[str, str, str, dict[str, str] | None]] = [
                ("home", "GET", "/", None),
                ("search", "GET", "/?" + urlencode({"q": "participatory budgeting"}), None),
                ("dashboard", "POST", "/graphql", {"query": DASHBOARD}),
                ("coverage", "GET", "/coverage", None),
            ]
            ids = client.post("/graphql", json={"query": SAMPLE_IDS}).json()["data"]
            commitment = ids["commitmentsConnection"]["edges"][0]["node"]["id"]
            body = ids["bodiesConnection"]["edges"][0]["node"]["id"]
            requests += [
                ("commitment", "GET", f"/commitments/{commitment}", None),
                ("body", "GET", f"/bodies/{body}", None),
            ]
            times: dict[str, list[float]] = {name: [] for name, *_ in requests}
            for _ in range(arguments.repeats):
                for name, method, path, payload in requests:
                    times[name].append(timed(client, method, path, payload))
        print(f"{'request':<12} {'first ms':>9} {'tenth ms':>9} {'first/tenth':>12}")
        for name, seconds in times.items():
            first, last = seconds[0], seconds[-1]
            print(f"{name:<12} {first * 1000:>9.0f} {last * 1000:>9.0f} {first / last:>11.1f}x")
    finally:
        process.terminate()
        process.wait(timeout=60)


if __name__ == "__main__":
    main()
