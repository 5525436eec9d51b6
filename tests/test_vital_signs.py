"""The service's vital signs over real HTTP: Prometheus metrics that move with requests, JSON log lines with the request id, and trace spans when tracing is on."""

import io
import json
import logging
import os
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from prometheus_client.parser import text_string_to_metric_families

from api.app import create_app
from api.logs import JsonLogFormatter, RequestIds, TextLogFormatter, log_config, resolved_log_format
from api.metrics import ANONYMOUS, MAX_OPERATION_NAMES, OTHER, Metrics
from api.persisted_queries import document_hash
from graph.database import Database
from ingest.loader import ingest_file, kind_of
from ogkg.serve import count_ingested
from ogkg.settings import Settings
from tests.conftest import SEEDS_DIR, GraphForTests, start_server

T = TypeVar("T")
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]

PLANS = "query Plans { actionPlans { id } }"


def scrape(http: httpx.Client, api_url: str) -> Samples:
    response = http.get(f"{api_url}/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def eventually(find: Callable[[], T | None], seconds: float = 10.0) -> T:
    """What `find` returns once it is not None: the server logs and ends spans after responding."""
    deadline = time.monotonic() + seconds
    while True:
        found = find()
        if found is not None or time.monotonic() > deadline:
            assert found is not None
            return found
        time.sleep(0.05)


def post(http: httpx.Client, api_url: str, body: dict[str, Any], **headers: str) -> httpx.Response:
    return http.post(f"{api_url}/graphql", json=body, headers=headers)


def test_metrics_move_with_requests_operations_errors_and_round_trips(
    graph: GraphForTests, api_url: str, http: httpx.Client
) -> None:
    before = scrape(http, api_url)
    responses = [
        post(http, api_url, {"query": PLANS, "operationName": "Plans"}),
        post(http, api_url, {"query": PLANS}),  # named in the document: still "Plans"
        post(http, api_url, {"query": "{ jurisdictions { id } }"}),
        post(http, api_url, {"query": "{ nope }"}),
        post(http, api_url, {"query": "{"}),
    ]
    after = scrape(http, api_url)

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    statuses: dict[str, int] = {}
    for response in responses:
        statuses[str(response.status_code)] = statuses.get(str(response.status_code), 0) + 1
    for status, count in statuses.items():
        labels = {"route": "/graphql", "method": "POST", "status": status}
        assert delta("ogkg_http_requests_total", **labels) == count
    assert delta("ogkg_http_request_duration_seconds_count", route="/graphql") == len(responses)
    assert delta("ogkg_http_requests_total", route="/metrics", method="GET", status="200") == 1

    operation = "ogkg_graphql_operation_duration_seconds"
    assert delta(f"{operation}_count", operation="Plans") == 2
    assert delta(f"{operation}_bucket", operation="Plans", le="+Inf") == 2
    assert delta(f"{operation}_sum", operation="Plans") > 0
    assert delta(f"{operation}_count", operation=ANONYMOUS) == 3
    # Buckets are cumulative: each holds at least the one below it.
    buckets = sorted(
        (float(dict(labels)["le"]), count)
        for (name, labels), count in after.items()
        if name == f"{operation}_bucket" and dict(labels)["operation"] == "Plans"
    )
    assert [count for _, count in buckets] == sorted(count for _, count in buckets)

    assert delta("ogkg_graphql_errors_total", code="GRAPHQL_VALIDATION_FAILED") == 1
    assert delta("ogkg_graphql_errors_total", code="GRAPHQL_PARSE_FAILED") == 1
    assert delta("ogkg_neo4j_round_trips_total", kind="read") >= 3


def test_operation_names_are_bounded(settings: Settings, tmp_path: Path) -> None:
    metrics = Metrics(settings)
    assert metrics.operation_label(None) == ANONYMOUS
    names = [metrics.operation_label(f"Operation{i}") for i in range(MAX_OPERATION_NAMES + 5)]
    assert names[:MAX_OPERATION_NAMES] == [f"Operation{i}" for i in range(MAX_OPERATION_NAMES)]
    assert set(names[MAX_OPERATION_NAMES:]) == {OTHER}
    assert metrics.operation_label("Operation0") == "Operation0"

    allowed = tmp_path / "persisted.json"
    allowed.write_text(json.dumps({document_hash(PLANS): PLANS}), encoding="utf-8")
    listed = Metrics(settings.model_copy(update={"persisted_queries": allowed}))
    assert listed.operation_label("Plans") == "Plans"
    assert listed.operation_label("Invented") == OTHER


def test_ingest_counts_appear_by_source_kind(graph: GraphForTests, settings: Settings) -> None:
    path = SEEDS_DIR / "jurisdictions.csv"

    async def work(database: Database) -> Any:
        return await ingest_file(database, path, SEEDS_DIR)

    ingestion = graph.run(work)
    metrics = Metrics(settings)
    count_ingested(metrics, [ingestion])
    samples = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(metrics.exposition().decode())
        for sample in family.samples
    }
    kind = kind_of(path).name
    created_nodes = graph.value("MATCH (n:Jurisdiction) RETURN count(n)") + 1  # and its Source
    assert value(samples, "ogkg_ingest_created_total", source_kind=kind, record="node") == (
        created_nodes
    )
    assert value(
        samples, "ogkg_ingest_created_total", source_kind=kind, record="relationship"
    ) == graph.value(
        "MATCH ()-[r]->() WHERE NOT r:SOURCED_FROM RETURN count(r)"
    )  # provenance apart


