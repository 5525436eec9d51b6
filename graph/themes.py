"""Read the theme taxonomy: schemes, themes, broader/narrower, and the themes of commitments."""

from typing import LiteralString

from graph.database import Database
from graph.listings import Listing
from graph.lookups import Lookup
from graph.models import Theme, ThemeScheme

THEME_FIELDS: LiteralString = """
t {.id, .name, scheme_id: t.scheme,
   broader_id: [(t)-[:BROADER]->(broader:Theme) | broader.id][0]}
"""

THEMES = Listing(
    "MATCH (t:Theme) WHERE $scheme IS NULL OR t.scheme = $scheme",
    THEME_FIELDS,
    "t.scheme, t.name, t.id",
    Theme,
)

THEMES_BY_ID = Lookup(
    "MATCH (t:Theme {id: key}) RETURN key, " + THEME_FIELDS + " AS item",
    Theme,
    many=False,
)

NARROWER_BY_THEME_ID = Lookup(
    "MATCH (t:Theme)-[:BROADER]->(:Theme {id: key}) "
    "WITH key, t ORDER BY t.name, t.id RETURN key, collect(" + THEME_FIELDS + ") AS items",
    Theme,
    many=True,
)

THEMES_BY_COMMITMENT_ID = Lookup(
    "MATCH (:Commitment {id: key})-[:HAS_THEME]->(t:Theme) "
    "WITH key, t ORDER BY t.scheme, t.name, t.id RETURN key, collect("
    + THEME_FIELDS
    + ") AS items",
    Theme,
    many=True,
)

SCHEMES_BY_ID = Lookup(
    "MATCH (s:ThemeScheme {id: key}) RETURN key, s {.id, .name, .description} AS item",
    ThemeScheme,
    many=False,
)


async def themes(database: Database, scheme: str | None = None) -> list[Theme]:
    return await THEMES.all(database, scheme=scheme)
