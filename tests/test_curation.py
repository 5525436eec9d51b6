"""Curation over real HTTP with real tokens: roles, review, history, revert, conflicts, re-ingest."""

import asyncio
import csv
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from neo4j import Driver

from api.principal import Role
from graph.database import Database
from ingest.loader import ingest_file, load_seeds
from ogkg.settings import Settings
from ogkg.signing_key import load_signing_key
from ogkg.tokens import issue_token
from tests.conftest import (
    GENEROUS_RATE_LIMITS,
    SEEDS_DIR,
    neo4j_settings,
    run_with_database,
    start_server,
)
from tests.neo4j_server import Neo4jForTests

RESULT = """
  __typename
  ... on Applied { revision { version action actor } changeSet { id status author }
                   lesson { id version statement commitments { id } practices { id } }
                   practice { id version name } }
  ... on Proposed { changeSet { id status author entityId } }
  ... on Conflict { message currentVersion current { field value } }
  ... on ValidationError { field message }
"""
LESSON_FIELDS = "id version statement evidence { sourceId location } commitments { id } practices { id } themes { id }"
STATEMENT = "Publishing contracts openly needs a named owner in every council to last."


@dataclass
class Curation:
    url: str
    settings: Settings
    driver: Driver

    def token(self, subject: str, *roles: Role) -> str:
        return issue_token(
            load_signing_key(self.settings), subject, roles, display_name=subject.title(),
            ttl=timedelta(hours=1),
        )  # fmt: skip

    def ask(self, query: str, token: str | None = None, **variables: Any) -> dict[str, Any]:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        response = httpx.post(
            self.url, json={"query": query, "variables": variables}, headers=headers, timeout=60
        )
        body: dict[str, Any] = response.json()
        return body

    def value(self, cypher: Any, **parameters: Any) -> Any:
        records, _, _ = self.driver.execute_query(cypher, parameters)
        return records[0][0]

    def bookkeeping(self) -> tuple[int, int, int]:
        return (
            self.value("MATCH (n:Revision) RETURN count(n)"),
            self.value("MATCH (n:ChangeSet) RETURN count(n)"),
            self.value("MATCH (n:Lesson) RETURN count(n)"),
        )


@pytest.fixture(scope="module")
def curation(
    neo4j_server: Neo4jForTests, sync_driver: Driver, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Curation]:
    sync_driver.execute_query("MATCH (n) DETACH DELETE n")
    settings = Settings(
        neo4j=neo4j_settings(neo4j_server),
        seeds_dir=SEEDS_DIR,
        port=0,
        home=tmp_path_factory.mktemp("home"),
        **GENEROUS_RATE_LIMITS,
    )

    async def seed(database: Database) -> None:
        await load_seeds(database, SEEDS_DIR)

    run_with_database(settings, seed)
    running = start_server(settings)
    try:
        yield Curation(f"{running.url}/graphql", settings, sync_driver)
    finally:
        running.stop()


def create_lesson(curation: Curation, token: str, **extra: Any) -> dict[str, Any]:
    query = f"""mutation($input: LessonInput!) {{ createLesson(input: $input) {{ {RESULT} }} }}"""
    lesson = {
        "statement": STATEMENT,
        "evidence": {"sourceId": "ogp-irm-commitments-2016", "location": "line 1700"},
        "commitments": ["uk-nap2-c16"],
        "practices": ["contracts-finder"],
        **extra,
    }
    return curation.ask(query, token, input=lesson)["data"]["createLesson"]  # type: ignore[no-any-return]


def update_lesson(
    curation: Curation, token: str, lesson_id: str, version: int, statement: str
) -> dict[str, Any]:
    query = f"""mutation($id: ID!, $v: Int!, $s: String!) {{
      updateLesson(id: $id, expectedVersion: $v, input: {{statement: $s}}) {{ {RESULT} }} }}"""
    return curation.ask(query, token, id=lesson_id, v=version, s=statement)["data"]["updateLesson"]  # type: ignore[no-any-return]


