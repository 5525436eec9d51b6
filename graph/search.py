"""Ranked full-text search across the graph's entities, narrowed by optional facets."""

import re
from dataclasses import dataclass, fields
from typing import LiteralString

from graph.database import Database
from graph.entity_kinds import Found, bind_each_kind, found_model, label_case, projection_case
from graph.schema import SEARCH_INDEX

# Each facet is optional (null matches everything). A place includes the places within it; a
# theme its narrower themes; a year range applies to the plan a commitment belongs to. IRM
# facets hold for assessed commitments: completion is the latest report's (end of term, else the
# progress report), and a commitment is starred if either report starred it.
FACETS: LiteralString = (
    "  ($jurisdiction IS NULL "
    "    OR EXISTS { MATCH (node)-[:FOR_JURISDICTION|BASED_IN|PRACTISED_IN|APPLIES_TO]->"
    "                      (:Jurisdiction)-[:PART_OF*0..]->(:Jurisdiction {id: $jurisdiction}) } "
    "    OR EXISTS { MATCH (plan)-[:FOR_JURISDICTION]->(:Jurisdiction)"
    "                      -[:PART_OF*0..]->(:Jurisdiction {id: $jurisdiction}) } "
    "    OR (node:Jurisdiction AND EXISTS { MATCH (node)-[:PART_OF*0..]->"
    "                                             (:Jurisdiction {id: $jurisdiction}) })) "
    "  AND ($theme IS NULL "
    "    OR EXISTS { MATCH (node)-[:HAS_THEME]->(:Theme)-[:BROADER*0..]->(:Theme {id: $theme}) } "
    "    OR (node:Theme AND EXISTS { MATCH (node)-[:BROADER*0..]->(:Theme {id: $theme}) })) "
    "  AND ($body IS NULL OR node.id = $body "
    "    OR EXISTS { MATCH (node)<-[:LEADS|PARTNERS_IN|INVOLVED_IN]-(:Body {id: $body}) }) "
    "  AND ($plan IS NULL OR node.id = $plan OR plan.id = $plan) "
    "  AND ($yearFrom IS NULL OR coalesce(plan.periodStart, node.periodStart) >= $yearFrom) "
    "  AND ($yearTo IS NULL OR coalesce(plan.periodStart, node.periodStart) <= $yearTo) "
    "  AND ($potentialImpact IS NULL OR node.potentialImpact = $potentialImpact) "
    "  AND ($specificity IS NULL OR node.specificity = $specificity) "
    "  AND ($completion IS NULL "
    "    OR coalesce(node.completionEndOfTerm, node.completionProgressReport) = $completion) "
    "  AND ($starred IS NULL OR (node.irmAssessed AND "
    "    (coalesce(node.starredEndOfTerm, false) OR coalesce(node.starredProgressReport, false)) "
    "    = $starred)) "
)


def search_statement(faceted: bool) -> LiteralString:
    """The search query; a faceted one reads the index's hits best first until the page is full.

    The index yields every hit in descending score order and Cypher pulls rows lazily, so the
    facets are tested only on as many hits as it takes to fill the page, and no matching item
    is lost to a candidate cap. Ties in score are then ordered by id.
    """
    candidates: LiteralString = "" if faceted else ", {limit: $limit}"
    return (
        "CALL db.index.fulltext.queryNodes($index, $query" + candidates + ") YIELD node, score "
        "WITH node, score, " + label_case("node") + " AS label, "
        "  [(node)<-[:HAS_COMMITMENT]-(owner:ActionPlan) | owner][0] AS plan "
        "WHERE label IS NOT NULL AND " + FACETS + ""
        "WITH node, score, label LIMIT $limit "
        "WITH score, label, " + bind_each_kind("node") + " "
        "RETURN label, score, " + projection_case("label") + " AS item "
        "ORDER BY score DESC, item.id"
    )


SEARCH = search_statement(faceted=False)
FACETED_SEARCH = search_statement(faceted=True)

WORD = re.compile(r"\w+")
# Most words one search may hold: each becomes two fuzzy Lucene clauses, and a few hundred held
# the process for half a minute. A question a person types has far fewer.
MAX_SEARCH_WORDS = 32
MIN_FUZZY_LENGTH = 5
# Fields where the whole text as a phrase is boosted: what an item is called.
PHRASE_FIELDS = ("name", "aliases", "title", "shortTitle")
PHRASE_BOOST = 3


@dataclass(frozen=True)
class SearchFacets:
    """Optional narrowing of a search; all given facets must hold."""

    jurisdiction: str | None = None
    theme: str | None = None
    body: str | None = None
    plan: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    potential_impact: str | None = None
    specificity: str | None = None
    completion: str | None = None
    starred: bool | None = None

    def any(self) -> bool:
        return any(getattr(self, f.name) is not None for f in fields(self))

    def parameters(self) -> dict[str, str | int | bool | None]:
        return {
            "jurisdiction": self.jurisdiction,
            "theme": self.theme,
            "body": self.body,
            "plan": self.plan,
            "yearFrom": self.year_from,
            "yearTo": self.year_to,
            "potentialImpact": self.potential_impact,
            "specificity": self.specificity,
            "completion": self.completion,
            "starred": self.starred,
        }


@dataclass(frozen=True)
class SearchHit:
    item: Found
    score: float


def lucene_query(text: str) -> str | None:
    """Plain words as a Lucene query: each word exact (boosted) or, if long, one edit away.

    The words as a phrase in a name, alias or title count again, boosted, so the body called
    "Audit Scotland" outranks long texts that mention it often. Lucene syntax in `text` is
    never interpreted: only word characters reach the query.
    """
    words = [word.lower() for word in WORD.findall(text)]
    if not words:
        return None
    clauses = [
        f"({word}^2 OR {word}~1)" if len(word) >= MIN_FUZZY_LENGTH else word for word in words
    ]
    phrase = " ".join(words)
    clauses.extend(f'{field}:"{phrase}"^{PHRASE_BOOST}' for field in PHRASE_FIELDS)
    return " ".join(clauses)


async def search(
    database: Database, text: str, limit: int, facets: SearchFacets | None = None
) -> list[SearchHit]:
    query = lucene_query(text)
    if query is None:
        return []
    facets = facets or SearchFacets()
    records = await database.read(
        FACETED_SEARCH if facets.any() else SEARCH,
        index=SEARCH_INDEX,
        query=query,
        limit=limit,
        **facets.parameters(),
    )
    return [
        SearchHit(item=found_model(record["label"], record["item"]), score=record["score"])
        for record in records
    ]
