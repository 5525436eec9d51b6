"""Read action plans: all of them and by id."""

from typing import LiteralString

from graph.database import Database
from graph.listings import Listing
from graph.lookups import Lookup
from graph.models import ActionPlan

ACTION_PLAN_FIELDS: LiteralString = """
p {.id, .number, .title, period_start: p.periodStart, period_end: p.periodEnd,
   jurisdiction_id: [(p)-[:FOR_JURISDICTION]->(place:Jurisdiction) | place.id][0],
   ogp_membership: p.ogpMembership,
   chapter_of_id: [(p)-[:CHAPTER_OF]->(whole:ActionPlan) | whole.id][0]}
"""

ACTION_PLANS = Listing(
    "MATCH (p:ActionPlan) WHERE $jurisdiction IS NULL OR EXISTS { "
    "MATCH (p)-[:FOR_JURISDICTION]->(:Jurisdiction)-[:PART_OF*0..]->(:Jurisdiction {id: $jurisdiction}) }",
    ACTION_PLAN_FIELDS,
    "p.id",
    ActionPlan,
)

ACTION_PLANS_BY_ID = Lookup(
    "MATCH (p:ActionPlan {id: key}) RETURN key, " + ACTION_PLAN_FIELDS + " AS item",
    ActionPlan,
    many=False,
)


async def all_action_plans(database: Database) -> list[ActionPlan]:
    return await ACTION_PLANS.all(database, jurisdiction=None)