def lesson(curation: Curation, lesson_id: str) -> dict[str, Any] | None:
    found = curation.ask(
        f"query($id: ID!) {{ lesson(id: $id) {{ {LESSON_FIELDS} }} }}", id=lesson_id
    )
    return found["data"]["lesson"]  # type: ignore[no-any-return]


def history(curation: Curation, entity_id: str) -> list[dict[str, Any]]:
    query = """query($id: ID!) { history(id: $id) { version action actor actorName changeSetId
      sequence changes { field before after } } }"""
    return curation.ask(query, id=entity_id)["data"]["history"]  # type: ignore[no-any-return]


def test_a_coordinator_records_a_lesson_linked_to_a_practice_and_a_commitment(
    curation: Curation,
) -> None:
    coordinator = curation.token("scotland-coordinator", Role.COORDINATOR)
    result = create_lesson(curation, coordinator)
    assert result["__typename"] == "Applied", result
    assert result["revision"] == {"version": 1, "action": "CREATE", "actor": "scotland-coordinator"}
    created = result["lesson"]
    assert created["statement"] == STATEMENT and created["version"] == 1
    assert created["commitments"] == [{"id": "uk-nap2-c16"}]
    assert created["practices"] == [{"id": "contracts-finder"}]
    (revision,) = history(curation, created["id"])
    assert revision["actorName"] == "Scotland-Coordinator"
    changes = {change["field"]: change for change in revision["changes"]}
    assert json.loads(changes["statement"]["after"]) == STATEMENT
    assert json.loads(changes["commitments"]["after"]) == ["uk-nap2-c16"]


def test_unknown_links_and_short_statements_are_validation_errors(curation: Curation) -> None:
    coordinator = curation.token("coordinator", Role.COORDINATOR)
    before = curation.bookkeeping()
    unknown = create_lesson(curation, coordinator, commitments=["no-such-commitment"])
    assert unknown["__typename"] == "ValidationError" and unknown["field"] == "commitments"
    short = create_lesson(curation, coordinator, statement="Too short")
    assert short == {
        "__typename": "ValidationError",
        "field": "statement",
        "message": "a lesson states its finding in at least 20 characters",
    }
    assert curation.bookkeeping() == before


@pytest.mark.parametrize(
    ("roles", "code"),
    [(None, "UNAUTHENTICATED"), ((), "FORBIDDEN")],
)
def test_without_a_role_nothing_changes(
    curation: Curation, roles: tuple[Role, ...] | None, code: str
) -> None:
    token = None if roles is None else curation.token("reader", *roles)
    before = curation.bookkeeping()
    query = f"""mutation($input: LessonInput!) {{ createLesson(input: $input) {{ {RESULT} }} }}"""
    answer = curation.ask(
        query,
        token,
        input={"statement": STATEMENT, "evidence": {"sourceId": "lessons", "location": "line 2"}},
    )
    assert answer["errors"][0]["extensions"]["code"] == code
    assert curation.bookkeeping() == before


def test_the_role_matrix(curation: Curation) -> None:
    """Contributors propose; coordinators and admins apply, review and revert; others cannot."""
    contributor = curation.token("contributor", Role.CONTRIBUTOR)
    coordinator = curation.token("coordinator", Role.COORDINATOR)
    admin = curation.token("admin", Role.ADMIN)
    assert create_lesson(curation, contributor)["__typename"] == "Proposed"
    assert create_lesson(curation, coordinator)["__typename"] == "Applied"
    assert create_lesson(curation, admin)["__typename"] == "Applied"
    for mutation in (
        'reviewChangeSet(id: "x", decision: APPROVE) { __typename }',
        'revert(id: "x", toVersion: 1) { __typename }',
    ):
        before = curation.bookkeeping()
        refused = curation.ask(f"mutation {{ {mutation} }}", contributor)
        assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN", mutation
        anonymous = curation.ask(f"mutation {{ {mutation} }}")
        assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", mutation
        assert curation.bookkeeping() == before


