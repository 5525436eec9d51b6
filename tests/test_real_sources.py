"""Every seed through the real ingest into one graph: OGP/IRM data, local authorities, one UK."""

import csv
import itertools
import json
import math
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from neo4j import Driver

from bench import similar_tuning
from bench.similar_relevance import read_judgements, relevance
from graph import similar
from graph.database import Database
from graph.schema import COMMITMENT_MEANING_INDEX, PRACTICE_MEANING_INDEX
from ingest.errors import IngestError
from ingest.loader import Ingestion, ingest_file, load_seeds, seed_files
from ingest.similarity import refresh_similarity
from ogkg.settings import Settings
from tests.conftest import SEEDS_DIR, GraphForTests, every_seed_loaded
from tests.neo4j_server import Neo4jForTests
from tests.test_cli import ogkg, server_environment

OGP = SEEDS_DIR / "ogp-irm-commitments-2016.csv"
LOCAL_AUTHORITIES = SEEDS_DIR / "uk-local-authorities.csv"
NAP4_TEXT = SEEDS_DIR / "uk-ogp-nap4-2019-2021.txt"


def ogp_rows() -> list[dict[str, str]]:
    """The OGP file read independently of the importer: header on the second line."""
    with OGP.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        header = next(reader)
        return [dict(zip(header, cells, strict=True)) for cells in reader]


def load(graph: GraphForTests, *paths: Path) -> list[Ingestion]:
    async def work(database: Database) -> list[Ingestion]:
        return [await ingest_file(database, path, SEEDS_DIR) for path in paths]

    return graph.run(work)


@pytest.fixture(scope="module")
def full_graph(settings: Settings, sync_driver: Driver) -> Iterator[GraphForTests]:
    """All seeds, loaded once for this module's read-only tests."""
    yield every_seed_loaded(settings, sync_driver)


def test_commitments_per_country_match_the_file(full_graph: GraphForTests) -> None:
    expected = Counter(row["Country"] for row in ogp_rows())
    rows = full_graph.query(
        "MATCH (j:Jurisdiction)<-[:FOR_JURISDICTION]-(p:ActionPlan)-[:HAS_COMMITMENT]->(c) "
        "WHERE EXISTS { (c)-[:SOURCED_FROM]->(:Source {id: 'ogp-irm-commitments-2016'}) } "
        "RETURN j.name AS name, j.aliases AS aliases, count(c) AS commitments"
    )
    found: dict[str, int] = {}
    for row in rows:
        names = [row["name"], *row["aliases"]]
        country = next(name for name in names if name in expected)
        found[country] = row["commitments"]
    assert found == dict(expected)
    assert sum(found.values()) == 1927 and len(found) == 61


def test_one_uk_joins_its_plans_from_every_source(full_graph: GraphForTests) -> None:
    assert (
        full_graph.value(
            "MATCH (j:Jurisdiction) WHERE j.name = 'United Kingdom' OR 'UK' IN j.aliases RETURN count(j)"
        )
        == 1
    )
    plans = full_graph.query(
        "MATCH (p:ActionPlan)-[:FOR_JURISDICTION]->(:Jurisdiction {id: 'uk'}) RETURN p.number AS n ORDER BY n"
    )
    # 1 and 2 from the OGP/IRM file, 4 from its text and the nations' file, 3, 5 and 6 from the latter.
    assert [row["n"] for row in plans] == [1, 2, 3, 4, 5, 6]
    assert full_graph.value("MATCH (b:Body) WHERE b.name = 'Cabinet Office' RETURN count(b)") == 1
    led = full_graph.query(
        "MATCH (:Body {id: 'cabinet-office'})-[:LEADS]->(c)<-[:HAS_COMMITMENT]-(p) RETURN DISTINCT p.number AS n ORDER BY n"
    )
    assert [row["n"] for row in led] == [1, 2, 3, 4, 6]
    # DCLG was renamed MHCLG: the 2013 plan's department and the 2019 plan's are one body.
    mhclg = full_graph.query(
        "MATCH (:Body {id: 'mhclg'})-[:LEADS]->(c)<-[:HAS_COMMITMENT]-(p) RETURN DISTINCT p.id AS plan ORDER BY plan"
    )
    assert [row["plan"] for row in mhclg] == ["uk-nap2", "uk-nap4"]


def test_a_uk_commitment_with_its_bodies_themes_and_irm_values(full_graph: GraphForTests) -> None:
    commitment: dict[str, Any] = full_graph.value(
        "MATCH (c:Commitment {id: 'uk-nap2-c12'}) RETURN properties(c)"
    )
    assert commitment["shortTitle"] == "Open Contracting"
    assert commitment["title"].startswith(
        "The UK government endorses the principles of open contracting"
    )
    assert (commitment["specificity"], commitment["potentialImpact"]) == ("high", "minor")
    assert commitment["completionProgressReport"] == "substantial"
    assert commitment["irmAssessed"] is True and commitment["yearOfSubmission"] == 2013
    assert "completionEndOfTerm" not in commitment  # ND: no value, never the string "ND"
    leads = full_graph.query(
        "MATCH (b:Body)-[:LEADS]->(:Commitment {id: 'uk-nap2-c12'}) RETURN b.id AS id"
    )
    assert [row["id"] for row in leads] == ["cabinet-office"]
    partners = full_graph.query(
        "MATCH (b:Body)-[r:PARTNERS_IN]->(:Commitment {id: 'uk-nap2-c12'}) RETURN b.id AS id, r.role AS role"
    )
    assert {(row["id"], row["role"]) for row in partners} >= {
        ("global-witness", "civil_society"),
        ("integrity-action", "civil_society"),
        ("institute-for-government", "civil_society"),
    }
    row = next(
        r
        for r in ogp_rows()
        if (r["Country"], r["Action Plan Number"], r["Comm No"]) == ("UK", "2", "12")
    )
    with (SEEDS_DIR / "themes.csv").open(encoding="utf-8", newline="") as handle:
        column_themes = {t["column"]: t["id"] for t in csv.DictReader(handle) if t["column"]}
    tagged_in_file = {theme for column, theme in column_themes.items() if row[column] == "1"}
    assert tagged_in_file
    themes = full_graph.query(
        "MATCH (:Commitment {id: 'uk-nap2-c12'})-[:HAS_THEME]->(t:Theme) RETURN t.id AS id, t.scheme AS scheme"
    )
    assert {t["id"] for t in themes if t["scheme"] != "plan-themes"} == tagged_in_file
    assert {t["id"] for t in themes if t["scheme"] == "plan-themes"} == {
        "uk-plan-theme-fiscal-transparency"
    }


def test_narrower_themes_roll_up_to_broader_ones(full_graph: GraphForTests) -> None:
    broader = full_graph.query(
        "MATCH (t:Theme {id: 'citizen-budgets'})-[:BROADER]->(b:Theme)-[:IN_SCHEME]->(s:ThemeScheme) "
        "RETURN b.id AS id, s.id AS scheme"
    )
    assert broader == [{"id": "fiscal-openness", "scheme": "ogp-policy-areas"}]
    tagged_in_file = sum(1 for row in ogp_rows() if row["Citizen Budgets"] == "1")
    assert (
        full_graph.value("MATCH (:Theme {id: 'citizen-budgets'})<-[:HAS_THEME]-(c) RETURN count(c)")
        == tagged_in_file
    )


def test_no_value_markers_never_become_strings(full_graph: GraphForTests) -> None:
    leaked = full_graph.query(
        "MATCH (n) UNWIND keys(n) AS key WITH n, key WHERE n[key] IN ['NR', 'ND', 'NA', 'N/A'] "
        "RETURN labels(n)[0] AS label, key LIMIT 5"
    )
    assert leaked == []


def test_every_current_local_authority_is_part_of_its_nation(full_graph: GraphForTests) -> None:
    with LOCAL_AUTHORITIES.open(encoding="utf-8", newline="") as handle:
        register = [row for row in csv.DictReader(handle) if not row["end-date"]]
    assert full_graph.value(
        "MATCH (j:Jurisdiction {level: 'local_authority'}) RETURN count(j)"
    ) == len(register)
    per_nation = full_graph.query(
        "MATCH (j:Jurisdiction {level: 'local_authority'})-[:PART_OF]->(n:Jurisdiction {level: 'nation'}) "
        "RETURN n.name AS nation, count(j) AS authorities"
    )
    assert {r["nation"]: r["authorities"] for r in per_nation} == dict(
        Counter(row["nation"] for row in register)
    )
    current = {row["local-authority-code"] for row in register}
    with_county = [row for row in register if row["county-la"] in current]
    assert with_county
    sample = with_county[0]
    county = full_graph.query(
        "MATCH (:Jurisdiction {localAuthorityCode: $code})-[:PART_OF]->(c:Jurisdiction {level: 'local_authority'}) "
        "RETURN c.localAuthorityCode AS code",
        code=sample["local-authority-code"],
    )
    assert sample["county-la"] in {row["code"] for row in county}
    gss = full_graph.value(
        "MATCH (j:Jurisdiction {localAuthorityCode: $code}) RETURN j.gssCode",
        code=sample["local-authority-code"],
    )
    assert gss == sample["gss-code"]


