"""Ids come from what identifies an item in its source: reordered files change nothing, moved ids redirect."""

import csv
import io
import random
from pathlib import Path
from typing import Any

import httpx
import pytest

from graph.database import Database
from graph.writes import GraphBatch
from ingest.errors import IngestError
from ingest.identity import Located, distinct_ids, without_repeats
from ingest.loader import Ingestion, build_batch, ingest_file
from tests.conftest import SEEDS_DIR, GraphForTests

OGP = SEEDS_DIR / "ogp-irm-commitments-2016.csv"
LOCAL_AUTHORITIES = SEEDS_DIR / "uk-local-authorities.csv"
REDIRECTS = SEEDS_DIR / "redirects.csv"
REGISTRY = (SEEDS_DIR / "jurisdictions.csv", SEEDS_DIR / "bodies.csv", SEEDS_DIR / "themes.csv")
SHUFFLE_SEED = 20261128


def shuffled_copy(path: Path, folder: Path, header_lines: int, seed: int = SHUFFLE_SEED) -> Path:
    """The same file under the same name, its data rows in a seeded random order."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    head, data = rows[:header_lines], rows[header_lines:]
    random.Random(seed).shuffle(data)
    assert data != rows[header_lines:]
    copy = folder / path.name
    with copy.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([*head, *data])
    return copy


def edited_copy(path: Path, folder: Path, edit: Any) -> Path:
    """`path` under the same name in `folder`, its rows (header lines included) passed to `edit`."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    copy = folder / path.name
    with copy.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(edit(rows))
    return copy


def content(batch: GraphBatch) -> tuple[dict[str, Any], dict[str, Any]]:
    """A batch's nodes and relationships with their properties, without their locations."""
    nodes = {
        f"{label.value}:{node_id}": row.properties
        for label, rows in batch.nodes.items()
        for node_id, row in rows.items()
    }
    relationships = {
        f"{spec.type.value}:{identity}": row.properties
        for spec, rows in batch.relationships.items()
        for identity, row in rows.items()
    }
    return nodes, relationships


def load(graph: GraphForTests, *paths: Path) -> list[Ingestion]:
    async def work(database: Database) -> list[Ingestion]:
        return [await ingest_file(database, path, SEEDS_DIR) for path in paths]

    return graph.run(work)


# Everything but provenance: which source states a fact where, and when a file was read.
SNAPSHOT_NODES = (
    "MATCH (n) RETURN labels(n) AS labels, "
    "CASE WHEN n:Source THEN n {.id, .title, .publisher, .licence, .path} "
    "ELSE properties(n) END AS properties"
)
SNAPSHOT_RELATIONSHIPS = (
    "MATCH (a)-[r]->(b) WHERE type(r) <> 'SOURCED_FROM' "
    "RETURN a.id AS start, type(r) AS type, b.id AS end, "
    "[key IN keys(r) WHERE key <> 'provenance' | [key, r[key]]] AS properties"
)


def snapshot_without_provenance(graph: GraphForTests) -> tuple[list[str], list[str]]:
    nodes = sorted(repr(sorted(row.items())) for row in graph.query(SNAPSHOT_NODES))
    relationships = sorted(repr(row) for row in graph.query(SNAPSHOT_RELATIONSHIPS))
    return nodes, relationships


# -- ids from content --------------------------------------------------------------------------


def test_ids_are_qualified_only_where_rows_would_share_one() -> None:
    rows = [
        Located(3, ("1", "Open contracting", "a")),
        Located(4, ("1", "Beneficial ownership", "b")),
        Located(5, ("2", "Open data", "c")),
        Located(6, ("3", "Budget", "d")),
        Located(7, ("3", "Budget", "e")),
    ]
    ids = distinct_ids(
        Path("plan.csv"),
        rows,
        lambda row: f"p-c{row[0]}",
        (lambda row: row[1].lower().replace(" ", "-"), lambda row: row[2]),
        "commitment",
    )
    assert ids == {
        3: "p-c1-open-contracting",
        4: "p-c1-beneficial-ownership",
        5: "p-c2",
        6: "p-c3-d",  # the title says nothing new within its group, so it is left out
        7: "p-c3-e",
    }
    reordered = distinct_ids(
        Path("plan.csv"),
        [Located(line, row.row) for line, row in zip((9, 8, 7, 6, 5), rows, strict=True)],
        lambda row: f"p-c{row[0]}",
        (lambda row: row[1].lower().replace(" ", "-"), lambda row: row[2]),
        "commitment",
    )
    assert sorted(reordered.values()) == sorted(ids.values())


