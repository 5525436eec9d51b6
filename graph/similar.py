"""Similar initiatives: commitments and practices ranked by what they share with a given item.

The score is deterministic and is the sum of its reasons' weights:
- TEXT: the distinctive words and phrases both use, weighted by rarity across the graph, as a
  cosine between 0 and 1 (graph/word_weights.py) over all each says, times 8.0, plus the same
  over their titles alone, times 8.0; the label lists the shared words, title words first;
- SHARED_THEME: each theme both have, 2.0 times its rarity (1 - log(items with it) / log(items));
  themes come from the sources and from the rules of seeds/theme-rules.csv applied to each text;
- SHARED_BODY: each body involved in both (leading, partnering or running), 1.5;
- SHARED_STANDARD: each data standard both use, 1.5;
- LINKED: a practice applied in a commitment or the reverse, or a lesson's own subject, 2.0;
- ADAPTED_FROM: one was adapted from the other (a source says so), 2.0; the label shows the
  path of diffusion, older first, with each place and year.
- MEANING: what both say means much the same, by the cosine of their sentence vectors
  (all-MiniLM-L6-v2, ingest/sentence_meaning.py): nothing up to 0.4, then up to 4.0 at 1.0;
  labelled "similar in purpose" with the cosine.
An item with nothing of its own to read (no title of its own and no text: a case Participedia left
untitled and undescribed, known by its coded topics and place alone) has each reason's weight
halved (`TEXTLESS_FACTOR`): a practitioner cannot tell what it is before opening it, and a few coded
words make a short, sharp vector that would otherwise outrank items described at length.
Candidates are the items sharing a body, a standard, a link or a lineage, the best 100 of the
similarity index for the source's words and themes, and the 50 commitments and 50 practices
nearest in meaning (the meaning vector indexes).
The source can be a commitment, a practice or a lesson. Ties are broken by id. With `diverse`,
no country holds more than two of the first five results: a third is moved below the fifth.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, LiteralString, Protocol, TypeVar

from graph.commitments import COMMITMENT_FIELDS
from graph.database import Database
from graph.knowledge import PRACTICE_FIELDS
from graph.models import Commitment, Practice
from graph.schema import COMMITMENT_MEANING_INDEX, PRACTICE_MEANING_INDEX, SIMILARITY_INDEX
from graph.word_weights import TermVector, index_query

TEXT_WEIGHT = 8.0
TITLE_WEIGHT = 4.0
THEME_WEIGHT = 1.0
BODY_WEIGHT = 1.5
STANDARD_WEIGHT = 1.5
LINK_WEIGHT = 2.0
LINEAGE_WEIGHT = 2.0
MEANING_WEIGHT = 4.0
# What each reason of an item with nothing of its own to read weighs, as a share of its weight.
TEXTLESS_FACTOR = 0.5
# A cosine of meaning at or below this says nothing; above it, the weight grows linearly to 1.0.
MEANING_FLOOR = 0.4
# The items nearest in meaning, of each label, scored in full beside the text's and the graph's.
MEANING_CANDIDATES = 50
# The items best matching the source's words and themes in the similarity index, scored in full
# beside every item sharing a body, a standard, a link or a lineage with the source.
TEXT_CANDIDATES = 100
# The source's heaviest terms that the index is asked for.
QUERY_TERMS = 16
# Words listed in a TEXT reason's label, most weighty first.
LABEL_WORDS = 6
DIVERSE_TOP = 5
DIVERSE_PER_COUNTRY = 2

SOURCE_ITEM: LiteralString = """
MATCH (src {id: $id}) WHERE src:Commitment OR src:Practice OR src:Lesson
WITH src, COLLECT {
         CALL (src) {
           MATCH (src)<-[:HAS_COMMITMENT]-(:ActionPlan)-[:FOR_JURISDICTION]->(home:Jurisdiction)
           RETURN home
           UNION
           MATCH (src)-[:PRACTISED_IN|APPLIES_TO]->(home:Jurisdiction) RETURN home
         }
         MATCH (within:Jurisdiction)-[:PART_OF*0..]->(home) RETURN DISTINCT within
       } AS places
