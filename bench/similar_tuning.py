"""Fits `similar`'s reason weights on half the judged set and scores them on the other half.

Run: `.venv/bin/python -m bench.similar_tuning` against the graph at NEO4J_URI (seeded if empty),
or a throw-away server it seeds itself. For every judged source it reads each candidate `similar`
considers with the value of each reason apart (`--dump FILE` keeps them as JSON, `--features FILE`
reads them back instead of asking Neo4j). It then searches the weights, one at a time over a grid,
for the best P@5 (nDCG@10 breaking ties) on the odd-numbered sources, and prints P@5 and nDCG@10
of the weights in graph/similar.py and of the fitted ones on the odd sources, the even ones and all.
The fitted weights are a proposal: graph/similar.py holds the weights `similar` uses.
"""

import argparse
import asyncio
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bench.bench_neo4j import bench_neo4j
from bench.similar_relevance import (
    ASKED,
    PRECISION_AT,
    ndcg_at,
    precision_at,
    read_judgements,
    seeded,
)
from graph import similar
from graph.database import Database, with_database

# Every candidate SIMILAR finds is kept: it finds fewer than this for any source.
ALL_CANDIDATES = 1000
TEXTLESS_MARK = 0.5


@dataclass(frozen=True)
class Candidate:
    id: str
    text: float  # cosine of all each says
    title: float  # cosine of the titles alone
    meaning: float  # cosine of the sentence vectors
    themes: float  # sum of the shared themes' rarity
    graph: Mapping[
        str, float
    ]  # the graph reasons' weights by kind, as graph/similar.py weighs them
    countries: tuple[str, ...]
    practice: bool
    textless: bool = False  # nothing of its own to read (graph/similar.py's TEXTLESS_FACTOR)


@dataclass(frozen=True)
class Weights:
    text: float = similar.TEXT_WEIGHT
    title: float = similar.TITLE_WEIGHT
    meaning: float = similar.MEANING_WEIGHT
    meaning_floor: float = similar.MEANING_FLOOR
    themes: float = similar.THEME_WEIGHT
    graph: float = 1.0  # a factor on the graph reasons' weights
    textless: float = similar.TEXTLESS_FACTOR

    def score(self, candidate: Candidate) -> float:
        meaning = (
            self.meaning * (candidate.meaning - self.meaning_floor) / (1 - self.meaning_floor)
            if candidate.meaning > self.meaning_floor
            else 0.0
        )
        return (
            self.text * candidate.text
            + self.title * candidate.title
            + meaning
            + self.themes * candidate.themes
            + self.graph * sum(candidate.graph.values())
        ) * (self.textless if candidate.textless else 1.0)


GRID: dict[str, Sequence[float]] = {
    "text": (0, 2, 4, 6, 8, 10, 12, 16),
    "title": (0, 2, 4, 6, 8, 12),
    "meaning": (0, 2, 3, 4, 5, 6, 8, 10, 12),
    "meaning_floor": (0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55),
    "themes": (0, 0.5, 1, 1.5, 2, 3),
    "graph": (0, 0.25, 0.5, 1, 1.5, 2),
    "textless": (0.25, 0.5, 0.75, 1),
}


async def candidates_of(database: Database, source_id: str) -> list[Candidate]:
    """Every candidate `similar` scores for a source, with each reason's value apart."""
    source = (await database.read(similar.SOURCE_ITEM, id=source_id))[0]
    by_ratio: dict[float, dict[str, Mapping[str, Any]]] = {}
    for ratio in (0.0, 1.0):
        parameters = similar.similar_parameters(source, source_id, True) | {
            # Each reason's value apart: the text's cosine alone, then with the titles' added.
            "titleRatio": ratio,
            "textWeight": 1.0,
            "themeWeight": 1.0,
            "meaningWeight": 1.0,
            # Every candidate scores above nothing, so none is dropped for its weights.
            "meaningFloor": -1.0,
            # Any factor but 1 marks the items with nothing to read; the score is not used.
            "textlessFactor": TEXTLESS_MARK,
        }
        records = await database.read(similar.SIMILAR, **parameters, ranked=ALL_CANDIDATES)
        by_ratio[ratio] = {record["id"]: record for record in records}
    found = []
    for item_id, record in by_ratio[0.0].items():
        text = float(record["cosine"])
        graph: dict[str, float] = {}
        for reason in record["graphReasons"]:
            graph[reason["kind"]] = graph.get(reason["kind"], 0.0) + float(reason["weight"])
        found.append(
            Candidate(
                item_id,
                text,
                float(by_ratio[1.0][item_id]["cosine"]) - text,
                float(record["meaning"]),
                sum(float(theme["weight"]) for theme in record["themes"]),
                graph,
                tuple(record["countries"]),
                record["practice"] is not None,
                float(record["factor"]) == TEXTLESS_MARK,
            )
        )
    return found


