"""Apply a curator's change in one write transaction: version checked under a lock, revision recorded."""

import hashlib
import json
import re
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction
from pydantic import Field

from graph.curated_kinds import KINDS, CuratedKind, CuratedLink, KindSpec, Relation
from graph.database import Database
from graph.models import Model
from graph.vocabulary import Label

# A curated entity's state: its fields, a sorted id list per relation, and whether it is retracted.
State = dict[str, Any]
RETRACTED = "retracted"
INGEST_ACTOR = "system:ingest"


class Action(StrEnum):
    CREATE = "CREATE"
    UPDATE = "UPDATE"
    RETRACT = "RETRACT"
    LINK = "LINK"
    UNLINK = "UNLINK"
    REVERT = "REVERT"
    MERGE = "MERGE"
    INGEST = "INGEST"  # a source changed what curators had not taken charge of
    UNMERGE = "UNMERGE"
    BASELINE = "BASELINE"  # the state an entity had before its first curated change


class Actor(Model):
    """Who made a change: a token's subject and display name, nothing more."""

    subject: str
    name: str | None = None


class Citation(Model):
    """A document a curator cites that the graph does not hold yet: it becomes a `Source`."""

    title: str
    url: str
    publisher: str | None = None
    licence: str | None = None

    @property
    def source_id(self) -> str:
        """The source's id, from its address: one document, one source, however often cited."""
        words = re.sub(r"[^a-z0-9]+", "-", re.sub(r"^https?://(www\.)?", "", self.url.lower()))
        digest = hashlib.sha256(self.url.strip().encode()).hexdigest()[:8]
        return f"cited-{words.strip('-')[:60].rstrip('-')}-{digest}"


class Operation(Model):
    """One change to one curated entity, as proposed or applied."""

    action: Action
    kind: CuratedKind
    id: str
    expected_version: int | None = None
    fields: dict[str, str | None] = Field(default_factory=dict)
    relation: Relation | None = None
    target_id: str | None = None
    to_version: int | None = None
    reason: str | None = None
    # For CREATE: the ids to link the new entity to, by relation.
    links: dict[Relation, list[str]] = Field(default_factory=dict)
    # A new document the change cites as its evidence, recorded as a Source when it applies.
    citation: Citation | None = None


class FieldChange(Model):
    field: str
    before: Any = None
    after: Any = None


class Revision(Model):
    """One applied change of one entity: who, when, which change set, each field before and after."""

    entity_id: str
    kind: str
    version: int
    action: Action
    actor: str
    actor_name: str | None = None
    at: str
    change_set_id: str | None = None
    sequence: int
    changes: tuple[FieldChange, ...]


class Conflict(Exception):  # noqa: N818 - a result the client sees by this name
    """The entity moved on since the version the change was made against."""

    def __init__(self, message: str, current: State | None, version: int) -> None:
        super().__init__(message)
        self.current = current
        self.version = version


class Invalid(Exception):  # noqa: N818 - a result the client sees by this name
    """A change that could never apply: names the field and says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


# -- Cypher ------------------------------------------------------------------------------------


def lock_query(label: Label) -> LiteralString:
    """Take the entity's write lock first, so the version read next is the latest committed one."""
    return f"MATCH (n:{label.value} {{id: $id}}) SET n.curationLock = true RETURN n.id AS id"


def state_query(spec: KindSpec, label: Label, *, lock: bool = False) -> LiteralString:
    """The entity's fields, links and version; retracted entities carry the `Retracted` label.

    With `lock`, the entity's write lock is taken first, so what is read is the latest committed
    state and nobody changes it before this transaction ends.
    """
    links: LiteralString = ", ".join(
        f"{link.relation.value}: [{link.pattern('n', 'other')} | other.id]" for link in spec.links
    )
    history: LiteralString = (
        f"hasHistory: EXISTS {{ MATCH (:{Label.REVISION.value} {{entityId: n.id}}) }}"
    )
    projection: LiteralString = f"n {{.*, {links}, {history}}}" if links else f"n {{.*, {history}}}"
    locking: LiteralString = "SET n.curationLock = true WITH n " if lock else ""
    return (
        f"MATCH (n:{label.value} {{id: $id}}) {locking}"
        f"RETURN {projection} AS state, coalesce(n.version, 1) AS version"
    )