RETURN coalesce(src.similarityTerms, []) AS terms, coalesce(src.similarityWeights, []) AS weights,
       coalesce(src.similarityWords, []) AS words,
       coalesce(src.similarityTitleTerms, []) AS titleTerms,
       coalesce(src.similarityTitleWeights, []) AS titleWeights,
       coalesce(src.similarityTitleWords, []) AS titleWords,
       coalesce(src.similarityThemes, []) AS themes,
       coalesce(src.similarityThemeWeights, []) AS themeWeights,
       [theme IN coalesce(src.similarityThemes, []) |
          COLLECT { MATCH (named:Theme {id: theme}) RETURN named.name }[0]] AS themeNames,
       [place IN places | place.id] AS ownPlaces,
       COLLECT { UNWIND places AS place MATCH (place)<-[:FOR_JURISDICTION]-(plan:ActionPlan)
                 RETURN DISTINCT plan.id } AS ownPlans
"""

# Whether `other` is in the source's jurisdictions or the places within them: a commitment in
# one of `$ownPlans` (the plans for those places), a practice practised in one of `$ownPlaces`.
IN_OWN_PLACES: LiteralString = """(
  EXISTS { MATCH (other)<-[:HAS_COMMITMENT]-(plan:ActionPlan) WHERE plan.id IN $ownPlans }
  OR (other:Practice AND EXISTS {
        MATCH (other)-[:PRACTISED_IN]->(home:Jurisdiction) WHERE home.id IN $ownPlaces }))"""

# Each reason `other` shares with `src` in the graph, as `kind`, `label` and `weight`.
SHARED_GRAPH_REASONS: LiteralString = """
  MATCH (src)<-[:LEADS|PARTNERS_IN|INVOLVED_IN]-(b:Body)-[:LEADS|PARTNERS_IN|INVOLVED_IN]->(other)
  WITH DISTINCT b
  RETURN 'SHARED_BODY' AS kind, b.name AS label, $bodyWeight AS weight
  UNION ALL
  MATCH (src)-[:USES_STANDARD]->(s:Standard)<-[:USES_STANDARD]-(other)
  RETURN 'SHARED_STANDARD' AS kind, s.name AS label, $standardWeight AS weight
  UNION ALL
  MATCH (src)-[:APPLIED_IN|ABOUT]-(other)
  RETURN DISTINCT 'LINKED' AS kind,
         coalesce(other.shortTitle, other.title, other.name) AS label, $linkWeight AS weight
  UNION ALL
  MATCH path = (src)-[:ADAPTED_FROM*1..3]-(other)
  WITH path ORDER BY length(path) LIMIT 1
  RETURN 'ADAPTED_FROM' AS kind, path AS label, $lineageWeight AS weight
"""

# Every item sharing a body, a standard, a link or a lineage with `src`, with the weight of the
# reasons it shares (the same weights SHARED_GRAPH_REASONS lists with their labels).
GRAPH_NEIGHBOURS: LiteralString = """
  MATCH (src)<-[:LEADS|PARTNERS_IN|INVOLVED_IN]-(b:Body)-[:LEADS|PARTNERS_IN|INVOLVED_IN]->(other)
  WITH DISTINCT other, b
  RETURN other, $bodyWeight AS weight
  UNION ALL
  MATCH (src)-[:USES_STANDARD]->(:Standard)<-[:USES_STANDARD]-(other)
  RETURN other, $standardWeight AS weight
  UNION ALL
  MATCH (src)-[:APPLIED_IN|ABOUT]-(other)
  WITH DISTINCT other
  RETURN other, $linkWeight AS weight
  UNION ALL
  MATCH (src)-[:ADAPTED_FROM*1..3]-(other) WHERE other <> src
  WITH DISTINCT other
  RETURN other, $lineageWeight AS weight
