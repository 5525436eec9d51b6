"""Benchmark (issue 9, part 2): does `/health` stay fast while the heaviest admitted queries run?

Serves the real app with uvicorn in a process of its own (`bench.api_latency.api_server`, as in
production, so the clients here do not share its interpreter) against the Neo4j at `--uri`,
which must hold the seed graph (`ogkg seed`). Sends the dashboard query (every plan's commitments with
leads and partners, plus all bodies and jurisdictions) from `--clients` clients at once, each
`--rounds` times, while one more client asks `/health` every 10 ms; prints p50/p99/max of
`/health` and the dashboard's own times. The target is a `/health` p99 under 100 ms.

    .venv/bin/python -m bench.loop_responsiveness --uri bolt://127.0.0.1:7687 --clients 4
"""

import argparse
import os
import statistics
import threading
import time

import httpx

from bench.api_latency import api_server

DASHBOARD = """{
  actionPlans { id title commitments { id code title leads { id name }
    partners { role body { id name } } } }
  bodies { id name kind }
  jurisdictions { id name }
}"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--uri", default="bolt://127.0.0.1:7687")
    arguments = parser.parse_args()
    # The server inherits the environment: a deadline the dashboards cannot reach on a busy box.
    os.environ.setdefault("OGKG_REQUEST_TIMEOUT", "600")
    with api_server(arguments.uri) as graphql_url:
        measure(graphql_url.removesuffix("/graphql"), arguments.clients, arguments.rounds)


def measure(url: str, clients_count: int, rounds: int) -> None:
    health: list[float] = []
    answers: list[float] = []
    done = threading.Event()

    def heavy() -> None:
        with httpx.Client(timeout=600) as client:
            for _ in range(rounds):
                started = time.perf_counter()
                response = client.post(f"{url}/graphql", json={"query": DASHBOARD})
                answers.append(time.perf_counter() - started)
                assert response.status_code == 200 and "errors" not in response.json()

    def watch() -> None:
        with httpx.Client(timeout=60) as client:
            while not done.is_set():
                started = time.perf_counter()
                client.get(f"{url}/health")
                health.append(time.perf_counter() - started)
                time.sleep(0.01)

    watcher = threading.Thread(target=watch)
    watcher.start()
    clients = [threading.Thread(target=heavy) for _ in range(clients_count)]
    for client in clients:
        client.start()
    for client in clients:
        client.join()
    done.set()
    watcher.join()
    print(
        f"/health while {clients_count} dashboards ran: n={len(health)} "
        f"p50={statistics.median(health) * 1000:.1f} ms p99={percentile(health, 0.99) * 1000:.1f} ms "
        f"max={max(health) * 1000:.1f} ms"
    )
    print(
        f"dashboard: n={len(answers)} p50={statistics.median(answers):.2f} s "
        f"max={max(answers):.2f} s"
    )


if __name__ == "__main__":
    main()