@pytest.fixture
def json_logs() -> Iterator[io.StringIO]:
    """What ogkg's loggers write while a test runs, formatted as the server formats it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLogFormatter())
    logger = logging.getLogger("ogkg")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def test_every_log_line_is_json_with_the_request_id(
    graph: GraphForTests, api_url: str, http: httpx.Client, json_logs: io.StringIO
) -> None:
    chosen = http.get(f"{api_url}/export/csv/Standard.csv", headers={"X-Request-Id": "req-42.a"})
    assert chosen.status_code == 200
    assert chosen.headers["x-request-id"] == "req-42.a"
    refused = http.get(f"{api_url}/health", headers={"X-Request-Id": "not sane; " + "x" * 200})
    generated = refused.headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)

    def lines() -> list[dict[str, Any]] | None:
        parsed = [json.loads(line) for line in json_logs.getvalue().splitlines()]
        done = {line["request_id"] for line in parsed if line["logger"] == "ogkg.access"}
        return parsed if {"req-42.a", generated} <= done else None

    logged = eventually(lines)
    assert {line["request_id"] for line in logged} == {"req-42.a", generated}
    export = [line for line in logged if line["request_id"] == "req-42.a"]
    assert [line["logger"] for line in export] == ["ogkg.export", "ogkg.access"]
    access = export[-1]
    assert access["status"] == 200 and access["route"] == "/export"
    assert access["duration_ms"] >= 0 and access["level"] == "info"


def test_tracing_records_spans_for_a_request(graph: GraphForTests, settings: Settings) -> None:
    assert create_app(settings).state.tracer_provider is None  # off by default
    traced = settings.model_copy(update={"tracing": "console"})
    app = create_app(traced)
    memory = InMemorySpanExporter()
    app.state.tracer_provider.add_span_processor(SimpleSpanProcessor(memory))
    running = start_server(traced, app)
    try:
        with httpx.Client(timeout=30) as client:
            response = post(
                client,
                running.url,
                {"query": PLANS, "operationName": "Plans"},
                **{"X-Request-Id": "traced-1"},
            )
            assert response.status_code == 200

        def spans() -> tuple[ReadableSpan, ReadableSpan] | None:
            finished = memory.get_finished_spans()
            http_spans = [s for s in finished if s.name == "POST /graphql"]
            operations = [s for s in finished if s.name == "GraphQL Query: Plans"]
            return (http_spans[0], operations[0]) if http_spans and operations else None

        http_span, operation_span = eventually(spans)
    finally:
        running.stop()
    assert http_span.attributes is not None
    assert http_span.attributes["ogkg.request_id"] == "traced-1"
    assert http_span.attributes["http.response.status_code"] == 200
    assert operation_span.parent is not None and http_span.context is not None
    assert operation_span.parent.span_id == http_span.context.span_id
    assert operation_span.context is not None
    assert operation_span.context.trace_id == http_span.context.trace_id


def test_new_request_ids_are_distinct_and_a_sane_one_is_kept() -> None:
    ids = RequestIds()
    made = {ids.request_id_from(None) for _ in range(1000)} | {RequestIds().request_id_from(None)}
    assert len(made) == 1001
    assert all(re.fullmatch(r"[0-9a-f]{32}", made_id) for made_id in made)
    assert ids.request_id_from("req-1") == "req-1"
    assert ids.request_id_from("not sane; spaces") not in {"not sane; spaces", *made}


@pytest.mark.parametrize(
    ("setting", "on_terminal", "expected"),
    [
        ("auto", True, "text"),
        ("auto", False, "json"),
        ("json", True, "json"),
        ("text", False, "text"),
    ],
)
def test_logs_are_read_by_a_person_on_a_terminal_and_json_elsewhere(
    setting: str, on_terminal: bool, expected: str, tmp_path: Path
) -> None:
    primary, secondary = os.openpty()  # a real terminal device, as `make run` in a shell has
    try:
        with (
            os.fdopen(os.dup(secondary), "w") if on_terminal else (tmp_path / "log").open("w")
        ) as stream:
            assert resolved_log_format(setting, stream) == expected
    finally:
        os.close(primary)
        os.close(secondary)


def test_a_text_line_is_time_level_message_and_a_requests_milliseconds() -> None:
    record = logging.LogRecord("ogkg.access", logging.INFO, __file__, 1, "%s %s %s", None, None)
    record.args = ("GET", "/coverage", 200)
    record.duration_ms = 48.3
    line = TextLogFormatter().format(record)
    assert re.fullmatch(r"\d\d:\d\d:\d\d info    GET /coverage 200 48 ms", line), line
    config = log_config("info", "text")
    assert config["formatters"]["ogkg"]["()"].endswith("TextLogFormatter")
    assert config["loggers"]["uvicorn"]["level"] == "WARNING"  # its start notices: ours say more
    assert log_config("info", "json")["formatters"]["ogkg"]["()"].endswith("JsonLogFormatter")
