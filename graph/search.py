"""Ranked full-text search across the graph's entities, narrowed by optional facets."""

import re
from dataclasses import dataclass, fields
from typing import LiteralString

from graph.action_plans import ACTION_PLAN_FIELDS
from graph.bodies import BODY_FIELDS
from graph.commitments import COMMITMENT_FIELDS
from graph.database import Database
from graph.jurisdictions import JURISDICTION_FIELDS
from graph.knowledge import LESSON_FIELDS, PRACTICE_FIELDS
from graph.models import ActionPlan, Body, Commitment, Jurisdiction, Lesson, Practice, Theme
from graph.schema import SEARCH_INDEX
from graph.themes import THEME_FIELDS
from graph.vocabulary import Label

Found = Commitment | Body | ActionPlan | Jurisdiction | Theme | Practice | Lesson

MODELS: dict[str, type[Found]] = {
    Label.COMMITMENT.value: Commitment,
    Label.BODY.value: Body,
    Label.ACTION_PLAN.value: ActionPlan,
    Label.JURISDICTION.value: Jurisdiction,
    Label.THEME.value: Theme,
    Label.PRACTICE.value: Practice,
    Label.LESSON.value: Lesson,
}

# Each facet is optional (null matches everything). A place includes the places within it; a
# theme its narrower themes; a year range applies to the plan a commitment belongs to. IRM
# facets hold for assessed commitments: completion is the latest report's (end of term, else the
# progress report), and a commitment is starred if either report starred it.
SEARCH: LiteralString = (
    "CALL db.index.fulltext.queryNodes($index, $query, {limit: $candidates}) YIELD node, score "
    "WITH node, score, "
    "  CASE WHEN node:Commitment THEN 'Commitment' WHEN node:Body THEN 'Body' "
    "       WHEN node:ActionPlan THEN 'ActionPlan' WHEN node:Jurisdiction THEN 'Jurisdiction' "
    "       WHEN node:Theme THEN 'Theme' WHEN node:Practice THEN 'Practice' "
    "       WHEN node:Lesson THEN 'Lesson' END AS label, "
    "  [(node)<-[:HAS_COMMITMENT]-(owner:ActionPlan) | owner][0] AS plan "
    "WHERE label IS NOT NULL "
    "  AND ($jurisdiction IS NULL "
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
    "WITH score, label, node AS c, node AS b, node AS p, node AS j, node AS t, node AS pr, "
    "     node AS l "
    "ORDER BY score DESC, c.id LIMIT $limit "
    "RETURN label, score, CASE label "
    "  WHEN 'Commitment' THEN " + COMMITMENT_FIELDS + " WHEN 'Body' THEN " + BODY_FIELDS + ""
    "  WHEN 'ActionPlan' THEN " + ACTION_PLAN_FIELDS + " WHEN 'Theme' THEN " + THEME_FIELDS + ""
    "  WHEN 'Practice' THEN " + PRACTICE_FIELDS + " WHEN 'Lesson' THEN " + LESSON_FIELDS + ""
    "  ELSE " + JURISDICTION_FIELDS + " END AS item "
    "ORDER BY score DESC, item.id"
)

WORD = re.compile(r"\w+")
MIN_FUZZY_LENGTH = 5
FACETED_CANDIDATES = 2000


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

    Lucene syntax in `text` is never interpreted: only word characters reach the query.
    """
    words = [word.lower() for word in WORD.findall(text)]
    if not words:
        return None
    clauses = [
        f"({word}^2 OR {word}~1)" if len(word) >= MIN_FUZZY_LENGTH else word for word in words
    ]
    return " ".join(clauses)


async def search(
    database: Database, text: str, limit: int, facets: SearchFacets | None = None
) -> list[SearchHit]:
    query = lucene_query(text)
    if query is None:
        return []
    facets = facets or SearchFacets()
    records = await database.read(
        SEARCH,
        index=SEARCH_INDEX,
        query=query,
        limit=limit,
        candidates=FACETED_CANDIDATES if facets.any() else limit,
        **facets.parameters(),
    )
    return [
        SearchHit(
            item=MODELS[record["label"]].model_validate(record["item"]), score=record["score"]
        )
        for record in records
    ]
