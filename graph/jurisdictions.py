"""Read jurisdictions: all of them, by id, and the parts of each."""

from typing import LiteralString

from graph.database import Database
from graph.listings import Listing
from graph.lookups import Lookup
from graph.models import Jurisdiction

# The parent is the nearest whole containing this one: a county or combined authority before
# the nation, a nation before the country.
JURISDICTION_FIELDS: LiteralString = """
j {.id, .name, .level, aliases: coalesce(j.aliases, []), gss_code: j.gssCode,
   authority_type: j.authorityType,
   parent_id: COLLECT {
     MATCH (j)-[:PART_OF]->(parent:Jurisdiction)
     RETURN parent.id ORDER BY
       CASE parent.level WHEN 'local_authority' THEN 0 WHEN 'nation' THEN 1 ELSE 2 END,
       CASE parent.authorityType WHEN 'County' THEN 0 ELSE 1 END, parent.id
     LIMIT 1 }[0]}
"""

JURISDICTIONS = Listing(
    "MATCH (j:Jurisdiction) WHERE j.name IS NOT NULL AND ($level IS NULL OR j.level = $level)",
    JURISDICTION_FIELDS,
    "j.name, j.id",
    Jurisdiction,
)

JURISDICTIONS_BY_ID = Lookup(
    "MATCH (j:Jurisdiction {id: key}) RETURN key, " + JURISDICTION_FIELDS + " AS item",
    Jurisdiction,
    many=False,
)

PARTS_BY_JURISDICTION_ID = Lookup(
    "MATCH (j:Jurisdiction)-[:PART_OF]->(:Jurisdiction {id: key}) "
    "WITH key, j ORDER BY j.name, j.id "
    "RETURN key, collect(" + JURISDICTION_FIELDS + ") AS items",
    Jurisdiction,
    many=True,
)


async def all_jurisdictions(database: Database) -> list[Jurisdiction]:
    return await JURISDICTIONS.all(database, level=None)