def link_query(link: CuratedLink, label: Label) -> LiteralString:
    target: LiteralString = f"(other:{link.target.value} {{id: $targetId}})"
    arrow: LiteralString = (
        f"(n)-[r:{link.type.value}]->(other)"
        if link.outgoing
        else f"(other)-[r:{link.type.value}]->(n)"
    )
    return (
        f"MATCH (n:{label.value} {{id: $id}}) MATCH {target} MERGE {arrow} "
        "SET r.provenance = [entry IN coalesce(r.provenance, []) WHERE entry <> $stated] + $stated "
        "RETURN count(r) AS linked"
    )


def unlink_query(link: CuratedLink, label: Label) -> LiteralString:
    arrow: LiteralString = (
        f"(n)-[r:{link.type.value}]->(other:{link.target.value} {{id: $targetId}})"
        if link.outgoing
        else f"(other:{link.target.value} {{id: $targetId}})-[r:{link.type.value}]->(n)"
    )
    return f"MATCH (n:{label.value} {{id: $id}}) MATCH {arrow} DELETE r RETURN count(*) AS unlinked"


def exists_query(label: Label) -> LiteralString:
    return f"MATCH (n:{label.value} {{id: $id}}) RETURN count(n) AS found"


def save_query(label: Label) -> LiteralString:
    return (
        f"MERGE (n:{label.value} {{id: $id}}) SET n += $properties, n.version = $version, "
        "n.curatedFields = $curatedFields, n.updatedAt = datetime() REMOVE n.curationLock"
    )


def retract_query(kind: CuratedKind) -> LiteralString:
    """Retracting takes the kind's label away (every read skips it) and keeps the node for history."""
    return (
        f"MATCH (n:{kind.value} {{id: $id}}) REMOVE n:{kind.value} SET n:{Label.RETRACTED.value}, "
        "n.retractedLabel = $label, n.retractedReason = $reason, n.version = $version, "
        "n.updatedAt = datetime() REMOVE n.curationLock"
    )


def touch_retracted_query() -> LiteralString:
    """A retracted entity changed while it stays retracted: only its version moves."""
    return (
        f"MATCH (n:{Label.RETRACTED.value} {{id: $id}}) SET n.version = $version, "
        "n.updatedAt = datetime() REMOVE n.curationLock"
    )


def restore_query(kind: CuratedKind) -> LiteralString:
    return (
        f"MATCH (n:{Label.RETRACTED.value} {{id: $id}}) WHERE n.retractedLabel = $label "
        f"REMOVE n:{Label.RETRACTED.value} SET n:{kind.value} "
        "REMOVE n.retractedLabel, n.retractedReason"
    )


# The feed's counter is locked before it is read and held to commit: positions follow commits.
NEXT_SEQUENCE: LiteralString = """
MERGE (q:Sequence {id: 'revisions'}) SET q.curationLock = true
WITH q SET q.value = coalesce(q.value, 0) + 1 REMOVE q.curationLock
RETURN q.value AS sequence
"""
CREATE_REVISION: LiteralString = """
MERGE (q:Sequence {id: 'revisions'}) SET q.curationLock = true
WITH q SET q.value = coalesce(q.value, 0) + 1 REMOVE q.curationLock
CREATE (r:Revision {id: $id, entityId: $entityId, kind: $kind, version: $version, action: $action,
  actor: $actor, actorName: $actorName, at: $at, changeSetId: $changeSetId, sequence: q.value,
  changes: $changes})
RETURN q.value AS sequence
"""
MERGE_CITED_SOURCE: LiteralString = (
    "MERGE (s:Source {id: $id}) ON CREATE SET s.title = $title, s.url = $url, "
    "s.publisher = $publisher, s.licence = $licence, s.citedAt = datetime() RETURN s.id AS id"
)
KIND_OF: LiteralString = "MATCH (r:Revision {entityId: $id}) RETURN r.kind AS kind LIMIT 1"
HISTORY: LiteralString = (
    "MATCH (r:Revision {entityId: $id}) RETURN r {.*} AS revision ORDER BY r.version"
)
CHANGES_AFTER: LiteralString = (
    "MATCH (r:Revision) WHERE r.sequence > $after RETURN r {.*} AS revision "
    "ORDER BY r.sequence LIMIT $first"
)


# -- applying ----------------------------------------------------------------------------------


