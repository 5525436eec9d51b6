"""Merging two bodies of the seeds moves all they hold onto one, and unmerging puts it all back."""

import json
from collections.abc import Awaitable, Callable
from typing import Any, LiteralString

import pytest
from neo4j import AsyncManagedTransaction

from graph.curation import Action, Actor, Invalid, Revision
from graph.database import Database
from graph.merges import merge_bodies, unmerge_bodies
from graph.redirects import redirect_key, redirect_properties, redirect_target
from graph.vocabulary import Label
from ingest.loader import ingest_file
from tests.conftest import SEEDS_DIR, GraphForTests

SEEDS = ("jurisdictions.csv", "bodies.csv", "themes.csv", "ogp-irm-commitments-2016.csv")
CURATOR = Actor(subject="curator-1", name="A Curator")
KEEP_NAME, DROP_NAME = "State Agency for E-Governance", "State Agency on E-Governance"

# Bookkeeping a merge and its undo may leave behind; everything else must be as it was.
BOOKKEEPING_LABELS = ["Revision", "Sequence", "Redirect"]
BOOKKEEPING_PROPERTIES = ["version", "curatedFields", "curationLock", "updatedAt"]
ENTITY_NODES: LiteralString = (
    "MATCH (n) WHERE none(label IN labels(n) WHERE label IN $skip) "
    "RETURN labels(n) AS labels, "
    "[key IN keys(n) WHERE NOT key IN $bookkeeping | [key, n[key]]] AS properties"
)
ENTITY_RELATIONSHIPS: LiteralString = (
    "MATCH (a)-[r]->(b) RETURN labels(a) AS startLabels, a.id AS start, type(r) AS type, "
    "labels(b) AS endLabels, b.id AS end, [key IN keys(r) | [key, r[key]]] AS properties"
)
BODY_LINKS: LiteralString = (
    "MATCH (b:Body {id: $id})-[r]-(other) "
    "RETURN type(r) AS type, other.id AS other, r.role AS role, r.provenance AS provenance"
)


def load_seeds(graph: GraphForTests) -> None:
    async def work(database: Database) -> None:
        for name in SEEDS:
            await ingest_file(database, SEEDS_DIR / name, SEEDS_DIR)

    graph.run(work)


def body_id(graph: GraphForTests, name: str) -> str:
    ids = graph.query("MATCH (b:Body {name: $name}) RETURN b.id AS id", name=name)
    assert len(ids) == 1, ids
    return str(ids[0]["id"])


def entities(graph: GraphForTests) -> tuple[list[str], list[str]]:
    """Every entity node and relationship with its properties, bookkeeping left out."""
    nodes = graph.query(ENTITY_NODES, skip=BOOKKEEPING_LABELS, bookkeeping=BOOKKEEPING_PROPERTIES)
    relationships = graph.query(ENTITY_RELATIONSHIPS)
    return (
        sorted(repr((row["labels"], sorted(row["properties"]))) for row in nodes),
        sorted(repr(sorted(row.items())) for row in relationships),
    )


def links(graph: GraphForTests, body: str) -> list[dict[str, Any]]:
    return graph.query(BODY_LINKS, id=body)


def write(
    graph: GraphForTests, change: Callable[[AsyncManagedTransaction], Awaitable[Revision]]
) -> Revision:
    """Run one change in its own write transaction, as the API would."""

    async def work(database: Database) -> Revision:
        return await database.write(change)

    return graph.run(work)


def merge(graph: GraphForTests, keep: str, drop: str) -> Revision:
    return write(
        graph, lambda tx: merge_bodies(tx, keep, drop, "one organisation", CURATOR, "cs-1")
    )


def unmerge(graph: GraphForTests, keep: str, drop: str) -> Revision:
    return write(graph, lambda tx: unmerge_bodies(tx, keep, drop, CURATOR, "cs-2"))