"""

# The items whose meaning (ingest/sentence_meaning.py) is nearest the source's, if it has one.
MEANING_NEIGHBOURS: LiteralString = """
  WITH src WHERE src.meaningVector IS NOT NULL
  CALL (src) {
    CALL db.index.vector.queryNodes($commitmentMeaningIndex, $meaningCandidates, src.meaningVector)
    YIELD node RETURN node
    UNION
    CALL db.index.vector.queryNodes($practiceMeaningIndex, $meaningCandidates, src.meaningVector)
    YIELD node RETURN node
  }
  RETURN collect(node) AS byMeaning
"""

SIMILAR: LiteralString = (
    """
MATCH (src {id: $id}) WHERE src:Commitment OR src:Practice OR src:Lesson
CALL (src) {
  CALL (src) {
"""
    + GRAPH_NEIGHBOURS
    + """
  }
  WITH other, sum(weight) AS weight
  RETURN collect(other) AS byGraph, collect(weight) AS graphWeights
}
CALL (src) {
  CALL db.index.fulltext.queryNodes($index, $query, {limit: $textCandidates}) YIELD node
  RETURN collect(node) AS byText
}
CALL (src) {
"""
    + MEANING_NEIGHBOURS
    + """
}
UNWIND byGraph + [node IN byText WHERE NOT node IN byGraph]
       + [node IN byMeaning WHERE NOT node IN byGraph AND NOT node IN byText] AS other
WITH src, other, coalesce([i IN range(0, size(byGraph) - 1) WHERE byGraph[i] = other
                           | graphWeights[i]][0], 0.0) AS graphWeight
WHERE other <> src AND (other:Commitment OR other:Practice)
  AND (NOT $otherJurisdictionsOnly OR NOT """
    + IN_OWN_PLACES
    + """)
WITH src, other, graphWeight, coalesce(other.similarityTerms, []) AS terms,
     coalesce(other.similarityWeights, []) AS weights,
     coalesce(other.similarityTitleTerms, []) AS titleTerms,
     coalesce(other.similarityTitleWeights, []) AS titleWeights,
     coalesce(other.similarityThemes, []) AS themes
// Each term's weight in the source is looked up in a map (0 if the source lacks it), not searched
// for in a list: one lookup per term of each candidate.
WITH src, other, graphWeight, terms, titleTerms,
     [i IN range(0, size($themes) - 1) WHERE $themes[i] IN themes |
        {theme: $themes[i], weight: $themeWeights[i]}] AS sharedThemes,
     reduce(total = 0.0, i IN range(0, size(terms) - 1) |
              total + weights[i] * coalesce($weightOf[terms[i]], 0.0))
     + $titleRatio * reduce(total = 0.0, i IN range(0, size(titleTerms) - 1) |
                              total + titleWeights[i] * coalesce($titleWeightOf[titleTerms[i]], 0.0))
       AS cosine,
     CASE WHEN src.meaningVector IS NULL OR other.meaningVector IS NULL THEN 0.0
          ELSE 2 * vector.similarity.cosine(src.meaningVector, other.meaningVector) - 1
     END AS meaning
WITH src, other, sharedThemes, cosine, terms, titleTerms, meaning,
     $textWeight * cosine
     + $meaningWeight * CASE WHEN meaning > $meaningFloor
                             THEN (meaning - $meaningFloor) / (1 - $meaningFloor) ELSE 0.0 END
     + reduce(total = 0.0, t IN sharedThemes | total + $themeWeight * t.weight)
     + graphWeight AS score,
     CASE WHEN other.similarityTextless THEN $textlessFactor ELSE 1.0 END AS factor
