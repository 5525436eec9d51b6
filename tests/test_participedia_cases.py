"""Participedia's case library (seeds/participedia-*.{json,csv}) through the real ingest and the API."""

import csv
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from neo4j import Driver

from graph.database import Database
from graph.relationships import PRACTICE_HAS_THEME, PRACTICE_PRACTISED_IN
from graph.vocabulary import Label
from graph.writes import GraphBatch
from ingest.context import IngestContext
from ingest.errors import IngestError
from ingest.kinds.participedia_cases import (
    CASES_FILE,
    TERMS_FILE,
    TITLES_FILE,
    is_untitled_name,
)
from ingest.loader import Ingestion, build_batch, ingest_file, seed_files
from ingest.places import PLACE_NAMES_FILE
from ogkg.settings import Settings
from tests.conftest import SEEDS_DIR, GraphForTests, every_seed_loaded

CASES = SEEDS_DIR / CASES_FILE
TITLES = SEEDS_DIR / TITLES_FILE
LICENCE = "CC BY-NC-SA 3.0"


def cases() -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = json.loads(CASES.read_text(encoding="utf-8"))
    return loaded


def case(case_id: str) -> dict[str, Any]:
    return next(item for item in cases() if item["id"] == case_id)


def titles() -> dict[str, str]:
    with TITLES.open(encoding="utf-8", newline="") as handle:
        return {row["case_id"]: row["title"] for row in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def batch() -> GraphBatch:
    return build_batch(CASES, SEEDS_DIR, IngestContext(SEEDS_DIR))


def placed(batch: GraphBatch) -> dict[str, str]:
    return {row.start_id: row.end_id for row in batch.relationship_rows(PRACTICE_PRACTISED_IN)}


def note(batch: GraphBatch, what: str) -> str:
    found = [text for text in batch.notes if what in text]
    assert len(found) == 1, batch.notes
    return found[0]


# -- the batch, from the real file ---------------------------------------------------------------


def test_every_case_is_a_practice_named_by_its_english_title(batch: GraphBatch) -> None:
    practices = batch.nodes[Label.PRACTICE]
    assert len(practices) == len(cases()) == 809
    named = titles()
    for item in cases():
        node = practices[f"participedia-case-{item['id']}"]
        assert node.properties["participediaId"] == item["id"]
        assert node.properties["url"] == f"https://participedia.net/case/{item['id']}"
        assert node.location == f"case {item['id']}"
        name = str(node.properties["name"])
        if item["id"] in named:
            assert name == named[item["id"]].strip()
        else:
            assert name.startswith(f"Participedia case {item['id']} (untitled): ")
        # `similar` leaves out the words of a name ogkg made (ingest/similarity.py).
        assert is_untitled_name(name) is (item["id"] not in named)
    untitled = practices["participedia-case-4797"].properties
    assert untitled["name"] == (
        "Participedia case 4797 (untitled): Participatory Budgeting in Newcastle Upon Tyne, "
        "United Kingdom"
    )


def test_dates_scale_methods_and_topics_are_readable(batch: GraphBatch) -> None:
    first = batch.nodes[Label.PRACTICE]["participedia-case-1"].properties
    source = case("1")
    assert (first["startYear"], first["endYear"]) == (2004, 2005)
    assert first["ongoing"] is source["ongoing"] is False
    assert first["numberOfParticipants"] == source["number_of_participants"] == 160
    assert first["methods"] == ["Voting", "Plurality"]
    assert first["topics"] == [
        "Governance and political institutions (constitutions, legal systems, electoral systems)"
    ]
    assert first["scopes"] == ["Region (state, province, autonomous region)"]
    for node in batch.nodes[Label.PRACTICE].values():
        assert "Not applicable" not in node.properties["methods"]  # type: ignore[operator]
        assert not any("_" in str(value) for value in node.properties["topics"])  # type: ignore[union-attr]


def test_no_address_or_postal_code_is_stored(batch: GraphBatch) -> None:
    addresses = {
        value
        for item in cases()
        for value in (item["address1"], item["address2"], item["postal_code"])
        if len(value.strip()) >= 8 and any(c.isalpha() for c in value)  # not a bare number
    }
    assert len(addresses) > 50  # the export does hold venue addresses
    for node in batch.nodes[Label.PRACTICE].values():
        assert not set(node.properties) & {"address1", "address2", "postalCode", "postal_code"}
        assert not {str(v) for v in node.properties.values()} & addresses


def test_participatory_budgeting_is_the_one_theme_every_source_uses(batch: GraphBatch) -> None:
    themed = {row.start_id for row in batch.relationship_rows(PRACTICE_HAS_THEME)
              if row.end_id == "participatory-budgeting"}  # fmt: skip
    tagged = {
        f"participedia-case-{item['id']}"
        for item in cases()
        if "Participatory Budgeting" in item["tags"]
    }
    assert themed == tagged and len(tagged) == 75
    with (SEEDS_DIR / "uk-nations-policy-areas.csv").open(encoding="utf-8") as handle:
        areas = {row["policy_area"]: row["theme"] for row in csv.DictReader(handle)}
    assert areas["participatory budgeting"] == "participatory-budgeting"
    with (SEEDS_DIR / "themes.csv").open(encoding="utf-8") as handle:
        columns = {row["column"]: row["id"] for row in csv.DictReader(handle)}
    assert columns["Participatory Budgeting"] == "participatory-budgeting"
    # Values no theme means stay on the practice as topics, themeless.
    economics = [p for p in cases() if p["issues"] == ["economics"] and not p["tags"]
                 and not p["specific_topics"]]  # fmt: skip
    assert economics
    node = batch.nodes[Label.PRACTICE][f"participedia-case-{economics[0]['id']}"]
    assert node.properties["topics"] == ["Economics"]


@pytest.mark.parametrize(
    ("case_id", "jurisdiction"),
    [
        ("1184", "la-edh"),  # Edinburgh → City of Edinburgh
        ("26", "la-twh"),  # London, venue Tower Hamlets → the borough, within Greater London
        ("1187", "la-man"),  # Manchester within "Manchester (Greater)"
        ("1186", "la-net"),  # city "Newcastle" matches nothing; its venue names Newcastle upon Tyne
        ("1390", "la-fif"),  # province Fife
        ("1385", "la-bgw"),  # Blaenau Gwent, in Wales
        ("77", "scotland"),  # names only Scotland
        ("85", "northern-ireland"),  # seven towns in one field, and Northern Ireland
        ("1", "canada"),  # a country of the OGP file
        ("2", "usa"),  # "United States", the OGP file's "USA" (seeds/place-names.csv)
        ("12", "germany"),  # a country no register holds, added
    ],
)
def test_cases_are_placed_in_the_most_precise_jurisdiction(
    batch: GraphBatch, case_id: str, jurisdiction: str
) -> None:
    assert placed(batch)[f"participedia-case-{case_id}"] == jurisdiction


def test_unmatched_ambiguous_and_conflicting_places_are_reported(batch: GraphBatch) -> None:
    assert case("1400")["city"] == "Dunblane" and case("1400")["province"] == "Stirlingshire"
    coarse = note(batch, "cases placed in a nation or country only")
    assert "case 1400 (city 'Dunblane'; province 'Stirlingshire') in uk" in coarse
    # Cumbria's county council ended in 2023: the register's current authorities do not hold it.
    assert "case 1388 (province 'Cumbria') in uk" in coarse
    assert placed(batch)["participedia-case-1400"] == "uk"
    conflicting = note(batch, "place names naming other authorities")
    assert "case 4422: placed in Stoke-on-Trent, also named Greater London" in conflicting
    towns = note(batch, "cities matching no local authority")
    assert "case 1196: 'Dulverton' in la-smt" in towns
    unplaced = note(batch, "cases naming no country")
    no_country = [item["id"] for item in cases() if not item["country"].strip()]
    assert len(no_country) == 32
    assert all(f"case {case_id};" in unplaced + ";" for case_id in no_country)
    assert not {f"participedia-case-{case_id}" for case_id in no_country} & set(placed(batch))
    added = note(batch, "countries no register holds, added")
    assert "Germany (germany)" in added and "Canada" not in added
    assert batch.nodes[Label.JURISDICTION]["germany"].properties["level"] == "country"
    assert "canada" not in batch.nodes[Label.JURISDICTION]  # the OGP file's, only linked


# -- refusals --------------------------------------------------------------------------------------


def seeds_with(tmp_path: Path, name: str, edit: Callable[[str], str]) -> Path:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, seeds)
    path = seeds / name
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return seeds


