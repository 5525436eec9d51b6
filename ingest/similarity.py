"""After ingest: store on each commitment, practice and lesson the weighted words and themes `similar` compares.

Runs at the end of every `ogkg seed` and `ogkg ingest` (rarity is relative to the whole graph, so
every item is recomputed; only items whose values changed are written). The themes an item is
compared by are:
- the themes its source gives it (HAS_THEME, except a plan's own headings);
- the themes of seeds/theme-rules.csv whose phrase occurs in its title, short title, methods,
  topics, policy areas, summary, description or statement (not a long full text; phrases and texts compared word by word after folding word forms,
  as graph/word_weights.py does), so every item has themes, including a case Participedia left
  untagged and the 4th plan's text;
- for a lesson, also the themes of the commitments and practices it is about, and the OGP process
  (`PROCESS_THEME`) if it is about a whole action plan.
What is written is derived, not sourced: the properties `similarityTerms`, `similarityWeights`,
`similarityWords`, the same three for titles alone (`similarityTitleTerms`...; graph/word_weights.py),
`similarityThemes`, `similarityThemeWeights`,
`similarityText` (what the similarity index holds), `similarityTextless` (true for an item with no
title of its own and no text, such as a case Participedia left untitled: its name is ogkg's words,
not the case's, so it is compared by its coded methods and topics alone) and `meaningVector` (the
sentence vector of its titles and texts, else of its terms, ingest/meaning_vectors.py; what the
meaning indexes hold).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, LiteralString

from pydantic import BaseModel, ConfigDict

from graph.database import Database
from graph.word_weights import (
    ItemText,
    ItemVectors,
    indexed_text,
    term_vectors,
    theme_weights,
    tokens,
)
from ingest.curated_csv import read_rows
from ingest.errors import IngestError
from ingest.files import read_text_file
from ingest.kinds.participedia_cases import is_untitled_name
from ingest.meaning_vectors import (
    Encode,
    encode_with_the_model,
    meaning_text,
    meaning_vectors,
)
from ingest.themes import load_taxonomy

THEME_RULES_FILE = "theme-rules.csv"
# A lesson about a whole action plan is about how the plan was made: the OGP process.
PROCESS_THEME = "ogp-process"
WRITE_CHUNK = 5000


class ThemeRuleRow(BaseModel):
    """A row of seeds/theme-rules.csv: items whose text holds `phrase` have `theme`."""

    model_config = ConfigDict(extra="forbid")

    theme: str
    phrase: str


@dataclass(frozen=True)
class ThemeRule:
    theme: str
    stems: tuple[str, ...]
    line: int


def read_theme_rules(seeds_dir: Path) -> list[ThemeRule]:
    """The rules, each phrase as word stems; an unknown theme or a phrase of no words is refused.

    A seeds folder without the file has no rules.
    """
    path = seeds_dir / THEME_RULES_FILE
    if not path.exists():
        return []
    file = read_text_file(path)
    themes = load_taxonomy(seeds_dir).themes
    rules: list[ThemeRule] = []
    for line, row in read_rows(file, ThemeRuleRow):
        if row.theme not in themes:
            raise IngestError(path, f"no theme has the id {row.theme!r}", line=line, field="theme")
        stems = tuple(token.stem for token in tokens(row.phrase))
        if not stems:
            raise IngestError(path, "the phrase holds no word to match", line=line, field="phrase")
        rules.append(ThemeRule(row.theme, stems, line))
    return rules


def themes_by_rule(text: ItemText, rules: Sequence[ThemeRule]) -> set[str]:
    """The themes whose phrase occurs, word stem after word stem, in any field of the item."""
    starting: dict[str, list[ThemeRule]] = {}
    for rule in rules:
        starting.setdefault(rule.stems[0], []).append(rule)
    found: set[str] = set()
    for field_text in (*text.titles, *text.terms, *text.body):
        stems = [token.stem for token in tokens(field_text)]
        for index, first in enumerate(stems):
            for rule in starting.get(first, ()):
                if tuple(stems[index : index + len(rule.stems)]) == rule.stems:
                    found.add(rule.theme)
    return found


ITEMS: LiteralString = """
MATCH (n) WHERE n:Commitment OR n:Practice OR n:Lesson
RETURN n.id AS id,
       [x IN [n.title, n.shortTitle, n.name, n.statement] WHERE x IS NOT NULL] AS titles,
       coalesce(n.methods, []) + coalesce(n.topics, []) + coalesce(n.policyAreas, []) AS terms,
       [x IN [n.summary, n.description] WHERE x IS NOT NULL] AS body,
       n.fullText AS fullText,
       [(n)-[:HAS_THEME]->(t:Theme) WHERE t.scheme <> 'plan-themes' | t.id]
       + [(n)-[:ABOUT]->()-[:HAS_THEME]->(t:Theme) WHERE t.scheme <> 'plan-themes' | t.id]
       + CASE WHEN EXISTS { (n)-[:ABOUT]->(:ActionPlan) } THEN [$processTheme] ELSE [] END
       AS themes,
       [n.similarityTerms, n.similarityWeights, n.similarityWords, n.similarityTitleTerms,
        n.similarityTitleWeights, n.similarityTitleWords, n.similarityThemes,
        n.similarityThemeWeights, n.similarityText, n.similarityTextless, n.meaningVector] AS stored
