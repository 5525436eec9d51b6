"""Relevance of `similar` on the judged set (tests/fixtures/similar-judgements.csv): precision at 5, nDCG at 10.

Run: `.venv/bin/python -m bench.similar_relevance` against the graph at NEO4J_URI (seeded if empty), or a
throw-away server it seeds itself. For each judged source it asks `similar(first: 10,
inOtherJurisdictions: true)`, scores the answer against the judgements (an unjudged candidate counts
as not relevant) and lists the unjudged candidates so they can be judged. `--ship-vectors` rewrites the shipped sentence vectors (ingest/meaning_vectors.py). `--pool` prints, for the
sources named (default all), every pooled candidate not yet judged: the top ten of `similar`, of a
plain full-text query on the source's title and of shared themes, with what a judge reads.
"""

import argparse
import asyncio
import csv
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import LiteralString

from bench.bench_neo4j import bench_neo4j
from graph import similar
from graph.database import Database, with_database
from graph.schema import SEARCH_INDEX

ROOT = Path(__file__).resolve().parent.parent
JUDGEMENTS_FILE = ROOT / "tests" / "fixtures" / "similar-judgements.csv"
SEEDS_DIR = ROOT / "seeds"
PRECISION_AT = 5
NDCG_AT = 10
ASKED = 10
# A source is answerable when at least this many candidates are judged relevant to it.
ANSWERABLE_AT = 5
PARTS = ("answerable", "odd", "even")


@dataclass(frozen=True)
class Judgement:
    source: str
    candidate: str
    relevant: bool
    why: str