def test_every_fact_has_provenance(full_graph: GraphForTests) -> None:
    assert (
        full_graph.query(
            "MATCH (n) WHERE NOT n:Source AND NOT (n)-[:SOURCED_FROM]->(:Source) RETURN n.id AS id LIMIT 5"
        )
        == []
    )
    assert (
        full_graph.query(
            "MATCH ()-[r]->() WHERE type(r) <> 'SOURCED_FROM' AND "
            "(r.provenance IS NULL OR any(p IN r.provenance WHERE NOT p =~ '[a-z0-9-]+#(([a-z_.]+ )?line [0-9]+|case [0-9]+)')) "
            "RETURN type(r) AS type LIMIT 5"
        )
        == []
    )
    sources = full_graph.query(
        "MATCH (s:Source) RETURN s.id AS id, s.checksum AS checksum, s.licence AS licence"
    )
    assert len(sources) == len(seed_files(SEEDS_DIR))
    assert all(len(s["checksum"]) == 64 for s in sources)
    assert {s["id"]: s["licence"] for s in sources}["uk-local-authorities"] == "CC BY 4.0"


def test_a_second_load_reports_nothing_changed_and_changes_nothing(
    full_graph: GraphForTests,
) -> None:
    before = full_graph.snapshot()

    async def work(database: Database) -> list[Ingestion]:
        return await load_seeds(database, SEEDS_DIR)

    again = full_graph.run(work)
    assert [(i.path.name, i.summary.created, i.summary.updated) for i in again] == [
        (path.name, 0, 0) for path in seed_files(SEEDS_DIR)
    ]
    assert full_graph.snapshot() == before


def test_graphql_serves_irm_values_themes_and_local_authorities(
    full_graph: GraphForTests, http: httpx.Client, api_url: str
) -> None:
    query = """{
      commitment(id: "uk-nap2-c12") { code shortTitle actionPlan { id jurisdiction { id } }
        irm { assessed specificity potentialImpact completionProgressReport completionEndOfTerm }
        themes { id scheme { id } } }
      themes(scheme: "ogp-policy-areas") { id broader { id } narrower { id } }
      jurisdictions { id level gssCode authorityType parent { id } }
    }"""
    response = http.post(f"{api_url}/graphql", json={"query": query})
    assert response.status_code == 200
    body = response.json()
    assert "errors" not in body, body
    commitment = body["data"]["commitment"]
    assert commitment["code"] == "12" and commitment["shortTitle"] == "Open Contracting"
    assert commitment["actionPlan"] == {"id": "uk-nap2", "jurisdiction": {"id": "uk"}}
    assert commitment["irm"] == {
        "assessed": True,
        "specificity": "HIGH",
        "potentialImpact": "MINOR",
        "completionProgressReport": "SUBSTANTIAL",
        "completionEndOfTerm": None,
    }
    assert {
        "id": "uk-plan-theme-fiscal-transparency",
        "scheme": {"id": "plan-themes"},
    } in commitment["themes"]
    themes = {t["id"]: t for t in body["data"]["themes"]}
    assert {n["id"] for n in themes["fiscal-openness"]["narrower"]} >= {
        "citizen-budgets",
        "participatory-budgeting",
    }
    assert themes["citizen-budgets"]["broader"] == {"id": "fiscal-openness"}
    places = {j["id"]: j for j in body["data"]["jurisdictions"]}
    with LOCAL_AUTHORITIES.open(encoding="utf-8", newline="") as handle:
        register = {
            row["local-authority-code"]: row
            for row in csv.DictReader(handle)
            if not row["end-date"]
        }
    district = next(row for row in register.values() if row["county-la"] in register)
    place = places[f"la-{district['local-authority-code'].lower()}"]
    assert place["level"] == "LOCAL_AUTHORITY" and place["gssCode"] == (
        district["gss-code"] or None
    )
    assert place["authorityType"] == district["local-authority-type-name"]
    assert place["parent"] == {"id": f"la-{district['county-la'].lower()}"}


def test_practices_link_commitments_bodies_standards_and_themes(full_graph: GraphForTests) -> None:
    practice = full_graph.query(
        "MATCH (p:Practice {id: 'contracts-finder'}) RETURN "
        "[(p)-[:APPLIED_IN]->(c) | c.id] AS commitments, [(b)-[:INVOLVED_IN]->(p) | b.id] AS bodies, "
        "[(p)-[:USES_STANDARD]->(s) | s.name] AS standards, [(p)-[:HAS_THEME]->(t) | t.id] AS themes, "
        "[(p)-[:PRACTISED_IN]->(j) | j.id] AS places"
    )[0]
    assert practice["commitments"] == ["uk-nap4-c4"]
    assert practice["bodies"] == ["cabinet-office"]
    assert practice["standards"] == ["Open Contracting Data Standard"]
    assert sorted(practice["themes"]) == ["open-data", "public-procurement"]
    assert practice["places"] == ["uk"]
    with (SEEDS_DIR / "practices.csv").open(encoding="utf-8", newline="") as handle:
        assert full_graph.value(
            "MATCH (p:Practice) WHERE p.participediaId IS NULL RETURN count(p)"
        ) == len(list(csv.DictReader(handle)))  # the others are Participedia's cases


def test_each_lesson_cites_the_row_of_the_commitment_it_is_about(full_graph: GraphForTests) -> None:
    lessons = full_graph.query(
        "MATCH (l:Lesson)-[e:EVIDENCED_BY]->(s:Source) WHERE s.id <> 'uk-nations-lessons' "
        "RETURN l.id AS id, s.path AS file, e.location AS location, "
        "[(l)-[:ABOUT]->(c:Commitment) | c {.id, .code, plan: [(p)-[:HAS_COMMITMENT]->(c) | p.number][0]}] AS about"
    )
    assert len(lessons) >= 5
    with OGP.open(encoding="utf-8", newline="") as handle:
        lines = list(csv.reader(handle))
    header = lines[1]
    for lesson in lessons:
        assert lesson["file"] == OGP.name
        cells = dict(
            zip(header, lines[int(lesson["location"].removeprefix("line ")) - 1], strict=True)
        )
        assert [(c["plan"], c["code"]) for c in lesson["about"]] == [
            (int(cells["Action Plan Number"]), cells["Comm No"])
        ], lesson["id"]
        assert cells["Country"] == "UK"


def test_a_curated_row_naming_an_unknown_body_is_refused(
    full_graph: GraphForTests, tmp_path: Path
) -> None:
    before = full_graph.snapshot()
    rows = (SEEDS_DIR / "practices.csv").read_text(encoding="utf-8").splitlines()
    assert rows[1].startswith("contracts-finder,") and ",cabinet-office," in rows[1]
    rows[1] = rows[1].replace(",cabinet-office,", ",no-such-body,", 1)
    path = tmp_path / "practices.csv"
    path.write_text("\n".join(rows), encoding="utf-8")
    with pytest.raises(IngestError) as raised:
        load(full_graph, path)
    assert (raised.value.line, raised.value.field) == (2, "bodies")
    assert "no-such-body" in raised.value.reason
    assert full_graph.snapshot() == before


def test_review_duplicates_lists_look_alikes_for_a_coordinator(
    full_graph: GraphForTests, neo4j_server: Neo4jForTests
) -> None:
    result = ogkg("review-duplicates", env=server_environment(neo4j_server))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    ukraine = ("[ukraine-state-agency-for-e-governance]", "[ukraine-state-agency-on-e-governance]")
    assert any(all(body in line for body in ukraine) for line in lines)
    # Merged by coordinators (an alias in seeds/bodies.csv), so no longer listed.
    assert not any("[uk-oxfam]" in line or "[uk-publish-what-you-pay]" in line for line in lines)
    assert not any("[cabinet-office]" in line for line in lines)  # resolved, so never listed
    assert "mergeBodies" in result.stdout
    count = int(lines[0].split()[0])
    assert count == sum(1 for line in lines if line.startswith("  ") and "[" in line)


