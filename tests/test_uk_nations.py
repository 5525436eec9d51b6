"""The UK nations' plans (seeds/uk-nations-*.csv) through the real ingest, beside the other seeds."""

import csv
import re
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from neo4j import Driver

from graph.database import Database
from ingest.context import IngestContext
from ingest.errors import IngestError
from ingest.loader import Ingestion, build_batch, ingest_file, seed_files
from ogkg.settings import Settings
from tests.conftest import SEEDS_DIR, GraphForTests, every_seed_loaded
from tests.test_stable_ids import content, edited_copy, shuffled_copy

PLANS = SEEDS_DIR / "uk-nations-plans.csv"
COMMITMENTS = SEEDS_DIR / "uk-nations-commitments.csv"
MILESTONES = SEEDS_DIR / "uk-nations-milestones.csv"
LESSONS = SEEDS_DIR / "uk-nations-lessons.csv"
POLICY_AREAS = SEEDS_DIR / "uk-nations-policy-areas.csv"
NATIONS = (PLANS, COMMITMENTS, MILESTONES, LESSONS)
OGP = SEEDS_DIR / "ogp-irm-commitments-2016.csv"


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def seeded(settings: Settings, sync_driver: Driver) -> Iterator[GraphForTests]:
    """Every seed, loaded once into an empty graph for this module's read-only tests."""
    yield every_seed_loaded(settings, sync_driver)


def test_every_plan_is_an_action_plan_of_its_jurisdiction(seeded: GraphForTests) -> None:
    found = {
        row["plan"]: row["place"]
        for row in seeded.query(
            "MATCH (p:ActionPlan)-[:FOR_JURISDICTION]->(j:Jurisdiction) "
            "RETURN p.id AS plan, j.name AS place"
        )
    }
    for plan in rows(PLANS):
        assert found[plan["plan_id"]] == plan["jurisdiction"], plan["plan_id"]
    scotland = seeded.query(
        "MATCH (p:ActionPlan)-[:FOR_JURISDICTION]->(:Jurisdiction {id: 'scotland'}) "
        "RETURN p.id AS id, p.ogpMembership AS membership ORDER BY id"
    )
    assert [row["id"] for row in scotland] == [
        "scotland-ogp-2016-2017",
        "scotland-ogp-2018-2020",
        "scotland-ogp-2021-2025",
        "uk-nap3-scotland",
    ]
    assert seeded.value(
        "MATCH (p:ActionPlan {id: 'scotland-ogp-2021-2025'}) RETURN [p.periodStart, p.periodEnd]"
    ) == [2021, 2025]


def test_commitments_per_plan_match_the_file(seeded: GraphForTests) -> None:
    expected = Counter(row["plan_id"] for row in rows(COMMITMENTS))
    found = {
        row["plan"]: row["n"]
        for row in seeded.query(
            "MATCH (p:ActionPlan)-[:HAS_COMMITMENT]->(c:Commitment) "
            "WHERE p.id IN $plans RETURN p.id AS plan, count(c) AS n",
            plans=list(expected),
        )
    }
    assert found == dict(expected)
    assert sum(found.values()) == 79
    assert found["scotland-ogp-2021-2025"] == 5 and found["uk-nap4-wales"] == 6


def test_devolved_chapters_are_linked_to_their_uk_plan(seeded: GraphForTests) -> None:
    chapters = seeded.query(
        "MATCH (c:ActionPlan)-[:CHAPTER_OF]->(p:ActionPlan) "
        "RETURN c.id AS chapter, p.id AS plan ORDER BY chapter"
    )
    assert [(row["chapter"], row["plan"]) for row in chapters] == [
        ("uk-nap3-ni", "uk-nap3"),
        ("uk-nap3-scotland", "uk-nap3"),
        ("uk-nap3-wales", "uk-nap3"),
        ("uk-nap4-ni", "uk-nap4"),
        ("uk-nap4-wales", "uk-nap4"),
        ("uk-nap5-wales", "uk-nap5"),
    ]