WITH src, other, sharedThemes, cosine, terms, titleTerms, meaning, factor, score * factor AS score
WHERE score > 0
ORDER BY score DESC, other.id
LIMIT $ranked
// Words and labels only for the items kept: the reasons' weights add up to `graphWeight`.
WITH src, other, cosine, meaning, sharedThemes, score, factor, terms,
     [t IN titleTerms WHERE $titleWeightOf[t] IS NOT NULL] AS sharedTitleTerms
WITH src, other, cosine, meaning, sharedThemes, score, factor,
     sharedTitleTerms + [t IN terms WHERE $weightOf[t] IS NOT NULL AND NOT t IN sharedTitleTerms]
       AS sharedTerms, COLLECT {
"""
    + "CALL (src, other) {"
    + SHARED_GRAPH_REASONS
    + "}"
    + """
  RETURN {kind: kind, label: label, weight: weight}
} AS graphReasons
WITH other AS c, other AS pr, other, cosine, meaning, sharedTerms, sharedThemes, graphReasons,
     score, factor
RETURN other.id AS id, score, factor, cosine, meaning, sharedTerms,
       sharedThemes AS themes,
       graphReasons,
       COLLECT { CALL (other) {
                   MATCH (other)<-[:HAS_COMMITMENT]-(:ActionPlan)-[:FOR_JURISDICTION]->(j) RETURN j
                   UNION
                   MATCH (other)-[:PRACTISED_IN]->(j:Jurisdiction) RETURN j }
                 MATCH (j)-[:PART_OF*0..]->(country:Jurisdiction)
                 WHERE NOT (country)-[:PART_OF]->(:Jurisdiction)
                 RETURN DISTINCT country.id AS country ORDER BY country } AS countries,
       CASE WHEN c:Commitment THEN """
    + COMMITMENT_FIELDS
    + """ END AS commitment,
       CASE WHEN pr:Practice THEN """
    + PRACTICE_FIELDS
    + """ END AS practice
"""
)

# Where and when an item on a path of lineage was: its place and first year.
PLACE_AND_YEAR: LiteralString = """
UNWIND $ids AS id
MATCH (n {id: id}) WHERE n:Commitment OR n:Practice
OPTIONAL MATCH (n)<-[:HAS_COMMITMENT]-(plan:ActionPlan)-[:FOR_JURISDICTION]->(a:Jurisdiction)
OPTIONAL MATCH (n)-[:PRACTISED_IN]->(b:Jurisdiction)
RETURN id, coalesce(n.shortTitle, n.title, n.name) AS title, coalesce(a.name, b.name) AS place,
       coalesce(n.startYear, plan.periodStart, n.yearOfSubmission) AS year
