"""Ranked full-text search across action plans, bodies, commitments and jurisdictions."""

import re
from dataclasses import dataclass
from typing import LiteralString

from graph.action_plans import ACTION_PLAN_FIELDS
from graph.bodies import BODY_FIELDS
from graph.commitments import COMMITMENT_FIELDS
from graph.database import Database
from graph.jurisdictions import JURISDICTION_FIELDS
from graph.models import ActionPlan, Body, Commitment, Jurisdiction, Theme
from graph.schema import SEARCH_INDEX
from graph.vocabulary import Label

SEARCH: LiteralString = (
    "CALL db.index.fulltext.queryNodes($index, $query, {limit: $limit}) YIELD node, score "
    "WITH node, score, "
    "  CASE WHEN node:Commitment THEN 'Commitment' WHEN node:Body THEN 'Body' "
    "       WHEN node:ActionPlan THEN 'ActionPlan' ELSE 'Jurisdiction' END AS label "
    "WITH score, label, node AS c, node AS b, node AS p, node AS j "
    "RETURN label, score, CASE label "
    "  WHEN 'Commitment' THEN " + COMMITMENT_FIELDS + " WHEN 'Body' THEN " + BODY_FIELDS + ""
    "  WHEN 'ActionPlan' THEN "
    + ACTION_PLAN_FIELDS
    + " ELSE "
    + JURISDICTION_FIELDS
    + " END AS item "
    "ORDER BY score DESC, item.id"
)

MODELS: dict[str, type[Commitment | Body | ActionPlan | Jurisdiction | Theme]] = {
    Label.THEME.value: Theme,
    Label.COMMITMENT.value: Commitment,
    Label.BODY.value: Body,
    Label.ACTION_PLAN.value: ActionPlan,
    Label.JURISDICTION.value: Jurisdiction,
}

WORD = re.compile(r"\w+")
MIN_FUZZY_LENGTH = 5


@dataclass(frozen=True)
class SearchHit:
    item: Commitment | Body | ActionPlan | Jurisdiction | Theme
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


async def search(database: Database, text: str, limit: int) -> list[SearchHit]:
    query = lucene_query(text)
    if query is None:
        return []
    records = await database.read(SEARCH, index=SEARCH_INDEX, query=query, limit=limit)
    return [
        SearchHit(
            item=MODELS[record["label"]].model_validate(record["item"]), score=record["score"]
        )
        for record in records
    ]