def test_a_contributors_proposal_changes_nothing_until_a_coordinator_approves(
    curation: Curation,
) -> None:
    contributor = curation.token("welsh-practitioner", Role.CONTRIBUTOR)
    coordinator = curation.token("coordinator", Role.COORDINATOR)
    seeded = lesson(curation, "uk-nap2-open-contracting-minor-impact")
    assert seeded is not None
    corrected = seeded["statement"] + " (Corrected by a practitioner.)"
    proposed = update_lesson(curation, contributor, seeded["id"], seeded["version"], corrected)
    assert proposed["__typename"] == "Proposed"
    assert proposed["changeSet"]["status"] == "SUBMITTED"
    assert lesson(curation, seeded["id"]) == seeded
    queue = curation.ask("{ changeSets(status: SUBMITTED) { id entityId author } }")
    assert {"id": proposed["changeSet"]["id"], "entityId": seeded["id"],
            "author": "welsh-practitioner"} in queue["data"]["changeSets"]  # fmt: skip
    review = f"""mutation($id: ID!) {{ reviewChangeSet(id: $id, decision: APPROVE,
      comment: "Checked against the IRM report") {{ {RESULT} }} }}"""
    approved = curation.ask(review, coordinator, id=proposed["changeSet"]["id"])
    applied = approved["data"]["reviewChangeSet"]
    assert applied["__typename"] == "Applied"
    assert applied["lesson"]["statement"] == corrected
    assert applied["revision"]["actor"] == "welsh-practitioner"
    again = curation.ask(review, coordinator, id=proposed["changeSet"]["id"])
    assert again["data"]["reviewChangeSet"]["__typename"] == "ValidationError"
    actions = [revision["action"] for revision in history(curation, seeded["id"])]
    assert actions == ["BASELINE", "UPDATE"]


def test_an_approval_racing_an_edit_is_a_conflict_not_an_overwrite(curation: Curation) -> None:
    contributor = curation.token("contributor", Role.CONTRIBUTOR)
    coordinator = curation.token("coordinator", Role.COORDINATOR)
    created = create_lesson(curation, coordinator)["lesson"]
    proposed = update_lesson(curation, contributor, created["id"], 1, STATEMENT + " Proposed.")
    edited = update_lesson(curation, coordinator, created["id"], 1, STATEMENT + " Edited.")
    assert edited["__typename"] == "Applied"
    review = (
        f"""mutation($id: ID!) {{ reviewChangeSet(id: $id, decision: APPROVE) {{ {RESULT} }} }}"""
    )
    raced = curation.ask(review, coordinator, id=proposed["changeSet"]["id"])["data"]
    assert raced["reviewChangeSet"]["__typename"] == "Conflict"
    assert raced["reviewChangeSet"]["currentVersion"] == 2
    current = lesson(curation, created["id"])
    assert current is not None and current["statement"] == STATEMENT + " Edited."
    queue = curation.ask("{ changeSets(status: SUBMITTED, first: 100) { id } }")
    assert {"id": proposed["changeSet"]["id"]} in queue["data"]["changeSets"]


def test_fifty_concurrent_updates_of_one_version_apply_exactly_once(curation: Curation) -> None:
    coordinator = curation.token("coordinator", Role.COORDINATOR)
    created = create_lesson(curation, coordinator)["lesson"]
    query = f"""mutation($id: ID!, $s: String!) {{
      updateLesson(id: $id, expectedVersion: 1, input: {{statement: $s}}) {{ {RESULT} }} }}"""

    async def race() -> list[dict[str, Any]]:
        async with httpx.AsyncClient(timeout=120) as client:
            responses = await asyncio.gather(
                *(
                    client.post(
                        curation.url,
                        json={
                            "query": query,
                            "variables": {"id": created["id"], "s": f"{STATEMENT} Edit {n}."},
                        },
                        headers={"authorization": f"Bearer {coordinator}"},
                    )
                    for n in range(50)
                )
            )
        return [response.json()["data"]["updateLesson"] for response in responses]

    results = asyncio.run(race())
    kinds = [result["__typename"] for result in results]
    assert kinds.count("Applied") == 1 and kinds.count("Conflict") == 49
    winner = next(result for result in results if result["__typename"] == "Applied")
    current = lesson(curation, created["id"])
    assert current is not None
    assert current["version"] == 2 and current["statement"] == winner["lesson"]["statement"]
    assert [r["version"] for r in history(curation, created["id"])] == [1, 2]


