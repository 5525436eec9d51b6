"""Ingest into a real Neo4j: the seeds, re-ingest, provenance, and bad input that leaves the graph as it was."""

from pathlib import Path

import pytest

from graph.database import Database
from ingest.errors import IngestError
from ingest.loader import Ingestion, ingest_file
from tests.conftest import SEEDS_DIR, GraphForTests
from tests.test_action_plan_text import EXPECTED, NAP4

# The registry and the UK's 4th plan: what these tests need, quick to load.
NAP4_SEEDS = (SEEDS_DIR / "jurisdictions.csv", SEEDS_DIR / "bodies.csv", NAP4)


def seed(graph: GraphForTests) -> list[Ingestion]:
    """Load the registry and the plan text through the real ingest path."""

    async def work(database: Database) -> list[Ingestion]:
        return [await ingest_file(database, path, SEEDS_DIR) for path in NAP4_SEEDS]

    return graph.run(work)


def ingest(graph: GraphForTests, path: Path, *, dry_run: bool = False) -> Ingestion:
    async def work(database: Database) -> Ingestion:
        return await ingest_file(database, path, SEEDS_DIR, dry_run=dry_run)

    return graph.run(work)


def test_seeds_build_the_uk_plan_with_its_commitments_and_bodies(graph: GraphForTests) -> None:
    seed(graph)
    rows = graph.query(
        "MATCH (p:ActionPlan)-[:FOR_JURISDICTION]->(j:Jurisdiction), (p)-[:HAS_COMMITMENT]->(c) "
        "RETURN p.number AS plan, j.id AS jurisdiction, c.number AS number, c.title AS title "
        "ORDER BY number"
    )
    assert [(r["plan"], r["jurisdiction"]) for r in rows] == [(4, "uk")] * len(EXPECTED)
    assert {r["number"]: r["title"] for r in rows} == {n: e[0] for n, e in EXPECTED.items()}
    for number, (_, leads, partners) in EXPECTED.items():
        found_leads = graph.query(
            "MATCH (b:Body)-[:LEADS]->(c:Commitment {number: $n}) RETURN b.id AS id", n=number
        )
        assert {r["id"] for r in found_leads} == leads
        found_partners = graph.query(
            "MATCH (b:Body)-[r:PARTNERS_IN]->(c:Commitment {number: $n}) RETURN b.id AS id, r.role AS role",
            n=number,
        )
        assert {(r["id"], r["role"]) for r in found_partners} == {
            (i, role.value) for i, role in partners
        }


def test_the_four_nations_are_part_of_the_uk(graph: GraphForTests) -> None:
    seed(graph)
    rows = graph.query(
        "MATCH (n:Jurisdiction)-[:PART_OF]->(:Jurisdiction {id: 'uk'}) RETURN n.name AS name"
    )
    assert sorted(r["name"] for r in rows) == ["England", "Northern Ireland", "Scotland", "Wales"]


def test_an_organisation_named_several_ways_is_one_body_with_aliases(graph: GraphForTests) -> None:
    seed(graph)
    assert (
        graph.value(
            "MATCH (b:Body) WHERE b.name STARTS WITH 'Department for Digital' RETURN count(b)"
        )
        == 1
    )
    dcms = graph.query("MATCH (b:Body {id: 'dcms'}) RETURN b.name AS name, b.aliases AS aliases")[0]
    assert dcms["name"] == "Department for Digital, Culture, Media and Sport"
    assert "DCMS" in dcms["aliases"]
    assert graph.value("MATCH (b:Body {id: 'dcms'})-[:LEADS]->(c) RETURN count(c)") == 2
    assert graph.value("MATCH (b:Body {id: 'gds'}) RETURN count { (b)-[:PARTNERS_IN]->() }") == 2


def test_reingesting_changes_nothing(graph: GraphForTests) -> None:
    seed(graph)
    before = graph.snapshot()
    again = seed(graph)
    assert [(i.summary.created, i.summary.updated) for i in again] == [(0, 0)] * len(NAP4_SEEDS)
    assert graph.snapshot() == before