def test_rows_nothing_tells_apart_are_refused_naming_both_lines() -> None:
    rows = [Located(3, ("1", "Same")), Located(8, ("2", "Other")), Located(11, ("1", "Same"))]
    with pytest.raises(IngestError) as refused:
        distinct_ids(
            Path("plan.csv"), rows, lambda row: f"p-c{row[0]}", (lambda row: row[1],), "commitment"
        )
    assert str(refused.value).startswith("plan.csv:11: lines 3 and 11 would both be commitment")


def test_a_row_stated_twice_is_kept_once_and_reported() -> None:
    rows = [Located(2, "a"), Located(3, "b"), Located(4, "a")]
    kept, repeats = without_repeats(rows, lambda row: row)
    assert [row.line for row in kept] == [2, 3]
    assert [(r.line, r.first_line) for r in repeats] == [(4, 2)]
    assert repeats[0].note(Path("x.csv")).startswith("x.csv:4: repeats line 2")


def test_no_commitment_id_comes_from_a_line_number() -> None:
    batch = build_batch(OGP, SEEDS_DIR)
    commitments = batch.nodes[next(label for label in batch.nodes if label.value == "Commitment")]
    assert len(commitments) == 1927
    assert not [node_id for node_id in commitments if "-line" in node_id]
    # Norway's first plan gives five commitments neither a code nor distinct titles.
    norway = sorted(i for i in commitments if i.startswith("norway-nap1-an-open-public-sector"))
    assert len(norway) == 5 and len(set(norway)) == 5


def test_a_shuffled_file_builds_the_same_batch_but_for_locations(tmp_path: Path) -> None:
    for path, header_lines in ((OGP, 2), (LOCAL_AUTHORITIES, 1)):
        original = build_batch(path, SEEDS_DIR)
        for seed in (1, 2):
            folder = tmp_path / f"{path.stem}-{seed}"
            folder.mkdir()
            shuffled = build_batch(shuffled_copy(path, folder, header_lines, seed), SEEDS_DIR)
            assert content(shuffled) == content(original), (path.name, seed)


# -- damaged and repeated rows -----------------------------------------------------------------


def test_a_row_with_more_cells_than_the_header_is_refused(tmp_path: Path) -> None:
    def extra_cell(rows: list[list[str]]) -> list[list[str]]:
        rows[40] = [*rows[40], "extra"]
        return rows

    with pytest.raises(IngestError) as refused:
        build_batch(edited_copy(OGP, tmp_path, extra_cell), SEEDS_DIR)
    assert str(refused.value) == f"{tmp_path / OGP.name}:41: 109 cells where the header has 108"

    (tmp_path / "la").mkdir()
    with pytest.raises(IngestError) as refused:
        build_batch(edited_copy(LOCAL_AUTHORITIES, tmp_path / "la", extra_cell), SEEDS_DIR)
    assert ":41: " in str(refused.value) and "cells where the header has" in str(refused.value)


def test_a_repeated_row_is_ingested_once_and_reported(tmp_path: Path) -> None:
    def repeat(rows: list[list[str]]) -> list[list[str]]:
        return [*rows, rows[10]]

    batch = build_batch(edited_copy(OGP, tmp_path, repeat), SEEDS_DIR)
    assert content(batch) == content(build_batch(OGP, SEEDS_DIR))
    assert batch.notes == [
        f"{OGP.name}:1930: repeats line 11 (every column ogkg reads is the same); ingested once"
    ]


def test_two_rows_claiming_one_commitment_are_refused_naming_both(tmp_path: Path) -> None:
    def clash(rows: list[list[str]]) -> list[list[str]]:
        header = rows[1]
        copy = list(rows[10])
        copy[header.index("Lead Institution")] = "Someone else entirely"
        return [*rows, copy]

    with pytest.raises(IngestError) as refused:
        build_batch(edited_copy(OGP, tmp_path, clash), SEEDS_DIR)
    assert ":1930: lines 11 and 1930 would both be commitment " in str(refused.value)


