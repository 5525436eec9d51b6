"""The hand-checked organisation name pairs (tests/fixtures/body-name-pairs.csv) hold together against seeds/."""

import csv
import json
import re
from collections import Counter
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from tests.conftest import SEEDS_DIR

FIXTURE = Path(__file__).parent / "fixtures" / "body-name-pairs.csv"
RUBRIC = FIXTURE.with_suffix(".md")
COLUMNS = ["left_source", "left_name", "right_source", "right_name", "same", "why"]
LABELS = {"yes", "no"}

# Where each source writes organisation names: whole cells (one name each), cells listing several
# names separated by `; ` (the nations' file), and free-text lists (the OGP file, the 4th plan's table).
WHOLE_CELLS = {
    "uk-local-authorities.csv": ("official-name", "nice-name"),
    "uk-public-bodies-directory-2023-24.csv": ("overall_alb_name",),
    "ons-public-sector-classification-2017.csv": ("organisation",),
    "whatdotheyknow-scottish-authorities-2023.csv": ("name",),
}
OGP_FILE = "ogp-irm-commitments-2016.csv"
OGP_COLUMNS = ("Lead Institution", "Supporting Institution(s)")
OGP_COUNTRY = "UK"
PLAN_TEXT = "uk-ogp-nap4-2019-2021.txt"
NATIONS = "uk-nations-commitments.csv"
REGISTRY = "bodies.csv"
GOVUK = "govuk-organisations-2017.jsonl"

# In a free-text list an item starts at the cell's start or after a separator (",", ";", ":", a line
# break, "and", "with") and ends at the cell's end, a separator, or its abbreviation in brackets.
ITEM_START = re.compile(r"(?:^|[,;:|]\s*|<br\s*/?>\s*|\s(?:and|with)\s+(?:the\s+)?)$")
ITEM_END = re.compile(r"^(?:$|\s*[,;:|.(]|\s*<br|\s+and\s)")
PLAN_ROW = re.compile(r"^\d+\.\s")