def test_graphql_serves_practices_lessons_and_standards(
    full_graph: GraphForTests, http: httpx.Client, api_url: str
) -> None:
    query = """{
      practices { id bodies { id } commitments { id } standards { name } themes { id } jurisdictions { id }
                  lessons { id } }
      lessons { id statement evidence { sourceId location } commitments { id irm { potentialImpact } } }
      standards { id }
      commitment(id: "uk-nap2-c12") { lessons { id } }
    }"""
    body = http.post(f"{api_url}/graphql", json={"query": query}).json()
    assert "errors" not in body, body
    practices = {p["id"]: p for p in body["data"]["practices"]}
    finder = practices["contracts-finder"]
    assert finder["bodies"] == [{"id": "cabinet-office"}]
    assert finder["commitments"] == [{"id": "uk-nap4-c4"}]
    assert finder["standards"] == [{"name": "Open Contracting Data Standard"}]
    assert finder["lessons"] == [{"id": "uk-nap2-open-contracting-minor-impact"}]
    lessons = {lesson["id"]: lesson for lesson in body["data"]["lessons"]}
    open_contracting = lessons["uk-nap2-open-contracting-minor-impact"]
    assert open_contracting["evidence"] == {
        "sourceId": "ogp-irm-commitments-2016",
        "location": "line 1744",
    }
    assert open_contracting["commitments"] == [
        {"id": "uk-nap2-c12", "irm": {"potentialImpact": "MINOR"}}
    ]
    assert "minor potential impact" in open_contracting["statement"]
    assert {s["id"] for s in body["data"]["standards"]} == {
        "360giving-data-standard",
        "ocds",
        "eiti-standard",
    }
    assert body["data"]["commitment"]["lessons"] == [
        {"id": "uk-nap2-open-contracting-minor-impact"}
    ]


def test_every_kind_lists_its_sources_with_licence_and_location(
    full_graph: GraphForTests, http: httpx.Client, api_url: str
) -> None:
    # The body most registers name (other tests of this module may merge some bodies away).
    body_id = full_graph.value(
        "MATCH (b:Body) RETURN b.id ORDER BY COUNT { (b)-[:SOURCED_FROM]->() } DESC, b.id LIMIT 1"
    )
    query = """query($body: ID!) {
      commitment(id: "uk-nap2-c12") { sources { id title licence location } }
      body(id: $body) { sources { id title licence location } }
      lesson: lessonsConnection(first: 1) { edges { node { id sources { id licence location } } } }
      jurisdiction(id: "scotland") { sources { id licence location } }
      actionPlan(id: "uk-nap4") { sources { id licence location } }
      standards { id sources { id licence location } }
    }"""
    body = http.post(
        f"{api_url}/graphql", json={"query": query, "variables": {"body": body_id}}
    ).json()
    assert "errors" not in body, body
    data = body["data"]
    with (SEEDS_DIR / "sources.csv").open(encoding="utf-8", newline="") as handle:
        licences = {
            Path(row["file"]).stem: row["licence"] or None for row in csv.DictReader(handle)
        }

    def stated(label: str, entity_id: str) -> list[tuple[str, str]]:
        rows = full_graph.query(
            f"MATCH (n:{label} {{id: $id}})-[r:SOURCED_FROM]->(s:Source) "
            "RETURN s.id AS id, r.location AS location",
            id=entity_id,
        )
        return sorted((row["id"], row["location"]) for row in rows)

    commitment = data["commitment"]["sources"]
    assert commitment == [
        {
            "id": "ogp-irm-commitments-2016",
            "title": commitment[0]["title"],
            "licence": None,  # the OGP copy states none, and ogkg says so rather than guess
            "location": "line 1744",
        }
    ]
    assert commitment[0]["title"].startswith("OGP commitments with Independent Reporting")
    registers = data["body"]["sources"]
    assert [(s["id"], s["location"]) for s in registers] == stated("Body", body_id)
    assert len({s["id"] for s in registers}) >= 3  # several registers name it: each is listed
    for source in registers:
        assert source["licence"] == licences[source["id"]], source
    lesson = data["lesson"]["edges"][0]["node"]
    checked = [
        (lesson["sources"], "Lesson", lesson["id"]),
        (data["jurisdiction"]["sources"], "Jurisdiction", "scotland"),
        (data["actionPlan"]["sources"], "ActionPlan", "uk-nap4"),
    ] + [(standard["sources"], "Standard", standard["id"]) for standard in data["standards"]]
    for sources, label, entity_id in checked:
        assert sources, f"{label} {entity_id} lists no source"
        assert [(s["id"], s["location"]) for s in sources] == stated(label, entity_id)
        for source in sources:
            assert source["licence"] == licences[source["id"]], source


def test_coverage_matrix_counts_items_per_country_and_theme_with_narrower_themes(
    full_graph: GraphForTests, http: httpx.Client, api_url: str
) -> None:
    query = """{ coverage { themes { id } rows { jurisdiction { id } counts }
                 gaps(jurisdiction: "uk") { theme { id } peers } } }"""
    body = http.post(f"{api_url}/graphql", json={"query": query}).json()
    assert "errors" not in body, body
    matrix = body["data"]["coverage"]
    theme_ids = [t["id"] for t in matrix["themes"]]
    rows = {
        row["jurisdiction"]["id"]: dict(zip(theme_ids, row["counts"], strict=True))
        for row in matrix["rows"]
    }
    cases = json.loads((SEEDS_DIR / "participedia-cases-2018.json").read_text(encoding="utf-8"))
    ogp_countries = {row["Country"] for row in ogp_rows()}
    # The OGP file's countries, and those only Participedia's cases name ("United States" is "USA").
    case_countries = {c["country"] for c in cases if c["country"]} - {
        "United Kingdom",
        "United States",
    }
    assert len(rows) == len(ogp_countries | case_countries) == 61 + 32

    with (SEEDS_DIR / "themes.csv").open(encoding="utf-8", newline="") as handle:
        taxonomy = list(csv.DictReader(handle))
    within = {"fiscal-openness"} | {t["id"] for t in taxonomy if t["broader"] == "fiscal-openness"}
    columns = {t["column"] for t in taxonomy if t["id"] in within and t["column"]}
    uk_rows = sum(
        1 for row in ogp_rows() if row["Country"] == "UK" and any(row[c] == "1" for c in columns)
    )
    uk_places = {"uk", "england", "scotland", "wales", "northern-ireland"}
    with (SEEDS_DIR / "practices.csv").open(encoding="utf-8", newline="") as handle:
        uk_practices = sum(
            1
            for practice in csv.DictReader(handle)
            if set(practice["themes"].split(";")) & within
            and set(practice["jurisdictions"].split(";")) & uk_places
        )
    with (SEEDS_DIR / "uk-nations-policy-areas.csv").open(encoding="utf-8", newline="") as handle:
        area_themes = {row["policy_area"]: row["theme"] for row in csv.DictReader(handle)}
    with (SEEDS_DIR / "uk-nations-commitments.csv").open(encoding="utf-8", newline="") as handle:
        nations = sum(
            1
            for row in csv.DictReader(handle)
            if {area_themes[area.strip()] for area in row["policy_areas"].split(";")} & within
        )
    with (SEEDS_DIR / "participedia-terms.csv").open(encoding="utf-8", newline="") as handle:
        fiscal_terms = {
            (t["field"], t["value"]) for t in csv.DictReader(handle) if t["theme"] in within
        }
    uk_cases = sum(
        1
        for c in cases
        if c["country"] == "United Kingdom"
        and any((field, value) in fiscal_terms for field, value in _coded(c))
    )
    assert uk_cases > 40  # the UK's participatory-budgeting cases
    assert rows["uk"]["fiscal-openness"] == uk_rows + uk_practices + nations + uk_cases
    for gap in matrix["gaps"]:
        assert rows["uk"][gap["theme"]["id"]] == 0
        assert (
            gap["peers"] == sum(1 for counts in rows.values() if counts[gap["theme"]["id"]] > 0) > 0
        )


SIMILAR_QUERY = """query ($to: ID!, $other: Boolean!, $diverse: Boolean) {
  similar(to: $to, first: 10, inOtherJurisdictions: $other, diverse: $diverse) {
    score reasons { kind label weight }
    item { __typename ... on Commitment { id actionPlan { jurisdiction { id } } } ... on Practice { id } }
  } }"""


