"""Similar initiatives: commitments and practices ranked by what they share with a given one.

The score is deterministic and is the sum of its reasons' weights:
- each shared OGP policy-area or sector theme: 1.0; each shared OGP value or grand challenge: 0.5
  (a plan's own headings are ignored: they are local to one plan);
- each body involved in both (leading, partnering or running): 1.5;
- each data standard both use: 1.5;
- a practice applied in a commitment, or the reverse: 2.0;
- text similarity of the title (and short title or description): up to 2.0, the full-text score
  divided by the best full-text score among the candidates.
Ties are broken by id.
"""

import re
from dataclasses import dataclass
from typing import LiteralString

from graph.database import Database
from graph.schema import SEARCH_INDEX
from graph.vocabulary import Label

THEME_WEIGHT = 1.0
MINOR_THEME_WEIGHT = 0.5
BODY_WEIGHT = 1.5
STANDARD_WEIGHT = 1.5
LINK_WEIGHT = 2.0
TEXT_WEIGHT = 2.0
TEXT_CANDIDATES = 50
TEXT_WORDS = 12
STOP_WORDS = frozenset(
    [
        "the",
        "and",
        "for",
        "with",
        "from",
        "that",
        "this",
        "will",
        "into",
        "their",
        "its",
        "our",
        "are",
        "was",
        "were",
        "has",
        "have",
        "been",
        "of",
        "to",
        "in",
        "on",
        "a",
        "an",
        "by",
        "at",
        "as",
        "is",
        "be",
        "or",
        "not",
        "all",
        "new",
        "more",
    ]
)

SOURCE_ITEM: LiteralString = """
MATCH (src {id: $id}) WHERE src:Commitment OR src:Practice
RETURN CASE WHEN src:Commitment THEN 'Commitment' ELSE 'Practice' END AS label,
       coalesce(src.title, src.name, '') + ' ' + coalesce(src.shortTitle, src.description, '') AS text
"""

SIMILAR: LiteralString = """
MATCH (src {id: $id}) WHERE src:Commitment OR src:Practice
WITH src, COLLECT {
  CALL (src) {
    MATCH (src)<-[:HAS_COMMITMENT]-(:ActionPlan)-[:FOR_JURISDICTION]->(home:Jurisdiction) RETURN home
    UNION
    MATCH (src)-[:PRACTISED_IN]->(home:Jurisdiction) RETURN home
  }
  MATCH (within:Jurisdiction)-[:PART_OF*0..]->(home) RETURN DISTINCT within.id
} AS ownPlaces
CALL (src) {
  MATCH (src)-[:HAS_THEME]->(t:Theme)<-[:HAS_THEME]-(other)
  WHERE other <> src AND (other:Commitment OR other:Practice) AND t.scheme <> 'plan-themes'
  RETURN other, 'SHARED_THEME' AS kind, t.name AS label,
         CASE t.scheme WHEN 'ogp-policy-areas' THEN $themeWeight ELSE $minorThemeWeight END AS weight
  UNION
  MATCH (src)<-[:LEADS|PARTNERS_IN|INVOLVED_IN]-(b:Body)-[:LEADS|PARTNERS_IN|INVOLVED_IN]->(other)
  WHERE other <> src AND (other:Commitment OR other:Practice)
  RETURN DISTINCT other, 'SHARED_BODY' AS kind, b.name AS label, $bodyWeight AS weight
  UNION
  MATCH (src)-[:USES_STANDARD]->(s:Standard)<-[:USES_STANDARD]-(other)
  WHERE other <> src
  RETURN other, 'SHARED_STANDARD' AS kind, s.name AS label, $standardWeight AS weight
  UNION
  MATCH (src)-[:APPLIED_IN]-(other)
  RETURN other, 'LINKED' AS kind, coalesce(other.shortTitle, other.title, other.name) AS label,
         $linkWeight AS weight
  UNION
  CALL db.index.fulltext.queryNodes($index, $text, {limit: $textCandidates}) YIELD node, score
  WITH node AS other, score
  WHERE other <> src AND (other:Commitment OR other:Practice)
  RETURN other, 'TEXT' AS kind, null AS label, score AS weight
}
WITH ownPlaces, other, collect({kind: kind, label: label, weight: weight}) AS reasons
WHERE NOT $otherJurisdictionsOnly OR (
  NOT EXISTS { MATCH (other)<-[:HAS_COMMITMENT]-(:ActionPlan)-[:FOR_JURISDICTION]->(home:Jurisdiction)
               WHERE home.id IN ownPlaces }
  AND NOT EXISTS { MATCH (other)-[:PRACTISED_IN]->(home:Jurisdiction) WHERE home.id IN ownPlaces })
WITH other, reasons, [r IN reasons WHERE r.kind = 'TEXT' | r.weight][0] AS text
WITH collect({other: other, reasons: reasons, text: coalesce(text, 0.0)}) AS candidates,
     max(coalesce(text, 0.0)) AS best
UNWIND candidates AS candidate
WITH candidate, best, reduce(total = 0.0, r IN candidate.reasons |
       total + CASE WHEN r.kind = 'TEXT' THEN $textWeight * r.weight / best ELSE r.weight END) AS score
ORDER BY score DESC, candidate.other.id
LIMIT $first
RETURN candidate.other.id AS id,
       CASE WHEN candidate.other:Commitment THEN 'Commitment' ELSE 'Practice' END AS label,
       candidate.reasons AS reasons, best
"""


