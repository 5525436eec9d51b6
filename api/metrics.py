"""The service's Prometheus metrics: requests, latencies per GraphQL operation, errors by code, Neo4j round trips, ingest counts; served at /metrics."""

import os
import re
import time
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from graphql import GraphQLError, OperationDefinitionNode, parse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector
from starlette.requests import Request
from starlette.responses import Response
from strawberry.extensions import SchemaExtension

from api.persisted_queries import PersistedQueries
from graph.database import RoundTrip
from ogkg.settings import Settings

# Without an allow-list, this many distinct operation names get their own label; later ones
# count as OTHER, so a client inventing names cannot grow the metrics without bound.
MAX_OPERATION_NAMES = 100
ANONYMOUS = "anonymous"
OTHER = "other"
OPERATION_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]{0,99}\Z")
# Where prometheus_client's multiprocess mode keeps each worker's values (see README).
MULTIPROCESS_DIRECTORY = "PROMETHEUS_MULTIPROC_DIR"

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


def operation_names(persisted: PersistedQueries) -> frozenset[str]:
    """The names of the operations an allow-list holds."""
    names: set[str] = set()
    for text in persisted.documents.values():
        try:
            document = parse(text)
        except GraphQLError:
            continue
        names.update(
            definition.name.value
            for definition in document.definitions
            if isinstance(definition, OperationDefinitionNode) and definition.name is not None
        )
    return frozenset(names)


class Metrics:
    """One app's metrics, in a registry of its own (several apps in one process stay apart)."""

    def __init__(self, settings: Settings) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.known_operations: frozenset[str] | None = (
            operation_names(PersistedQueries.load(settings.persisted_queries))
            if settings.persisted_queries is not None
            else None
        )
        self._seen_operations: set[str] = set()
        registry = self.registry
        self.requests = Counter(
            "ogkg_http_requests",
            "HTTP requests answered, by route, method and status.",
            ["route", "method", "status"],
            registry=registry,
        )
        self.request_seconds = Histogram(
            "ogkg_http_request_duration_seconds",
            "Seconds from a request's arrival to the end of its response, by route.",
            ["route"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.operation_seconds = Histogram(
            "ogkg_graphql_operation_duration_seconds",
            "Seconds one GraphQL operation took (parse, validate, execute), by operation name: "
            "a named operation of the allow-list (or one of the first names seen), "
            "'anonymous' without a name, 'other' past the bound.",
            ["operation"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.errors = Counter(
            "ogkg_graphql_errors",
            "Errors in GraphQL responses, by extensions.code.",
            ["code"],
            registry=registry,
        )
        self.round_trips = Counter(
            "ogkg_neo4j_round_trips",
            "Queries and transactions sent to Neo4j by the API: read, write, stream or schema.",
            ["kind"],
            registry=registry,
        )
        # Each labelled child looked up once (`labels()` takes a lock and builds a key each time);
        # the labels are bounded (routes, methods, statuses, operation names), so are these.
        self._request_counters: dict[tuple[str, str, int], Counter] = {}
        self._request_timers: dict[str, Histogram] = {}
        self._operation_timers: dict[str, Histogram] = {}
        self._round_trip_counters: dict[str, Counter] = {}
        self.ingested = Counter(
            "ogkg_ingest_created",
            "Nodes and relationships created by ingests this process ran, by source kind.",
            ["source_kind", "record"],
            registry=registry,
        )

    def operation_label(self, name: str | None) -> str:
        """A bounded label for an operation name."""
        if not name:
            return ANONYMOUS
        if self.known_operations is not None:
            return name if name in self.known_operations else OTHER
        if name in self._seen_operations:
            return name
        if OPERATION_NAME.match(name) and len(self._seen_operations) < MAX_OPERATION_NAMES:
            self._seen_operations.add(name)
            return name
        return OTHER

    def count_request(self, route: str, method: str, status: int, seconds: float) -> None:
        """One HTTP request answered: its count and its duration."""
        counter = self._request_counters.get((route, method, status))
        if counter is None:
            counter = self.requests.labels(route, method, str(status))
            self._request_counters[(route, method, status)] = counter
        counter.inc()
        timer = self._request_timers.get(route)
        if timer is None:
            timer = self._request_timers[route] = self.request_seconds.labels(route)
        timer.observe(seconds)

    def observe_operation(self, name: str | None, seconds: float) -> None:
        """One GraphQL operation's duration, under its bounded name."""
        label = self.operation_label(name)
        timer = self._operation_timers.get(label)
        if timer is None:
            timer = self._operation_timers[label] = self.operation_seconds.labels(label)
        timer.observe(seconds)

    def count_errors(self, errors: Iterable[Mapping[str, Any]] | None) -> None:
        """Count a response body's errors by `extensions.code` (every error has one by then)."""
        for error in errors or ():
            code = (error.get("extensions") or {}).get("code") or "UNKNOWN"
            self.errors.labels(str(code)).inc()

    def count_round_trip(self, kind: RoundTrip) -> None:
        counter = self._round_trip_counters.get(kind)
        if counter is None:
            counter = self._round_trip_counters[kind] = self.round_trips.labels(kind)
        counter.inc()

    def count_ingested(self, source_kind: str, record: str, created: int) -> None:
        """`record` is "node" or "relationship"."""
        self.ingested.labels(source_kind, record).inc(created)

    def exposition(self) -> bytes:
        """The metrics in Prometheus' text format; every worker's in multiprocess mode."""
        if os.environ.get(MULTIPROCESS_DIRECTORY):
            registry = CollectorRegistry()
            MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
            return generate_latest(registry)
        return generate_latest(self.registry)


async def metrics_endpoint(request: Request) -> Response:
    metrics: Metrics = request.app.state.metrics
    return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)


class OperationMetrics(SchemaExtension):
    """Time each operation by its (bounded) name, including one refused before it ran."""

    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            context = self.execution_context.context
            app = getattr(getattr(context, "request", None), "app", None)
            metrics: Metrics | None = getattr(getattr(app, "state", None), "metrics", None)
            if metrics is not None:
                metrics.observe_operation(
                    self.execution_context.operation_name, time.perf_counter() - started
                )