def similar_results(
    http: httpx.Client, api_url: str, to: str, other: bool, diverse: bool | None = None
) -> list[dict[str, Any]]:
    variables = {"to": to, "other": other, "diverse": diverse}
    body = http.post(
        f"{api_url}/graphql", json={"query": SIMILAR_QUERY, "variables": variables}
    ).json()
    assert "errors" not in body, body
    results: list[dict[str, Any]] = body["data"]["similar"]
    return results


def test_similar_initiatives_elsewhere_are_ranked_and_explained(
    full_graph: GraphForTests, http: httpx.Client, api_url: str
) -> None:
    results = similar_results(http, api_url, "uk-nap2-c12", other=True, diverse=False)
    assert len(results) == 10
    assert results == similar_results(
        http, api_url, "uk-nap2-c12", other=True, diverse=False
    )  # deterministic
    scores = [r["score"] for r in results]
    assert scores == sorted(scores, reverse=True)
    own_themes = set(
        full_graph.value(
            "MATCH (c:Commitment {id: 'uk-nap2-c12'}) "
            "RETURN COLLECT { MATCH (t:Theme) WHERE t.id IN c.similarityThemes RETURN t.name }"
        )
    )
    for result in results:
        item = result["item"]
        assert item["__typename"] == "Commitment"
        assert item["actionPlan"]["jurisdiction"]["id"] != "uk"
        assert abs(result["score"] - sum(r["weight"] for r in result["reasons"])) < 0.01
        for reason in result["reasons"]:
            if reason["kind"] == "SHARED_THEME":
                assert reason["label"] in own_themes
                theirs = full_graph.query(
                    "MATCH (c:Commitment {id: $id}), (t:Theme {name: $name}) "
                    "WHERE t.id IN c.similarityThemes RETURN t.id AS id",
                    id=item["id"],
                    name=reason["label"],
                )
                assert theirs, (item["id"], reason)
    assert any(r["reasons"][0]["kind"] == "TEXT" for r in results)


def scores_of_every_candidate(
    graph: GraphForTests, to: str, other: bool
) -> list[tuple[str, float]]:
    """The documented score of every item sharing anything with `to`, from plain queries."""
    stored = (
        "{.id, terms: coalesce(n.similarityTerms, []), weights: coalesce(n.similarityWeights, []),"
        " titleTerms: coalesce(n.similarityTitleTerms, []),"
        " titleWeights: coalesce(n.similarityTitleWeights, []),"
        " themes: coalesce(n.similarityThemes, []),"
        " themeWeights: coalesce(n.similarityThemeWeights, []), meaning: n.meaningVector,"
        " textless: coalesce(n.similarityTextless, false)}"
    )
    source = graph.value("MATCH (n {id: $id}) RETURN n " + stored, id=to)
    graph_reasons: dict[str, float] = {}
    for weight, cypher in (
        (
            similar.BODY_WEIGHT,
            "MATCH (src {id: $id})<-[:LEADS|PARTNERS_IN|INVOLVED_IN]-(b:Body)"
            "-[:LEADS|PARTNERS_IN|INVOLVED_IN]->(o) WHERE o <> src "
            "RETURN DISTINCT o.id AS id, b.id AS via",
        ),
        (
            similar.STANDARD_WEIGHT,
            "MATCH (src {id: $id})-[:USES_STANDARD]->(s)<-[:USES_STANDARD]-(o) WHERE o <> src "
            "RETURN o.id AS id, s.id AS via",
        ),
        (
            similar.LINK_WEIGHT,
            "MATCH (src {id: $id})-[:APPLIED_IN|ABOUT]-(o) RETURN DISTINCT o.id AS id, 1 AS via",
        ),
        (
            similar.LINEAGE_WEIGHT,
            "MATCH (src {id: $id})-[:ADAPTED_FROM*1..3]-(o) WHERE o <> src "
            "RETURN DISTINCT o.id AS id, 1 AS via",
        ),
    ):
        for row in graph.query(cypher, id=to):
            graph_reasons[row["id"]] = graph_reasons.get(row["id"], 0.0) + weight
    text_hits = {
        row["id"]
        for row in graph.query(
            "CALL db.index.fulltext.queryNodes('ogkg_similarity', $text, {limit: $limit}) "
            "YIELD node RETURN node.id AS id",
            text=similar.query_of(source),
            limit=similar.TEXT_CANDIDATES,
        )
    }
    meaning_hits = {
        row["id"]
        for index in (COMMITMENT_MEANING_INDEX, PRACTICE_MEANING_INDEX)
        for row in graph.query(
            "CALL db.index.vector.queryNodes($index, $limit, $vector) YIELD node "
            "RETURN node.id AS id",
            index=index,
            limit=similar.MEANING_CANDIDATES,
            vector=source["meaning"],
        )
    }
    candidates = {
        row["id"]: row["item"]
        for row in graph.query(
            "MATCH (n) WHERE n.id IN $ids AND n.id <> $id AND (n:Commitment OR n:Practice) "
            "RETURN n.id AS id, n " + stored + " AS item",
            ids=sorted(set(graph_reasons) | text_hits | meaning_hits),
            id=to,
        )
    }
    if other:
        home = (
            "MATCH (src {id: $id}) "
            "OPTIONAL MATCH (src)<-[:HAS_COMMITMENT]-(:ActionPlan)-[:FOR_JURISDICTION]->(a) "
            "OPTIONAL MATCH (src)-[:PRACTISED_IN|APPLIES_TO]->(b) "
            "UNWIND [a, b] AS place MATCH (within:Jurisdiction)-[:PART_OF*0..]->(place) "
            "RETURN collect(DISTINCT within.id)"
        )
        places = set(graph.value(home, id=to))
        located = graph.query(
            "MATCH (o) WHERE o:Commitment OR o:Practice "
            "OPTIONAL MATCH (o)<-[:HAS_COMMITMENT]-(:ActionPlan)-[:FOR_JURISDICTION]->(a) "
            "OPTIONAL MATCH (o)-[:PRACTISED_IN]->(b) "
            "RETURN o.id AS id, collect(a.id) + collect(b.id) AS places"
        )
        elsewhere = {row["id"] for row in located if not places & set(row["places"])}
        candidates = {key: value for key, value in candidates.items() if key in elsewhere}

    def cosine(terms: str, weights: str, item: dict[str, Any]) -> float:
        mine: dict[str, float] = dict(zip(source[terms], source[weights], strict=True))
        return sum(
            float(weight) * mine[term]
            for term, weight in zip(item[terms], item[weights], strict=True)
            if term in mine
        )

    def meaning(vector: list[float]) -> float:
        mine: list[float] = source["meaning"]
        theirs = vector
        dot = sum(a * b for a, b in zip(mine, theirs, strict=True))
        return dot / math.sqrt(sum(a * a for a in mine) * sum(b * b for b in theirs))

    scores = {}
    for key, item in candidates.items():
        theirs = set(item["themes"])
        score = (
            similar.TEXT_WEIGHT * cosine("terms", "weights", item)
            + similar.TITLE_WEIGHT * cosine("titleTerms", "titleWeights", item)
            + sum(
                similar.THEME_WEIGHT * weight
                for theme, weight in zip(source["themes"], source["themeWeights"], strict=True)
                if theme in theirs
            )
            + graph_reasons.get(key, 0.0)
            + similar.meaning_weight(meaning(item["meaning"]))
        ) * (similar.TEXTLESS_FACTOR if item["textless"] else 1.0)
        if score > 0:
            scores[key] = score
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


@pytest.mark.parametrize(
    ("to", "other"),
    [
        ("uk-nap2-c12", True),
        ("uk-nap2-c12", False),
        ("contracts-finder", True),
        ("uk-nap4-c4", False),
        ("uk-nations-l20", True),
    ],
)
def test_similar_ranks_as_scoring_every_candidate_would(
    full_graph: GraphForTests, http: httpx.Client, api_url: str, *, to: str, other: bool
) -> None:
    expected = scores_of_every_candidate(full_graph, to, other)[:10]
    found = [
        (r["item"]["id"], r["score"])
        for r in similar_results(http, api_url, to, other, diverse=False)
    ]
    assert [item for item, _ in found] == [item for item, _ in expected]
    assert [score for _, score in found] == pytest.approx(
        [score for _, score in expected], abs=0.01
    )


