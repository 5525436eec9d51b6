"""The open-data export: CSV per kind with its dictionary and sources, JSON-LD a processor expands, NDJSON, over the CLI and HTTP; the CSV re-imports into an empty graph."""

import contextlib
import csv
import io
import json
import shutil
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, LiteralString

import httpx
import pytest
from neo4j import Driver
from pyld import jsonld

from graph.export_formats import node_header, relationship_header
from graph.exports import (
    DICTIONARY_FILE,
    EXPORTED_LABELS,
    SOURCES_FILE,
    exported_kind,
    exported_relationship_types,
)
from graph.vocabulary import INTERNAL_LABELS, Label, Rel
from ingest.errors import IngestError
from ingest.open_data import read_export
from ogkg.settings import Settings
from tests.conftest import GraphForTests, RunningServer, every_seed_loaded, start_server
from tests.neo4j_server import Neo4jForTests
from tests.test_cli import ogkg, server_environment

SCHEMA = "https://schema.org/"
ORG = "http://www.w3.org/ns/org#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
TYPE = "@type"

NODE_COUNTS: LiteralString = "MATCH (n) RETURN labels(n)[0] AS label, count(*) AS count"
RELATIONSHIP_COUNTS: LiteralString = (
    "MATCH (a)-[r]->() WHERE NOT any(label IN labels(a) WHERE label IN $internal) "
    "RETURN type(r) AS type, count(*) AS count"
)
NODES: LiteralString = (
    "MATCH (n) WHERE NOT any(label IN labels(n) WHERE label IN $internal) "
    "RETURN labels(n)[0] AS label, n.id AS id, properties(n) AS properties"
)
RELATIONSHIPS: LiteralString = (
    "MATCH (a)-[r]->(b) WHERE NOT any(label IN labels(a) WHERE label IN $internal) "
    "RETURN labels(a)[0] + ':' + a.id + ' ' + type(r) + ' ' + labels(b)[0] + ':' + b.id AS edge, "
    "properties(r) AS properties"
)
# Bookkeeping the export leaves out; Source nodes are exported (sources.csv), so they are counted.
LEFT_OUT = sorted(label.value for label in INTERNAL_LABELS if label != Label.SOURCE)


def counts(graph: GraphForTests) -> dict[str, int]:
    nodes = {
        row["label"]: row["count"]
        for row in graph.query(NODE_COUNTS)
        if row["label"] not in LEFT_OUT
    }
    relationships = {
        row["type"]: row["count"] for row in graph.query(RELATIONSHIP_COUNTS, internal=LEFT_OUT)
    }
    return {**nodes, **relationships}


def contents(graph: GraphForTests) -> tuple[dict[str, Any], dict[str, Any]]:
    """Every exported node's and relationship's properties (provenance in order of source)."""
    nodes = {
        f"{row['label']}:{row['id']}": {
            key: value for key, value in row["properties"].items() if key != "ingestedAt"
        }
        for row in graph.query(NODES, internal=LEFT_OUT)
    }
    relationships: dict[str, Any] = {}
    for row in graph.query(RELATIONSHIPS, internal=LEFT_OUT):
        properties = dict(row["properties"])
        if "provenance" in properties:
            properties["provenance"] = sorted(properties["provenance"])
        relationships.setdefault(row["edge"], []).append(properties)
    for edges in relationships.values():
        edges.sort(key=repr)
    return nodes, relationships


@pytest.fixture(scope="module")
def seeded(settings: Settings, sync_driver: Driver) -> Iterator[GraphForTests]:
    yield every_seed_loaded(settings, sync_driver)


@pytest.fixture(scope="module")
def seeded_counts(seeded: GraphForTests) -> dict[str, int]:
    return counts(seeded)