def edited_case(case_id: str, change: Callable[[dict[str, Any]], None]) -> Callable[[str], str]:
    def edit(text: str) -> str:
        items = json.loads(text)
        change(next(item for item in items if item["id"] == case_id))
        # One case a line, so the refusal's line number can be checked.
        return "[\n" + ",\n".join(json.dumps(item) for item in items) + "\n]\n"

    return edit


def position(case_id: str) -> int:
    return [item["id"] for item in cases()].index(case_id) + 1


@pytest.mark.parametrize(
    ("case_id", "change", "field", "reason"),
    [
        ("26", lambda item: item.pop("id"), "id", "Field required"),
        ("26", lambda item: item.update(number_of_participants="many"), "number_of_participants",
         "valid integer"),
        ("1184", lambda item: item.update(tags="Participatory Budgeting"), "tags", "valid list"),
        ("77", lambda item: item.update(start_date="last spring"), "start_date", "pattern"),
        ("1", lambda item: item.update(ongoing="yes"), "ongoing", "valid boolean"),
    ],
)  # fmt: skip
def test_a_bad_case_is_refused_naming_file_line_case_and_field(
    tmp_path: Path, case_id: str, change: Callable[[dict[str, Any]], None], field: str, reason: str
) -> None:
    seeds = seeds_with(tmp_path, CASES_FILE, edited_case(case_id, change))
    with pytest.raises(IngestError) as refused:
        build_batch(seeds / CASES_FILE, seeds)
    error = refused.value
    assert (Path(error.path).name, error.line, error.field) == (
        CASES_FILE,
        position(case_id) + 1,
        field,
    )
    assert f"item {position(case_id)}" in error.reason and reason in error.reason
    if field != "id":
        assert f"case {case_id} " in error.reason