@pytest.mark.parametrize("to", ["uk-nap4-c4", "uk-nations-l20"])
def test_a_text_reason_names_only_words_both_items_hold_and_weighs_their_cosines(
    full_graph: GraphForTests, *, to: str
) -> None:
    """The shared words are found after the ranking is cut; they must still be the right ones."""
    stored = (
        "{terms: coalesce(n.similarityTerms, []), weights: coalesce(n.similarityWeights, []),"
        " words: coalesce(n.similarityWords, []),"
        " titleTerms: coalesce(n.similarityTitleTerms, []),"
        " titleWeights: coalesce(n.similarityTitleWeights, []),"
        " titleWords: coalesce(n.similarityTitleWords, []),"
        " textless: coalesce(n.similarityTextless, false)}"
    )
    source = full_graph.value("MATCH (n {id: $id}) RETURN n " + stored, id=to)
    found = full_graph.run(lambda database: similar.similar(database, to, 10, True))
    texts = [(item, r) for item in found or [] for r in item.reasons if r.kind == "TEXT"]
    assert texts
    for item, reason in texts:
        theirs = full_graph.value("MATCH (n {id: $id}) RETURN n " + stored, id=item.item.id)
        shared = {
            word
            for terms, words in (("terms", "words"), ("titleTerms", "titleWords"))
            for term, word in zip(source[terms], source[words], strict=True)
            if term in theirs[terms]
        }
        assert reason.label
        assert set(reason.label.split(", ")) <= shared, (item.item.id, reason.label, shared)

        def cosine(terms: str, weights: str, theirs: dict[str, Any] = theirs) -> float:
            mine = dict(zip(source[terms], source[weights], strict=True))
            return sum(
                float(weight) * float(mine.get(term, 0.0))
                for term, weight in zip(theirs[terms], theirs[weights], strict=True)
            )

        expected = similar.TEXT_WEIGHT * cosine("terms", "weights") + similar.TITLE_WEIGHT * cosine(
            "titleTerms", "titleWeights"
        )
        if theirs["textless"]:
            expected *= similar.TEXTLESS_FACTOR
        assert reason.weight == pytest.approx(expected, abs=0.001)


def test_an_untitled_case_is_compared_by_its_coded_words_and_weighs_half(
    full_graph: GraphForTests,
) -> None:
    """ogkg names a case Participedia left untitled; those words are ours, not the case's."""
    untitled = "participedia-case-4797"  # "Participedia case 4797 (untitled): Participatory Budgeting in …"
    stored = full_graph.value(
        "MATCH (n {id: $id}) RETURN {name: n.name, textless: n.similarityTextless,"
        " words: n.similarityWords + n.similarityTitleWords}",
        id=untitled,
    )
    assert stored["name"].startswith("Participedia case 4797 (untitled)")
    assert stored["textless"] is True
    boilerplate = {"participedia", "case", "untitled", "case untitled", "participedia case"}
    assert not boilerplate & set(stored["words"]) and "participatory budgeting" in stored["words"]
    assert (
        full_graph.value("MATCH (n {id: 'participedia-case-1'}) RETURN n.similarityTextless")
        is False
    )

    # Compared with its kind (architecture and design), it meets other untitled cases.
    designed = "participedia-case-4564"

    async def both(database: Database) -> list[similar.SimilarItem]:
        found: list[similar.SimilarItem] = []
        for source in (designed, untitled):
            found += await similar.similar(database, source, 10, True) or []
        return found

    found = full_graph.run(both)
    assert len(found) == 20
    for item in found:
        assert item.score == pytest.approx(sum(r.weight for r in item.reasons), abs=0.01)
        for reason in item.reasons:
            if reason.kind == "TEXT" and reason.label:
                assert not boilerplate & set(reason.label.split(", ")), reason.label
    weighed = {
        item.item.id: full_graph.value(
            "MATCH (n {id: $id}) RETURN coalesce(n.similarityTextless, false)", id=item.item.id
        )
        for item in found
    }
    # Somewhere a textless item is ranked, and it weighs half what its reasons would otherwise.
    textless = [item for item in found if weighed[item.item.id]]
    assert textless
    for item in textless:
        meaning = [r for r in item.reasons if r.kind == "MEANING"]
        for reason in meaning:
            cosine = float((reason.label or "").split("meaning ")[1].rstrip(")"))
            assert reason.weight == pytest.approx(
                similar.TEXTLESS_FACTOR * similar.meaning_weight(cosine), abs=0.02
            )
    # A case that says nothing at all (no title, no coded method or topic) is like nothing.
    silent = "participedia-case-5114"
    assert full_graph.value("MATCH (n {id: $id}) RETURN n.meaningVector", id=silent) is None
    assert full_graph.run(lambda database: similar.similar(database, silent, 5, True)) == []


def test_every_judged_id_exists_in_the_seeded_graph(full_graph: GraphForTests) -> None:
    judged = read_judgements()
    ids = set(judged) | {candidate for candidates in judged.values() for candidate in candidates}
    found = set(
        full_graph.value(
            "MATCH (n) WHERE n.id IN $ids AND (n:Commitment OR n:Practice OR n:Lesson) "
            "RETURN collect(n.id)",
            ids=sorted(ids),
        )
    )
    assert sorted(ids - found) == []
    assert len(judged) >= 40


def test_similar_is_precise_on_the_judged_set_and_labels_every_reason(
    full_graph: GraphForTests,
) -> None:
    judged = read_judgements()
    result = full_graph.run(lambda database: relevance(database, judged))
    # The ranking before issue 13 scored P@5 0.316 and nDCG@10 0.338 on this set, words and themes
    # alone 0.496 and 0.557, with meaning 0.550 and 0.600 (0.596 on 1,914 judgements); the issue's
    # target of 0.8 is above what the set allows (README, "How similar is ranked").
    assert result.precision >= 0.53
    assert result.ndcg >= 0.58
    answerable = result.part("answerable")
    assert len(answerable.sources) >= 40 and answerable.precision >= 0.67

    async def reasons(database: Database) -> list[similar.Reason]:
        found: list[similar.Reason] = []
        for source in judged:
            for item in await similar.similar(database, source, 10, True) or []:
                found.extend(item.reasons)
        return found

    every = full_graph.run(reasons)
    assert every and all(reason.label for reason in every)
    assert {"TEXT", "SHARED_THEME"} <= {reason.kind for reason in every}


def test_the_tuning_bench_ranks_candidates_as_similar_does(full_graph: GraphForTests) -> None:
    """With graph/similar.py's weights, the tuning bench reproduces `similar`'s ranking.

    bench/similar_tuning.py fits weights on each reason's value apart: worth it only if so.
    """
    sources = list(read_judgements())[::7]

    async def both(database: Database) -> list[tuple[list[str], list[str]]]:
        pairs = []
        for source in sources:
            candidates = await similar_tuning.candidates_of(database, source)
            found = await similar.similar(database, source, 10, True) or []
            pairs.append(
                (
                    similar_tuning.ranked(candidates, similar_tuning.Weights()),
                    [item.item.id for item in found],
                )
            )
        return pairs

    pairs = full_graph.run(both)
    assert len(pairs) == 8
    for tuned, ranked in pairs:
        assert len(ranked) == 10 and tuned == ranked


def test_similar_elsewhere_spreads_its_first_five_over_countries(
    full_graph: GraphForTests, http: httpx.Client, api_url: str
) -> None:
    to = "uk-nations-l20"  # Scotland's participatory budgeting: many English and Welsh councils did it
    plain = similar_results(http, api_url, to, other=True, diverse=False)
    spread = similar_results(http, api_url, to, other=True)
    assert spread == similar_results(http, api_url, to, other=True, diverse=True)

    def countries(results: list[dict[str, Any]]) -> list[list[str]]:
        return [
            full_graph.value(
                "MATCH (o {id: $id}) "
                "OPTIONAL MATCH (o)<-[:HAS_COMMITMENT]-(:ActionPlan)-[:FOR_JURISDICTION]->(a) "
                "OPTIONAL MATCH (o)-[:PRACTISED_IN]->(b) "
                "UNWIND [x IN [a, b] WHERE x IS NOT NULL] AS place "
                "MATCH (place)-[:PART_OF*0..]->(c:Jurisdiction) WHERE NOT (c)-[:PART_OF]->() "
                "RETURN collect(DISTINCT c.id)",
                id=result["item"]["id"],
            )
            for result in results
        ]

    crowded = Counter(c for found in countries(plain[:5]) for c in found)
    assert max(crowded.values()) > 2  # without the option, one country crowds the top five
    held = Counter(c for found in countries(spread[:5]) for c in found)
    assert max(held.values()) <= 2
    assert spread[0] == plain[0]  # the best stays first
    scores = [r["score"] for r in plain]
    assert scores == sorted(scores, reverse=True)