def new_id(kind: CuratedKind, text: str) -> str:
    """A readable id: the kind, the text's first words and a random suffix."""
    words = "-".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split()[:6])
    return f"{kind.value.lower()}-{words}-{uuid.uuid4().hex[:6]}".replace("--", "-")


async def _one(tx: AsyncManagedTransaction, query: LiteralString, **params: Any) -> dict[str, Any]:
    result = await tx.run(query, params)
    record = await result.single()
    return dict(record) if record is not None else {}


class Found(Model):
    """An entity as a change finds it: its state, version and the fields curators have set."""

    state: State
    version: int
    curated: frozenset[str]
    has_history: bool


async def read_state(
    tx: AsyncManagedTransaction, kind: CuratedKind, entity_id: str, *, lock: bool = False
) -> Found | None:
    """The entity's state and version, live or retracted; None when there is no such entity."""
    spec = KINDS[kind]
    for label, retracted in ((kind.label, False), (Label.RETRACTED, True)):
        record = await _one(tx, state_query(spec, label, lock=lock), id=entity_id)
        if record:
            raw: dict[str, Any] = record["state"]
            state: State = {name: raw.get(name) for name in spec.fields}
            for link in spec.links:
                state[link.relation.value] = sorted(raw.get(link.relation.value) or [])
            state[RETRACTED] = retracted
            if retracted:
                state["retractedReason"] = raw.get("retractedReason")
            curated = frozenset(raw.get("curatedFields") or [])
            return Found(
                state=state,
                version=int(record["version"]),
                curated=curated,
                has_history=bool(raw.get("hasHistory")),
            )
    return None


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[FieldChange]:
    return [
        FieldChange(field=key, before=before.get(key), after=after.get(key))
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    ]


async def _next_sequence(tx: AsyncManagedTransaction) -> int:
    return int((await _one(tx, NEXT_SEQUENCE))["sequence"])


async def _record_revision(
    tx: AsyncManagedTransaction,
    kind: CuratedKind,
    entity_id: str,
    *,
    version: int,
    action: Action,
    actor: Actor,
    change_set_id: str | None,
    changes: list[FieldChange],
) -> Revision:
    at = datetime.now(UTC).isoformat(timespec="milliseconds")
    record = await _one(
        tx,
        CREATE_REVISION,
        id=f"{kind.value}:{entity_id}:{version}",
        entityId=entity_id,
        kind=kind.value,
        version=version,
        action=action.value,
        actor=actor.subject,
        actorName=actor.name,
        at=at,
        changeSetId=change_set_id,
        changes=json.dumps([change.model_dump() for change in changes]),
    )
    return Revision(
        entity_id=entity_id,
        kind=kind.value,
        version=version,
        action=action,
        actor=actor.subject,
        actor_name=actor.name,
        at=at,
        change_set_id=change_set_id,
        sequence=int(record["sequence"]),
        changes=tuple(changes),
    )


async def _check_target(tx: AsyncManagedTransaction, link: CuratedLink, target_id: str) -> None:
    if not (await _one(tx, exists_query(link.target), id=target_id))["found"]:
        raise Invalid(link.relation.value, f"no {link.target.value} has the id {target_id!r}")


async def _write_state(
    tx: AsyncManagedTransaction,
    kind: CuratedKind,
    entity_id: str,
    *,
    before: State,
    after: State,
    version: int,
    stated: str,
    curated: set[str],
) -> None:
    """Make the graph hold `after` where it held `before`: fields, links, retraction."""
    spec = KINDS[kind]
    if before.get(RETRACTED) and not after.get(RETRACTED):
        await _one(tx, restore_query(kind), id=entity_id, label=kind.value)
    if after.get(RETRACTED):
        if before.get(RETRACTED):
            await _one(tx, touch_retracted_query(), id=entity_id, version=version)
        else:
            await _one(
                tx,
                retract_query(kind),
                id=entity_id,
                label=kind.value,
                reason=after.get("retractedReason"),
                version=version,
            )
        return
    properties = {name: after.get(name) for name in spec.fields}
    await _one(
        tx,
        save_query(kind.label),
        id=entity_id,
        properties=properties,
        version=version,
        curatedFields=sorted(curated),
    )
    for link in spec.links:
        old, new = (
            set(before.get(link.relation.value) or []),
            set(after.get(link.relation.value) or []),
        )
        for target_id in sorted(new - old):
            await _check_target(tx, link, target_id)
            await _one(
                tx, link_query(link, kind.label), id=entity_id, targetId=target_id, stated=stated
            )
        for target_id in sorted(old - new):
            await _one(tx, unlink_query(link, kind.label), id=entity_id, targetId=target_id)


