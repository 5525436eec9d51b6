"""Read bodies and their parts in commitments: leads and partnerships."""

from enum import StrEnum
from typing import LiteralString

from graph.database import Database
from graph.listings import Listing
from graph.lookups import Lookup
from graph.models import Body, Partnership
from graph.vocabulary import BodyKind

BODY_FIELDS: LiteralString = """
b {.id, .name, .kind, aliases: coalesce(b.aliases, []),
   jurisdiction_id: [(b)-[:BASED_IN]->(base:Jurisdiction) | base.id][0],
   status: b.govukStatus,
   classification: coalesce(b.copbtClassification, b.govukFormat, b.onsCategory, b.onsSector),
   accountability: CASE WHEN b.holdsPublicMeetings IS NULL THEN null ELSE
     {holds_public_meetings: b.holdsPublicMeetings, publishes_minutes: b.publishesMinutes,
      has_register_of_interests: b.hasRegisterOfInterests} END,
   resolution: coalesce(b.resolution, [])}
"""

BODIES = Listing(
    "MATCH (b:Body) WHERE b.name IS NOT NULL AND ($kind IS NULL OR b.kind = $kind)",
    BODY_FIELDS,
    "b.name, b.id",
    Body,
)


class BodySort(StrEnum):
    """The orders a list of bodies may come in; each maps to a fixed ORDER BY."""

    NAME = "NAME"
    MOST_COMMITMENTS = "MOST_COMMITMENTS"


BODY_ORDER: dict[BodySort, LiteralString] = {
    BodySort.NAME: "b.name, b.id",
    BodySort.MOST_COMMITMENTS: "COUNT { (b)-[:LEADS|PARTNERS_IN]->(:Commitment) } DESC, b.name, b.id",
}

BODIES_BY_ID = Lookup(
    "MATCH (b:Body {id: key}) RETURN key, " + BODY_FIELDS + " AS item",
    Body,
    many=False,
)

LEADS_BY_COMMITMENT_ID = Lookup(
    "MATCH (b:Body)-[:LEADS]->(:Commitment {id: key}) "
    "WITH key, b ORDER BY b.name, b.id "
    "RETURN key, collect(" + BODY_FIELDS + ") AS items",
    Body,
    many=True,
)

PARTNERSHIPS_BY_COMMITMENT_ID = Lookup(
    """
MATCH (b:Body)-[r:PARTNERS_IN]->(:Commitment {id: key})
WITH key, b, r ORDER BY r.role, b.name, b.id
RETURN key, collect({body_id: b.id, commitment_id: key, role: r.role}) AS items
""",
    Partnership,
    many=True,
)

PARTNERSHIPS_BY_BODY_ID = Lookup(
    """
MATCH (:Body {id: key})-[r:PARTNERS_IN]->(c:Commitment)
WITH key, c, r ORDER BY c.id, r.role
RETURN key, collect({body_id: key, commitment_id: c.id, role: r.role}) AS items
""",
    Partnership,
    many=True,
)


# A body's parents: one per parent, most-stated basis first (sponsor, parent organisation, ...).
PARENTS_BY_BODY_ID = Lookup(
    "MATCH (:Body {id: key})-[r:PART_OF]->(b:Body) "
    "WITH key, b, count(r) AS bases, min(r.basis) AS basis ORDER BY bases DESC, basis, b.name "
    "RETURN key, collect(" + BODY_FIELDS + ") AS items",
    Body,
    many=True,
)

PARTS_BY_BODY_ID = Lookup(
    "MATCH (:Body {id: key})<-[:PART_OF]-(b:Body) "
    "WITH DISTINCT key, b ORDER BY b.name, b.id "
    "RETURN key, collect(" + BODY_FIELDS + ") AS items",
    Body,
    many=True,
)


async def bodies(database: Database, kind: BodyKind | None = None) -> list[Body]:
    return await BODIES.all(database, kind=kind.value if kind else None)