def test_the_fourth_plan_is_one_plan_with_one_set_of_commitments(seeded: GraphForTests) -> None:
    assert (
        seeded.value("MATCH (p:ActionPlan) WHERE p.id STARTS WITH 'uk-nap4' RETURN count(p)") == 3
    )
    plan = seeded.value(
        "MATCH (p:ActionPlan {id: 'uk-nap4'}) "
        "RETURN p {.number, .title, .ogpMembership, sources: [(p)-[:SOURCED_FROM]->(s) | s.id]}"
    )
    # The plan's own text keeps its title; the nations' file adds what the text does not say.
    assert plan["number"] == 4 and plan["title"].endswith("2019-2021")
    assert plan["ogpMembership"] == "national"
    assert sorted(plan["sources"]) == ["uk-nations-plans", "uk-ogp-nap4-2019-2021"]
    commitments = seeded.query(
        "MATCH (:ActionPlan {id: 'uk-nap4'})-[:HAS_COMMITMENT]->(c:Commitment) "
        "RETURN c.id AS id, c.ogpId AS ogp, [(c)-[:SOURCED_FROM]->(s) | s.id] AS sources "
        "ORDER BY c.number"
    )
    assert [row["id"] for row in commitments] == [f"uk-nap4-c{n}" for n in range(1, 9)]
    assert [row["ogp"] for row in commitments] == [f"UK00{n}" for n in range(90, 98)]
    for row in commitments:
        assert sorted(row["sources"]) == ["uk-nations-commitments", "uk-ogp-nap4-2019-2021"]
    assert (
        seeded.value("MATCH (c:Commitment) WHERE c.id STARTS WITH 'uk-nap4-c' RETURN count(c)") == 8
    )
    # One lead relationship per body, however many sources state it.
    assert (
        seeded.value(
            "MATCH (:Body {id: 'cabinet-office'})-[r:LEADS]->(:Commitment {id: 'uk-nap4-c4'}) "
            "RETURN count(r)"
        )
        == 1
    )


def test_ogp_ids_name_one_commitment_each(seeded: GraphForTests) -> None:
    held = seeded.query(
        "MATCH (c:Commitment) WHERE c.ogpId IS NOT NULL RETURN c.ogpId AS ogp, collect(c.id) AS ids"
    )
    assert all(len(row["ids"]) == 1 for row in held)
    expected = {row["ogp_id"] for row in rows(COMMITMENTS) if row["ogp_id"]}
    assert {row["ogp"] for row in held} == expected


def test_the_ogp_file_names_uk_commitments_by_plan_and_number() -> None:
    """The OGP/IRM file has no OGP ID column: its UK rows are plan 1's 41 and plan 2's 21.

    OGP numbers the UK's commitments in plan order, so the 3rd plan's first is UK0063 in the
    nations' file: the two files meet at plan and number (`uk-nap{n}-c{number}`), not by OGP ID.
    """
    with OGP.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        header = next(reader)
        uk = [dict(zip(header, cells, strict=True)) for cells in reader]
    uk = [row for row in uk if row["Country"] == "UK"]
    assert "OGP ID" not in header
    assert Counter(row["Action Plan Number"] for row in uk) == {"1": 41, "2": 21}
    first_of_third = next(
        row["ogp_id"]
        for row in rows(COMMITMENTS)
        if (row["plan_id"], row["number"]) == ("uk-nap3", "1")
    )
    assert int(first_of_third.removeprefix("UK")) == len(uk) + 1


def test_scotland_2021_25_milestones_are_a_time_series(seeded: GraphForTests) -> None:
    expected = Counter(
        row["commitment_number"]
        for row in rows(MILESTONES)
        if row["plan_id"] == "scotland-ogp-2021-2025"
    )
    found = seeded.query(
        "MATCH (:ActionPlan {id: 'scotland-ogp-2021-2025'})-[:HAS_COMMITMENT]->(c)"
        "-[:HAS_MILESTONE]->(m:Milestone) "
        "RETURN c.code AS number, count(m) AS n, min(m.year) AS first, max(m.year) AS last"
    )
    assert {row["number"]: row["n"] for row in found} == dict(expected)
    assert set(expected) == {"1", "2", "3", "4", "5"}
    assert all(2021 <= row["first"] <= row["last"] <= 2025 for row in found)
    assert seeded.value("MATCH (m:Milestone) RETURN count(m)") == len(rows(MILESTONES))
    assert seeded.value("MATCH (m:Milestone {status: 'behind schedule'}) RETURN count(m)") == sum(
        row["status"] == "behind schedule" for row in rows(MILESTONES)
    )