"""

STORE: LiteralString = """
UNWIND $rows AS row
MATCH (n {id: row.id}) WHERE n:Commitment OR n:Practice OR n:Lesson
SET n.similarityTerms = row.terms, n.similarityWeights = row.weights,
    n.similarityWords = row.words, n.similarityTitleTerms = row.titleTerms,
    n.similarityTitleWeights = row.titleWeights, n.similarityTitleWords = row.titleWords,
    n.similarityThemes = row.themes,
    n.similarityThemeWeights = row.themeWeights, n.similarityText = row.text,
    n.similarityTextless = row.textless, n.meaningVector = row.meaning
"""


STORED = (
    "terms",
    "weights",
    "words",
    "titleTerms",
    "titleWeights",
    "titleWords",
    "themes",
    "themeWeights",
    "text",
    "textless",
    "meaning",
)


def own_titles(record: Mapping[str, Any]) -> tuple[str, ...]:
    """An `ITEMS` record's titles, less a name ogkg made for an untitled case (its words are ours)."""
    return tuple(title for title in record["titles"] if not is_untitled_name(title))


def is_textless(record: Mapping[str, Any]) -> bool:
    """Whether an `ITEMS` record has nothing of its own to read: no title of its own, no text."""
    return not own_titles(record) and not record["body"] and not record["fullText"]


def meaning_texts(records: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """What each `ITEMS` record's sentence vector is computed from, by id.

    An item that says nothing at all (an untitled case with no coded methods or topics) has no vector.
    """
    texts = {record["id"]: meaning_text_of(record) for record in records}
    return {item: text for item, text in texts.items() if text}


def meaning_text_of(record: Mapping[str, Any]) -> str:
    """What an `ITEMS` record's sentence vector is computed from: titles and texts, else its terms."""
    texts = [*record["body"], *filter(None, [record["fullText"]])]
    titles = own_titles(record)
    return meaning_text(titles, texts) if titles or texts else meaning_text(record["terms"], [])


def _row(
    item_id: str,
    vectors: ItemVectors,
    themes: dict[str, float],
    meaning: list[float] | None,
    textless: bool,
) -> dict[str, Any]:
    ordered = sorted(themes)
    return {
        "id": item_id,
        "terms": list(vectors.full.terms),
        "weights": list(vectors.full.weights),
        "words": list(vectors.full.words),
        "titleTerms": list(vectors.title.terms),
        "titleWeights": list(vectors.title.weights),
        "titleWords": list(vectors.title.words),
        "themes": ordered,
        "themeWeights": [themes[theme] for theme in ordered],
        "text": indexed_text(vectors, ordered),
        "textless": textless,
        "meaning": meaning,
    }


async def refresh_similarity(
    database: Database,
    seeds_dir: Path,
    cache_dir: Path | None = None,
    encode: Encode = encode_with_the_model,
) -> int:
    """Recompute every item's weighted words, themes and meaning; write those that changed.

    Returns how many. Sentence vectors missing from the shipped table are computed, and kept in
    `cache_dir` if one is given; `encode` computes them (a benchmark may stand in for the model).
    """
    rules = read_theme_rules(seeds_dir)
    records = await database.read(ITEMS, processTheme=PROCESS_THEME)
    # Rules read what an item says of itself in brief; a long full text mentions too much.
    briefs = [
        ItemText(r["id"], own_titles(r), tuple(r["terms"]), tuple(r["body"])) for r in records
    ]
    vectors = term_vectors(
        ItemText(text.id, text.titles, text.terms, (*text.body, *filter(None, [r["fullText"]])))
        for text, r in zip(briefs, records, strict=True)
    )
    themes = {
        text.id: set(record["themes"]) | themes_by_rule(text, rules)
        for text, record in zip(briefs, records, strict=True)
    }
    weights = theme_weights(themes)
    meanings = meaning_vectors(meaning_texts(records), seeds_dir, cache_dir, encode)
    rows = []
    for record in records:
        row = _row(
            record["id"],
            vectors[record["id"]],
            {t: weights[t] for t in themes[record["id"]]},
            meanings.get(record["id"]),
            is_textless(record),
        )
        if record["stored"] != [row[key] for key in STORED]:
            rows.append(row)
    for start in range(0, len(rows), WRITE_CHUNK):
        chunk = rows[start : start + WRITE_CHUNK]

        async def store(tx: Any, chunk: list[dict[str, Any]] = chunk) -> None:
            await (await tx.run(STORE, {"rows": chunk})).consume()

        await database.write(store)
    return len(rows)
