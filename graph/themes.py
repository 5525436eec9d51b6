"""Read the theme taxonomy: schemes, themes, broader/narrower, and the themes of commitments."""

from collections.abc import Sequence
from typing import LiteralString

from graph.database import Database
from graph.lookups import all_of, many_per_id, one_per_id
from graph.models import Theme, ThemeScheme

THEME_FIELDS: LiteralString = """
t {.id, .name, scheme_id: t.scheme,
   broader_id: [(t)-[:BROADER]->(broader:Theme) | broader.id][0]}
"""

THEMES: LiteralString = (
    "MATCH (t:Theme) WHERE $scheme IS NULL OR t.scheme = $scheme "
    "RETURN " + THEME_FIELDS + " AS item ORDER BY t.scheme, t.name"
)

THEMES_BY_ID: LiteralString = (
    "UNWIND $ids AS key MATCH (t:Theme {id: key}) RETURN key, " + THEME_FIELDS + " AS item"
)

NARROWER_BY_THEME_ID: LiteralString = (
    "UNWIND $ids AS key MATCH (t:Theme)-[:BROADER]->(:Theme {id: key}) "
    "WITH key, t ORDER BY t.name RETURN key, collect(" + THEME_FIELDS + ") AS items"
)

THEMES_BY_COMMITMENT_ID: LiteralString = (
    "UNWIND $ids AS key MATCH (:Commitment {id: key})-[:HAS_THEME]->(t:Theme) "
    "WITH key, t ORDER BY t.scheme, t.name RETURN key, collect(" + THEME_FIELDS + ") AS items"
)

SCHEMES_BY_ID: LiteralString = (
    "UNWIND $ids AS key MATCH (s:ThemeScheme {id: key}) "
    "RETURN key, s {.id, .name, .description} AS item"
)


async def themes(database: Database, scheme: str | None = None) -> list[Theme]:
    return await all_of(database, THEMES, Theme, scheme=scheme)


async def themes_by_id(database: Database, ids: Sequence[str]) -> list[Theme | None]:
    return await one_per_id(database, THEMES_BY_ID, ids, Theme)


async def narrower_by_theme_id(database: Database, ids: Sequence[str]) -> list[list[Theme]]:
    return await many_per_id(database, NARROWER_BY_THEME_ID, ids, Theme)


async def themes_by_commitment_id(database: Database, ids: Sequence[str]) -> list[list[Theme]]:
    return await many_per_id(database, THEMES_BY_COMMITMENT_ID, ids, Theme)


async def schemes_by_id(database: Database, ids: Sequence[str]) -> list[ThemeScheme | None]:
    return await one_per_id(database, SCHEMES_BY_ID, ids, ThemeScheme)