def _validate(kind: CuratedKind, state: State) -> None:
    if kind is CuratedKind.LESSON:
        statement = state.get("statement") or ""
        if len(statement.strip()) < 20:
            raise Invalid("statement", "a lesson states its finding in at least 20 characters")
        if not state.get("evidenceSource") or not state.get("evidenceLocation"):
            raise Invalid("evidence", "a lesson names its evidence: a source and a place in it")
    if kind is CuratedKind.PRACTICE and not (state.get("name") or "").strip():
        raise Invalid("name", "a practice has a name")


def bump_version_query(label: Label) -> LiteralString:
    return (
        f"MATCH (n:{label.value} {{id: $id}}) SET n.curationLock = true "
        "WITH n SET n.version = coalesce(n.version, 1) + 1 REMOVE n.curationLock "
        "RETURN n.version AS version"
    )


async def record_ingested(
    tx: AsyncManagedTransaction,
    label: Label,
    entity_id: str,
    changes: list[FieldChange],
    source_id: str,
) -> Revision:
    """A curated entity's fields changed by a source: a new version, in history as `system:ingest`."""
    record = await _one(tx, bump_version_query(label), id=entity_id)
    return await _record_revision(
        tx, CuratedKind(label.value), entity_id, version=int(record["version"]),
        action=Action.INGEST, actor=Actor(subject=INGEST_ACTOR, name=source_id),
        change_set_id=None, changes=changes,
    )  # fmt: skip


async def _record_citation(tx: AsyncManagedTransaction, citation: Citation | None) -> None:
    if citation is not None:
        await _one(
            tx,
            MERGE_CITED_SOURCE,
            id=citation.source_id,
            title=citation.title,
            url=citation.url,
            publisher=citation.publisher,
            licence=citation.licence,
        )


async def _check_source(tx: AsyncManagedTransaction, state: State) -> None:
    source_id = state.get("evidenceSource")
    if source_id and not (await _one(tx, exists_query(Label.SOURCE), id=source_id))["found"]:
        raise Invalid("evidence", f"no source has the id {source_id!r}")


async def apply_operation(
    tx: AsyncManagedTransaction, operation: Operation, actor: Actor, change_set_id: str | None
) -> Revision:
    """Apply `operation` inside `tx`; raises `Conflict` or `Invalid`, leaving the caller to roll back."""
    kind, spec = operation.kind, KINDS[operation.kind]
    stated = f"curation:{change_set_id}" if change_set_id else "curation"
    if operation.action is Action.CREATE:
        if await read_state(tx, kind, operation.id) is not None:
            raise Invalid("id", f"a {kind.value} with the id {operation.id!r} exists")
        before: State = {RETRACTED: False}
        after: State = {
            **{name: operation.fields.get(name) for name in spec.fields},
            **{
                link.relation.value: sorted(set(operation.links.get(link.relation, [])))
                for link in spec.links
            },
            RETRACTED: False,
        }
        _validate(kind, after)
        await _record_citation(tx, operation.citation)
        await _check_source(tx, after)
        await _write_state(
            tx, kind, operation.id, before=before, after=after, version=1, stated=stated,
            curated=set(spec.fields),
        )  # fmt: skip
        return await _record_revision(
            tx, kind, operation.id, version=1, action=Action.CREATE, actor=actor,
            change_set_id=change_set_id, changes=diff(before, after),
        )  # fmt: skip
    # Every other action changes an existing entity: lock it, then read it.
    found = await read_state(tx, kind, operation.id, lock=True)
    if found is None:
        raise Invalid("id", f"no {kind.value} has the id {operation.id!r}")
    before, version = found.state, found.version
    if operation.expected_version is not None and operation.expected_version != version:
        raise Conflict(
            f"{kind.value} {operation.id!r} is at version {version}, not "
            f"{operation.expected_version}: someone changed it meanwhile",
            before,
            version,
        )
    after = await _target_state(tx, operation, before, version)
    changes = diff(before, after)
    if not changes:
        raise Invalid("id", "the change changes nothing")
    if after.get(RETRACTED) is False:
        _validate(kind, after)
        if after.get("evidenceSource") != before.get("evidenceSource"):
            await _record_citation(tx, operation.citation)
            await _check_source(tx, after)
    if not found.has_history:
        await _record_revision(
            tx, kind, operation.id, version=1, action=Action.BASELINE,
            actor=Actor(subject=INGEST_ACTOR), change_set_id=None, changes=diff({}, before),
        )  # fmt: skip
    curated = set(found.curated) | {
        change.field for change in changes if change.field not in {RETRACTED, "retractedReason"}
    }
    await _write_state(
        tx, kind, operation.id, before=before, after=after, version=version + 1, stated=stated,
        curated=curated,
    )  # fmt: skip
    return await _record_revision(
        tx, kind, operation.id, version=version + 1, action=operation.action, actor=actor,
        change_set_id=change_set_id, changes=changes,
    )  # fmt: skip


