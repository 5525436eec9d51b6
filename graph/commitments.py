"""Read commitments: all, by id, by action plan and by the body that leads them."""

from dataclasses import dataclass
from enum import StrEnum
from typing import LiteralString

from graph.database import Database
from graph.lookups import Lookup, all_of
from graph.models import Commitment, Milestone

COMMITMENT_FIELDS: LiteralString = """
c {.id, .number, .code, .title, .summary, short_title: c.shortTitle, full_text: c.fullText,
   start_year: c.startYear, end_year: c.endYear, ogp_id: c.ogpId,
   policy_areas: coalesce(c.policyAreas, []),
   action_plan_id: [(plan:ActionPlan)-[:HAS_COMMITMENT]->(c) | plan.id][0],
   irm: CASE WHEN c.irmAssessed IS NULL THEN null ELSE {
     assessed: c.irmAssessed, specificity: c.specificity,
     relevant_to_ogp_values: c.relevantToOgpValues, potential_impact: c.potentialImpact,
     completion_progress_report: c.completionProgressReport,
     completion_end_of_term: c.completionEndOfTerm, completion_change: c.completionChange,
     opened_government: c.openedGovernment, starred_progress_report: c.starredProgressReport,
     starred_end_of_term: c.starredEndOfTerm, progress_report_year: c.progressReportYear,
     end_of_term_report_year: c.endOfTermReportYear} END}
"""

ALL_COMMITMENTS: LiteralString = (
    "MATCH (plan:ActionPlan)-[:HAS_COMMITMENT]->(c:Commitment) "
    "WITH c ORDER BY plan.id, c.number, c.id "
    "RETURN " + COMMITMENT_FIELDS + " AS item"
)

COMMITMENTS_BY_ID = Lookup(
    "MATCH (c:Commitment {id: key}) RETURN key, " + COMMITMENT_FIELDS + " AS item",
    Commitment,
    many=False,
)

COMMITMENTS_BY_ACTION_PLAN_ID = Lookup(
    "MATCH (:ActionPlan {id: key})-[:HAS_COMMITMENT]->(c:Commitment) "
    "WITH key, c ORDER BY c.number, c.id "
    "RETURN key, collect(" + COMMITMENT_FIELDS + ") AS items",
    Commitment,
    many=True,
)

COMMITMENTS_LED_BY_BODY_ID = Lookup(
    "MATCH (:Body {id: key})-[:LEADS]->(c:Commitment) "
    "WITH key, c ORDER BY c.id "
    "RETURN key, collect(" + COMMITMENT_FIELDS + ") AS items",
    Commitment,
    many=True,
)


MILESTONES_BY_COMMITMENT_ID = Lookup(
    "MATCH (:Commitment {id: key})-[:HAS_MILESTONE]->(m:Milestone) "
    "WITH key, m ORDER BY m.year, m.id "
    "RETURN key, collect(m {.id, .year, .text, .status}) AS items",
    Milestone,
    many=True,
)


async def all_commitments(database: Database) -> list[Commitment]:
    return await all_of(database, ALL_COMMITMENTS, Commitment)


class CommitmentSort(StrEnum):
    """The orders a page of commitments may come in; each maps to a fixed ORDER BY."""

    PLAN_AND_NUMBER = "PLAN_AND_NUMBER"
    TITLE = "TITLE"
    NEWEST = "NEWEST"


# Each order starts with the plans' order: plans are few, so they are sorted (or read in index
# order) first and their commitments then only sorted within each plan, until a page is full.
PLAN_ORDER: dict[CommitmentSort, LiteralString] = {
    CommitmentSort.PLAN_AND_NUMBER: "ORDER BY plan.id",
    CommitmentSort.TITLE: "ORDER BY plan.id",
    CommitmentSort.NEWEST: "ORDER BY plan.periodStart DESC, plan.id",
}
ORDER_BY: dict[CommitmentSort, LiteralString] = {
    CommitmentSort.PLAN_AND_NUMBER: "ORDER BY plan.id, c.number, c.id",
    CommitmentSort.TITLE: "ORDER BY toLower(coalesce(c.shortTitle, c.title)), c.id",
    CommitmentSort.NEWEST: "ORDER BY plan.periodStart DESC, plan.id, c.number, c.id",
}

# Each filter is optional: null matches everything. Places include their parts and themes
# their narrower themes.
FILTERED_PLANS: LiteralString = (
    "MATCH (plan:ActionPlan) "
    "WHERE plan.id IS NOT NULL AND ($plan IS NULL OR plan.id = $plan) "
    "  AND ($jurisdiction IS NULL OR EXISTS { MATCH (plan)-[:FOR_JURISDICTION]->(:Jurisdiction)"
    "       -[:PART_OF*0..]->(:Jurisdiction {id: $jurisdiction}) }) "
)
FILTERED_COMMITMENTS: LiteralString = (
    "MATCH (plan)-[:HAS_COMMITMENT]->(c:Commitment) "
    "WHERE ($potentialImpact IS NULL OR c.potentialImpact = $potentialImpact) "
    "  AND ($theme IS NULL OR EXISTS { MATCH (c)-[:HAS_THEME]->(:Theme)"
    "       -[:BROADER*0..]->(:Theme {id: $theme}) }) "
)
COUNT_FILTERED: LiteralString = (
    FILTERED_PLANS + "WITH plan " + FILTERED_COMMITMENTS + "RETURN count(c) AS total"
)


@dataclass(frozen=True)
class CommitmentFilter:
    jurisdiction_id: str | None = None
    theme_id: str | None = None
    plan_id: str | None = None
    potential_impact: str | None = None

    def parameters(self) -> dict[str, str | None]:
        return {
            "jurisdiction": self.jurisdiction_id,
            "theme": self.theme_id,
            "plan": self.plan_id,
            "potentialImpact": self.potential_impact,
        }


async def commitments_page(
    database: Database, where: CommitmentFilter, sort: CommitmentSort, skip: int, limit: int
) -> list[Commitment]:
    """One page of the filtered commitments in `sort` order."""
    query: LiteralString = (
        FILTERED_PLANS
        + "WITH plan "
        + PLAN_ORDER[sort]
        + " "
        + FILTERED_COMMITMENTS
        + "WITH plan, c "
        + ORDER_BY[sort]
        + " SKIP $skip LIMIT $limit "
        "RETURN " + COMMITMENT_FIELDS + " AS item"
    )
    return await all_of(database, query, Commitment, skip=skip, limit=limit, **where.parameters())


async def count_commitments(database: Database, where: CommitmentFilter) -> int:
    records = await database.read(COUNT_FILTERED, **where.parameters())
    return int(records[0]["total"])