@dataclass(frozen=True)
class Reason:
    kind: str
    label: str | None
    weight: float


@dataclass(frozen=True)
class SimilarItem:
    id: str
    label: Label
    score: float
    reasons: tuple[Reason, ...]


def text_query(text: str) -> str | None:
    """The source's distinctive words as an OR query; None if it has none."""
    words: list[str] = []
    for word in re.findall(r"\w+", text.lower()):
        if len(word) >= 4 and word not in STOP_WORDS and word not in words:
            words.append(word)
    return " ".join(words[:TEXT_WORDS]) or None


async def similar(
    database: Database, item_id: str, first: int, other_jurisdictions_only: bool
) -> list[SimilarItem] | None:
    """Up to `first` items like `item_id`, best first; None if no commitment or practice has that id."""
    sources = await database.read(SOURCE_ITEM, id=item_id)
    if not sources:
        return None
    records = await database.read(
        SIMILAR,
        id=item_id,
        index=SEARCH_INDEX,
        text=text_query(sources[0]["text"]) or "ogkg-nothing-matches-this",
        textCandidates=TEXT_CANDIDATES,
        otherJurisdictionsOnly=other_jurisdictions_only,
        themeWeight=THEME_WEIGHT,
        minorThemeWeight=MINOR_THEME_WEIGHT,
        bodyWeight=BODY_WEIGHT,
        standardWeight=STANDARD_WEIGHT,
        linkWeight=LINK_WEIGHT,
        textWeight=TEXT_WEIGHT,
        first=first,
    )
    best_text = float(records[0]["best"]) if records else 0.0
    items: list[SimilarItem] = []
    for record in records:
        reasons = tuple(
            sorted(
                (
                    Reason(
                        kind=r["kind"],
                        label=r["label"],
                        weight=round(TEXT_WEIGHT * r["weight"] / best_text, 3)
                        if r["kind"] == "TEXT"
                        else float(r["weight"]),
                    )
                    for r in record["reasons"]
                ),
                key=lambda reason: (-reason.weight, reason.kind, reason.label or ""),
            )
        )
        score = round(sum(reason.weight for reason in reasons), 3)
        items.append(SimilarItem(record["id"], Label(record["label"]), score, reasons))
    items.sort(key=lambda item: (-item.score, item.id))
    return items[:first]