@pytest.fixture(scope="module")
def server(seeded: GraphForTests) -> Iterator[RunningServer]:
    running = start_server(seeded.settings)
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def csv_export(
    seeded: GraphForTests, neo4j_server: Neo4jForTests, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The seeded graph exported as CSV by the `ogkg export` command."""
    out = tmp_path_factory.mktemp("export") / "csv"
    result = ogkg(
        "export", "--format", "csv", "--out", str(out), env=server_environment(neo4j_server)
    )
    assert result.returncode == 0, result.stderr
    return out


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def test_one_csv_per_kind_and_relationship_type_with_the_declared_columns(
    csv_export: Path, seeded_counts: dict[str, int]
) -> None:
    for label in EXPORTED_LABELS:
        kind = exported_kind(label)
        path = csv_export / kind.file_name
        with path.open(encoding="utf-8", newline="") as file:
            assert next(csv.reader(file)) == node_header(kind)
        assert len(read_csv(path)) == seeded_counts.get(label.value, 0), label
    exported_types = exported_relationship_types()
    assert {rel.type for rel in exported_types} == set(Rel) - {Rel.SOURCED_FROM}
    for rel in exported_types:
        path = csv_export / rel.file_name
        with path.open(encoding="utf-8", newline="") as file:
            assert next(csv.reader(file)) == relationship_header(rel)
        assert len(read_csv(path)) == seeded_counts.get(rel.type.value, 0), rel.type
    # Declared columns hold values, not only the catch-all: bodies' kinds, commitments' IRM findings.
    commitments = read_csv(csv_export / "Commitment.csv")
    assert any(row["potentialImpact"] == "transformative" for row in commitments)
    assert all(row["title"] for row in commitments)
    roles = {row["role"] for row in read_csv(csv_export / "PARTNERS_IN.csv")}
    assert {"government", "civil_society"} <= roles


def test_every_record_carries_its_sources_with_their_licences(csv_export: Path) -> None:
    licences = {row["id"]: row["licence"] or None for row in read_csv(csv_export / SOURCES_FILE)}
    assert licences["bodies"] == "CC BY 4.0"
    for name in ("Body.csv", "Practice.csv", "LEADS.csv", "PART_OF.csv"):
        rows = read_csv(csv_export / name)
        assert rows
        for row in rows:
            sources = json.loads(row["sources"])
            assert sources, (name, row)
            for source in sources:
                assert source["location"]
                assert source["licence"] == licences[source["source"]]
    cases = [
        json.loads(row["sources"])
        for row in read_csv(csv_export / "Practice.csv")
        if row["participediaId"]
    ]
    assert cases and all("CC BY-NC-SA" in (c[0]["licence"] or "") for c in cases)


def test_the_data_dictionary_lists_every_file_and_column(csv_export: Path) -> None:
    dictionary = (csv_export / DICTIONARY_FILE).read_text(encoding="utf-8")
    for label in EXPORTED_LABELS:
        kind = exported_kind(label)
        section = dictionary.split(f"## {kind.file_name}\n", 1)[1].split("\n## ", 1)[0]
        for column in node_header(kind):
            assert f"| `{column}` |" in section, (label, column)
    for rel in exported_relationship_types():
        assert f"## {rel.file_name}" in dictionary
    assert "one of none, minor, moderate, transformative, unclear" in dictionary  # an enum


def test_http_streams_the_same_files(server: RunningServer, csv_export: Path) -> None:
    with httpx.Client(base_url=server.url, timeout=120) as client:
        index = client.get("/export/").json()
        assert f"/export/csv/{SOURCES_FILE}" in index["csv"]
        with client.stream("GET", "/export/csv/Body.csv") as response:
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/csv")
            assert "content-length" not in response.headers  # streamed, not built whole
            body = b"".join(response.iter_bytes()).decode("utf-8")
        assert body == (csv_export / "Body.csv").read_text(encoding="utf-8")
        assert client.get("/export/xml/Body.csv").status_code == 404
        assert client.get("/export/csv/Nothing.csv").status_code == 404


def test_json_ld_expands_to_the_established_vocabularies(
    server: RunningServer, seeded: GraphForTests
) -> None:
    base = f"{server.url}/export/jsonld/graph.jsonld"
    with httpx.Client(timeout=120) as client:
        document = client.get(base).json()

        def load(url: str, options: object = None) -> dict[str, Any]:
            response = client.get(url)
            assert response.status_code == 200, url
            return {"contextUrl": None, "documentUrl": url, "document": response.json()}

        expanded = jsonld.expand(document, {"base": base, "documentLoader": load})
    by_type: dict[str, list[dict[str, Any]]] = {}
    for node in expanded:
        for node_type in node.get(TYPE, []):
            by_type.setdefault(node_type, []).append(node)
    merged: dict[str, dict[str, Any]] = {}
    for node in expanded:  # a node's links come as further objects with its @id
        merged.setdefault(node["@id"], {}).update(node)

    government = by_type[SCHEMA + "GovernmentOrganization"]
    assert len(government) >= 10
    assert all(ORG + "Organization" in node[TYPE] for node in government)
    cabinet_office = merged["urn:ogkg:entity:Body:cabinet-office"]
    assert cabinet_office[SCHEMA + "name"] == [{"@value": "Cabinet Office"}]
    assert seeded.value("MATCH (:Body)-[r:PART_OF]->(:Body) RETURN count(r) > 0") and any(
        ORG + "subOrganizationOf" in node for node in expanded
    )
    assert len(by_type[SKOS + "Concept"]) == seeded.value("MATCH (t:Theme) RETURN count(t)")
    assert any(SKOS + "broader" in node for node in expanded)
    assert any(SKOS + "inScheme" in node for node in expanded)
    assert by_type[SCHEMA + "Place"]
    assert any(SCHEMA + "containedInPlace" in node for node in expanded)
    # PROV-O: each record's sources, where in each and each one's licence (Dublin Core).
    derivations = cabinet_office[PROV + "qualifiedDerivation"]
    assert {d[PROV + "entity"][0]["@id"] for d in derivations} == {
        link["@id"] for link in cabinet_office[PROV + "wasDerivedFrom"]
    }
    licensed = [d for d in derivations if DCTERMS + "license" in d]
    assert licensed and {"@value": "CC BY 4.0"} in [d[DCTERMS + "license"][0] for d in licensed]
    sources = by_type[PROV + "Entity"]
    assert len(sources) == seeded.value("MATCH (s:Source) RETURN count(s)")


def test_ndjson_holds_every_record(server: RunningServer, seeded_counts: dict[str, int]) -> None:
    seen: dict[str, int] = {}
    with (
        httpx.Client(base_url=server.url, timeout=120) as client,
        client.stream("GET", "/export/ndjson/graph.ndjson") as response,
    ):
        assert response.status_code == 200
        for line in response.iter_lines():
            record = json.loads(line)
            name = record.get("label") or record.get("type") or "Source"
            seen[name] = seen.get(name, 0) + 1
            if record["record"] != "source":
                assert record["sources"] and record["sources"][0]["source"]
    expected = {
        name: count for name, count in seeded_counts.items() if name != Rel.SOURCED_FROM.value
    }
    assert seen == expected


def test_a_malformed_export_is_refused_naming_file_line_and_field(
    csv_export: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "csv"
    shutil.copytree(csv_export, broken)
    path = broken / "Commitment.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    column = rows[0].index("number")
    rows[3][column] = "three"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    with pytest.raises(IngestError) as refused:
        read_export(broken)
    assert refused.value.path == str(path)
    assert refused.value.line == 4
    assert refused.value.field == "number"


def test_the_csv_export_reimports_into_an_empty_graph_with_the_same_counts(
    seeded: GraphForTests,
    seeded_counts: dict[str, int],
    csv_export: Path,
    neo4j_server: Neo4jForTests,
) -> None:
    """Last in the module: it empties the seeded graph (later modules seed their own)."""
    before = contents(seeded)
    seeded.query("MATCH (n) DETACH DELETE n")
    assert counts(seeded) == {}
    result = ogkg("import", str(csv_export), env=server_environment(neo4j_server))
    assert result.returncode == 0, result.stderr
    assert counts(seeded) == seeded_counts
    after = contents(seeded)
    assert after[0] == before[0]
    assert after[1] == before[1]


@pytest.fixture(scope="module")
def narrow_server(seeded: GraphForTests) -> Iterator[RunningServer]:
    """A server that streams one export at a time, each for at most two seconds."""
    running = start_server(
        seeded.settings.model_copy(update={"max_exports": 1, "export_timeout": 2.0})
    )
    try:
        yield running
    finally:
        running.stop()


@contextlib.contextmanager
def slow_download(url: str, path: str) -> Iterator[socket.socket]:
    """A download taken a little at a time: a small receive window, and nothing read unless asked.

    Uncompressed, so what it does not read stays on the server's side, unfinished, as over a
    slow network (httpx and a normal loopback socket would take the whole 16 MB file in at once).
    """
    host, port = url.removeprefix("http://").rsplit(":", 1)
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16_384)
        sock.connect((host, int(port)))
        sock.sendall(
            f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept-Encoding: identity\r\n\r\n".encode()
        )
        yield sock


def read_all(sock: socket.socket) -> int:
    """Bytes read until the server ends the connection (or stops sending for 10 s)."""
    sock.settimeout(10)
    read = 0
    with contextlib.suppress(TimeoutError, ConnectionResetError):
        while chunk := sock.recv(65_536):
            read += len(chunk)
    return read


def test_one_export_more_than_allowed_is_told_to_come_back(
    seeded: GraphForTests, narrow_server: RunningServer
) -> None:
    with httpx.Client(base_url=narrow_server.url, timeout=120) as client:
        with slow_download(narrow_server.url, "/export/ndjson/graph.ndjson") as first:
            assert first.recv(1024).startswith(b"HTTP/1.1 200")  # begun, and holding its connection
            second = client.get("/export/csv/Body.csv")
            assert second.status_code == 503
            assert second.headers["retry-after"] == "30"
            assert "exports are being downloaded" in second.json()["detail"]
        # The first one abandoned: its place is free again.
        deadline = time.monotonic() + 30
        while (third := client.get("/export/csv/Standard.csv")).status_code == 503:
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert third.status_code == 200 and third.text.startswith("id,")


def test_a_slow_reader_cannot_hold_an_export_open(
    seeded: GraphForTests, server: RunningServer, narrow_server: RunningServer
) -> None:
    with httpx.Client(base_url=server.url, timeout=120) as client:
        whole = len(client.get("/export/ndjson/graph.ndjson").content)
    with slow_download(narrow_server.url, "/export/ndjson/graph.ndjson") as slow:
        read = len(slow.recv(1024))
        time.sleep(4)  # twice the export's time: it has been ended meanwhile
        read += read_all(slow)
    assert 0 < read < whole  # cut short at its deadline, not held open for the reader
