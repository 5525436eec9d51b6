"""Change sets: every curated change is one, proposed (SUBMITTED) or applied, reviewed by a coordinator."""

import json
import uuid
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction, unit_of_work

from graph.curation import Action, Actor, Conflict, Invalid, Operation, Revision, apply_operation
from graph.database import Database
from graph.merges import merge_bodies, unmerge_bodies
from graph.models import Model

# A change holds locks on what it changes: Neo4j ends one that runs longer (a client gone mid-change)
# and frees them, so no curator waits forever.
CHANGE_TIMEOUT_SECONDS = 15.0


class ChangeSetStatus(StrEnum):
    SUBMITTED = "SUBMITTED"
    APPLIED = "APPLIED"
    REJECTED = "REJECTED"


class Decision(StrEnum):
    APPROVE = "APPROVE"
    REJECT = "REJECT"


class ChangeSet(Model):
    """A proposed or applied change: what, against which version, by whom, and its review."""

    id: str
    status: ChangeSetStatus
    operation: Operation
    author: str
    author_name: str | None = None
    created_at: str
    reviewer: str | None = None
    reviewer_name: str | None = None
    reviewed_at: str | None = None
    comment: str | None = None
    applied_version: int | None = None


CREATE_CHANGE_SET: LiteralString = """
CREATE (c:ChangeSet {id: $id, status: $status, operation: $operation, kind: $kind,
  entityId: $entityId, author: $author, authorName: $authorName, createdAt: $at,
  reviewer: $reviewer, reviewerName: $reviewerName, reviewedAt: $reviewedAt, comment: $comment,
  appliedVersion: $appliedVersion})
"""
LOCK_CHANGE_SET: LiteralString = (
    "MATCH (c:ChangeSet {id: $id}) SET c.curationLock = true RETURN c.id AS id"
)
READ_CHANGE_SET: LiteralString = "MATCH (c:ChangeSet {id: $id}) RETURN c {.*} AS changeSet"
CLOSE_CHANGE_SET: LiteralString = """
MATCH (c:ChangeSet {id: $id})
SET c.status = $status, c.reviewer = $reviewer, c.reviewerName = $reviewerName,
    c.reviewedAt = $at, c.comment = $comment, c.appliedVersion = $appliedVersion
REMOVE c.curationLock
"""
CHANGE_SETS: LiteralString = """
MATCH (c:ChangeSet) WHERE $status IS NULL OR c.status = $status
RETURN c {.*} AS changeSet ORDER BY c.createdAt DESC, c.id LIMIT $first
"""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _from_record(record: dict[str, Any]) -> ChangeSet:
    return ChangeSet(
        id=record["id"],
        status=ChangeSetStatus(record["status"]),
        operation=Operation.model_validate(json.loads(record["operation"])),
        author=record["author"],
        author_name=record.get("authorName"),
        created_at=record["createdAt"],
        reviewer=record.get("reviewer"),
        reviewer_name=record.get("reviewerName"),
        reviewed_at=record.get("reviewedAt"),
        comment=record.get("comment"),
        applied_version=record.get("appliedVersion"),
    )


async def _create(
    tx: AsyncManagedTransaction,
    operation: Operation,
    author: Actor,
    *,
    status: ChangeSetStatus,
    change_set_id: str,
    applied_version: int | None = None,
) -> ChangeSet:
    now = _now()
    reviewer = author if status is ChangeSetStatus.APPLIED else None
    await tx.run(
        CREATE_CHANGE_SET,
        {
            "id": change_set_id,
            "status": status.value,
            "operation": operation.model_dump_json(),
            "kind": operation.kind.value,
            "entityId": operation.id,
            "author": author.subject,
            "authorName": author.name,
            "at": now,
            "reviewer": reviewer.subject if reviewer else None,
            "reviewerName": reviewer.name if reviewer else None,
            "reviewedAt": now if reviewer else None,
            "comment": None,
            "appliedVersion": applied_version,
        },
    )
    return ChangeSet(
        id=change_set_id,
        status=status,
        operation=operation,
        author=author.subject,
        author_name=author.name,
        created_at=now,
        reviewer=reviewer.subject if reviewer else None,
        reviewer_name=reviewer.name if reviewer else None,
        reviewed_at=now if reviewer else None,
        applied_version=applied_version,
    )