def test_every_node_and_relationship_records_its_source_and_location(graph: GraphForTests) -> None:
    seed(graph)
    unsourced = graph.query(
        "MATCH (n) WHERE NOT n:Source AND NOT (n)-[:SOURCED_FROM]->(:Source) RETURN n.id AS id"
    )
    assert unsourced == []
    bad_locations = graph.query(
        "MATCH (n)-[p:SOURCED_FROM]->(:Source) WHERE NOT p.location =~ 'line [0-9]+' RETURN n.id AS id"
    )
    assert bad_locations == []
    unprovenanced = graph.query(
        "MATCH ()-[r]->() WHERE type(r) <> 'SOURCED_FROM' AND "
        "(r.provenance IS NULL OR size(r.provenance) = 0 OR "
        " any(p IN r.provenance WHERE NOT p =~ '[a-z0-9-]+#line [0-9]+')) RETURN type(r) AS type"
    )
    assert unprovenanced == []
    lead = graph.query(
        "MATCH (:Body {id: 'scottish-government'})-[r:LEADS]->(:Commitment {number: 7}) "
        "RETURN r.provenance AS provenance"
    )
    line = 1 + next(
        i for i, text in enumerate(NAP4.read_text().splitlines()) if text.startswith("7. ")
    )
    assert lead == [{"provenance": [f"uk-ogp-nap4-2019-2021#line {line}"]}]
    source = graph.query("MATCH (s:Source {id: 'uk-ogp-nap4-2019-2021'}) RETURN s{.*} AS s")[0]["s"]
    assert len(source["checksum"]) == 64 and source["path"] == NAP4.name
    assert source["ingestedAt"] is not None


def test_dry_run_reports_changes_and_writes_nothing(graph: GraphForTests) -> None:
    before = graph.snapshot()
    dry = ingest(graph, NAP4, dry_run=True)
    assert dry.summary.counts["Commitment"].created == len(EXPECTED)
    assert graph.snapshot() == before


def write_variant(tmp_path: Path, text: str, name: str = "plan.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def nap4_lines() -> list[str]:
    return NAP4.read_text(encoding="utf-8").splitlines()


def row_line(number: int) -> int:
    return 1 + next(i for i, text in enumerate(nap4_lines()) if text.startswith(f"{number}. "))


def without_title(tmp_path: Path) -> tuple[Path, int | None, str | None]:
    lines = nap4_lines()
    line = row_line(3)
    lines[line - 1] = "3. | " + lines[line - 1].split("|", 1)[1]
    return write_variant(tmp_path, "\n".join(lines)), line, "title"


def without_table(tmp_path: Path) -> tuple[Path, int | None, str | None]:
    lines = [text for text in nap4_lines() if "|" not in text]
    return write_variant(tmp_path, "\n".join(lines)), None, None


def empty_file(tmp_path: Path) -> tuple[Path, int | None, str | None]:
    return write_variant(tmp_path, "  \n\n"), None, None


def binary_file(tmp_path: Path) -> tuple[Path, int | None, str | None]:
    path = tmp_path / "plan.txt"
    path.write_bytes(b"United Kingdom Action Plan 2019-2021\n\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    return path, 4, None


def not_utf8(tmp_path: Path) -> tuple[Path, int | None, str | None]:
    path = tmp_path / "plan.txt"
    path.write_bytes("United Kingdom Action Plan 2019-2021\nCaf\u00e9\n".encode("latin-1"))
    return path, 2, None


def ragged_row_without_lead(tmp_path: Path) -> tuple[Path, int | None, str | None]:
    lines = nap4_lines()
    line = row_line(8)
    lines[line - 1] = "|".join(lines[line - 1].split("|")[:2])
    return write_variant(tmp_path, "\n".join(lines)), line, "lead"


@pytest.mark.parametrize(
    "make_bad_file",
    [without_title, without_table, empty_file, binary_file, not_utf8, ragged_row_without_lead],
)
def test_bad_input_is_refused_with_its_place_and_the_graph_is_untouched(
    graph: GraphForTests, tmp_path: Path, make_bad_file: object
) -> None:
    seed(graph)
    before = graph.snapshot()
    path, line, field = make_bad_file(tmp_path)  # type: ignore[operator]
    with pytest.raises(IngestError) as raised:
        ingest(graph, path)
    assert raised.value.path == str(path)
    assert raised.value.line == line
    assert raised.value.field == field
    assert str(raised.value).startswith(f"{path}:{line}: " if line else f"{path}: ")
    assert graph.snapshot() == before


def test_a_bad_row_late_in_the_table_writes_nothing_from_the_file(
    graph: GraphForTests, tmp_path: Path
) -> None:
    path, _, _ = without_title(tmp_path)
    with pytest.raises(IngestError):
        ingest(graph, path)
    assert graph.value("MATCH (n) RETURN count(n)") == 0


def test_a_malformed_curated_csv_names_file_line_and_field(
    graph: GraphForTests, tmp_path: Path
) -> None:
    seed(graph)
    before = graph.snapshot()
    bodies = (SEEDS_DIR / "bodies.csv").read_text(encoding="utf-8").splitlines()
    assert bodies[6].startswith("dfid,")
    bodies[6] = bodies[6].replace("uk_department", "ministry-of-silly-walks", 1)
    path = write_variant(tmp_path, "\n".join(bodies), name="bodies.csv")
    with pytest.raises(IngestError) as raised:
        ingest(graph, path)
    assert (raised.value.line, raised.value.field) == (7, "kind")
    assert graph.snapshot() == before