def test_history_replays_to_every_past_state_and_revert_brings_one_back(
    curation: Curation,
) -> None:
    coordinator = curation.token("coordinator", Role.COORDINATOR)
    created = create_lesson(curation, coordinator)["lesson"]
    states = {1: lesson(curation, created["id"])}
    rng = random.Random(7)
    link = """mutation($id: ID!, $r: CuratedRelation!, $t: ID!, $v: Int) {
      linkLesson(id: $id, relation: $r, targetId: $t, expectedVersion: $v) { __typename } }"""
    unlink = link.replace("linkLesson", "unlinkLesson")
    version = 1
    for step in range(8):
        choice = rng.choice(("statement", "link", "unlink"))
        current = states[version]
        assert current is not None
        if choice == "statement":
            result = update_lesson(
                curation, coordinator, created["id"], version, f"{STATEMENT} Step {step}."
            )
            assert result["__typename"] == "Applied"
        elif choice == "link" or not current["themes"]:
            theme = rng.choice(["public-procurement", "access-to-information", "anti-corruption"])
            answer = curation.ask(
                link, coordinator, id=created["id"], r="THEME", t=theme, v=version
            )
            if answer["data"]["linkLesson"]["__typename"] != "Applied":
                continue  # already linked: nothing changed
        else:
            theme = current["themes"][0]["id"]
            answer = curation.ask(
                unlink, coordinator, id=created["id"], r="THEME", t=theme, v=version
            )
            assert answer["data"]["unlinkLesson"]["__typename"] == "Applied"
        version += 1
        states[version] = lesson(curation, created["id"])
    revisions = history(curation, created["id"])
    assert [r["version"] for r in revisions] == list(range(1, version + 1))
    replayed: dict[str, Any] = {}
    for revision in revisions:
        for change in revision["changes"]:
            replayed[change["field"]] = json.loads(change["after"]) if change["after"] else None
        state = states[revision["version"]]
        assert state is not None
        assert replayed["statement"] == state["statement"]
        assert replayed["themes"] == sorted(t["id"] for t in state["themes"])
    revert = (
        f"""mutation($id: ID!, $to: Int!) {{ revert(id: $id, toVersion: $to) {{ {RESULT} }} }}"""
    )
    reverted = curation.ask(revert, coordinator, id=created["id"], to=1)["data"]["revert"]
    assert reverted["__typename"] == "Applied" and reverted["revision"]["action"] == "REVERT"
    now = lesson(curation, created["id"])
    first = states[1]
    assert now is not None and first is not None
    assert {k: v for k, v in now.items() if k != "version"} == {
        k: v for k, v in first.items() if k != "version"
    }


def test_a_retracted_lesson_leaves_every_list_and_a_revert_restores_it(
    curation: Curation,
) -> None:
    coordinator = curation.token("coordinator", Role.COORDINATOR)
    created = create_lesson(curation, coordinator)["lesson"]
    retract = f"""mutation($id: ID!) {{ retractLesson(id: $id, expectedVersion: 1,
      reason: "Duplicate of another lesson") {{ {RESULT} }} }}"""
    assert (
        curation.ask(retract, coordinator, id=created["id"])["data"]["retractLesson"]["__typename"]
        == "Applied"
    )
    assert lesson(curation, created["id"]) is None
    listed = curation.ask("{ lessons { id } }")["data"]["lessons"]
    assert {"id": created["id"]} not in listed
    revert = f"""mutation($id: ID!) {{ revert(id: $id, toVersion: 1) {{ {RESULT} }} }}"""
    assert (
        curation.ask(revert, coordinator, id=created["id"])["data"]["revert"]["__typename"]
        == "Applied"
    )
    restored = lesson(curation, created["id"])
    assert restored is not None and restored["statement"] == STATEMENT and restored["version"] == 3