def test_malformed_json_is_refused_with_its_line_and_column(tmp_path: Path) -> None:
    column = 0

    def unquote_a_value(text: str) -> str:
        nonlocal column
        lines = edited_case("1", lambda item: None)(text).splitlines()
        lines[5] = lines[5].replace('"type": "case"', '"type": case', 1)  # the fifth case
        column = lines[5].index('"type": case') + len('"type": ') + 1
        return "\n".join(lines)

    seeds = seeds_with(tmp_path, CASES_FILE, unquote_a_value)
    with pytest.raises(IngestError) as refused:
        build_batch(seeds / CASES_FILE, seeds)
    assert refused.value.line == 6 and "malformed JSON" in refused.value.reason
    assert f"(column {column})" in refused.value.reason


def test_two_different_cases_with_one_id_are_refused(tmp_path: Path) -> None:
    seeds = seeds_with(tmp_path, CASES_FILE, edited_case("2", lambda item: item.update(id="1")))
    with pytest.raises(IngestError) as refused:
        build_batch(seeds / CASES_FILE, seeds)
    assert refused.value.field == "id" and "case 1 (item 2) differs from item 1" in str(
        refused.value
    )


@pytest.mark.parametrize(
    ("name", "edit", "line", "field"),
    [
        (TERMS_FILE, lambda text: text.replace(",Voting,", ",Voting,no-such-theme", 1), None,
         "theme"),
        (PLACE_NAMES_FILE, lambda text: text.replace(",la-gla,", ",la-nowhere,", 1), 3,
         "jurisdiction"),
        (PLACE_NAMES_FILE, lambda text: text + "Edinburgh,scotland,wrong\n", 5, "name"),
    ],
)  # fmt: skip
def test_a_bad_table_row_is_refused(
    tmp_path: Path, name: str, edit: Callable[[str], str], line: int | None, field: str
) -> None:
    seeds = seeds_with(tmp_path, name, edit)
    with pytest.raises(IngestError) as refused:
        build_batch(seeds / CASES_FILE, seeds)
    assert Path(refused.value.path).name == name and refused.value.field == field
    if line is not None:
        assert refused.value.line == line


# -- the graph and the API -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeded(settings: Settings, sync_driver: Driver) -> Iterator[GraphForTests]:
    yield every_seed_loaded(settings, sync_driver)


