"""Read the curated knowledge: standards, practices and lessons, with the ids they link to."""

from typing import LiteralString

from graph.database import Database
from graph.listings import Listing
from graph.lookups import Lookup
from graph.models import Lesson, Practice, Standard

STANDARD_FIELDS: LiteralString = "s {.id, .name, .publisher, .description}"

PRACTICE_FIELDS: LiteralString = """
pr {.id, .name, .description, version: coalesce(pr.version, 1),
   jurisdiction_ids: [(pr)-[:PRACTISED_IN]->(place:Jurisdiction) | place.id],
   commitment_ids: [(pr)-[:APPLIED_IN]->(applied:Commitment) | applied.id],
   body_ids: [(involved:Body)-[:INVOLVED_IN]->(pr) | involved.id],
   standard_ids: [(pr)-[:USES_STANDARD]->(standard:Standard) | standard.id],
   theme_ids: [(pr)-[:HAS_THEME]->(theme:Theme) | theme.id],
   participedia_id: pr.participediaId, url: pr.url, start_year: pr.startYear,
   end_year: pr.endYear, ongoing: pr.ongoing, number_of_participants: pr.numberOfParticipants,
   methods: coalesce(pr.methods, []), topics: coalesce(pr.topics, []),
   scopes: coalesce(pr.scopes, []),
   sources: [(pr)-[stated:SOURCED_FROM]->(source:Source) |
             source {.id, .title, .publisher, .licence, location: stated.location}]}
"""

LESSON_FIELDS: LiteralString = """
l {.id, .statement, evidence_source_id: l.evidenceSource, evidence_location: l.evidenceLocation,
   version: coalesce(l.version, 1),
   commitment_ids: [(l)-[:ABOUT]->(about:Commitment) | about.id],
   practice_ids: [(l)-[:ABOUT]->(practice:Practice) | practice.id],
   theme_ids: [(l)-[:HAS_THEME]->(theme:Theme) | theme.id],
   jurisdiction_ids: [(l)-[:APPLIES_TO]->(place:Jurisdiction) | place.id]}
"""

STANDARDS = Listing("MATCH (s:Standard)", STANDARD_FIELDS, "s.name, s.id", Standard)
STANDARDS_BY_ID = Lookup(
    "MATCH (s:Standard {id: key}) RETURN key, " + STANDARD_FIELDS + " AS item",
    Standard,
    many=False,
)
PRACTICES = Listing(
    "MATCH (pr:Practice) WHERE pr.name IS NOT NULL", PRACTICE_FIELDS, "pr.name, pr.id", Practice
)
PRACTICES_BY_ID = Lookup(
    "MATCH (pr:Practice {id: key}) RETURN key, " + PRACTICE_FIELDS + " AS item",
    Practice,
    many=False,
)
LESSONS_BY_ID = Lookup(
    "MATCH (l:Lesson {id: key}) RETURN key, " + LESSON_FIELDS + " AS item",
    Lesson,
    many=False,
)
LESSONS_ABOUT_COMMITMENT_ID = Lookup(
    "MATCH (l:Lesson)-[:ABOUT]->(:Commitment {id: key}) "
    "WITH key, l ORDER BY l.id RETURN key, collect(" + LESSON_FIELDS + ") AS items",
    Lesson,
    many=True,
)
LESSONS_ABOUT_PLAN_ID = Lookup(
    "MATCH (l:Lesson)-[:ABOUT]->(:ActionPlan {id: key}) "
    "WITH key, l ORDER BY l.id RETURN key, collect(" + LESSON_FIELDS + ") AS items",
    Lesson,
    many=True,
)
LESSONS_ABOUT_PRACTICE_ID = Lookup(
    "MATCH (l:Lesson)-[:ABOUT]->(:Practice {id: key}) "
    "WITH key, l ORDER BY l.id RETURN key, collect(" + LESSON_FIELDS + ") AS items",
    Lesson,
    many=True,
)


async def standards(database: Database) -> list[Standard]:
    return await STANDARDS.all(database)


async def practices(database: Database) -> list[Practice]:
    return await PRACTICES.all(database)


LESSONS = Listing(
    "MATCH (l:Lesson) "
    "WHERE ($theme IS NULL OR EXISTS { "
    "    MATCH (l)-[:HAS_THEME]->(:Theme)-[:BROADER*0..]->(:Theme {id: $theme}) }) "
    "  AND ($jurisdiction IS NULL OR EXISTS { "
    "    MATCH (l)-[:APPLIES_TO]->(:Jurisdiction)-[:PART_OF*0..]->(:Jurisdiction {id: $jurisdiction}) })",
    LESSON_FIELDS,
    "l.id",
    Lesson,
)


async def lessons_about(
    database: Database, theme_id: str | None, jurisdiction_id: str | None
) -> list[Lesson]:
    """Lessons on a theme (or a narrower one) for a jurisdiction (or a place within it)."""
    return await LESSONS.all(database, theme=theme_id, jurisdiction=jurisdiction_id)