def test_two_authorities_with_one_code_are_refused(tmp_path: Path) -> None:
    lines: list[int] = []

    def clash(rows: list[list[str]]) -> list[list[str]]:
        header = rows[0]
        index = next(i for i, row in enumerate(rows) if i and not row[header.index("end-date")])
        copy = list(rows[index])
        copy[header.index("nice-name")] = "Another name"
        lines.extend((index + 1, len(rows) + 1))
        return [*rows, copy]

    with pytest.raises(IngestError) as refused:
        build_batch(edited_copy(LOCAL_AUTHORITIES, tmp_path, clash), SEEDS_DIR)
    first, second = lines
    assert f":{second}: lines {first} and {second} would both be jurisdiction 'la-" in str(
        refused.value
    )


# -- in the graph ------------------------------------------------------------------------------


def test_reordered_files_create_nothing_and_change_no_entity(
    graph: GraphForTests, tmp_path: Path
) -> None:
    load(graph, *REGISTRY, LOCAL_AUTHORITIES, OGP)
    before = snapshot_without_provenance(graph)
    counts_before = graph.value("MATCH (n) RETURN count(n)")
    again = load(
        graph, shuffled_copy(LOCAL_AUTHORITIES, tmp_path, 1), shuffled_copy(OGP, tmp_path, 2)
    )
    for ingestion in again:
        entity_counts = {
            name: counts for name, counts in ingestion.summary.counts.items() if name != "Source"
        }
        assert sum(c.created for c in entity_counts.values()) == 0, ingestion.path
        assert sum(c.updated for c in entity_counts.values()) == 0, ingestion.path
        assert sum(c.moved for c in entity_counts.values()) > 0, ingestion.path
    assert graph.value("MATCH (n) RETURN count(n)") == counts_before
    assert snapshot_without_provenance(graph) == before
    # The provenance follows the rows: a commitment's location is its line in the shuffled file.
    lines = io.StringIO((tmp_path / OGP.name).read_text(encoding="utf-8"))
    reader = csv.reader(lines)
    next(reader)
    header = next(reader)
    title = next(reader)[header.index("Commitment Title")]
    title_line = reader.line_num
    located = graph.query(
        "MATCH (c:Commitment)-[p:SOURCED_FROM]->(:Source {id: 'ogp-irm-commitments-2016'}) "
        "WHERE p.location = $location RETURN c.title AS title",
        location=f"line {title_line}",
    )
    assert len(located) == 1 and title.endswith(located[0]["title"])


def test_an_id_that_moved_answers_with_the_entity_that_holds_it_now(
    graph: GraphForTests, api_url: str, http: httpx.Client
) -> None:
    load(graph, *REGISTRY, OGP)
    with REDIRECTS.open(encoding="utf-8", newline="") as handle:
        redirects = list(csv.DictReader(handle))
    moved = next(r for r in redirects if r["label"] == "Commitment" and "-line" in r["from_id"])
    moved_body = next(r for r in redirects if r["label"] == "Body")
    # A graph loaded before the ids changed still holds the old node, with its relationships.
    graph.query(
        "MATCH (new:Commitment {id: $to}), (s:Source {id: 'ogp-irm-commitments-2016'}) "
        "CREATE (old:Commitment {id: $from, title: new.title})-[:SOURCED_FROM {location: 'line 1'}]->(s) "
        "WITH old MATCH (p:ActionPlan)-[:HAS_COMMITMENT]->(:Commitment {id: $to}) "
        "CREATE (p)-[:HAS_COMMITMENT {provenance: ['ogp-irm-commitments-2016#line 1']}]->(old)",
        to=moved["to_id"],
        **{"from": moved["from_id"]},
    )
    (ingestion,) = load(graph, REDIRECTS)
    assert ingestion.summary.retired == 1
    assert graph.value("MATCH (c:Commitment {id: $id}) RETURN count(c)", id=moved["from_id"]) == 0
    query = (
        "query($commitment: ID!, $body: ID!, $current: ID!) { "
        "commitment(id: $commitment) { id title } body(id: $body) { id name } "
        "current: commitment(id: $current) { id } }"
    )
    response = http.post(
        f"{api_url}/graphql",
        json={
            "query": query,
            "variables": {
                "commitment": moved["from_id"],
                "body": moved_body["from_id"],
                "current": moved["to_id"],
            },
        },
    )
    data = response.json()["data"]
    assert data["commitment"]["id"] == moved["to_id"] == data["current"]["id"]
    assert data["body"]["id"] == moved_body["to_id"]
    unknown = http.post(
        f"{api_url}/graphql", json={"query": '{ commitment(id: "no-such-commitment") { id } }'}
    )
    assert unknown.json()["data"] == {"commitment": None}
