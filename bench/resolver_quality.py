"""Precision and recall of the body resolver on the hand-checked name pairs (tests/fixtures/body-name-pairs.csv).

Run: `.venv/bin/python -m bench.resolver_quality`; prints P, R and every pair it gets wrong.
"""

import csv
from dataclasses import dataclass, field
from pathlib import Path

from ingest.resolver import Resolution, resolver_for_seeds

ROOT = Path(__file__).resolve().parent.parent
PAIRS_FILE = ROOT / "tests" / "fixtures" / "body-name-pairs.csv"
SEEDS_DIR = ROOT / "seeds"


@dataclass
class Quality:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    true_negatives: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0


def quality(resolution: Resolution, pairs_file: Path = PAIRS_FILE) -> Quality:
    """Score the resolver: a pair is joined when both names resolve to the same body."""
    result = Quality()
    with pairs_file.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            left = resolution.resolve(row["left_source"], row["left_name"])
            right = resolution.resolve(row["right_source"], row["right_name"])
            joined = left is not None and right is not None and left[0] == right[0]
            same = row["same"].strip().lower() == "yes"
            if joined and same:
                result.true_positives += 1
            elif joined:
                result.false_positives += 1
            elif same:
                result.false_negatives += 1
            else:
                result.true_negatives += 1
            if joined != same:
                result.misses.append(
                    f"{'joined' if joined else 'apart'} but same={row['same']}: "
                    f"{row['left_source']}: {row['left_name']!r} -> {left} | "
                    f"{row['right_source']}: {row['right_name']!r} -> {right}"
                )
    return result


def main() -> None:
    result = quality(resolver_for_seeds(SEEDS_DIR))
    print(f"precision {result.precision:.3f}  recall {result.recall:.3f}")
    print(
        f"tp {result.true_positives}  fp {result.false_positives}  "
        f"fn {result.false_negatives}  tn {result.true_negatives}"
    )
    for miss in result.misses:
        print("  " + miss)


if __name__ == "__main__":
    main()
