"""Merge two records of one organisation into one Body, and revert a merge from its revision."""

import json
from typing import Any, LiteralString

import neo4j.time
from neo4j import AsyncManagedTransaction

from graph.curated_kinds import CuratedKind
from graph.curation import (
    Action,
    Actor,
    FieldChange,
    Invalid,
    Revision,
    _one,
    _record_revision,
    lock_query,
)
from graph.redirects import redirect_key, redirect_properties
from graph.vocabulary import Label, Rel

BODY_KIND = Label.BODY.value
MERGED = "merged"
ALIASES = "aliases"
OUT, IN = "out", "in"

# The property that tells two relationships of one type between the same nodes apart; every
# other type is one relationship per pair of nodes (SOURCED_FROM: one per Source).
KEY_PROPERTIES: dict[Rel, LiteralString] = {Rel.PARTNERS_IN: "role"}


# -- Cypher ------------------------------------------------------------------------------------

BODY_PROPERTIES: LiteralString = (
    f"MATCH (n:{Label.BODY.value} {{id: $id}}) RETURN properties(n) AS properties"
)
LINKED_TO_EACH_OTHER: LiteralString = (
    f"MATCH (k:{Label.BODY.value} {{id: $keep}}), (d:{Label.BODY.value} {{id: $drop}}) "
    "OPTIONAL MATCH (k)-[between]-(d) OPTIONAL MATCH (d)-[loop]->(d) "
    "RETURN count(between) + count(loop) AS linked"
)
LEFT_OVER: LiteralString = (
    f"MATCH (d:{Label.BODY.value} {{id: $drop}})-[r]-() RETURN collect(DISTINCT type(r)) AS types"
)
DELETE_BODY: LiteralString = (
    f"MATCH (d:{Label.BODY.value} {{id: $drop}}) DELETE d RETURN count(*) AS deleted"
)
CREATE_BODY: LiteralString = f"CREATE (d:{Label.BODY.value}) SET d = $properties"
SAVE_KEPT: LiteralString = (
    f"MATCH (k:{Label.BODY.value} {{id: $keep}}) SET k.aliases = $aliases, k.version = $version, "
    "k.curatedFields = $curatedFields, k.updatedAt = datetime() REMOVE k.curationLock"
)
WRITE_REDIRECT: LiteralString = (
    f"MERGE (r:{Label.REDIRECT.value} {{id: $key}}) SET r = $properties, r.id = $key"
)
REPOINT_REDIRECTS: LiteralString = (
    f"MATCH (r:{Label.REDIRECT.value} {{label: $label, toId: $drop}}) SET r.toId = $keep "
    "RETURN collect(r.id) AS repointed"
)
DELETE_REDIRECT: LiteralString = (
    f"MATCH (r:{Label.REDIRECT.value} {{id: $key}}) WHERE r.toId = $keep DELETE r"
)
POINT_BACK_REDIRECTS: LiteralString = (
    f"MATCH (r:{Label.REDIRECT.value}) WHERE r.id IN $ids AND r.toId = $keep SET r.toId = $drop"
)
LATEST_MERGES: LiteralString = (
    f"MATCH (r:{Label.REVISION.value} {{entityId: $keep, kind: $kind, action: $action}}) "
    "RETURN r.version AS version, r.changes AS changes ORDER BY r.version DESC"
)


def _same_key(rel: Rel, kept: LiteralString, other: LiteralString) -> LiteralString:
    """A WHERE condition: `kept` has the key property `other` has (both may lack it)."""
    key = KEY_PROPERTIES.get(rel)
    if key is None:
        return "true"
    return f"({kept}.{key} = {other}.{key} OR ({kept}.{key} IS NULL AND {other}.{key} IS NULL))"


def _arrow(
    body: LiteralString, rel: Rel, name: LiteralString, other: LiteralString, outgoing: bool
) -> LiteralString:
    if outgoing:
        return f"({body})-[{name}:{rel.value}]->({other})"
    return f"({other})-[{name}:{rel.value}]->({body})"