"""


@dataclass(frozen=True)
class Reason:
    kind: str
    label: str | None
    weight: float


@dataclass(frozen=True)
class SimilarItem:
    item: Commitment | Practice
    score: float
    reasons: tuple[Reason, ...]
    countries: tuple[str, ...] = ()


def query_of(source: Mapping[str, Any]) -> str:
    """The similarity-index query for a source (a `SOURCE_ITEM` record).

    Its heaviest terms, of all it says and of its titles, and its themes, each boosted by its weight.
    """
    weights = dict(zip(source["terms"], source["weights"], strict=True))
    for term, weight in zip(source["titleTerms"], source["titleWeights"], strict=True):
        weights.setdefault(term, weight)
    heaviest = sorted(weights.items(), key=lambda pair: (-pair[1], pair[0]))[:QUERY_TERMS]
    vector = TermVector(
        tuple(term for term, _ in heaviest), tuple(float(weight) for _, weight in heaviest), ()
    )
    themes = dict(zip(source["themes"], source["themeWeights"], strict=True))
    return index_query(vector, themes, THEME_WEIGHT / TEXT_WEIGHT) or "ogkg_nothing_matches_this"


class InCountries(Protocol):
    """Anything ranked that is in some countries."""

    @property
    def countries(self) -> tuple[str, ...]: ...


Ranked = TypeVar("Ranked", bound=InCountries)


def diversified(items: list[Ranked], top: int = DIVERSE_TOP) -> list[Ranked]:
    """The same items, with no country holding more than two of the first `top` places.

    Walking down the ranking, an item whose country already holds two of the places filled so far
    waits; waiting items follow once the first `top` places are filled, in their own order.
    """
    chosen: list[Ranked] = []
    held: dict[str, int] = {}
    for item in items:
        if len(chosen) >= top:
            break
        if any(held.get(country, 0) >= DIVERSE_PER_COUNTRY for country in item.countries):
            continue
        chosen.append(item)
        for country in item.countries:
            held[country] = held.get(country, 0) + 1
    return chosen + [item for item in items if item not in chosen]


async def _lineage_label(database: Database, path: Any) -> str:
    """A path of ADAPTED_FROM as "older (place, year) → newer (place, year)", oldest first."""
    ids: list[str] = [node["id"] for node in path.nodes]
    facts = {row["id"]: row for row in await database.read(PLACE_AND_YEAR, ids=ids)}
    ordered = sorted(ids, key=lambda node_id: (facts[node_id]["year"] or 0, ids.index(node_id)))
    return " → ".join(
        f"{facts[node_id]['title']} ({facts[node_id]['place']}, {facts[node_id]['year']})"
        if facts[node_id]["year"]
        else f"{facts[node_id]['title']} ({facts[node_id]['place']})"
        for node_id in ordered
    )


def meaning_weight(meaning: float) -> float:
    """What a cosine of meaning adds to the score: nothing up to the floor, then linearly more."""
    if meaning <= MEANING_FLOOR:
        return 0.0
    return MEANING_WEIGHT * (meaning - MEANING_FLOOR) / (1 - MEANING_FLOOR)


def _text_label(shared: list[str], words_of: dict[str, str], weight_of: dict[str, float]) -> str:
    """The shared words, heaviest first, without repeating a word a listed phrase holds."""
    listed: list[str] = []
    for term in sorted(shared, key=lambda term: (-weight_of[term], term)):
        word = words_of[term]
        if any(word in other or other in word for other in listed):
            continue
        listed.append(word)
        if len(listed) == LABEL_WORDS:
            break
    return ", ".join(listed)


def similar_parameters(
    source: Mapping[str, Any], item_id: str, other_jurisdictions_only: bool
) -> dict[str, Any]:
    """`SIMILAR`'s parameters for a source (a `SOURCE_ITEM` record), all but `ranked`."""
    return {
        "id": item_id,
        "ownPlaces": source["ownPlaces"],
        "ownPlans": source["ownPlans"],
        "index": SIMILARITY_INDEX,
        "query": query_of(source),
        "textCandidates": TEXT_CANDIDATES,
        "weightOf": dict(zip(source["terms"], map(float, source["weights"]), strict=True)),
        "titleWeightOf": dict(
            zip(source["titleTerms"], map(float, source["titleWeights"]), strict=True)
        ),
        "titleRatio": TITLE_WEIGHT / TEXT_WEIGHT,
        "themes": list(source["themes"]),
        "themeWeights": list(source["themeWeights"]),
        "otherJurisdictionsOnly": other_jurisdictions_only,
        "textWeight": TEXT_WEIGHT,
        "themeWeight": THEME_WEIGHT,
        "bodyWeight": BODY_WEIGHT,
        "standardWeight": STANDARD_WEIGHT,
        "linkWeight": LINK_WEIGHT,
        "lineageWeight": LINEAGE_WEIGHT,
        "meaningWeight": MEANING_WEIGHT,
        "meaningFloor": MEANING_FLOOR,
        "textlessFactor": TEXTLESS_FACTOR,
        "meaningCandidates": MEANING_CANDIDATES,
        "commitmentMeaningIndex": COMMITMENT_MEANING_INDEX,
        "practiceMeaningIndex": PRACTICE_MEANING_INDEX,
    }