def _csv_rows(name: str) -> list[dict[str, str]]:
    with (SEEDS_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def _names_in_cells(source: str) -> frozenset[str]:
    """Names a source writes one to a cell (or one to an item of `; `-separated cells)."""
    if source == REGISTRY:
        return frozenset(
            name
            for row in _csv_rows(source)
            for name in (row["name"], *row["aliases"].split(";"))
            if name
        )
    if source == NATIONS:
        return frozenset(
            item.strip()
            for row in _csv_rows(source)
            for column in ("lead_bodies", "partner_bodies")
            for item in row[column].split(";")
            if item.strip()
        )
    if source == GOVUK:
        with (SEEDS_DIR / source).open(encoding="utf-8") as handle:
            return frozenset(str(json.loads(line)["title"]) for line in handle if line.strip())
    return frozenset(row[column] for row in _csv_rows(source) for column in WHOLE_CELLS[source])


@cache
def _list_cells(source: str) -> tuple[str, ...]:
    """Free-text cells that list organisations: the OGP file's institutions, the 4th plan's actors."""
    if source == OGP_FILE:
        with (SEEDS_DIR / source).open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        header = rows[1]  # The first row numbers the columns; the second names them.
        positions = [header.index(column) for column in OGP_COLUMNS]
        country = header.index("Country")
        # Only the UK's rows: a name is judged as the UK's plans use it ("Oxfam" there is Oxfam GB).
        return tuple(
            row[position]
            for row in rows[2:]
            if row[country] == OGP_COUNTRY
            for position in positions
        )
    lines = (SEEDS_DIR / source).read_text(encoding="utf-8").splitlines()
    # A table row: "N. Title | summary | lead | other government actors | civil society |".
    return tuple(
        cell.strip()
        for line in lines
        if PLAN_ROW.match(line) and line.count("|") >= 4
        for cell in line.split("|")[2:5]
    )


def is_list_item(name: str, cell: str) -> bool:
    """Whether `name` is one whole item of the free-text list `cell`, not part of a longer name."""
    for found in re.finditer(re.escape(name), cell):
        if ITEM_START.search(cell[: found.start()]) and ITEM_END.match(cell[found.end() :]):
            return True
    return False


def occurs(source: str, name: str) -> bool:
    """Whether `source` (a file in seeds/) writes `name` as one organisation's name."""
    if source in (OGP_FILE, PLAN_TEXT):
        return any(is_list_item(name, cell) for cell in _list_cells(source))
    return name in _names_in_cells(source)


def pairs() -> list[dict[str, str]]:
    with FIXTURE.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == COLUMNS
        return list(reader)


def _described(pair: dict[str, str]) -> str:
    return f"{pair['left_source']}:{pair['left_name']!r} / {pair['right_source']}:{pair['right_name']!r}"


def test_every_source_is_a_seed_file() -> None:
    known = {*WHOLE_CELLS, OGP_FILE, PLAN_TEXT, NATIONS, REGISTRY, GOVUK}
    for pair in pairs():
        for side in ("left_source", "right_source"):
            assert pair[side] in known, f"{_described(pair)}: unknown source {pair[side]!r}"
            assert (SEEDS_DIR / pair[side]).is_file()


def _sides() -> Iterator[tuple[str, str, str]]:
    for number, pair in enumerate(pairs(), start=2):
        for side in ("left", "right"):
            yield f"line {number} {side}", pair[f"{side}_source"], pair[f"{side}_name"]


@pytest.mark.parametrize(("where", "source", "name"), list(_sides()))
def test_every_name_is_written_so_in_its_source(where: str, source: str, name: str) -> None:
    assert name == name.strip() and name, f"{where}: {name!r} has surrounding spaces or is empty"
    assert occurs(source, name), f"{where}: {source} does not write {name!r} as one organisation"


def test_the_item_check_refuses_part_of_a_longer_name() -> None:
    cell = "Cabinet Office Digital Team<br/>HM Treasury(HMT), Publish What You Pay UK and Oxfam GB"
    for item in (
        "Cabinet Office Digital Team",
        "HM Treasury",
        "Publish What You Pay UK",
        "Oxfam GB",
    ):
        assert is_list_item(item, cell), item
    for part in ("Cabinet Office", "Treasury", "Publish What You Pay", "Oxfam", "Digital Team"):
        assert not is_list_item(part, cell), part


def test_there_are_enough_pairs_of_each_label() -> None:
    labels = Counter(pair["same"] for pair in pairs())
    assert set(labels) <= LABELS, f"labels must be yes/no, found {sorted(labels)}"
    assert sum(labels.values()) >= 100
    assert labels["yes"] >= 40 and labels["no"] >= 40, labels


def test_no_pair_is_given_twice_or_pairs_a_name_with_itself() -> None:
    seen: dict[frozenset[tuple[str, str]], int] = {}
    for number, pair in enumerate(pairs(), start=2):
        left = (pair["left_source"], pair["left_name"])
        right = (pair["right_source"], pair["right_name"])
        assert left != right, f"line {number}: {_described(pair)} pairs a name with itself"
        key = frozenset((left, right))
        assert key not in seen, f"line {number}: {_described(pair)} repeats line {seen[key]}"
        seen[key] = number


def test_every_judgement_gives_its_evidence() -> None:
    for number, pair in enumerate(pairs(), start=2):
        why = pair["why"].strip()
        assert why, f"line {number}: {_described(pair)} has no why"
        assert "\n" not in why and len(why) <= 300, (
            f"line {number}: why should be one short sentence"
        )


def test_the_rubric_counts_what_the_fixture_holds() -> None:
    """The rubric's counts by label are the fixture's (so they cannot silently drift apart)."""
    rubric = RUBRIC.read_text(encoding="utf-8")
    labels = Counter(pair["same"] for pair in pairs())
    for label in LABELS:
        assert re.search(rf"\|\s*{label}\s*\|\s*{labels[label]}\s*\|", rubric), (
            f"{RUBRIC.name} should count {labels[label]} pairs labelled {label}"
        )