async def _target_state(
    tx: AsyncManagedTransaction, operation: Operation, before: State, version: int
) -> State:
    spec = KINDS[operation.kind]
    after = dict(before)
    match operation.action:
        case Action.UPDATE:
            if before[RETRACTED]:
                raise Invalid("id", "a retracted entity is restored by reverting its retraction")
            for name, value in operation.fields.items():
                if name not in spec.fields:
                    raise Invalid(name, f"a {operation.kind.value} has no field {name!r}")
                after[name] = value
        case Action.RETRACT:
            if before[RETRACTED]:
                raise Invalid("id", "already retracted")
            after[RETRACTED] = True
            after["retractedReason"] = operation.reason
        case Action.LINK | Action.UNLINK:
            link = spec.link(operation.relation) if operation.relation else None
            if link is None or operation.target_id is None:
                raise Invalid(
                    "relation", f"a {operation.kind.value} cannot be linked to {operation.relation}"
                )
            ids = set(before.get(link.relation.value) or [])
            if operation.action is Action.LINK:
                ids.add(operation.target_id)
            else:
                ids.discard(operation.target_id)
            after[link.relation.value] = sorted(ids)
        case Action.REVERT:
            if operation.to_version is None or not 1 <= operation.to_version < version:
                raise Invalid("toVersion", f"choose a version between 1 and {version - 1}")
            past = await state_at(tx, operation.kind, operation.id, operation.to_version)
            after = {**before, **past}
            if not after.get(RETRACTED):
                after.pop("retractedReason", None)
        case _:
            raise Invalid("action", f"{operation.action.value} is not applied here")
    return after


async def state_at(
    tx: AsyncManagedTransaction, kind: CuratedKind, entity_id: str, version: int
) -> State:
    """The entity's state at `version`, replayed from its revisions."""
    result = await tx.run(HISTORY, {"id": entity_id})
    state: State = {RETRACTED: False}
    async for record in result:
        revision = record["revision"]
        if revision["kind"] != kind.value or int(revision["version"]) > version:
            continue
        for change in json.loads(revision["changes"]):
            state[change["field"]] = change["after"]
    return state


# -- running -----------------------------------------------------------------------------------


async def apply(
    database: Database, operation: Operation, actor: Actor, change_set_id: str | None = None
) -> Revision:
    """Apply one operation in its own write transaction (retried on transient errors)."""

    async def work(tx: AsyncManagedTransaction) -> Revision:
        return await apply_operation(tx, operation, actor, change_set_id)

    return await database.write(work)


async def kind_of(database: Database, entity_id: str) -> CuratedKind | None:
    """The curated kind of the entity with `entity_id`, from its history."""
    records = await database.read(KIND_OF, id=entity_id)
    return CuratedKind(records[0]["kind"]) if records else None


def revision_from_record(record: Mapping[str, Any]) -> Revision:
    return Revision(
        entity_id=record["entityId"],
        kind=record["kind"],
        version=int(record["version"]),
        action=Action(record["action"]),
        actor=record["actor"],
        actor_name=record.get("actorName"),
        at=record["at"],
        change_set_id=record.get("changeSetId"),
        sequence=int(record["sequence"]),
        changes=tuple(FieldChange.model_validate(c) for c in json.loads(record["changes"])),
    )


async def history(database: Database, entity_id: str) -> list[Revision]:
    records = await database.read(HISTORY, id=entity_id)
    return [revision_from_record(record["revision"]) for record in records]


async def changes_after(database: Database, after: int, first: int) -> list[Revision]:
    records = await database.read(CHANGES_AFTER, after=after, first=first)
    return [revision_from_record(record["revision"]) for record in records]