def test_lessons_are_about_their_plan_or_commitment_with_evidence(seeded: GraphForTests) -> None:
    lessons = seeded.query(
        "MATCH (l:Lesson) WHERE l.id STARTS WITH 'uk-nations-' "
        "RETURN l.id AS id, [(l)-[:ABOUT]->(x) | x.id] AS about, "
        "[(l)-[:APPLIES_TO]->(j) | j.id] AS places, "
        "[(l)-[e:EVIDENCED_BY]->(s:Source) | [s.id, e.location]] AS evidence, "
        "l.evidenceSource AS source, l.kind AS kind"
    )
    assert len(lessons) == len(rows(LESSONS)) == 39
    by_id = {row["id"]: row for row in lessons}
    for row in rows(LESSONS):
        lesson = by_id[f"uk-nations-{row['lesson_id'].lower()}"]
        plan, _, number = row["about"].partition(" ")
        assert lesson["about"] == [f"{plan}-c{number}" if number else plan]
        assert lesson["source"] == "uk-nations-lessons" and lesson["kind"] == row["kind"]
        assert lesson["evidence"] == [
            ["uk-nations-lessons", f"{row['evidence_url']} § {row['evidence_locator']}"]
        ]
        assert len(lesson["places"]) == 1
    assert by_id["uk-nations-l20"]["about"] == ["scotland-ogp-2016-2017-c4"]
    assert by_id["uk-nations-l20"]["places"] == ["scotland"]


def test_policy_areas_map_only_by_the_table_and_the_rest_are_reported() -> None:
    table = {row["policy_area"]: row["theme"] for row in rows(POLICY_AREAS)}
    areas = {
        area.strip()
        for row in rows(COMMITMENTS)
        for area in row["policy_areas"].split(";")
        if area.strip()
    }
    assert areas <= set(table)  # every area the file names is decided in the table
    batch = build_batch(COMMITMENTS, SEEDS_DIR)
    themes = batch.relationships
    linked = {
        (row.start_id, row.end_id)
        for spec, rels in themes.items()
        if spec.type.value == "HAS_THEME"
        for row in rels.values()
    }
    assert ("scotland-ogp-2016-2017-c4", "participatory-budgeting") in linked
    assert ("uk-nap4-c4", "public-procurement") in linked
    assert not any(theme == "" for _, theme in linked)
    (reported,) = [note for note in batch.notes if "policy areas with no theme: " in note]
    listed = reported.split("policy areas with no theme: ")[1].split("; ")
    assert {re.sub(r" \(lines? [\d, ]+\)$", "", item) for item in listed} == {
        area for area in areas if not table[area]
    }


def test_graphql_serves_milestones_chapters_and_ogp_ids(
    seeded: GraphForTests, api_url: str, http: httpx.Client
) -> None:
    query = """{
      c: commitment(id: "scotland-ogp-2021-2025-c1") { ogpId policyAreas
        milestones { year text status } lessons { id evidence { sourceId location } } }
      nap4: commitment(id: "uk-nap4-c4") { ogpId actionPlan { id number } }
      plans: actionPlans { id chapterOf { id } jurisdiction { id } lessons { id } }
    }"""
    response = http.post(f"{api_url}/graphql", json={"query": query}).json()
    assert "errors" not in response, response["errors"]
    data: dict[str, Any] = response["data"]
    milestones = data["c"]["milestones"]
    assert [m["year"] for m in milestones] == sorted(m["year"] for m in milestones)
    assert len(milestones) == 7 and milestones[-1]["status"] == "behind schedule"
    assert data["c"]["lessons"][0]["evidence"]["sourceId"] == "uk-nations-lessons"
    assert data["nap4"] == {"ogpId": "UK0093", "actionPlan": {"id": "uk-nap4", "number": 4}}
    chapters = {p["id"]: p["chapterOf"] for p in data["plans"]}
    assert chapters["uk-nap4-wales"] == {"id": "uk-nap4"} and chapters["uk-nap4"] is None
    lessons = {p["id"]: [lesson["id"] for lesson in p["lessons"]] for p in data["plans"]}
    assert lessons["uk-nap4"] == ["uk-nations-l10", "uk-nations-l11"]


def test_a_second_load_of_the_nations_files_changes_nothing(seeded: GraphForTests) -> None:
    async def work(database: Database) -> list[Ingestion]:
        return [await ingest_file(database, path, SEEDS_DIR) for path in NATIONS]

    for ingestion in seeded.run(work):
        assert (ingestion.summary.created, ingestion.summary.updated) == (0, 0), ingestion.path


@pytest.mark.parametrize("path", NATIONS, ids=lambda path: path.stem)
def test_shuffled_rows_change_nothing(path: Path, tmp_path: Path) -> None:
    shuffled = build_batch(shuffled_copy(path, tmp_path, header_lines=1), SEEDS_DIR)
    assert content(shuffled) == content(build_batch(path, SEEDS_DIR))
    assert without_lines(shuffled.notes) == without_lines(build_batch(path, SEEDS_DIR).notes)