def ranked(candidates: Sequence[Candidate], weights: Weights) -> list[str]:
    scored = sorted(candidates, key=lambda c: (-round(weights.score(c), 3), c.id))
    return [c.id for c in similar.diversified(scored)][:ASKED]


@dataclass(frozen=True)
class Figures:
    precision: float
    ndcg: float


Relevant = Mapping[str, set[str]]
Pool = Mapping[str, Sequence[Candidate]]


def figures(pool: Pool, relevant: Relevant, sources: Sequence[str], weights: Weights) -> Figures:
    found = {source: ranked(pool[source], weights) for source in sources}
    return Figures(
        sum(precision_at(found[s], relevant[s]) for s in sources) / len(sources),
        sum(ndcg_at(found[s], relevant[s]) for s in sources) / len(sources),
    )


def fitted(
    pool: Pool, relevant: Relevant, sources: Sequence[str], start: Weights, rounds: int = 4
) -> Weights:
    """Coordinate ascent over GRID: each weight in turn set to its best value, the others held."""
    best = start

    def measure(weights: Weights) -> tuple[float, float]:
        found = figures(pool, relevant, sources, weights)
        return found.precision, found.ndcg

    best_figures = measure(best)
    for _ in range(rounds):
        improved = False
        for name, values in GRID.items():
            for value in values:
                trial = replace(best, **{name: float(value)})
                trial_figures = measure(trial)
                if trial_figures > best_figures:
                    best, best_figures, improved = trial, trial_figures, True
        if not improved:
            break
    return best


def candidates_ceiling(pool: Pool, relevant: Relevant, sources: Sequence[str]) -> float:
    """The best P@5 any weighing of these candidates could reach: every relevant one first."""
    return sum(
        min(PRECISION_AT, len({c.id for c in pool[s]} & relevant[s])) / PRECISION_AT
        for s in sources
    ) / len(sources)


def report(pool: Pool, relevant: Relevant, sources: list[str]) -> None:
    odd, even = sources[0::2], sources[1::2]
    print(
        "best P@5 of any weighing of the candidates: "
        + "  ".join(
            f"{part} {candidates_ceiling(pool, relevant, chosen):.3f}"
            for part, chosen in (("odd", odd), ("even", even), ("all", sources))
        )
    )
    current = Weights()
    fit = fitted(pool, relevant, odd, current)
    fit_even = fitted(pool, relevant, even, current)
    for name, weights in (
        ("graph/similar.py", current),
        ("fitted on odd", fit),
        ("fitted on even", fit_even),
    ):
        parts = {
            part: figures(pool, relevant, chosen, weights)
            for part, chosen in (("odd", odd), ("even", even), ("all", sources))
        }
        print(
            f"{name:18} "
            + "  ".join(
                f"{part} P@5 {f.precision:.3f} nDCG {f.ndcg:.3f}" for part, f in parts.items()
            )
        )
        print(f"{'':18} {weights}")


def as_json(pool: Pool) -> dict[str, list[dict[str, Any]]]:
    return {
        source: [{**c.__dict__, "graph": dict(c.graph)} for c in candidates]
        for source, candidates in pool.items()
    }


def from_json(data: Mapping[str, list[dict[str, Any]]]) -> dict[str, list[Candidate]]:
    return {
        source: [Candidate(**{**c, "countries": tuple(c["countries"])}) for c in candidates]
        for source, candidates in data.items()
    }


async def run(database: Database, arguments: argparse.Namespace) -> None:
    judged = read_judgements()
    pool = {source: await candidates_of(database, source) for source in judged}
    if arguments.dump:
        Path(arguments.dump).write_text(json.dumps(as_json(pool)), encoding="utf-8")
    evaluate(pool, judged)


def evaluate(pool: Pool, judged: Mapping[str, Mapping[str, Any]]) -> None:
    relevant = {s: {c for c, j in cs.items() if j.relevant} for s, cs in judged.items()}
    report(pool, relevant, list(judged))


async def prepared(database: Database, arguments: argparse.Namespace) -> None:
    await seeded(database)
    await run(database, arguments)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dump", metavar="FILE", help="keep the candidates' reasons as JSON")
    parser.add_argument("--features", metavar="FILE", help="read them back instead of Neo4j")
    arguments = parser.parse_args()
    if arguments.features:
        data = json.loads(Path(arguments.features).read_text(encoding="utf-8"))
        evaluate(from_json(data), read_judgements())
        return
    with bench_neo4j() as (settings, uri):
        asyncio.run(with_database(settings.neo4j, uri, lambda db: prepared(db, arguments)))


if __name__ == "__main__":
    main()
