"""Similar initiatives: commitments and practices ranked by what they share with a given one.

The score is deterministic and is the sum of its reasons' weights:
- each shared OGP policy-area or sector theme: 1.0; each shared OGP value or grand challenge: 0.5
  (a plan's own headings are ignored: they are local to one plan);
- each body involved in both (leading, partnering or running): 1.5;
- each data standard both use: 1.5;
- a practice applied in a commitment, or the reverse: 2.0;
- text similarity: up to 2.0, the full-text score of the source's distinctive words (up to 8 of
  its title and short title or description) in the other's title, short title, name or
  description, divided by the best such score among the 50 best matches.
Ties are broken by id.
"""

import re
from dataclasses import dataclass
from typing import LiteralString

from graph.commitments import COMMITMENT_FIELDS
from graph.database import Database
from graph.knowledge import PRACTICE_FIELDS
from graph.models import Commitment, Practice
from graph.schema import SEARCH_INDEX

THEME_WEIGHT = 1.0
MINOR_THEME_WEIGHT = 0.5
BODY_WEIGHT = 1.5
STANDARD_WEIGHT = 1.5
LINK_WEIGHT = 2.0
TEXT_WEIGHT = 2.0
TEXT_CANDIDATES = 50
TEXT_WORDS = 8
# What text similarity compares: the names and titles of commitments and practices.
TEXT_FIELDS = ("title", "shortTitle", "name", "description")
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
WITH coalesce(src.title, src.name, '') + ' ' + coalesce(src.shortTitle, src.description, '') AS text,
       COLLECT {
         CALL (src) {
           MATCH (src)<-[:HAS_COMMITMENT]-(:ActionPlan)-[:FOR_JURISDICTION]->(home:Jurisdiction)
           RETURN home
           UNION
           MATCH (src)-[:PRACTISED_IN]->(home:Jurisdiction) RETURN home
         }
         MATCH (within:Jurisdiction)-[:PART_OF*0..]->(home) RETURN DISTINCT within
       } AS places
RETURN text, [place IN places | place.id] AS ownPlaces,
       COLLECT { UNWIND places AS place MATCH (place)<-[:FOR_JURISDICTION]-(plan:ActionPlan)
                 RETURN DISTINCT plan.id } AS ownPlans
"""


# Each reason `other` shares with `src` in the graph, as `kind`, `label` and `weight`.
SHARED_GRAPH_REASONS: LiteralString = """
  MATCH (src)-[:HAS_THEME]->(t:Theme)<-[:HAS_THEME]-(other)
  WHERE other <> src AND (other:Commitment OR other:Practice) AND t.scheme <> 'plan-themes'
  RETURN 'SHARED_THEME' AS kind, t.name AS label,
         CASE t.scheme WHEN 'ogp-policy-areas' THEN $themeWeight ELSE $minorThemeWeight END AS weight
  UNION ALL
  MATCH (src)<-[:LEADS|PARTNERS_IN|INVOLVED_IN]-(b:Body)-[:LEADS|PARTNERS_IN|INVOLVED_IN]->(other)
  WHERE other <> src AND (other:Commitment OR other:Practice)
  WITH DISTINCT other, b
  RETURN 'SHARED_BODY' AS kind, b.name AS label, $bodyWeight AS weight
  UNION ALL
  MATCH (src)-[:USES_STANDARD]->(s:Standard)<-[:USES_STANDARD]-(other)
  WHERE other <> src
  RETURN 'SHARED_STANDARD' AS kind, s.name AS label, $standardWeight AS weight
  UNION ALL
  MATCH (src)-[:APPLIED_IN]-(other)
  RETURN DISTINCT 'LINKED' AS kind,
         coalesce(other.shortTitle, other.title, other.name) AS label, $linkWeight AS weight
"""


# The weights alone, for every item sharing something with `src`: the same reasons as above,
# without reading the names only the explanations need.
GRAPH_SCORES: LiteralString = """
CALL (src) {
  MATCH (src)-[:HAS_THEME]->(t:Theme) WHERE t.scheme <> 'plan-themes'
  WITH src, t, CASE t.scheme WHEN 'ogp-policy-areas' THEN $themeWeight ELSE $minorThemeWeight END AS weight
  MATCH (t)<-[:HAS_THEME]-(other)
  WHERE other <> src AND (other:Commitment OR other:Practice)
  RETURN other, weight
  UNION ALL
  MATCH (src)<-[:LEADS|PARTNERS_IN|INVOLVED_IN]-(b:Body)-[:LEADS|PARTNERS_IN|INVOLVED_IN]->(other)
  WHERE other <> src AND (other:Commitment OR other:Practice)
  WITH DISTINCT other, b
  RETURN other, $bodyWeight AS weight
  UNION ALL
  MATCH (src)-[:USES_STANDARD]->(:Standard)<-[:USES_STANDARD]-(other)
  WHERE other <> src
  RETURN other, $standardWeight AS weight
  UNION ALL
  MATCH (src)-[:APPLIED_IN]-(other)
  RETURN DISTINCT other, $linkWeight AS weight
}
"""

# Whether `other` is in the source's jurisdictions or the places within them: a commitment in
# one of `$ownPlans` (the plans for those places), a practice practised in one of `$ownPlaces`.
IN_OWN_PLACES: LiteralString = """(
  EXISTS { MATCH (other)<-[:HAS_COMMITMENT]-(plan:ActionPlan) WHERE plan.id IN $ownPlans }
  OR (other:Practice AND EXISTS {
        MATCH (other)-[:PRACTISED_IN]->(home:Jurisdiction) WHERE home.id IN $ownPlaces }))"""

# Ranking in two steps keeps it exact without scoring every candidate: an item with no text
# match scores its graph reasons only, so the best `$first` by graph score, with the
# full-text candidates, hold the best `$first` overall.
SIMILAR: LiteralString = (
    """
