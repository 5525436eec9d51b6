"""Dashboard aggregates: commitments and practices per jurisdiction by theme, and the gaps in it."""

from dataclasses import dataclass
from typing import LiteralString

from graph.database import Database
from graph.jurisdictions import JURISDICTION_FIELDS
from graph.models import Jurisdiction, Theme
from graph.themes import THEME_FIELDS
from graph.vocabulary import JurisdictionLevel

# An item counts for a theme if tagged with it or with any narrower theme, and for a
# jurisdiction if it belongs there or to any place within it. The item-to-place and the
# item-to-theme sides are matched separately and joined on the item: walking from each item
# to its places and themes row by row is ten times slower on a large graph.
COVERAGE: LiteralString = (
    "CALL () { MATCH (j:Jurisdiction {level: $level}) RETURN collect("
    + JURISDICTION_FIELDS
    + ") AS places } "
    "CALL () { MATCH (t:Theme {scheme: $scheme}) WITH t ORDER BY t.name RETURN collect("
    + THEME_FIELDS
    + """) AS themes }
CALL () {
  CALL () {
    MATCH (home:Jurisdiction)-[:PART_OF*0..]->(place:Jurisdiction {level: $level})
    MATCH (home)<-[:FOR_JURISDICTION]-(:ActionPlan)-[:HAS_COMMITMENT]->(item:Commitment)
    MATCH (theme:Theme {scheme: $scheme})<-[:BROADER*0..]-(:Theme)<-[:HAS_THEME]-(item)
    USING JOIN ON item
    RETURN place, theme, item
    UNION ALL
    MATCH (home:Jurisdiction)-[:PART_OF*0..]->(place:Jurisdiction {level: $level})
    MATCH (home)<-[:PRACTISED_IN]-(item:Practice)
    MATCH (theme:Theme {scheme: $scheme})<-[:BROADER*0..]-(:Theme)<-[:HAS_THEME]-(item)
    RETURN place, theme, item
  }
  WITH place, theme, count(DISTINCT item) AS items
  RETURN collect({place: place.id, theme: theme.id, items: items}) AS cells
}
RETURN places, themes, cells
"""
)


@dataclass(frozen=True)
class Gap:
    """A theme a jurisdiction has nothing on, while `peers` jurisdictions of its level do."""

    jurisdiction: Jurisdiction
    theme: Theme
    peers: int


@dataclass(frozen=True)
class CoverageMatrix:
    jurisdictions: list[Jurisdiction]
    themes: list[Theme]
    counts: dict[tuple[str, str], int]

    def count(self, jurisdiction_id: str, theme_id: str) -> int:
        return self.counts.get((jurisdiction_id, theme_id), 0)

    def gaps(self, jurisdiction_id: str | None = None) -> list[Gap]:
        """Themes where a jurisdiction has no items but at least one peer has some."""
        gaps: list[Gap] = []
        for theme in self.themes:
            peers_with_items = sum(1 for j in self.jurisdictions if self.count(j.id, theme.id) > 0)
            for jurisdiction in self.jurisdictions:
                if jurisdiction_id is not None and jurisdiction.id != jurisdiction_id:
                    continue
                if peers_with_items and self.count(jurisdiction.id, theme.id) == 0:
                    gaps.append(Gap(jurisdiction, theme, peers_with_items))
        return sorted(gaps, key=lambda gap: (-gap.peers, gap.jurisdiction.name, gap.theme.name))


async def coverage(database: Database, level: JurisdictionLevel, scheme: str) -> CoverageMatrix:
    """The whole matrix in one query: every jurisdiction of `level` by every theme of `scheme`."""
    records = await database.read(COVERAGE, level=level.value, scheme=scheme)
    record = records[0]
    places = sorted(
        (Jurisdiction.model_validate(item) for item in record["places"]), key=lambda j: j.name
    )
    return CoverageMatrix(
        jurisdictions=places,
        themes=[Theme.model_validate(item) for item in record["themes"]],
        counts={(cell["place"], cell["theme"]): cell["items"] for cell in record["cells"]},
    )