def test_lineage_is_a_reason_with_its_path_of_diffusion(
    full_graph: GraphForTests, http: httpx.Client, api_url: str
) -> None:
    with (SEEDS_DIR / "lineage.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    stated = full_graph.query(
        "MATCH (a:Commitment)-[r:ADAPTED_FROM]->(b:Commitment) "
        "RETURN a.id AS item, b.id AS adaptedFrom, r.evidence AS evidence, r.provenance AS provenance"
    )
    assert sorted((r["item"], r["adaptedFrom"]) for r in stated) == sorted(
        (row["item"], row["adapted_from"]) for row in rows
    )
    assert all(r["evidence"] and r["provenance"] for r in stated)
    results = similar_results(http, api_url, "uk-nap4-c4", other=False)
    lineage = [
        (r["item"]["id"], reason)
        for r in results
        for reason in r["reasons"]
        if reason["kind"] == "ADAPTED_FROM"
    ]
    assert [item for item, _ in lineage] == ["uk-nap3-c5"]
    label = lineage[0][1]["label"]
    assert label.index("Open contracting (United Kingdom, 2016)") < label.index(
        "Open contracting data (United Kingdom, 2019)"
    )
    assert lineage[0][1]["weight"] == similar.LINEAGE_WEIGHT


def test_every_item_has_themes_to_be_compared_by(full_graph: GraphForTests) -> None:
    # All but a few cases Participedia left untitled with no coded topic: nothing says what they
    # are about (ogkg's name for them is not compared), and they have no sentence vector either.
    unthemed = full_graph.query(
        "MATCH (n) WHERE (n:Commitment OR n:Practice OR n:Lesson) "
        "AND size(coalesce(n.similarityThemes, [])) = 0 "
        "RETURN n.id AS id, n.similarityTextless AS textless, n.topics AS topics,"
        " n.meaningVector IS NULL AS vectorless, size(n.similarityTerms) AS terms"
    )
    assert 0 < len(unthemed) <= 10
    assert all(row["textless"] and row["topics"] == [] for row in unthemed)
    assert {row["id"] for row in unthemed if row["terms"] == 0} == {
        row["id"] for row in unthemed if row["vectorless"]
    }
    # A case Participedia left untagged gets its theme from its name by a rule.
    untagged = full_graph.query(
        "MATCH (p:Practice) WHERE p.name CONTAINS 'Participatory Budget' "
        "AND NOT EXISTS { (p)-[:HAS_THEME]->(:Theme {id: 'participatory-budgeting'}) } "
        "RETURN p.id AS id, p.similarityThemes AS themes"
    )
    assert untagged
    assert all("participatory-budgeting" in row["themes"] for row in untagged)
    # The 4th plan's commitments, from the plan text, are compared by themes too.
    assert "public-procurement" in full_graph.value(
        "MATCH (c:Commitment {id: 'uk-nap4-c4'}) RETURN c.similarityThemes"
    )


def test_a_second_refresh_of_similarity_terms_writes_nothing(full_graph: GraphForTests) -> None:
    assert full_graph.run(lambda database: refresh_similarity(database, SEEDS_DIR)) == 0


def test_similar_to_a_practice_finds_its_commitment_and_refuses_unknown_ids(
    full_graph: GraphForTests, http: httpx.Client, api_url: str
) -> None:
    results = similar_results(http, api_url, "contracts-finder", other=False)
    linked = [r for r in results if any(reason["kind"] == "LINKED" for reason in r["reasons"])]
    assert [r["item"]["id"] for r in linked] == ["uk-nap4-c4"]
    body = http.post(
        f"{api_url}/graphql",
        json={"query": SIMILAR_QUERY, "variables": {"to": "no-such-item", "other": False}},
    ).json()
    assert body["errors"][0]["message"] == "no commitment or practice has the id 'no-such-item'"


def test_connections_partner_network_and_lessons_by_theme_and_place(
    full_graph: GraphForTests, http: httpx.Client, api_url: str
) -> None:
    query = """{
      connections(from: "scottish-government", to: "cabinet-office") { steps { id } links { type forward } }
      body(id: "cabinet-office") { partnerNetwork(first: 3) { body { id } sharedCommitments } }
      lessons(theme: "fiscal-openness", jurisdiction: "uk") { id }
    }"""
    body = http.post(f"{api_url}/graphql", json={"query": query}).json()
    assert "errors" not in body, body
    paths = body["data"]["connections"]
    assert paths
    for path in paths:
        ids = [step["id"] for step in path["steps"]]
        assert (ids[0], ids[-1]) == ("scottish-government", "cabinet-office")
        assert len(path["links"]) == len(ids) - 1
        for (start, end), link in zip(itertools.pairwise(ids), path["links"], strict=True):
            first, second = (start, end) if link["forward"] else (end, start)
            assert (
                full_graph.query(
                    "MATCH (a {id: $a})-[r]->(b {id: $b}) WHERE type(r) = $type RETURN count(r) AS n",
                    a=first,
                    b=second,
                    type=link["type"],
                )[0]["n"]
                > 0
            )

    network = body["data"]["body"]["partnerNetwork"]
    counts = [p["sharedCommitments"] for p in network]
    assert counts == sorted(counts, reverse=True) and len(network) == 3
    top = network[0]
    assert top["sharedCommitments"] == full_graph.value(
        "MATCH (:Body {id: 'cabinet-office'})-[:LEADS|PARTNERS_IN]->(c)<-[:LEADS|PARTNERS_IN]-(:Body {id: $id}) "
        "RETURN count(DISTINCT c)",
        id=top["body"]["id"],
    )

    with (SEEDS_DIR / "themes.csv").open(encoding="utf-8", newline="") as handle:
        within = {"fiscal-openness"} | {
            t["id"] for t in csv.DictReader(handle) if t["broader"] == "fiscal-openness"
        }
    uk_places = {"uk", "england", "scotland", "wales", "northern-ireland"}
    with (SEEDS_DIR / "lessons.csv").open(encoding="utf-8", newline="") as handle:
        expected = {
            lesson["id"]
            for lesson in csv.DictReader(handle)
            if set(lesson["themes"].split(";")) & within
            and set(lesson["jurisdictions"].split(";")) & uk_places
        }
    assert expected
    assert {lesson["id"] for lesson in body["data"]["lessons"]} == expected


def test_irm_dashboards_match_the_file(
    full_graph: GraphForTests, http: httpx.Client, api_url: str
) -> None:
    query = """{
      irmSummary(jurisdiction: "uk") { commitments assessed byPotentialImpact { value count }
                                       byCompletionProgressReport { value count } }
      commitmentsByPlan(jurisdiction: "uk") { plan { id } year commitments }
    }"""
    body = http.post(f"{api_url}/graphql", json={"query": query}).json()
    assert "errors" not in body, body
    uk = [row for row in ogp_rows() if row["Country"] == "UK"]
    with NAP4_TEXT.open(encoding="utf-8") as handle:
        nap4_commitments = sum(1 for line in handle if re.match(r"^\d+\. ", line))
    with (SEEDS_DIR / "uk-nations-commitments.csv").open(encoding="utf-8", newline="") as handle:
        nations = Counter(row["plan_id"] for row in csv.DictReader(handle))
    assert nations["uk-nap4"] == nap4_commitments  # the text's commitments, not added twice
    summary = body["data"]["irmSummary"]
    assert summary["commitments"] == len(uk) + sum(nations.values())
    assert summary["assessed"] == sum(1 for row in uk if row["IRM Assessed (Y/N)?"] == "1")
    impacts = Counter(
        row["Potential impact"].lower()
        for row in uk
        if row["Potential impact"] not in ("ND", "NR", "NA")
    )
    assert {c["value"]: c["count"] for c in summary["byPotentialImpact"]} == dict(impacts)
    completion = Counter(
        row["Completion (progress report)"].split(". ")[-1].lower().replace(" ", "_")
        for row in uk
        if row["Completion (progress report)"] not in ("ND", "NR", "NA")
    )
    assert {c["value"]: c["count"] for c in summary["byCompletionProgressReport"]} == dict(
        completion
    )
    per_plan = Counter(f"uk-nap{row['Action Plan Number']}" for row in uk)
    per_plan.update(nations)
    assert {c["plan"]["id"]: c["commitments"] for c in body["data"]["commitmentsByPlan"]} == dict(
        per_plan
    )
    years = [c["year"] for c in body["data"]["commitmentsByPlan"]]
    assert years == sorted(years)


