"""How two entities are connected: the shortest paths between them, and a body's partner network."""

from dataclasses import dataclass
from typing import LiteralString

from graph.database import Database
from graph.lookups import Lookup
from graph.models import Model
from graph.vocabulary import INTERNAL_LABELS, Label, Rel

# Provenance and evidence links say where facts come from, not how entities relate.
NOT_CONNECTIONS = frozenset({Rel.SOURCED_FROM, Rel.EVIDENCED_BY})
CONNECTING_TYPES: LiteralString = "|".join(rel.value for rel in Rel if rel not in NOT_CONNECTIONS)
ENTITY_LABELS: LiteralString = " OR ".join(
    f"n:{label.value}" for label in Label if label not in INTERNAL_LABELS
)
MAX_PATH_LENGTH = 6

CONNECTIONS: LiteralString = (
    "MATCH (a) WHERE a.id = $from AND (" + ENTITY_LABELS.replace("n:", "a:") + ") "
    "MATCH (b) WHERE b.id = $to AND (" + ENTITY_LABELS.replace("n:", "b:") + ") "
    "MATCH path = allShortestPaths((a)-[:" + CONNECTING_TYPES + f"*..{MAX_PATH_LENGTH}]-(b)) "
    "WITH path LIMIT $limit "
    "RETURN [n IN nodes(path) | {id: n.id, label: labels(n)[0], "
    "        name: coalesce(n.shortTitle, n.name, n.title, n.statement, n.id)}] AS steps, "
    "       [r IN relationships(path) | {type: type(r), from: startNode(r).id}] AS links"
)


class PartnerCount(Model):
    body_id: str
    shared_commitments: int


PARTNERS_BY_BODY_ID = Lookup(
    """
MATCH (:Body {id: key})-[:LEADS|PARTNERS_IN]->(c:Commitment)<-[:LEADS|PARTNERS_IN]-(partner:Body)
WHERE partner.id <> key
WITH key, partner.id AS partner, count(DISTINCT c) AS shared
ORDER BY shared DESC, partner
RETURN key, collect({body_id: partner, shared_commitments: shared}) AS items
""",
    PartnerCount,
    many=True,
)


@dataclass(frozen=True)
class Step:
    id: str
    label: str
    name: str


@dataclass(frozen=True)
class Link:
    type: str
    forward: bool


@dataclass(frozen=True)
class Path:
    """Entities from the first to the last, and the relationship between each and the next."""

    steps: tuple[Step, ...]
    links: tuple[Link, ...]


async def connections(database: Database, from_id: str, to_id: str, limit: int) -> list[Path]:
    """The shortest paths (up to `MAX_PATH_LENGTH` relationships) between two entities by id."""
    records = await database.read(CONNECTIONS, limit=limit, **{"from": from_id, "to": to_id})
    paths: list[Path] = []
    for record in records:
        steps = tuple(Step(s["id"], s["label"], str(s["name"])) for s in record["steps"])
        links = tuple(
            Link(link["type"], forward=link["from"] == steps[index].id)
            for index, link in enumerate(record["links"])
        )
        paths.append(Path(steps, links))
    return sorted(paths, key=lambda path: [step.id for step in path.steps])