async def apply_change(
    tx: AsyncManagedTransaction, operation: Operation, actor: Actor, change_set_id: str | None
) -> Revision:
    """Apply any curated change: merges (`id` dropped into `target_id`) and edits alike."""
    if operation.action in {Action.MERGE, Action.UNMERGE}:
        if operation.target_id is None:
            raise Invalid("keep", "a merge names the body it keeps")
        if operation.action is Action.MERGE:
            return await merge_bodies(
                tx, operation.target_id, operation.id, operation.reason or "", actor, change_set_id
            )
        return await unmerge_bodies(tx, operation.target_id, operation.id, actor, change_set_id)
    return await apply_operation(tx, operation, actor, change_set_id)


async def check(database: Database, operation: Operation, actor: Actor) -> None:
    """Raise `Conflict` or `Invalid` if `operation` would not apply now; change nothing."""

    @unit_of_work(timeout=CHANGE_TIMEOUT_SECONDS)
    async def work(tx: AsyncManagedTransaction) -> None:
        await apply_change(tx, operation, actor, None)

    await database.write_and_roll_back(work)


async def apply_now(
    database: Database, operation: Operation, actor: Actor
) -> tuple[ChangeSet, Revision]:
    """A coordinator's change: applied at once, and recorded as an applied change set."""
    change_set_id = uuid.uuid4().hex

    @unit_of_work(timeout=CHANGE_TIMEOUT_SECONDS)
    async def work(tx: AsyncManagedTransaction) -> tuple[ChangeSet, Revision]:
        revision = await apply_change(tx, operation, actor, change_set_id)
        change_set = await _create(
            tx,
            operation,
            actor,
            status=ChangeSetStatus.APPLIED,
            change_set_id=change_set_id,
            applied_version=revision.version,
        )
        return change_set, revision

    return await database.write(work)


async def propose(database: Database, operation: Operation, actor: Actor) -> ChangeSet:
    """A contributor's change: recorded for review, the graph otherwise untouched."""

    @unit_of_work(timeout=CHANGE_TIMEOUT_SECONDS)
    async def work(tx: AsyncManagedTransaction) -> ChangeSet:
        return await _create(
            tx,
            operation,
            actor,
            status=ChangeSetStatus.SUBMITTED,
            change_set_id=uuid.uuid4().hex,
        )

    return await database.write(work)


async def review(
    database: Database, change_set_id: str, decision: Decision, comment: str | None, reviewer: Actor
) -> tuple[ChangeSet, Revision | None]:
    """Approve (apply, checking the versions it was made against) or reject a submitted change set.

    Raises `Conflict` when its target moved on meanwhile (the change set stays submitted) and
    `Invalid` when it is not awaiting review.
    """

    @unit_of_work(timeout=CHANGE_TIMEOUT_SECONDS)
    async def work(tx: AsyncManagedTransaction) -> tuple[ChangeSet, Revision | None]:
        result = await tx.run(LOCK_CHANGE_SET, {"id": change_set_id})
        if await result.single() is None:
            raise Invalid("id", f"no change set has the id {change_set_id!r}")
        result = await tx.run(READ_CHANGE_SET, {"id": change_set_id})
        record = await result.single(strict=True)
        change_set = _from_record(record["changeSet"])
        if change_set.status is not ChangeSetStatus.SUBMITTED:
            raise Invalid("id", f"the change set is {change_set.status.value}, not awaiting review")
        revision: Revision | None = None
        status = ChangeSetStatus.REJECTED
        if decision is Decision.APPROVE:
            author = Actor(subject=change_set.author, name=change_set.author_name)
            revision = await apply_change(tx, change_set.operation, author, change_set_id)
            status = ChangeSetStatus.APPLIED
        now = _now()
        await tx.run(
            CLOSE_CHANGE_SET,
            {
                "id": change_set_id,
                "status": status.value,
                "reviewer": reviewer.subject,
                "reviewerName": reviewer.name,
                "at": now,
                "comment": comment,
                "appliedVersion": revision.version if revision else None,
            },
        )
        closed = change_set.model_copy(
            update={
                "status": status,
                "reviewer": reviewer.subject,
                "reviewer_name": reviewer.name,
                "reviewed_at": now,
                "comment": comment,
                "applied_version": revision.version if revision else None,
            }
        )
        return closed, revision

    return await database.write(work)


async def change_sets(
    database: Database, status: ChangeSetStatus | None, first: int
) -> list[ChangeSet]:
    records = await database.read(CHANGE_SETS, status=status.value if status else None, first=first)
    return [_from_record(record["changeSet"]) for record in records]


__all__ = ["ChangeSet", "ChangeSetStatus", "Conflict", "Decision", "Invalid"]