def test_merging_two_seeded_bodies_and_unmerging_them(graph: GraphForTests) -> None:
    load_seeds(graph)
    keep, drop = body_id(graph, KEEP_NAME), body_id(graph, DROP_NAME)
    # An id retired earlier into the body being dropped must follow it to the kept one.
    earlier = redirect_key(Label.BODY, "ukraine-e-governance-agency-2014")
    graph.query(
        "CREATE (r:Redirect {id: $key}) SET r += $properties",
        key=earlier,
        properties=redirect_properties(
            Label.BODY, "ukraine-e-governance-agency-2014", drop, "renamed"
        ),
    )
    kept_before = graph.value("MATCH (b:Body {id: $id}) RETURN b {.*} AS b", id=keep)
    dropped_before = graph.value("MATCH (b:Body {id: $id}) RETURN b {.*} AS b", id=drop)
    dropped_links = links(graph, drop)
    dropped_commitments = {
        (link["type"], link["other"], link["role"])
        for link in dropped_links
        if link["type"] in {"LEADS", "PARTNERS_IN"}
    }
    assert dropped_commitments, "the dropped body partners in a seeded commitment"
    shared_jurisdiction = graph.value(
        "MATCH (:Body {id: $keep})-[:BASED_IN]->(j)<-[:BASED_IN]-(:Body {id: $drop}) RETURN j.id",
        keep=keep,
        drop=drop,
    )
    before = entities(graph)

    revision = merge(graph, keep, drop)

    assert graph.value("MATCH (b:Body {id: $id}) RETURN count(b)", id=drop) == 0
    kept_links = links(graph, keep)
    kept_commitments = {(link["type"], link["other"], link["role"]) for link in kept_links}
    assert dropped_commitments <= kept_commitments
    # Both were based in one place: one relationship remains, stated by both bodies' sources.
    based_in = [link for link in kept_links if link["type"] == "BASED_IN"]
    assert [link["other"] for link in based_in] == [shared_jurisdiction]
    dropped_based_in = next(link for link in dropped_links if link["type"] == "BASED_IN")
    assert set(dropped_based_in["provenance"]) <= set(based_in[0]["provenance"])
    sources = [link["other"] for link in kept_links if link["type"] == "SOURCED_FROM"]
    assert len(sources) == len(set(sources)) >= 1

    kept_after = graph.value("MATCH (b:Body {id: $id}) RETURN b {.*} AS b", id=keep)
    assert kept_after["aliases"] == [*kept_before["aliases"], DROP_NAME]
    assert KEEP_NAME not in kept_after["aliases"]
    assert "aliases" in kept_after["curatedFields"]
    assert kept_after["version"] == 2
    assert "curationLock" not in kept_after

    assert graph.run(lambda db: redirect_target(db, Label.BODY, drop)) == keep
    assert (
        graph.run(lambda db: redirect_target(db, Label.BODY, "ukraine-e-governance-agency-2014"))
        == keep
    )

    assert revision.action is Action.MERGE and revision.entity_id == keep
    assert revision.kind == "Body" and revision.version == 2 and revision.change_set_id == "cs-1"
    changes = {change.field: change for change in revision.changes}
    assert changes["aliases"].before == kept_before["aliases"]
    assert changes["aliases"].after == kept_after["aliases"]
    snapshot = changes["merged"].after
    assert snapshot["id"] == drop and snapshot["properties"] == dropped_before
    recorded = {
        (r["type"], r["otherId"], r["properties"].get("role")) for r in snapshot["relationships"]
    }
    assert recorded == {(link["type"], link["other"], link["role"]) for link in dropped_links}
    # Both are based in Ukraine and stated by the OGP file: those two the kept body already had.
    assert {r["type"] for r in snapshot["relationships"] if r["keptHad"]} == {
        "BASED_IN",
        "SOURCED_FROM",
    }
    stored = graph.query(
        "MATCH (r:Revision {entityId: $id}) RETURN r.action AS action, r.changes AS changes",
        id=keep,
    )
    assert [row["action"] for row in stored] == ["MERGE"]
    assert json.loads(stored[0]["changes"]) == [c.model_dump() for c in revision.changes]

    undo = unmerge(graph, keep, drop)

    assert entities(graph) == before
    assert undo.action is Action.REVERT and undo.version == 3 and undo.entity_id == keep
    assert (
        graph.value(
            "MATCH (r:Redirect {id: $key}) RETURN count(r)", key=redirect_key(Label.BODY, drop)
        )
        == 0
    )
    assert (
        graph.run(lambda db: redirect_target(db, Label.BODY, "ukraine-e-governance-agency-2014"))
        == drop
    )
    assert graph.value("MATCH (b:Body {id: $id}) RETURN b.version", id=keep) == 3
    actions = graph.query(
        "MATCH (r:Revision {entityId: $id}) RETURN r.action AS action ORDER BY r.version", id=keep
    )
    assert [row["action"] for row in actions] == ["MERGE", "REVERT"]

    # A merge after its undo works again, from the restored graph.
    again = merge(graph, keep, drop)
    assert again.version == 4
    assert graph.value("MATCH (b:Body {id: $id}) RETURN count(b)", id=drop) == 0


@pytest.mark.parametrize(
    ("keep", "drop"),
    [(KEEP_NAME, KEEP_NAME), (KEEP_NAME, None), (None, KEEP_NAME)],
    ids=["into-itself", "missing-drop", "missing-keep"],
)
def test_a_merge_that_cannot_apply_changes_nothing(
    graph: GraphForTests, keep: str | None, drop: str | None
) -> None:
    load_seeds(graph)
    keep_id = body_id(graph, keep) if keep else "no-such-body"
    drop_id = body_id(graph, drop) if drop else "no-such-body"
    before = graph.snapshot()
    with pytest.raises(Invalid) as refused:
        merge(graph, keep_id, drop_id)
    assert refused.value.field == "drop"
    assert graph.snapshot() == before


def test_unmerging_what_was_never_merged_is_refused(graph: GraphForTests) -> None:
    load_seeds(graph)
    keep, drop = body_id(graph, KEEP_NAME), body_id(graph, DROP_NAME)
    before = graph.snapshot()
    with pytest.raises(Invalid, match="exists"):
        unmerge(graph, keep, drop)
    with pytest.raises(Invalid, match="never merged"):
        unmerge(graph, keep, "no-such-body")
    assert graph.snapshot() == before