async def similar(
    database: Database,
    item_id: str,
    first: int,
    other_jurisdictions_only: bool,
    diverse: bool | None = None,
) -> list[SimilarItem] | None:
    """Up to `first` items like `item_id`, best first; None if no commitment, practice or lesson has that id.

    `diverse` defaults to `other_jurisdictions_only`.
    """
    sources = await database.read(SOURCE_ITEM, id=item_id)
    if not sources:
        return None
    source = sources[0]
    parameters = similar_parameters(source, item_id, other_jurisdictions_only)
    weight_of, title_weight_of = parameters["weightOf"], parameters["titleWeightOf"]
    words_of = {
        **dict(zip(source["terms"], source["words"], strict=True)),
        **dict(zip(source["titleTerms"], source["titleWords"], strict=True)),
    }
    # A term's weight for ordering a label: as heavy as it is in the source's title or text.
    label_weight = {
        term: max(weight_of.get(term, 0.0), title_weight_of.get(term, 0.0)) for term in words_of
    }
    # The themes shared are the source's own, so their names are read once, with the source.
    theme_names = dict(zip(source["themes"], source["themeNames"], strict=True))
    diversify = other_jurisdictions_only if diverse is None else diverse
    records = await database.read(SIMILAR, **parameters, ranked=first * 3 if diversify else first)
    found: list[_Scored] = []
    for record in records:
        reasons: list[Reason] = []
        if record["sharedTerms"]:
            reasons.append(
                Reason(
                    "TEXT",
                    _text_label(record["sharedTerms"], words_of, label_weight),
                    round(TEXT_WEIGHT * float(record["cosine"]), 3),
                )
            )
        added = meaning_weight(float(record["meaning"]))
        if added > 0:
            reasons.append(
                Reason(
                    "MEANING",
                    f"similar in purpose (meaning {float(record['meaning']):.2f})",
                    round(added, 3),
                )
            )
        reasons += [
            Reason(
                "SHARED_THEME",
                theme_names[theme["theme"]],
                round(THEME_WEIGHT * float(theme["weight"]), 3),
            )
            for theme in record["themes"]
        ]
        reasons += [
            Reason(reason["kind"], reason["label"], float(reason["weight"]))
            for reason in record["graphReasons"]
        ]
        factor = float(record["factor"])
        if factor != 1.0:
            reasons = [
                Reason(reason.kind, reason.label, round(reason.weight * factor, 3))
                for reason in reasons
            ]
        # Summed heaviest first, as the reasons are listed.
        score = round(sum(sorted((reason.weight for reason in reasons), reverse=True)), 3)
        found.append(_Scored(record, score, reasons, tuple(record["countries"])))
    found.sort(key=lambda scored: (-scored.score, scored.record["id"]))
    if diversify:
        found = diversified(found)
    # Only the items returned are read into models, and their paths of lineage labelled.
    return [await _similar_item(database, scored) for scored in found[:first]]


@dataclass(eq=False)
class _Scored:
    """A record of `SIMILAR` with its reasons and score, before its item is read into a model."""

    record: Mapping[str, Any]
    score: float
    reasons: list[Reason]
    countries: tuple[str, ...]


async def _similar_item(database: Database, scored: _Scored) -> SimilarItem:
    reasons = [
        Reason(reason.kind, await _lineage_label(database, reason.label), reason.weight)
        if reason.kind == "ADAPTED_FROM"
        else reason
        for reason in scored.reasons
    ]
    reasons.sort(key=lambda reason: (-reason.weight, reason.kind, reason.label or ""))
    record = scored.record
    item: Commitment | Practice = (
        Commitment.model_validate(record["commitment"])
        if record["commitment"] is not None
        else Practice.model_validate(record["practice"])
    )
    return SimilarItem(item, scored.score, tuple(reasons), scored.countries)
