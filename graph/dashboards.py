"""Dashboard counts: commitments by IRM rating and by plan and year; bodies by accountability practice and nation."""

from dataclasses import dataclass
from typing import LiteralString

from graph.database import Database

# The IRM ratings a dashboard can count by: property names fixed here, never taken from input.
RATED_PROPERTIES: tuple[LiteralString, ...] = (
    "specificity",
    "potentialImpact",
    "completionProgressReport",
    "completionEndOfTerm",
    "openedGovernment",
)

SCOPED_COMMITMENTS: LiteralString = (
    "MATCH (plan:ActionPlan)-[:HAS_COMMITMENT]->(c:Commitment) "
    "WHERE ($plan IS NULL OR plan.id = $plan) AND ($jurisdiction IS NULL OR EXISTS { "
    "  MATCH (plan)-[:FOR_JURISDICTION]->(:Jurisdiction)-[:PART_OF*0..]->(:Jurisdiction {id: $jurisdiction}) }) "
)


def _rating_counts(name: LiteralString) -> LiteralString:
    return (
        f"COLLECT {{ UNWIND scoped AS c WITH c.{name} AS value WHERE value IS NOT NULL "
        "WITH value, count(*) AS total ORDER BY total DESC, value "
        f"RETURN {{value: value, count: total}} }} AS {name}"
    )


IRM_SUMMARY: LiteralString = (
    SCOPED_COMMITMENTS + "WITH collect(c) AS scoped "
    "RETURN size(scoped) AS commitments, "
    "size([c IN scoped WHERE c.irmAssessed]) AS assessed, "
    "size([c IN scoped WHERE c.starredProgressReport]) AS starredProgressReport, "
    "size([c IN scoped WHERE c.starredEndOfTerm]) AS starredEndOfTerm, "
    + ", ".join(_rating_counts(name) for name in RATED_PROPERTIES)
)

BY_PLAN_AND_YEAR: LiteralString = (
    SCOPED_COMMITMENTS
    + "RETURN plan.id AS plan, plan.periodStart AS year, count(c) AS commitments "
    "ORDER BY year, plan"
)


@dataclass(frozen=True)
class RatingCount:
    value: str
    count: int


@dataclass(frozen=True)
class IrmSummary:
    commitments: int
    assessed: int
    starred_progress_report: int
    starred_end_of_term: int
    by_rating: dict[str, list[RatingCount]]


@dataclass(frozen=True)
class PlanYearCount:
    plan_id: str
    year: int | None
    commitments: int


async def irm_summary(
    database: Database, jurisdiction_id: str | None, plan_id: str | None
) -> IrmSummary:
    """Counts of commitments by each IRM rating, within a jurisdiction (and its parts) or a plan."""
    record = (await database.read(IRM_SUMMARY, jurisdiction=jurisdiction_id, plan=plan_id))[0]
    return IrmSummary(
        commitments=record["commitments"],
        assessed=record["assessed"],
        starred_progress_report=record["starredProgressReport"],
        starred_end_of_term=record["starredEndOfTerm"],
        by_rating={
            name: [RatingCount(item["value"], item["count"]) for item in record[name]]
            for name in RATED_PROPERTIES
        },
    )


async def by_plan_and_year(database: Database, jurisdiction_id: str | None) -> list[PlanYearCount]:
    records = await database.read(BY_PLAN_AND_YEAR, jurisdiction=jurisdiction_id, plan=None)
    return [PlanYearCount(r["plan"], r["year"], r["commitments"]) for r in records]


# Bodies the Public Bodies Directory describes, by the nation they are based in ("uk": UK-wide).
ACCOUNTABILITY_BY_NATION: LiteralString = """
MATCH (b:Body) WHERE b.holdsPublicMeetings IS NOT NULL
WITH b, [(b)-[:BASED_IN]->(:Jurisdiction)-[:PART_OF*0..]->(n:Jurisdiction {level: 'nation'}) | n.id][0]
  AS nation
WITH coalesce(nation, 'uk') AS nation, b
RETURN nation, count(b) AS bodies,
  sum(toInteger(b.holdsPublicMeetings)) AS publicMeetings,
  sum(toInteger(b.publishesMinutes)) AS publishedMinutes,
  sum(toInteger(b.hasRegisterOfInterests)) AS registerOfInterests
ORDER BY nation
"""


@dataclass(frozen=True)
class AccountabilityCount:
    jurisdiction_id: str
    bodies: int
    public_meetings: int
    published_minutes: int
    register_of_interests: int


async def accountability_by_nation(database: Database) -> list[AccountabilityCount]:
    """How many directory bodies of each nation hold public meetings, publish minutes, keep a register."""
    records = await database.read(ACCOUNTABILITY_BY_NATION)
    return [
        AccountabilityCount(
            jurisdiction_id=r["nation"],
            bodies=r["bodies"],
            public_meetings=r["publicMeetings"],
            published_minutes=r["publishedMinutes"],
            register_of_interests=r["registerOfInterests"],
        )
        for r in records
    ]