def test_the_seed_loads_the_cases_once(seeded: GraphForTests) -> None:
    assert CASES in seed_files(SEEDS_DIR)
    assert (
        seeded.value("MATCH (p:Practice) WHERE p.participediaId IS NOT NULL RETURN count(p)") == 809
    )
    assert seeded.value("MATCH (:Source {id: 'participedia-cases-2018'}) RETURN 'x'") == "x"


def graphql(http: httpx.Client, api_url: str, query: str) -> dict[str, Any]:
    response = http.post(f"{api_url}/graphql", json={"query": query})
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


def test_a_case_shows_its_page_licence_place_and_themes(
    seeded: GraphForTests, http: httpx.Client, api_url: str
) -> None:
    data = graphql(
        http,
        api_url,
        """{ practice(id: "participedia-case-1276") {
        name participediaId url startYear endYear ongoing numberOfParticipants methods topics scopes
        jurisdictions { id name level } themes { id }
        sources { id title publisher licence location } } }""",
    )
    practice = data["practice"]
    assert practice["name"] == titles()["1276"]
    assert practice["participediaId"] == "1276"
    assert practice["url"] == "https://participedia.net/case/1276"
    assert practice["jurisdictions"] == [
        {"id": "la-lut", "name": "Luton", "level": "LOCAL_AUTHORITY"}
    ]
    assert {"participatory-budgeting", "sub-national"} <= {t["id"] for t in practice["themes"]}
    assert "Participatory Budgeting" in practice["topics"]
    [source] = practice["sources"]
    assert source["id"] == "participedia-cases-2018" and source["location"] == "case 1276"
    assert source["publisher"] == "Participedia" and LICENCE in source["licence"]


def scotland_pb_commitment() -> str:
    with (SEEDS_DIR / "uk-nations-commitments.csv").open(encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle) if r["ogp_id"] == "SCO0004")
    assert "participatory budgeting" in row["policy_areas"]
    return f"{row['plan_id']}-c{row['number']}"


def test_scotlands_pb_commitment_finds_councils_pb_cases(
    seeded: GraphForTests, http: httpx.Client, api_url: str
) -> None:
    commitment = scotland_pb_commitment()
    data = graphql(
        http,
        api_url,
        f"""{{ similar(to: "{commitment}", first: 20,
        inOtherJurisdictions: true) {{ score
          item {{ __typename ... on Practice {{ id participediaId
            jurisdictions {{ id level }} themes {{ id }} }} }} }} }}""",
    )
    cases_found = [r["item"] for r in data["similar"] if r["item"]["__typename"] == "Practice"
                   and r["item"]["participediaId"]]  # fmt: skip
    council_pb = [
        item for item in cases_found
        if any(j["level"] == "LOCAL_AUTHORITY" for j in item["jurisdictions"])
        and {"id": "participatory-budgeting"} in item["themes"]
    ]  # fmt: skip
    assert council_pb, data
    uk_councils = {
        row["id"]
        for row in seeded.query(
            "MATCH (j:Jurisdiction {level: 'local_authority'})-[:PART_OF*]->(:Jurisdiction {id: 'uk'}) "
            "RETURN j.id AS id"
        )
    }
    assert all(j["id"] in uk_councils for item in council_pb for j in item["jurisdictions"])


def test_searching_participatory_budgeting_finds_cases(
    seeded: GraphForTests, http: httpx.Client, api_url: str
) -> None:
    data = graphql(
        http,
        api_url,
        """{ search(text: "participatory budgeting", first: 30) {
        __typename ... on Practice { id participediaId name } ... on Commitment { id } } }""",
    )
    found = [hit for hit in data["search"] if hit["__typename"] == "Practice"]
    assert any(hit["participediaId"] for hit in found), data
    assert any(hit["id"] == "participedia-case-1226" for hit in found)  # "… in Wigan"


def test_a_refused_file_writes_nothing(tmp_path: Path, seeded: GraphForTests) -> None:
    graph = seeded
    before = graph.snapshot()
    seeds = seeds_with(
        tmp_path, CASES_FILE, edited_case("5100", lambda item: item.update(country=7))
    )

    async def work(database: Database) -> Ingestion:
        return await ingest_file(database, seeds / CASES_FILE, seeds)

    with pytest.raises(IngestError) as refused:
        graph.run(work)
    assert refused.value.field == "country"
    assert graph.snapshot() == before
