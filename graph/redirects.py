"""Ids that moved: a retired id answers with the entity that now holds it, like a wiki redirect.

A `Redirect` node is keyed by the label and the retired id (`"Commitment:albania-nap1-line35"`)
and names the id that replaced it. Ids change when a source's id scheme changes or when curators
merge two records of one thing; links published with the old id keep working.
"""

from typing import LiteralString

from neo4j import AsyncManagedTransaction

from graph.database import Database
from graph.vocabulary import Label

REDIRECT_TARGET: LiteralString = "MATCH (r:Redirect {id: $key}) RETURN r.toId AS target"


def redirect_key(label: Label, retired_id: str) -> str:
    """The id of the redirect from `retired_id` of `label`."""
    return f"{label.value}:{retired_id}"


def redirect_properties(
    label: Label, retired_id: str, target_id: str, reason: str
) -> dict[str, str]:
    """The properties a `Redirect` node holds."""
    return {"label": label.value, "fromId": retired_id, "toId": target_id, "reason": reason}


def retire_query(label: Label) -> LiteralString:
    """Point redirects to each retired id at its target, and delete the retired entity itself.

    Redirects that led to a now-retired id are pointed on to its target, so a lookup is always one
    step. The retired entity is deleted only where its target exists: every fact a source stated
    about it is stated again about the target by that source's ingest.
    """
    return (
        "UNWIND $rows AS row "
        "OPTIONAL MATCH (earlier:Redirect {label: $label, toId: row.fromId}) "
        "FOREACH (_ IN CASE WHEN earlier IS NULL THEN [] ELSE [1] END | "
        "  SET earlier.toId = row.toId) "
        "WITH DISTINCT row "
        f"OPTIONAL MATCH (retired:{label.value} {{id: row.fromId}}) "
        f"WHERE EXISTS {{ MATCH (:{label.value} {{id: row.toId}}) }} "
        "DETACH DELETE retired "
        "RETURN count(retired) AS retired"
    )


async def retire_redirected(tx: AsyncManagedTransaction, redirects: list[dict[str, str]]) -> int:
    """Apply `retire_query` to each label's redirects; the number of entities deleted."""
    retired = 0
    for label in Label:
        rows = [row for row in redirects if row["label"] == label.value]
        if not rows:
            continue
        result = await tx.run(retire_query(label), {"rows": rows, "label": label.value})
        record = await result.single(strict=True)
        retired += int(record["retired"])
    return retired


async def redirect_target(database: Database, label: Label, retired_id: str) -> str | None:
    """The id that replaced `retired_id`, or None when it never moved."""
    records = await database.read(REDIRECT_TARGET, key=redirect_key(label, retired_id))
    return str(records[0]["target"]) if records else None