def read_judgements(path: Path = JUDGEMENTS_FILE) -> dict[str, dict[str, Judgement]]:
    """Judgements by source, then by candidate, in file order."""
    judged: dict[str, dict[str, Judgement]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            judgement = Judgement(
                row["source"], row["candidate"], row["relevant"].strip() == "1", row["why"]
            )
            judged.setdefault(judgement.source, {})[judgement.candidate] = judgement
    return judged


def precision_at(found: Sequence[str], relevant: set[str], k: int = PRECISION_AT) -> float:
    return sum(1 for item in found[:k] if item in relevant) / k


def ndcg_at(found: Sequence[str], relevant: set[str], k: int = NDCG_AT) -> float:
    """Binary-gain nDCG: the ideal ranking puts every judged-relevant candidate first."""
    gain = sum(1 / math.log2(rank + 2) for rank, item in enumerate(found[:k]) if item in relevant)
    ideal = sum(1 / math.log2(rank + 2) for rank in range(min(k, len(relevant))))
    return gain / ideal if ideal else 0.0


@dataclass
class SourceScore:
    source: str
    found: list[str]
    precision: float
    ndcg: float
    relevant: int = 0
    unjudged: list[str] = field(default_factory=list)

    @property
    def answerable(self) -> bool:
        """Whether the judgements hold enough relevant items to fill a top five."""
        return self.relevant >= ANSWERABLE_AT


@dataclass
class Relevance:
    sources: list[SourceScore]

    @property
    def precision(self) -> float:
        return sum(s.precision for s in self.sources) / len(self.sources)

    @property
    def ndcg(self) -> float:
        return sum(s.ndcg for s in self.sources) / len(self.sources)

    def part(self, name: str) -> "Relevance":
        """The sources of one part: `answerable`, or `odd` / `even` by place in the file (from 1)."""
        if name == "answerable":
            return Relevance([s for s in self.sources if s.answerable])
        remainder = 1 if name == "odd" else 0
        return Relevance([s for i, s in enumerate(self.sources, 1) if i % 2 == remainder])

    @property
    def ceiling(self) -> float:
        """The best P@5 the judgements allow: a source with fewer relevant items cannot fill five."""
        return sum(min(s.relevant, PRECISION_AT) for s in self.sources) / (
            PRECISION_AT * len(self.sources)
        )


async def relevance(
    database: Database, judged: dict[str, dict[str, Judgement]] | None = None
) -> Relevance:
    """`similar` scored on every judged source, in judgement-file order."""
    judgements = judged if judged is not None else read_judgements()
    scores: list[SourceScore] = []
    for source, candidates in judgements.items():
        results = await similar.similar(database, source, ASKED, True) or []
        found = [result.item.id for result in results]
        relevant = {c for c, j in candidates.items() if j.relevant}
        scores.append(
            SourceScore(
                source,
                found,
                precision_at(found, relevant),
                ndcg_at(found, relevant),
                len(relevant),
                [item for item in found if item not in candidates],
            )
        )
    return Relevance(scores)


ELSEWHERE: LiteralString = """
MATCH (src {id: $id})
OPTIONAL MATCH (src)<-[:HAS_COMMITMENT]-(:ActionPlan)-[:FOR_JURISDICTION]->(a:Jurisdiction)
OPTIONAL MATCH (src)-[:PRACTISED_IN|APPLIES_TO]->(b:Jurisdiction)
WITH [x IN collect(a) + collect(b) WHERE x IS NOT NULL] AS homes
RETURN COLLECT { UNWIND homes AS home MATCH (w:Jurisdiction)-[:PART_OF*0..]->(home)
                 RETURN DISTINCT w.id } AS places
"""

IN_PLACES: LiteralString = """(
  EXISTS { MATCH (o)<-[:HAS_COMMITMENT]-(:ActionPlan)-[:FOR_JURISDICTION]->(j) WHERE j.id IN $places }
  OR EXISTS { MATCH (o)-[:PRACTISED_IN]->(j) WHERE j.id IN $places })"""

TITLE_POOL: LiteralString = (
    """
MATCH (src {id: $id})
CALL db.index.fulltext.queryNodes($index, $text, {limit: 200}) YIELD node AS o, score
WHERE o <> src AND (o:Commitment OR o:Practice) AND NOT """
    + IN_PLACES
    + """
RETURN o.id AS id ORDER BY score DESC, id LIMIT 10
"""
)

THEME_POOL: LiteralString = (
    """
MATCH (src {id: $id})
OPTIONAL MATCH (src)-[:ABOUT]->(about)
WITH src, collect(about) AS abouts
MATCH (t:Theme)<-[:HAS_THEME]-(x) WHERE (x = src OR x IN abouts) AND t.scheme <> 'plan-themes'
WITH src, collect(DISTINCT t) AS themes
UNWIND themes AS t
MATCH (t)<-[:HAS_THEME]-(o) WHERE o <> src AND (o:Commitment OR o:Practice) AND NOT """
    + IN_PLACES
    + """
WITH o, sum(CASE t.scheme WHEN 'ogp-policy-areas' THEN 1.0 ELSE 0.5 END) AS shared
RETURN o.id AS id ORDER BY shared DESC, id LIMIT 10
"""
)

DESCRIBE: LiteralString = """
MATCH (o {id: $id})
OPTIONAL MATCH (o)<-[:HAS_COMMITMENT]-(:ActionPlan)-[:FOR_JURISDICTION]->(a:Jurisdiction)
OPTIONAL MATCH (o)-[:PRACTISED_IN|APPLIES_TO]->(b:Jurisdiction)
RETURN coalesce(o.title, o.name, o.statement) AS title,
       coalesce(o.shortTitle, '') AS short,
       coalesce(o.summary, o.description, o.fullText, '') AS text,
       coalesce(o.methods, []) + coalesce(o.topics, []) AS terms,
       coalesce(a.name, b.name, '') AS place
"""


def title_query(title: str) -> str:
    """A plain full-text query for any of the title's words of four letters or more."""
    words = [word for word in re.findall(r"\w+", title.lower()) if len(word) >= 4]
    return " OR ".join(dict.fromkeys(words)) or "ogkg-nothing-matches-this"


async def describe(database: Database, item: str, width: int) -> str:
    rows = await database.read(DESCRIBE, id=item)
    if not rows:
        return f"{item}: (missing)"
    row = rows[0]
    parts = [row["title"][:width]]
    if row["short"] and row["short"] not in row["title"]:
        parts.append(f"[{row['short'][:100]}]")
    if row["terms"]:
        parts.append("{" + "; ".join(row["terms"])[:160] + "}")
    if row["text"]:
        parts.append("— " + " ".join(row["text"].split())[:width])
    return f"{item} ({row['place']}): " + " ".join(parts)


async def pool(database: Database, sources: Sequence[str]) -> None:
    """Print each source and its pooled candidates that are not judged yet."""
    judged = read_judgements() if JUDGEMENTS_FILE.exists() else {}
    for source in sources:
        places = (await database.read(ELSEWHERE, id=source))[0]["places"]
        title = (await database.read(DESCRIBE, id=source))[0]["title"]
        text = title_query(title)
        pooled: list[str] = []
        found = await similar.similar(database, source, ASKED, True) or []
        pooled += [result.item.id for result in found]
        pooled += [
            r["id"]
            for r in await database.read(
                TITLE_POOL, id=source, index=SEARCH_INDEX, text=text, places=places
            )
        ]
        pooled += [r["id"] for r in await database.read(THEME_POOL, id=source, places=places)]
        fresh = [c for c in dict.fromkeys(pooled) if c not in judged.get(source, {})]
        print("=" * 100)
        print("SOURCE " + await describe(database, source, 400))
        for candidate in fresh:
            print("  " + await describe(database, candidate, 160))


async def ship(database: Database) -> None:
    """Rewrite seeds/meaning-vectors.npz to hold the vector of every item of the seeded graph."""
    from ingest.meaning_vectors import ship_vectors
    from ingest.similarity import ITEMS, PROCESS_THEME, meaning_texts

    records = await database.read(ITEMS, processTheme=PROCESS_THEME)
    held, computed = ship_vectors(meaning_texts(records), SEEDS_DIR)
    print(f"seeds/meaning-vectors.npz: {held} vectors, {computed} computed")


async def run(database: Database, arguments: argparse.Namespace) -> None:
    if arguments.ship_vectors:
        await ship(database)
        return
    if arguments.pool is not None:
        await pool(database, arguments.pool or list(read_judgements()))
        return
    judged = read_judgements()
    result = await relevance(database, judged)
    for score in result.sources:
        print(
            f"{score.source:45} P@5 {score.precision:.2f}  nDCG@10 {score.ndcg:.2f}  "
            f"relevant judged {score.relevant}"
        )
        for item in score.unjudged:
            print(f"    unjudged: {await describe(database, item, 120)}")
    print(
        f"{len(result.sources)} sources, {sum(len(c) for c in judged.values())} judgements: "
        f"P@5 {result.precision:.3f}  nDCG@10 {result.ndcg:.3f}  (P@5 ceiling {result.ceiling:.3f})"
    )
    for name in PARTS:
        part = result.part(name)
        print(
            f"  {name:10} {len(part.sources):3} sources: P@5 {part.precision:.3f}  "
            f"nDCG@10 {part.ndcg:.3f}  (P@5 ceiling {part.ceiling:.3f})"
        )


async def seeded(database: Database) -> None:
    """Seeds the graph through the real code path if it holds no commitment yet."""
    if not (await database.read("MATCH (c:Commitment) RETURN c LIMIT 1")):
        from graph.schema import apply_schema
        from ingest.loader import load_seeds

        await apply_schema(database)
        await load_seeds(database, SEEDS_DIR)


async def prepared(database: Database, arguments: argparse.Namespace) -> None:
    await seeded(database)
    await run(database, arguments)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--pool", nargs="*", metavar="SOURCE", help="print unjudged pooled candidates"
    )
    parser.add_argument(
        "--ship-vectors",
        action="store_true",
        help="rewrite seeds/meaning-vectors.npz for the seeded graph's items",
    )
    arguments = parser.parse_args()
    with bench_neo4j() as (settings, uri):
        asyncio.run(with_database(settings.neo4j, uri, lambda db: prepared(db, arguments)))


if __name__ == "__main__":
    main()
