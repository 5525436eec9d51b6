"""Every constraint and index of the graph, applied idempotently at start-up."""

from typing import LiteralString

from graph.database import Database
from graph.entity_kinds import FINDABLE_KINDS
from graph.identifiers import index_statements
from graph.vocabulary import Label

# One uniqueness constraint on `id` per label; Neo4j backs each with a range index.
CONSTRAINTS: tuple[LiteralString, ...] = tuple(
    f"CREATE CONSTRAINT {label.value.lower()}_id IF NOT EXISTS "
    f"FOR (n:{label.value}) REQUIRE n.id IS UNIQUE"
    for label in Label
)

SEARCH_INDEX: LiteralString = "ogkg_search"
SEARCH_LABELS: tuple[Label, ...] = tuple(kind.label for kind in FINDABLE_KINDS)
SEARCH_PROPERTIES: tuple[LiteralString, ...] = (
    "name",
    "title",
    "shortTitle",
    "summary",
    "fullText",
    "statement",
    "description",
    "aliases",
    "topics",
)

# What `similar` asks for an item's weighted words and themes (graph/word_weights.py writes them
# space-separated, so the whitespace analyzer keeps each token whole).
SIMILARITY_INDEX: LiteralString = "ogkg_similarity"
# Vector indexes over each commitment's and practice's `meaningVector` (ingest/sentence_meaning.py).
COMMITMENT_MEANING_INDEX: LiteralString = "ogkg_commitment_meaning"
PRACTICE_MEANING_INDEX: LiteralString = "ogkg_practice_meaning"

INDEXES: tuple[LiteralString, ...] = (
    "CREATE INDEX body_kind IF NOT EXISTS FOR (n:Body) ON (n.kind)",
    # Long lists in name order: the index gives the order, so a page reads only its own rows
    # (their listings ask for `name IS NOT NULL`, which every one of them has, to use it).
    "CREATE INDEX body_name IF NOT EXISTS FOR (n:Body) ON (n.name)",
    "CREATE INDEX jurisdiction_name IF NOT EXISTS FOR (n:Jurisdiction) ON (n.name)",
    "CREATE INDEX practice_name IF NOT EXISTS FOR (n:Practice) ON (n.name)",
    "CREATE INDEX commitment_number IF NOT EXISTS FOR (n:Commitment) ON (n.number)",
    "CREATE INDEX jurisdiction_level IF NOT EXISTS FOR (n:Jurisdiction) ON (n.level)",
    "CREATE INDEX theme_scheme IF NOT EXISTS FOR (n:Theme) ON (n.scheme)",
    # IRM values that dashboards filter and count by.
    "CREATE INDEX commitment_potential_impact IF NOT EXISTS FOR (n:Commitment) ON (n.potentialImpact)",
    "CREATE INDEX commitment_completion IF NOT EXISTS FOR (n:Commitment) ON (n.completionProgressReport)",
    "CREATE INDEX commitment_specificity IF NOT EXISTS FOR (n:Commitment) ON (n.specificity)",
    "CREATE INDEX commitment_opened_government IF NOT EXISTS FOR (n:Commitment) ON (n.openedGovernment)",
    # Curation's bookkeeping: an entity's history, the feed in order, the review queue, redirects.
    "CREATE INDEX revision_entity IF NOT EXISTS FOR (n:Revision) ON (n.entityId)",
    "CREATE INDEX revision_sequence IF NOT EXISTS FOR (n:Revision) ON (n.sequence)",
    "CREATE INDEX revision_change_set IF NOT EXISTS FOR (n:Revision) ON (n.changeSetId)",
    "CREATE INDEX change_set_status IF NOT EXISTS FOR (n:ChangeSet) ON (n.status)",
    "CREATE INDEX redirect_target IF NOT EXISTS FOR (n:Redirect) ON (n.toId)",
    f"CREATE FULLTEXT INDEX {SIMILARITY_INDEX} IF NOT EXISTS FOR (n:Commitment|Practice) "
    "ON EACH [n.similarityText] OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace'}}",
    f"CREATE VECTOR INDEX {COMMITMENT_MEANING_INDEX} IF NOT EXISTS FOR (n:Commitment) "
    "ON n.meaningVector OPTIONS {indexConfig: {`vector.dimensions`: 384, "
    "`vector.similarity_function`: 'cosine'}}",
    f"CREATE VECTOR INDEX {PRACTICE_MEANING_INDEX} IF NOT EXISTS FOR (n:Practice) "
    "ON n.meaningVector OPTIONS {indexConfig: {`vector.dimensions`: 384, "
    "`vector.similarity_function`: 'cosine'}}",
    # Identifiers of other registers (graph/identifiers.py declares where each is stored).
    *index_statements(),
)


def search_index_statement() -> LiteralString:
    """The full-text index over names, titles, texts and aliases of every searchable label."""
    labels = "|".join(label.value for label in SEARCH_LABELS)
    properties = ", ".join(f"n.{name}" for name in SEARCH_PROPERTIES)
    return f"CREATE FULLTEXT INDEX {SEARCH_INDEX} IF NOT EXISTS FOR (n:{labels}) ON EACH [{properties}]"


SEARCH_INDEX_DEFINITION: LiteralString = (
    "SHOW FULLTEXT INDEXES YIELD name, labelsOrTypes, properties "
    "WHERE name = $name RETURN labelsOrTypes, properties"
)
DROP_SEARCH_INDEX: LiteralString = f"DROP INDEX {SEARCH_INDEX} IF EXISTS"
AWAIT_INDEXES: LiteralString = "CALL db.awaitIndexes(300)"


async def apply_schema(database: Database) -> None:
    """Create any missing constraint or index, rebuild a changed search index, wait until online."""
    for statement in (*CONSTRAINTS, *INDEXES):
        await database.run_schema(statement)
    existing = await database.read(SEARCH_INDEX_DEFINITION, name=SEARCH_INDEX)
    wanted = ({label.value for label in SEARCH_LABELS}, set(SEARCH_PROPERTIES))
    if existing and (set(existing[0]["labelsOrTypes"]), set(existing[0]["properties"])) != wanted:
        await database.run_schema(DROP_SEARCH_INDEX)
    await database.run_schema(search_index_statement())
    await database.run_schema(AWAIT_INDEXES)