def move_query(rel: Rel, outgoing: bool) -> LiteralString:
    """Move the dropped body's `rel` relationships (one direction) to the kept body.

    Where the kept body already has the relationship, the two `provenance` lists are joined and
    every other property of the kept one stays. Returns what each relationship was, for the undo.
    """
    body: LiteralString = Label.BODY.value
    return (
        f"MATCH (k:{body} {{id: $keep}}) MATCH (d:{body} {{id: $drop}}) "
        f"MATCH {_arrow('d', rel, 'r', 'other', outgoing)} "
        f"OPTIONAL MATCH {_arrow('k', rel, 'kept', 'other', outgoing)} "
        f"WHERE {_same_key(rel, 'kept', 'r')} "
        "WITH k, r, other, head(collect(kept)) AS kept "
        "WITH k, r, other, kept, properties(r) AS properties, properties(kept) AS keptProperties "
        "FOREACH (_ IN CASE WHEN kept IS NULL THEN [1] ELSE [] END | "
        f"  CREATE {_arrow('k', rel, 'moved', 'other', outgoing)} SET moved = properties) "
        "FOREACH (_ IN CASE WHEN kept IS NOT NULL AND r.provenance IS NOT NULL THEN [1] ELSE [] END | "
        "  SET kept.provenance = coalesce(kept.provenance, []) + "
        "    [entry IN r.provenance WHERE NOT entry IN coalesce(kept.provenance, [])]) "
        "DELETE r "
        "RETURN labels(other) AS otherLabels, other.id AS otherId, properties, keptProperties"
    )


def restore_query(rel: Rel, outgoing: bool, other: Label) -> LiteralString:
    """Give the recreated body back its `rel` relationships to `other` nodes, undoing the merge.

    A relationship the kept body had before gets its old properties back; one it only had
    because of the merge is deleted. Returns how many relationships were recreated.
    """
    body: LiteralString = Label.BODY.value
    return (
        "UNWIND $rows AS row "
        f"MATCH (k:{body} {{id: $keep}}) MATCH (d:{body} {{id: $drop}}) "
        f"MATCH (other:{other.value} {{id: row.otherId}}) "
        f"OPTIONAL MATCH {_arrow('k', rel, 'kept', 'other', outgoing)} "
        f"WHERE {_same_key(rel, 'kept', 'row.properties')} "
        "WITH d, other, row, head(collect(kept)) AS kept "
        "FOREACH (_ IN CASE WHEN kept IS NOT NULL AND row.keptHad THEN [1] ELSE [] END | "
        "  SET kept = row.keptProperties) "
        "FOREACH (_ IN CASE WHEN kept IS NOT NULL AND NOT row.keptHad THEN [1] ELSE [] END | "
        "  DELETE kept) "
        f"CREATE {_arrow('d', rel, 'restored', 'other', outgoing)} SET restored = row.properties "
        "RETURN count(restored) AS restored"
    )


MOVES: tuple[tuple[Rel, bool, LiteralString], ...] = tuple(
    (rel, outgoing, move_query(rel, outgoing)) for rel in Rel for outgoing in (True, False)
)


# -- JSON for a revision -----------------------------------------------------------------------