def corrupted_copy(tmp_path: Path, line: int, column: str, value: str) -> Path:
    """The OGP file with one cell replaced; `line` is the file's line number (header is line 2)."""
    with OGP.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[line - 1][rows[1].index(column)] = value
    path = tmp_path / OGP.name
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


@pytest.mark.parametrize(
    ("line", "column", "value", "reason"),
    [
        (1900, "Specificity", "d. very high", "unexpected value"),
        (40, "Action Plan Number", "first", "valid integer"),
        (1929, "Commitment Title", "", "at least 1 character"),
        (700, "Open Data", "yes", "expected 0, 1"),
    ],
)
def test_one_bad_row_refuses_the_whole_file_and_names_it(  # noqa: PLR0917
    full_graph: GraphForTests, tmp_path: Path, line: int, column: str, value: str, reason: str
) -> None:
    before = full_graph.snapshot()
    path = corrupted_copy(tmp_path, line, column, value)
    with pytest.raises(IngestError) as raised:
        load(full_graph, path)
    assert (raised.value.path, raised.value.line, raised.value.field) == (str(path), line, column)
    assert reason in raised.value.reason
    assert full_graph.snapshot() == before


PAGE_QUERY = """query ($first: Int!, $after: String, $sort: CommitmentSort!) {
  commitmentsConnection(first: $first, after: $after, sortBy: $sort, jurisdiction: "uk") {
    totalCount edges { cursor node { id title shortTitle } }
    pageInfo { hasNextPage hasPreviousPage endCursor } } }"""