def without_lines(notes: list[str]) -> list[str]:
    """Notes without the lines they name (those follow the rows, wherever they are)."""
    return sorted(re.sub(r" \(lines? [\d, ]+\)", "", note) for note in notes)


def _set(table: list[list[str]], line: int, column: str, value: str) -> list[list[str]]:
    table[line - 1][table[0].index(column)] = value
    return table


@pytest.mark.parametrize(
    ("path", "line", "column", "value", "reason"),
    [
        (PLANS, 5, "jurisdiction", "Atlantis", "unknown jurisdiction"),
        (PLANS, 3, "period_start", "twenty", "valid integer"),
        (COMMITMENTS, 7, "plan_id", "scotland-ogp-1999", "unknown plan"),
        (COMMITMENTS, 9, "ogp_id", "SCO0001", "OGP ID SCO0001 is already line 2's"),
        (MILESTONES, 4, "commitment_number", "9", "has no commitment 9"),
        (LESSONS, 6, "about", "uk-nap9", "unknown plan"),
        (LESSONS, 8, "kind", "maybe", "Input should be"),
    ],
)
def test_a_bad_row_is_refused_with_file_line_and_column(  # noqa: PLR0917
    path: Path, line: int, column: str, value: str, reason: str, tmp_path: Path
) -> None:
    copy = edited_copy(path, tmp_path, lambda table: _set(table, line, column, value))
    with pytest.raises(IngestError) as refused:
        build_batch(copy, SEEDS_DIR)
    assert (Path(refused.value.path).name, refused.value.line) == (path.name, line)
    assert refused.value.field == column
    assert reason in refused.value.reason


# -- last: it empties the module's graph --------------------------------------------------------


def test_a_uk_commitment_in_both_files_is_one_node(graph: GraphForTests, tmp_path: Path) -> None:
    """A nations' row for the 2nd plan's commitment 12 meets the OGP file's row of that commitment."""
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, seeds)
    edited_copy(
        PLANS,
        seeds,
        lambda table: [
            *table,
            ["uk-nap2", "United Kingdom", "UK Open Government National Action Plan 2013-15",
             "2013", "2015", "national", "https://www.gov.uk/"],
        ],
    )  # fmt: skip
    edited_copy(
        COMMITMENTS,
        seeds,
        lambda table: [
            *table,
            ["uk-nap2", "12", "UK9999", "Open contracting", "", "Cabinet Office", "",
             "open contracting", "https://www.opengovpartnership.org/", "yes"],
        ],
    )  # fmt: skip
    names = (
        "jurisdictions.csv",
        "bodies.csv",
        "themes.csv",
        OGP.name,
        PLANS.name,
        COMMITMENTS.name,
    )

    async def work(database: Database) -> list[Ingestion]:
        return [await ingest_file(database, seeds / name, seeds) for name in names]

    graph.run(work)
    node = graph.value(
        "MATCH (c:Commitment {id: 'uk-nap2-c12'}) "
        "RETURN c {.ogpId, .title, sources: [(c)-[:SOURCED_FROM]->(s) | s.id]}"
    )
    assert node["ogpId"] == "UK9999"
    assert node["title"].startswith("The UK government endorses")  # the OGP file's, kept
    assert sorted(node["sources"]) == ["ogp-irm-commitments-2016", "uk-nations-commitments"]
    assert graph.value("MATCH (c:Commitment {ogpId: 'UK9999'}) RETURN count(c)") == 1


def test_no_two_seeds_state_one_property_differently() -> None:
    """Sources that share a node agree on every property they write, so no seed undoes another."""
    context = IngestContext(SEEDS_DIR)
    stated: dict[tuple[str, str, str], tuple[str, Any]] = {}
    clashes = []
    for path in seed_files(SEEDS_DIR):
        batch = build_batch(path, SEEDS_DIR, context)
        for label, nodes in batch.nodes.items():
            for node_id, row in nodes.items():
                for key, value in row.properties.items():
                    first = stated.setdefault((label.value, node_id, key), (path.name, value))
                    if first[1] != value:
                        clashes.append((label.value, node_id, key, first, (path.name, value)))
    assert clashes == []


def test_a_policy_area_mapped_to_an_unknown_theme_is_refused(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, seeds)
    edited_copy(POLICY_AREAS, seeds, lambda table: _set(table, 3, "theme", "no-such-theme"))
    with pytest.raises(IngestError) as refused:
        build_batch(seeds / COMMITMENTS.name, seeds)
    assert (Path(refused.value.path).name, refused.value.line) == (POLICY_AREAS.name, 3)
    assert refused.value.field == "theme"
