"""Benchmark: response sizes and latency with and without compression, over loopback, on a seeded graph.

Serves the real app with uvicorn in a process of its own (as `ogkg serve` does) against the Neo4j
at `--neo4j-uri` (seed it first: `ogkg seed`), and for the dashboards' two largest answers, all
bodies and the plan → commitment → leads dump, prints for each `Accept-Encoding` the bytes on the
wire and the p50/p95 of whole requests (the client's decoding included); the encodings take
turns request by request, so a busy machine slows them alike.

    .venv/bin/python -m bench.compression --neo4j-uri bolt://127.0.0.1:7687 --requests 200
"""

import argparse
import os
import statistics
import time

import httpx

from bench.api_latency import api_server

QUERIES = {
    "bodies": "{ bodies { id name kind } }",
    "plan dump": "{ actionPlans { commitments { id title leads { name } } } }",
}
ENCODINGS = ("identity", "gzip", "br", "zstd")
WARM_UP = 5


def measure(client: httpx.Client, url: str, query: str, requests: int) -> list[str]:
    """One line per encoding; the encodings take turns, so a busy machine slows them all alike."""
    timings: dict[str, list[float]] = {encoding: [] for encoding in ENCODINGS}
    wire: dict[str, int] = {}
    decoded = 0
    for round_number in range(WARM_UP + requests):
        for encoding in ENCODINGS:
            started = time.perf_counter()
            response = client.post(
                url, json={"query": query}, headers={"accept-encoding": encoding}
            )
            elapsed = time.perf_counter() - started
            response.raise_for_status()
            assert response.headers.get("content-encoding", "identity") == encoding
            if round_number >= WARM_UP:
                timings[encoding].append(elapsed)
            wire[encoding], decoded = response.num_bytes_downloaded, len(response.content)
    lines = []
    for encoding, samples in timings.items():
        cuts = statistics.quantiles(samples, n=100, method="inclusive")
        lines.append(
            f"{encoding:<9} {wire[encoding]:>10,} B  {wire[encoding] / decoded:>6.1%}  "
            f"p50 {cuts[49] * 1000:7.1f} ms  p95 {cuts[94] * 1000:7.1f} ms"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--neo4j-uri", default="bolt://127.0.0.1:7687")
    parser.add_argument("--requests", type=int, default=100)
    arguments = parser.parse_args()
    os.environ["OGKG_RATE_LIMIT"] = "off"  # the benchmark is one client sending many requests
    with api_server(arguments.neo4j_uri) as url, httpx.Client(timeout=60) as client:
        for name, query in QUERIES.items():
            print(f"{name}: {query}")
            for line in measure(client, url, query, arguments.requests):
                print("  " + line)


if __name__ == "__main__":
    main()
