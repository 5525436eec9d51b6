"""What ingest leaves as curators left it: their fields and links, retracted and merged entities."""

from dataclasses import dataclass, field
from typing import LiteralString

from neo4j import AsyncManagedTransaction

from graph.curated_kinds import KINDS, CuratedKind
from graph.redirects import redirect_key
from graph.vocabulary import Label

# Labels whose entities curators change: ingest checks these before writing.
GUARDED = frozenset({Label.LESSON, Label.PRACTICE, Label.BODY})


def guard_query(label: Label) -> LiteralString:
    return (
        "UNWIND $ids AS id "
        f"OPTIONAL MATCH (n:{label.value} {{id: id}}) "
        f"OPTIONAL MATCH (gone:{Label.RETRACTED.value} {{id: id}}) "
        "WHERE gone.retractedLabel = $label "
        f"OPTIONAL MATCH (moved:{Label.REDIRECT.value} {{id: $label + ':' + id}}) "
        "WITH id, n.curatedFields AS curated, n AS live, gone IS NOT NULL AS retracted, "
        "  moved.toId AS movedTo "
        "WHERE curated IS NOT NULL OR retracted OR movedTo IS NOT NULL "
        "RETURN id, curated, retracted, movedTo, "
        "  CASE WHEN live IS NULL THEN {} ELSE properties(live) END AS current"
    )


@dataclass
class Guard:
    """Per label: ids to leave out, ids that moved, and the fields curators own, with their values."""

    retracted: dict[Label, set[str]] = field(default_factory=dict)
    moved: dict[Label, dict[str, str]] = field(default_factory=dict)
    curated: dict[Label, dict[str, set[str]]] = field(default_factory=dict)
    current: dict[Label, dict[str, dict[str, object]]] = field(default_factory=dict)

    def node_id(self, label: Label, node_id: str) -> str | None:
        """Where a row for `node_id` goes: itself, the entity it moved to, or nowhere (retracted)."""
        if node_id in self.retracted.get(label, set()):
            return None
        return self.moved.get(label, {}).get(node_id, node_id)

    def curated_fields(self, label: Label, node_id: str) -> set[str]:
        return self.curated.get(label, {}).get(node_id, set())

    def owns_relation(self, label: Label, node_id: str, relation: str) -> bool:
        return relation in self.curated_fields(label, node_id)


async def read_guard(tx: AsyncManagedTransaction, ids_by_label: dict[Label, list[str]]) -> Guard:
    guard = Guard()
    for label, ids in ids_by_label.items():
        if label not in GUARDED or not ids:
            continue
        result = await tx.run(guard_query(label), {"ids": ids, "label": label.value})
        async for record in result:
            node_id = record["id"]
            if record["retracted"]:
                guard.retracted.setdefault(label, set()).add(node_id)
            if record["movedTo"] is not None:
                guard.moved.setdefault(label, {})[node_id] = record["movedTo"]
            if record["curated"]:
                guard.curated.setdefault(label, {})[node_id] = set(record["curated"])
                guard.current.setdefault(label, {})[node_id] = dict(record["current"])
    return guard


def relation_of(label: Label, other: Label, rel_type: str, outgoing: bool) -> str | None:
    """The curated relation name a relationship of `label` stands for, if curators edit it."""
    if label.value not in {kind.value for kind in CuratedKind}:
        return None
    for link in KINDS[CuratedKind(label.value)].links:
        if link.type.value == rel_type and link.target is other and link.outgoing is outgoing:
            return link.relation.value
    return None


__all__ = ["GUARDED", "Guard", "read_guard", "redirect_key", "relation_of"]