def test_commitments_page_by_cursor_through_the_whole_list(
    full_graph: GraphForTests, http: httpx.Client, api_url: str
) -> None:
    expected = {
        row["id"]
        for row in full_graph.query(
            "MATCH (:Jurisdiction {id: 'uk'})<-[:PART_OF*0..]-(:Jurisdiction)"
            "<-[:FOR_JURISDICTION]-(:ActionPlan)-[:HAS_COMMITMENT]->(c) RETURN DISTINCT c.id AS id"
        )
    }
    seen: list[dict[str, Any]] = []
    after: str | None = None
    pages = 0
    while True:
        variables = {"first": 7, "after": after, "sort": "TITLE"}
        body = http.post(
            f"{api_url}/graphql", json={"query": PAGE_QUERY, "variables": variables}
        ).json()
        assert "errors" not in body, body
        page = body["data"]["commitmentsConnection"]
        assert page["totalCount"] == len(expected)
        assert page["pageInfo"]["hasPreviousPage"] == (pages > 0)
        seen += [edge["node"] for edge in page["edges"]]
        pages += 1
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert [node["id"] for node in seen if node["id"] in expected] == [node["id"] for node in seen]
    assert {node["id"] for node in seen} == expected and len(seen) == len(expected)
    assert pages == -(-len(expected) // 7)
    keys = [(node["shortTitle"] or node["title"]).lower() for node in seen]
    assert keys == sorted(keys)

    too_big = http.post(
        f"{api_url}/graphql",
        json={"query": PAGE_QUERY, "variables": {"first": 101, "sort": "TITLE"}},
    )
    assert "`first` must be between 1 and 100" in too_big.json()["errors"][0]["message"]


def test_a_page_with_three_nested_relations_takes_fixed_round_trips_however_many_items(
    full_graph: GraphForTests, http: httpx.Client, api_url: str
) -> None:
    compiled = """query ($first: Int!) { commitmentsConnection(first: $first) {
      edges { node { id leads { id } partners { role } themes { id } } } } }"""
    # A body's `resolution` is answered by its resolver, so this one goes the resolvers' way.
    resolved = compiled.replace("leads { id }", "leads { id resolution { rule } }")
    trips: dict[str, set[int]] = {"compiled": set(), "resolved": set()}
    for (path, query), first in itertools.product(
        (("compiled", compiled), ("resolved", resolved)), (5, 50)
    ):
        body = http.post(
            f"{api_url}/graphql", json={"query": query, "variables": {"first": first}}
        ).json()
        assert "errors" not in body, body
        nodes = [edge["node"] for edge in body["data"]["commitmentsConnection"]["edges"]]
        assert len(nodes) == first
        trips[path].add(body["extensions"]["roundTrips"])
        for node in nodes:
            assert [lead["id"] for lead in node["leads"]] == full_graph.value(
                "MATCH (b:Body)-[:LEADS]->(:Commitment {id: $id}) "
                "WITH b ORDER BY b.name RETURN collect(b.id)",
                id=node["id"],
            )
            assert sorted(theme["id"] for theme in node["themes"]) == full_graph.value(
                "MATCH (:Commitment {id: $id})-[:HAS_THEME]->(t) WITH t ORDER BY t.id "
                "RETURN collect(t.id)",
                id=node["id"],
            )
            assert sorted(p["role"].lower() for p in node["partners"]) == full_graph.value(
                "MATCH (:Body)-[r:PARTNERS_IN]->(:Commitment {id: $id}) WITH r ORDER BY r.role "
                "RETURN collect(r.role)",
                id=node["id"],
            )
    # Compiled: one statement shaped like the answer. Resolvers: the page, then each
    # relation batched for all items: as many trips for 50 items as for 5.
    assert trips["compiled"] == {1}
    assert len(trips["resolved"]) == 1 and 2 <= min(trips["resolved"]) <= 3


def test_each_nesting_level_costs_one_round_trip(
    full_graph: GraphForTests, http: httpx.Client, api_url: str
) -> None:
    query = """{ commitmentsConnection(first: 50) { edges { node {
      actionPlan { jurisdiction { id } } leads { jurisdiction { id } } lessons { id } } } } }"""
    body = http.post(f"{api_url}/graphql", json={"query": query}).json()
    assert "errors" not in body, body
    # One compiled statement, however deep.
    assert body["extensions"]["roundTrips"] == 1
    resolved = query.replace(
        "leads { jurisdiction { id } }", "leads { jurisdiction { id } resolution { rule } }"
    )
    body = http.post(f"{api_url}/graphql", json={"query": resolved}).json()
    assert "errors" not in body, body
    # Resolvers (a body's `resolution` is not compiled): the page; plans, leads and lessons; then
    # the places.
    assert body["extensions"]["roundTrips"] == 3
    places = {
        lead["jurisdiction"]["id"]
        for edge in body["data"]["commitmentsConnection"]["edges"]
        for lead in edge["node"]["leads"]
        if lead["jurisdiction"]
    }
    assert places and places <= set(full_graph.value("MATCH (j:Jurisdiction) RETURN collect(j.id)"))


def test_search_facets_narrow_by_place_within_place_and_by_narrower_theme(
    full_graph: GraphForTests, http: httpx.Client, api_url: str
) -> None:
    query = """query ($text: String!, $jurisdiction: ID, $theme: ID) {
      search(text: $text, first: 50, jurisdiction: $jurisdiction, theme: $theme) {
        __typename ... on Commitment { id } ... on Practice { id } ... on Lesson { id }
        ... on Body { id jurisdiction { id } } ... on Jurisdiction { id } ... on Theme { id }
        ... on ActionPlan { id } } }"""

    def hits(**variables: str) -> list[dict[str, Any]]:
        body = http.post(f"{api_url}/graphql", json={"query": query, "variables": variables}).json()
        assert "errors" not in body, body
        found: list[dict[str, Any]] = body["data"]["search"]
        return found

    scottish = hits(text="open contracting", jurisdiction="scotland")
    assert {"__typename": "Practice", "id": "open-contracting-scotland"} in scottish
    for hit in scottish:
        assert full_graph.value(
            "MATCH (n {id: $id}) RETURN EXISTS { MATCH (n)-[*1..5]->(:Jurisdiction {id: 'scotland'}) } "
            "OR EXISTS { MATCH (n)<-[:HAS_COMMITMENT]-(:ActionPlan)-[:FOR_JURISDICTION]->"
            "(:Jurisdiction)-[:PART_OF*0..]->(:Jurisdiction {id: 'scotland'}) } OR n.id = 'scotland'",
            id=hit["id"],
        ), hit
    # Scottish councils (the registers' bodies and the areas they govern), and the Scottish
    # plans' commitments that name councils: nothing from elsewhere.
    council_hits = hits(text="council", jurisdiction="scotland")
    councils = [hit for hit in council_hits if hit["__typename"] in {"Body", "Jurisdiction"}]
    assert any(
        hit["__typename"] == "Body" and (hit["jurisdiction"] or {}).get("id", "").startswith("la-")
        for hit in councils
    )
    assert all(
        hit["__typename"] == "Commitment" and hit["id"].startswith("scotland-")
        for hit in council_hits
        if hit not in councils
    )
    assert all(
        full_graph.value(
            "MATCH (n {id: $id}) RETURN EXISTS { MATCH (n)-[:BASED_IN|PART_OF*0..1]->(:Jurisdiction)"
            "-[:PART_OF*0..]->(:Jurisdiction {id: 'scotland'}) }",
            id=hit["id"],
        )
        for hit in councils
    )
    fiscal = hits(text="procurement contracts", theme="fiscal-openness")
    assert fiscal
    for hit in fiscal:
        assert full_graph.value(
            "MATCH (n {id: $id}) RETURN EXISTS { MATCH (n)-[:HAS_THEME]->(:Theme)"
            "-[:BROADER*0..]->(:Theme {id: 'fiscal-openness'}) } OR EXISTS { MATCH (n:Theme)"
            "-[:BROADER*0..]->(:Theme {id: 'fiscal-openness'}) }",
            id=hit["id"],
        ), hit
    unfaceted = {hit["id"] for hit in hits(text="procurement contracts")}
    assert unfaceted != {hit["id"] for hit in fiscal}


# Last: it empties the graph the module shares.
def test_search_narrows_by_irm_ratings(
    full_graph: GraphForTests, http: httpx.Client, api_url: str
) -> None:
    query = """query ($completion: Completion, $starred: Boolean, $specificity: Specificity) {
      search(text: "open data", first: 100, completion: $completion, starred: $starred,
             specificity: $specificity) { __typename ... on Commitment { id } } }"""

    def ids(**facets: Any) -> list[str]:
        body = http.post(f"{api_url}/graphql", json={"query": query, "variables": facets}).json()
        assert "errors" not in body, body
        return [hit["id"] for hit in body["data"]["search"] if hit["__typename"] == "Commitment"]

    unfaceted = ids()
    starred_complete = ids(completion="COMPLETE", starred=True)
    assert starred_complete and set(starred_complete) != set(unfaceted)
    for commitment in starred_complete:
        assert full_graph.value(
            "MATCH (c:Commitment {id: $id}) RETURN "
            "coalesce(c.completionEndOfTerm, c.completionProgressReport) = 'complete' "
            "AND (coalesce(c.starredEndOfTerm, false) OR coalesce(c.starredProgressReport, false))",
            id=commitment,
        ), commitment
    specific = ids(specificity="HIGH")
    assert specific
    assert all(
        full_graph.value("MATCH (c:Commitment {id: $id}) RETURN c.specificity", id=c) == "high"
        for c in specific
    )


LISTS_AND_CONNECTIONS = [
    ("actionPlans", "actionPlansConnection", ""),
    ("bodies", "bodiesConnection", ""),
    ("bodies(kind: NETWORK)", "bodiesConnection", "kind: NETWORK"),
    ("jurisdictions", "jurisdictionsConnection", ""),
    ("practices", "practicesConnection", ""),
    ("lessons", "lessonsConnection", ""),
    ('lessons(jurisdiction: "uk")', "lessonsConnection", 'jurisdiction: "uk"'),
    ("standards", "standardsConnection", ""),
    ("themes", "themesConnection", ""),
    ('themes(scheme: "ogp-values")', "themesConnection", 'scheme: "ogp-values"'),
]


@pytest.mark.parametrize(("list_field", "connection", "filters"), LISTS_AND_CONNECTIONS)
def test_every_list_pages_by_cursor_in_the_order_of_the_whole_list(
    full_graph: GraphForTests,
    http: httpx.Client,
    api_url: str,
    *,
    list_field: str,
    connection: str,
    filters: str,
) -> None:
    whole = http.post(f"{api_url}/graphql", json={"query": f"{{ {list_field} {{ id }} }}"}).json()
    assert "errors" not in whole, whole
    expected = [item["id"] for item in next(iter(whole["data"].values()))]
    assert expected
    size = min(100, max(1, len(expected) // 3))
    query = (
        "query ($first: Int!, $after: String) { page: "
        + connection
        + "(first: $first, after: $after"
        + (", " + filters if filters else "")
        + ") { totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }"
    )
    seen: list[str] = []
    after = None
    while True:
        body = http.post(
            f"{api_url}/graphql",
            json={"query": query, "variables": {"first": size, "after": after}},
        ).json()
        assert "errors" not in body, body
        page = body["data"]["page"]
        assert page["totalCount"] == len(expected)
        assert len(page["edges"]) <= size
        seen += [edge["node"]["id"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]
        after = page["pageInfo"]["endCursor"]
    assert seen == expected


def test_total_count_costs_a_query_only_when_asked_for(
    full_graph: GraphForTests, http: httpx.Client, api_url: str
) -> None:
    def trips(fields: str) -> int:
        body = http.post(
            f"{api_url}/graphql", json={"query": f"{{ bodiesConnection(first: 5) {{ {fields} }} }}"}
        ).json()
        assert "errors" not in body, body
        count: int = body["extensions"]["roundTrips"]
        return count

    # Compiled, the count is a subquery of the page's one statement, only when asked for.
    assert trips("edges { node { id } }") == 1
    assert trips("totalCount edges { node { id } }") == 1
    # Through the resolvers (a body's `resolution` is not compiled) it is a query of its own.
    assert trips("edges { node { id resolution { rule } } }") == 1
    assert trips("totalCount edges { node { id resolution { rule } } }") == 2


def test_bodies_sort_by_most_commitments(
    full_graph: GraphForTests, http: httpx.Client, api_url: str
) -> None:
    query = (
        """{ bodiesConnection(first: 10, sortBy: MOST_COMMITMENTS) { edges { node { id } } } }"""
    )
    body = http.post(f"{api_url}/graphql", json={"query": query}).json()
    assert "errors" not in body, body
    ids = [edge["node"]["id"] for edge in body["data"]["bodiesConnection"]["edges"]]
    involved = full_graph.value(
        "UNWIND $ids AS id MATCH (b:Body {id: id}) "
        "RETURN collect(COUNT { (b)-[:LEADS|PARTNERS_IN]->(:Commitment) })",
        ids=ids,
    )
    assert involved == sorted(involved, reverse=True) and involved[0] > involved[-1]
    most = full_graph.value(
        "MATCH (b:Body) RETURN max(COUNT { (b)-[:LEADS|PARTNERS_IN]->(:Commitment) })"
    )
    assert involved[0] == most


def test_contact_columns_never_reach_the_graph(graph: GraphForTests, tmp_path: Path) -> None:
    with OGP.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[1]
    secrets = {
        "Contact Name": "Jane Example",
        "Contact Email": "jane@example.org",
        "Contact Telephone": "+44 20 7946 0000",
        "Contact Position": "Head of Secret Things",
    }
    for cells in rows[2:]:
        for column, secret in secrets.items():
            cells[header.index(column)] = secret
    path = tmp_path / OGP.name
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    load(graph, path)
    assert graph.value("MATCH (c:Commitment) RETURN count(c)") == 1927
    for secret in secrets.values():
        found = graph.query(
            "MATCH (n) UNWIND keys(n) AS key WITH n, key, n[key] AS value "
            "WHERE any(v IN CASE WHEN value IS :: LIST<ANY> THEN value ELSE [value] END "
            "          WHERE toString(v) CONTAINS $secret) "
            "RETURN labels(n)[0] AS label, key LIMIT 1",
            secret=secret,
        )
        assert found == []
        in_relationships = graph.query(
            "MATCH ()-[r]->() UNWIND keys(r) AS key WITH r, key, r[key] AS value "
            "WHERE any(v IN CASE WHEN value IS :: LIST<ANY> THEN value ELSE [value] END "
            "          WHERE toString(v) CONTAINS $secret) "
            "RETURN type(r) AS type LIMIT 1",
            secret=secret,
        )
        assert in_relationships == []


def _coded(case: dict[str, Any]) -> list[tuple[str, str]]:
    """A Participedia case's coded values, as (field, value)."""
    fields = ("decision_methods", "if_voting", "issues", "specific_topics", "tags")
    return [(field, value) for field in (*fields, "scope_of_influence") for value in case[field]]