MATCH (src {id: $id}) WHERE src:Commitment OR src:Practice
"""
    + "CALL (src) {"
    + GRAPH_SCORES
    + """
  WITH other, sum(weight) AS graphScore
  WITH collect({other: other, score: graphScore}) AS scored
  // Ids break ties, and the place filter reads the graph: both only for the items scoring at
  // least the `$first`-best score among those that pass the filter.
  WITH scored, COLLECT {
    UNWIND scored AS item
    WITH item.other AS other, item.score AS score ORDER BY score DESC
    WHERE NOT $otherJurisdictionsOnly OR NOT """
    + IN_OWN_PLACES
    + """
    RETURN score LIMIT $first
  }[-1] AS cutoff
  UNWIND [item IN scored WHERE item.score >= cutoff] AS item
  WITH item.other AS other, item.score AS graphScore
  WHERE NOT $otherJurisdictionsOnly OR NOT """
    + IN_OWN_PLACES
    + """
  WITH other, graphScore ORDER BY graphScore DESC, other.id LIMIT $first
  RETURN collect(other) AS byGraph
}
CALL (src) {
  CALL db.index.fulltext.queryNodes($index, $text, {limit: $textCandidates}) YIELD node, score
  WITH node AS other, score
  WHERE other <> src AND (other:Commitment OR other:Practice)
    AND (NOT $otherJurisdictionsOnly OR NOT """
    + IN_OWN_PLACES
    + """)
  RETURN collect(other) AS byText, collect(score) AS textScores, max(score) AS best
}
UNWIND byGraph + [other IN byText WHERE NOT other IN byGraph] AS other
WITH src, other, best, [i IN range(0, size(byText) - 1) WHERE byText[i] = other | textScores[i]][0] AS text
WITH src, other, best, text, COLLECT {
"""
    + "CALL (src, other) {"
    + SHARED_GRAPH_REASONS
    + "}"
    + """
  RETURN {kind: kind, label: label, weight: weight}
} + CASE WHEN text IS NULL THEN [] ELSE [{kind: 'TEXT', label: null, weight: text}] END AS reasons
WITH other, best, reasons, reduce(total = 0.0, r IN reasons |
       total + CASE WHEN r.kind = 'TEXT' THEN $textWeight * r.weight / best ELSE r.weight END) AS score
ORDER BY score DESC, other.id
LIMIT $first
WITH other AS c, other AS pr, reasons, best
RETURN c.id AS id, reasons, best,
       CASE WHEN c:Commitment THEN """
    + COMMITMENT_FIELDS
    + """ END AS commitment,
       CASE WHEN pr:Practice THEN """
    + PRACTICE_FIELDS
    + """ END AS practice
"""
)


@dataclass(frozen=True)
class Reason:
    kind: str
    label: str | None
    weight: float


@dataclass(frozen=True)
class SimilarItem:
    item: Commitment | Practice
    score: float
    reasons: tuple[Reason, ...]


def text_query(text: str) -> str | None:
    """The source's distinctive words, as a query for them in the names and titles others carry.

    None if it has no such words. Words are runs of letters and digits: no Lucene syntax.
    """
    words: list[str] = []
    for word in re.findall(r"\w+", text.lower()):
        if len(word) >= 4 and word not in STOP_WORDS and word not in words:
            words.append(word)
    if not words:
        return None
    any_word = "(" + " ".join(words[:TEXT_WORDS]) + ")"
    return " OR ".join(f"{field}:{any_word}" for field in TEXT_FIELDS)


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
        ownPlaces=sources[0]["ownPlaces"],
        ownPlans=sources[0]["ownPlans"],
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
    best_text = float(records[0]["best"] or 0.0) if records else 0.0
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
        item: Commitment | Practice = (
            Commitment.model_validate(record["commitment"])
            if record["commitment"] is not None
            else Practice.model_validate(record["practice"])
        )
        items.append(SimilarItem(item, score, reasons))
    items.sort(key=lambda found: (-found.score, found.item.id))
    return items[:first]