def _to_json(value: Any, where: str) -> Any:
    """A property value as JSON; temporal values are tagged so the undo restores their type."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list | tuple):
        return [_to_json(item, where) for item in value]
    if isinstance(value, dict):
        return {key: _to_json(item, f"{where}.{key}") for key, item in value.items()}
    if isinstance(value, neo4j.time.DateTime):
        return {"$datetime": value.iso_format()}
    if isinstance(value, neo4j.time.Date):
        return {"$date": value.iso_format()}
    raise Invalid("drop", f"{where} holds a {type(value).__name__}, which a merge cannot record")


def _from_json(value: Any) -> Any:
    if isinstance(value, list):
        return [_from_json(item) for item in value]
    if isinstance(value, dict):
        if set(value) == {"$datetime"}:
            return neo4j.time.DateTime.from_iso_format(value["$datetime"])
        if set(value) == {"$date"}:
            return neo4j.time.Date.from_iso_format(value["$date"])
        return {key: _from_json(item) for key, item in value.items()}
    return value


def _label_of(labels: list[str], other_id: Any, rel: Rel) -> str:
    """The label an undo finds the other end of a relationship by."""
    label = next((label.value for label in Label if label.value in labels), None)
    if label is None or not isinstance(other_id, str):
        raise Invalid("drop", f"a {rel.value} relationship leads to a node without a known id")
    return label


# -- merging -----------------------------------------------------------------------------------


async def _lock_bodies(tx: AsyncManagedTransaction, *ids: str) -> dict[str, dict[str, Any]]:
    """Lock the bodies (in id order, so two merges never wait on each other) and read them."""
    found: dict[str, dict[str, Any]] = {}
    for body_id in sorted(set(ids)):
        await _one(tx, lock_query(Label.BODY), id=body_id)
        record = await _one(tx, BODY_PROPERTIES, id=body_id)
        if record:
            properties = dict(record["properties"])
            properties.pop("curationLock", None)
            found[body_id] = properties
    return found


async def _rows(
    tx: AsyncManagedTransaction, query: LiteralString, **params: Any
) -> list[dict[str, Any]]:
    result = await tx.run(query, params)
    return [dict(record) async for record in result]


def _merged_aliases(kept: dict[str, Any], dropped: dict[str, Any]) -> list[str]:
    """The kept body's aliases, then the dropped body's name and aliases it lacks."""
    own_name = str(kept.get("name") or "").casefold()
    aliases: list[str] = []
    seen: set[str] = {own_name}
    for alias in [*(kept.get(ALIASES) or []), dropped.get("name"), *(dropped.get(ALIASES) or [])]:
        if isinstance(alias, str) and alias.strip() and alias.casefold() not in seen:
            seen.add(alias.casefold())
            aliases.append(alias)
    return aliases


async def merge_bodies(  # noqa: PLR0917 - the same positional shape as apply_operation
    tx: AsyncManagedTransaction,
    keep: str,
    drop: str,
    reason: str,
    actor: Actor,
    change_set_id: str | None,
) -> Revision:
    """Fold body `drop` into body `keep` inside `tx`; raises `Invalid`, leaving the caller to roll back.

    Every relationship of `drop` moves to `keep` (provenance joined where `keep` already had it),
    `drop`'s name and aliases become aliases of `keep`, `drop` is deleted and its id redirects to
    `keep`. The MERGE revision of `keep` holds a snapshot of `drop` that `unmerge_bodies` reverts.
    """
    if keep == drop:
        raise Invalid("drop", "a body cannot be merged into itself")
    bodies = await _lock_bodies(tx, keep, drop)
    for body_id in (keep, drop):
        if body_id not in bodies:
            raise Invalid("drop", f"no {BODY_KIND} has the id {body_id!r}")
    kept, dropped = bodies[keep], bodies[drop]
    if (await _one(tx, LINKED_TO_EACH_OTHER, keep=keep, drop=drop))["linked"]:
        raise Invalid("drop", "the two bodies are linked to each other: unlink them first")
    relationships: list[dict[str, Any]] = []
    for rel, outgoing, query in MOVES:
        for row in await _rows(tx, query, keep=keep, drop=drop):
            relationships.append(
                {
                    "type": rel.value,
                    "direction": OUT if outgoing else IN,
                    "otherLabel": _label_of(list(row["otherLabels"]), row["otherId"], rel),
                    "otherId": row["otherId"],
                    "properties": _to_json(row["properties"], rel.value),
                    "keptHad": row["keptProperties"] is not None,
                    "keptProperties": _to_json(row["keptProperties"], rel.value),
                }
            )
    left_over = (await _one(tx, LEFT_OVER, drop=drop))["types"]
    if left_over:
        raise Invalid("drop", f"the body has relationships merging does not move: {left_over}")
    await _one(tx, DELETE_BODY, drop=drop)
    key = redirect_key(Label.BODY, drop)
    earlier = await _one(tx, REPOINT_REDIRECTS, label=Label.BODY.value, drop=drop, keep=keep)
    repointed: list[str] = earlier["repointed"]
    await _one(
        tx, WRITE_REDIRECT, key=key, properties=redirect_properties(Label.BODY, drop, keep, reason)
    )
    aliases_before = kept.get(ALIASES)
    aliases_after = _merged_aliases(kept, dropped)
    version = int(kept.get("version") or 1) + 1
    curated = sorted({*(kept.get("curatedFields") or []), ALIASES})
    await _one(
        tx, SAVE_KEPT, keep=keep, aliases=aliases_after, version=version, curatedFields=curated
    )
    snapshot = {
        "id": drop,
        "reason": reason,
        "properties": _to_json(dropped, drop),
        "relationships": relationships,
        "repointedRedirects": sorted(repointed),
    }
    return await _record_revision(
        tx, CuratedKind.BODY, keep, version=version, action=Action.MERGE, actor=actor, change_set_id=change_set_id,
        changes=[
            FieldChange(field=ALIASES, before=aliases_before, after=aliases_after),
            FieldChange(field=MERGED, before=None, after=snapshot),
        ],
    )  # fmt: skip


async def _latest_merge(
    tx: AsyncManagedTransaction, keep: str, drop: str
) -> tuple[int, list[dict[str, Any]]]:
    """The version and changes of the latest MERGE revision that folded `drop` into `keep`."""
    for row in await _rows(tx, LATEST_MERGES, keep=keep, kind=BODY_KIND, action=Action.MERGE.value):
        changes: list[dict[str, Any]] = json.loads(row["changes"])
        for change in changes:
            if change["field"] == MERGED and (change.get("after") or {}).get("id") == drop:
                return int(row["version"]), changes
    raise Invalid("drop", f"{drop!r} was never merged into {keep!r}")


async def unmerge_bodies(
    tx: AsyncManagedTransaction,
    keep: str,
    drop: str,
    actor: Actor,
    change_set_id: str | None,
) -> Revision:
    """Revert the latest merge of `drop` into `keep` inside `tx`, from its revision's snapshot.

    `drop` comes back with its properties and relationships, `keep` loses what it only had by
    the merge and gets its aliases back, and the redirect goes. Raises `Invalid`.
    """
    bodies = await _lock_bodies(tx, keep, drop)
    if keep not in bodies:
        raise Invalid("keep", f"no {BODY_KIND} has the id {keep!r}")
    if drop in bodies:
        raise Invalid("drop", f"a {BODY_KIND} with the id {drop!r} exists: nothing to unmerge")
    merged_version, changes = await _latest_merge(tx, keep, drop)
    by_field = {change["field"]: change for change in changes}
    snapshot: dict[str, Any] = by_field[MERGED]["after"]
    await _one(tx, CREATE_BODY, properties=_from_json(snapshot["properties"]))
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for relationship in snapshot["relationships"]:
        group = (relationship["type"], relationship["direction"], relationship["otherLabel"])
        groups.setdefault(group, []).append(
            {
                "otherId": relationship["otherId"],
                "properties": _from_json(relationship["properties"]),
                "keptHad": relationship["keptHad"],
                "keptProperties": _from_json(relationship["keptProperties"]),
            }
        )
    for (rel_type, direction, other_label), rows in sorted(groups.items()):
        query = restore_query(Rel(rel_type), direction == OUT, Label(other_label))
        restored = (await _one(tx, query, keep=keep, drop=drop, rows=rows))["restored"]
        if restored != len(rows):
            raise Invalid(
                "drop", f"{len(rows) - restored} {rel_type} relationship(s) lead to nodes now gone"
            )
    await _one(tx, DELETE_REDIRECT, key=redirect_key(Label.BODY, drop), keep=keep)
    await _one(
        tx, POINT_BACK_REDIRECTS, ids=snapshot.get("repointedRedirects", []), keep=keep, drop=drop
    )
    kept = bodies[keep]
    aliases_before = kept.get(ALIASES)
    aliases_after = by_field[ALIASES]["before"]
    version = int(kept.get("version") or 1) + 1
    curated = sorted({*(kept.get("curatedFields") or []), ALIASES})
    await _one(
        tx, SAVE_KEPT, keep=keep, aliases=aliases_after, version=version, curatedFields=curated
    )
    return await _record_revision(
        tx, CuratedKind.BODY, keep, version=version, action=Action.REVERT, actor=actor, change_set_id=change_set_id,
        changes=[
            FieldChange(field=ALIASES, before=aliases_before, after=aliases_after),
            FieldChange(field=MERGED, before={"id": drop, "version": merged_version}, after=None),
        ],
    )  # fmt: skip