def test_the_changes_feed_pages_through_every_change_in_order(curation: Curation) -> None:
    coordinator = curation.token("coordinator", Role.COORDINATOR)
    create_lesson(curation, coordinator)
    feed = """query($after: String) { changes(first: 3, after: $after) {
      edges { cursor node { sequence entityId version } } pageInfo { hasNextPage endCursor } } }"""
    sequences: list[int] = []
    after: str | None = None
    while True:
        page = curation.ask(feed, after=after)["data"]["changes"]
        sequences += [edge["node"]["sequence"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert sequences == sorted(sequences) and len(set(sequences)) == len(sequences)
    assert len(sequences) == curation.value("MATCH (r:Revision) RETURN count(r)")
    create_lesson(curation, coordinator)
    newer = curation.ask(feed, after=page["pageInfo"]["endCursor"])["data"]["changes"]
    assert [edge["node"]["sequence"] for edge in newer["edges"]] == [sequences[-1] + 1]


def test_re_ingest_keeps_curators_edits_and_retractions(curation: Curation, tmp_path: Path) -> None:
    coordinator = curation.token("coordinator", Role.COORDINATOR)
    seeded = lesson(curation, "uk-nap1-data-gov-uk-complete")
    assert seeded is not None
    edited = update_lesson(
        curation, coordinator, seeded["id"], seeded["version"], STATEMENT + " Curated."
    )
    assert edited["__typename"] == "Applied"

    async def reingest(database: Database) -> Any:
        return await ingest_file(database, SEEDS_DIR / "lessons.csv", SEEDS_DIR)

    ingestion = run_with_database(curation.settings, reingest)
    assert any(
        seeded["id"] in clash and "statement" in clash for clash in ingestion.summary.clashes
    )
    kept = lesson(curation, seeded["id"])
    assert kept is not None and kept["statement"] == STATEMENT + " Curated."
    retract = f"""mutation($id: ID!, $v: Int!) {{ retractLesson(id: $id, expectedVersion: $v,
      reason: "Superseded") {{ {RESULT} }} }}"""
    assert (
        curation.ask(retract, coordinator, id=seeded["id"], v=kept["version"])["data"][
            "retractLesson"
        ]["__typename"]
        == "Applied"
    )
    run_with_database(curation.settings, reingest)
    assert lesson(curation, seeded["id"]) is None
    assert curation.value("MATCH (n:Lesson {id: $id}) RETURN count(n)", id=seeded["id"]) == 0


def test_a_coordinator_merges_two_records_of_one_organisation_and_can_undo_it(
    curation: Curation,
) -> None:
    coordinator = curation.token("coordinator", Role.COORDINATOR)
    contributor = curation.token("contributor", Role.CONTRIBUTOR)
    merge = """mutation($keep: ID!, $drop: ID!) { mergeBodies(keep: $keep, drop: $drop,
      reason: "One organisation") { __typename ... on Applied { body { id aliases }
      revision { action version } } ... on Proposed { changeSet { id status } }
      ... on ValidationError { field message } } }"""
    ids = {
        "keep": "ukraine-state-agency-for-e-governance",
        "drop": "ukraine-state-agency-on-e-governance",
    }
    proposed = curation.ask(merge, contributor, **ids)["data"]["mergeBodies"]
    assert proposed["__typename"] == "Proposed"
    assert curation.value("MATCH (b:Body {id: $drop}) RETURN count(b)", drop=ids["drop"]) == 1
    anonymous = curation.ask(merge, None, **ids)
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    review = """mutation($id: ID!) { reviewChangeSet(id: $id, decision: APPROVE) {
      __typename ... on Applied { body { id aliases } revision { action version } } } }"""
    merged = curation.ask(review, coordinator, id=proposed["changeSet"]["id"])["data"][
        "reviewChangeSet"
    ]
    assert merged["__typename"] == "Applied" and merged["revision"]["action"] == "MERGE"
    assert "State Agency on E-Governance" in merged["body"]["aliases"]
    found = curation.ask("query($id: ID!) { body(id: $id) { id name } }", id=ids["drop"])["data"][
        "body"
    ]
    assert found == {"id": ids["keep"], "name": "State Agency for E-Governance"}

    async def reingest(database: Database) -> Any:
        return await ingest_file(database, SEEDS_DIR / "ogp-irm-commitments-2016.csv", SEEDS_DIR)

    run_with_database(curation.settings, reingest)
    assert curation.value("MATCH (b:Body {id: $drop}) RETURN count(b)", drop=ids["drop"]) == 0
    assert (
        curation.value(
            "MATCH (:Body {id: $keep})-[:PARTNERS_IN]->(c:Commitment) RETURN count(c)",
            keep=ids["keep"],
        )
        >= 1
    )
    again = curation.ask(merge, coordinator, **ids)["data"]["mergeBodies"]
    assert again["__typename"] == "ValidationError"
    unmerge = """mutation($keep: ID!, $drop: ID!) { unmergeBodies(keep: $keep, drop: $drop) {
      __typename ... on Applied { revision { action } } } }"""
    refused = curation.ask(unmerge, contributor, **ids)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    undone = curation.ask(unmerge, coordinator, **ids)["data"]["unmergeBodies"]
    assert undone == {"__typename": "Applied", "revision": {"action": "REVERT"}}
    back = curation.ask("query($id: ID!) { body(id: $id) { id name } }", id=ids["drop"])
    assert back["data"]["body"] == {"id": ids["drop"], "name": "State Agency on E-Governance"}


def test_a_lesson_can_cite_a_document_the_graph_does_not_hold_yet(curation: Curation) -> None:
    contributor = curation.token("welsh-practitioner", Role.CONTRIBUTOR)
    coordinator = curation.token("scotland-coordinator", Role.COORDINATOR)
    report = {
        "title": "Participatory budgeting in a Welsh council: evaluation report",
        "url": "https://example.gov.wales/pb-evaluation-2022.pdf",
        "publisher": "A Welsh council",
        "location": "section 4",
    }
    lesson_input = {
        "statement": "Participatory budgeting drew new voices when ballots were held in schools.",
        "evidence": report,
        "jurisdictions": ["wales"],
        "practices": ["contracts-finder"],
    }
    query = f"""mutation($input: LessonInput!) {{ createLesson(input: $input) {{ {RESULT}
      ... on Applied {{ lesson {{ evidence {{ sourceId location }} jurisdictions {{ id }} }} }} }} }}"""
    sources = "MATCH (s:Source) WHERE s.url = $url RETURN count(s)"
    proposed = curation.ask(query, contributor, input=lesson_input)["data"]["createLesson"]
    assert proposed["__typename"] == "Proposed"
    assert curation.value(sources, url=report["url"]) == 0  # nothing until it is approved
    applied = curation.ask(query, coordinator, input=lesson_input)["data"]["createLesson"]
    assert applied["__typename"] == "Applied", applied
    evidence = applied["lesson"]["evidence"]
    assert evidence["location"] == "section 4" and evidence["sourceId"].startswith("cited-")
    assert applied["lesson"]["jurisdictions"] == [{"id": "wales"}]
    assert curation.value(sources, url=report["url"]) == 1
    nameless = curation.ask(
        query, coordinator, input={**lesson_input, "evidence": {"location": "p. 1", "title": "x"}}
    )["data"]["createLesson"]
    assert nameless["__typename"] == "ValidationError" and nameless["field"] == "evidence"


def test_a_source_changing_a_curated_lesson_is_in_its_history_as_ingest(
    curation: Curation, tmp_path: Path
) -> None:
    coordinator = curation.token("coordinator", Role.COORDINATOR)
    seeded = lesson(curation, "uk-nap2-open-policy-making-limited")
    assert seeded is not None
    edited = update_lesson(
        curation, coordinator, seeded["id"], seeded["version"], STATEMENT + " New."
    )
    assert edited["__typename"] == "Applied"
    # The republished file moves the lesson's evidence; the statement stays the curator's.
    with (SEEDS_DIR / "lessons.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    column = rows[0].index("evidence_location")
    for row in rows[1:]:
        if row[0] == seeded["id"]:
            row[column] = "line 1699"
    republished = tmp_path / "lessons.csv"
    with republished.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)

    async def reingest(database: Database) -> Any:
        return await ingest_file(database, republished, SEEDS_DIR)

    run_with_database(curation.settings, reingest)
    now = lesson(curation, seeded["id"])
    assert now is not None
    assert now["statement"] == STATEMENT + " New." and now["evidence"]["location"] == "line 1699"
    latest = history(curation, seeded["id"])[-1]
    assert latest["action"] == "INGEST" and latest["actor"] == "system:ingest"
    assert latest["version"] == now["version"] == edited["revision"]["version"] + 1
    assert [c["field"] for c in latest["changes"]] == ["evidenceLocation"]


MUTATIONS = {
    "createLesson": 'createLesson(input: {statement: "short", evidence: {sourceId: "lessons", location: "line 2"}})',
    "updateLesson": 'updateLesson(id: "no-such", expectedVersion: 1, input: {statement: "x"})',
    "retractLesson": 'retractLesson(id: "no-such", expectedVersion: 1, reason: "x")',
    "linkLesson": 'linkLesson(id: "no-such", relation: THEME, targetId: "open-data")',
    "unlinkLesson": 'unlinkLesson(id: "no-such", relation: THEME, targetId: "open-data")',
    "createPractice": 'createPractice(input: {name: " "})',
    "updatePractice": 'updatePractice(id: "no-such", expectedVersion: 1, input: {name: "x"})',
    "retractPractice": 'retractPractice(id: "no-such", expectedVersion: 1, reason: "x")',
    "linkPractice": 'linkPractice(id: "no-such", relation: BODY, targetId: "cabinet-office")',
    "unlinkPractice": 'unlinkPractice(id: "no-such", relation: BODY, targetId: "cabinet-office")',
    "mergeBodies": 'mergeBodies(keep: "no-such", drop: "cabinet-office", reason: "x")',
    "unmergeBodies": 'unmergeBodies(keep: "no-such", drop: "cabinet-office")',
    "revert": 'revert(id: "no-such", toVersion: 1)',
    "reviewChangeSet": 'reviewChangeSet(id: "no-such", decision: APPROVE)',
}
COORDINATORS_ONLY = {"unmergeBodies", "revert", "reviewChangeSet"}


def test_every_mutation_for_every_role(curation: Curation) -> None:
    """Who may call what: the answer's error code, or none; nothing changes in any case here."""
    tokens: dict[str, str | None] = {
        "anonymous": None,
        "no role": curation.token("reader"),
        "contributor": curation.token("contributor", Role.CONTRIBUTOR),
        "coordinator": curation.token("coordinator", Role.COORDINATOR),
        "admin": curation.token("admin", Role.ADMIN),
    }
    before = curation.bookkeeping()
    found: dict[tuple[str, str], str] = {}
    for name, call in MUTATIONS.items():
        for role, token in tokens.items():
            answer = curation.ask(f"mutation {{ {call} {{ __typename }} }}", token)
            errors = answer.get("errors") or []
            found[(name, role)] = (
                errors[0]["extensions"]["code"] if errors else answer["data"][name]["__typename"]
            )
    expected = {
        (name, role): (
            "UNAUTHENTICATED"
            if role == "anonymous"
            else "FORBIDDEN"
            if role == "no role" or (role == "contributor" and name in COORDINATORS_ONLY)
            else "ValidationError"
        )
        for name in MUTATIONS
        for role in tokens
    }
    assert found == expected
    assert curation.bookkeeping() == before
