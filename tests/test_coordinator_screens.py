"""The coordinators' screens over real HTTP with real tokens, and in real Chromium for the journeys.

Sign-in keeps the token in a strict HttpOnly cookie and never shows it; every form is refused without
its CSRF token; validation messages sit beside their fields; a coordinator edits a lesson, sees it in
history and reverts it; a contributor proposes and a coordinator approves from the review queue; a
conflict shows both versions and the retry applies; duplicates merge. One seeded graph for the module.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from neo4j import Driver
from playwright.sync_api import Browser, Page, sync_playwright

from api.principal import Role
from ogkg.settings import Settings
from ogkg.signing_key import load_signing_key
from ogkg.tokens import issue_token
from tests.conftest import GraphForTests, every_seed_loaded, start_server
from tests.test_explorer_browser import CHROMIUM, DESKTOP, SCREENSHOTS, Watched, watch

SIGN_IN = "/coordinator/sign-in"
LESSON = (
    "query($id: ID!) { lesson(id: $id) { id version statement evidence { sourceId location } } }"
)
PRACTICE = "query($id: ID!) { practice(id: $id) { id version name description } }"
UPDATE_LESSON = """mutation($id: ID!, $v: Int!, $s: String!) {
  updateLesson(id: $id, expectedVersion: $v, input: {statement: $s}) { __typename } }"""
CONFLICT_LOGGED = "Failed to load resource: the server responded with a status of 409 (Conflict)"
CSRF_VALUE = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class Coordinated:
    """The app over real HTTP on the seeded graph, with its own signing key for tokens."""

    url: str
    settings: Settings
    graph: GraphForTests

    def token(self, subject: str, role: Role, ttl: timedelta = timedelta(hours=1)) -> str:
        key = load_signing_key(self.settings)
        return issue_token(key, subject, [role], display_name=subject.title(), ttl=ttl)

    def ask(self, query: str, token: str | None = None, **variables: Any) -> dict[str, Any]:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        body = httpx.post(
            f"{self.url}/graphql",
            json={"query": query, "variables": variables},
            headers=headers,
            timeout=60,
        ).json()
        assert "errors" not in body, body
        data: dict[str, Any] = body["data"]
        return data

    def lesson(self, lesson_id: str) -> dict[str, Any]:
        found: dict[str, Any] = self.ask(LESSON, id=lesson_id)["lesson"]
        return found

    def practice(self, practice_id: str) -> dict[str, Any]:
        found: dict[str, Any] = self.ask(PRACTICE, id=practice_id)["practice"]
        return found

    def lesson_ids(self, count: int) -> list[str]:
        """Lessons no other test of the module edits: each test takes its own."""
        rows = self.graph.query(
            "MATCH (l:Lesson) WHERE NOT l:Retracted RETURN l.id AS id ORDER BY id"
        )
        return [row["id"] for row in rows][:count]


@pytest.fixture(scope="module")
def coordinated(
    settings: Settings, sync_driver: Driver, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Coordinated]:
    graph = every_seed_loaded(settings, sync_driver)
    # A merge moves every relationship of a body; on a loaded 2-core CI machine it has taken over
    # the default 30 s request deadline, so this module's server allows more.
    home = tmp_path_factory.mktemp("coordinator-home")
    own = settings.model_copy(update={"home": home, "request_timeout": 120.0})
    running = start_server(own)
    try:
        yield Coordinated(running.url, own, graph)
    finally:
        running.stop()


@pytest.fixture(scope="module")
def lessons(coordinated: Coordinated) -> Iterator[list[str]]:
    ids = coordinated.lesson_ids(6)
    assert len(ids) == 6
    yield ids


@pytest.fixture(scope="module")
def browser(coordinated: Coordinated) -> Iterator[Browser]:
    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: `make chromium` installs Debian's chromium"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    import os
    import shutil

    folder = tmp_path_factory.mktemp("coordinator-screenshots")
    yield folder
    if os.environ.get("OGKG_UPDATE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for shot in folder.glob("*.png"):
            shutil.copy(shot, SCREENSHOTS / shot.name)


# Over HTTP: the session and its forms


@contextmanager
def signed_in_client(coordinated: Coordinated, token: str) -> Iterator[httpx.Client]:
    """A client that signed in through the sign-in form, holding the session cookie."""
    with httpx.Client(base_url=coordinated.url, timeout=60) as client:
        form = client.get(SIGN_IN)
        nonce = CSRF_VALUE.search(form.text)
        assert form.status_code == 200 and nonce
        answer = client.post(
            SIGN_IN, data={"csrf": nonce.group(1), "token": token, "next": "/coordinator"}
        )
        assert answer.status_code == 303, answer.text
        yield client


def csrf_of(client: httpx.Client) -> str:
    found = CSRF_VALUE.search(client.get("/coordinator").text)
    assert found
    return found.group(1)


def test_sign_in_keeps_the_token_in_a_strict_http_only_cookie_and_never_shows_it(
    coordinated: Coordinated,
) -> None:
    token = coordinated.token("carol", Role.COORDINATOR)
    with httpx.Client(base_url=coordinated.url, timeout=60) as client:
        assert client.get("/coordinator").headers["location"].startswith(SIGN_IN)
        form = client.get(SIGN_IN)
        nonce = CSRF_VALUE.search(form.text)
        assert nonce and "ogkg_sign_in" in form.headers["set-cookie"]
        answer = client.post(
            SIGN_IN, data={"csrf": nonce.group(1), "token": token, "next": "/coordinator/review"}
        )
        assert answer.status_code == 303 and answer.headers["location"] == "/coordinator/review"
        cookie = next(
            c for c in answer.headers.get_list("set-cookie") if c.startswith("ogkg_coordinator=")
        )
        flags = {part.strip().lower() for part in cookie.split(";")[1:]}
        assert {"httponly", "samesite=strict", "path=/coordinator"} <= flags
        assert "secure" not in flags  # plain http on 127.0.0.1; https below
        home = client.get("/coordinator")
        assert home.status_code == 200 and "Signed in as" in home.text and "Carol" in home.text
        for page in ("/coordinator", "/coordinator/review", "/coordinator/duplicates"):
            assert token not in client.get(page).text
        # Signing out needs the form's CSRF token, and clears the cookie.
        assert client.post("/coordinator/sign-out").status_code == 403
        out = client.post("/coordinator/sign-out", data={"csrf": csrf_of(client)})
        assert out.status_code == 303 and out.headers["location"].startswith(SIGN_IN)
        assert 'ogkg_coordinator=""' in out.headers["set-cookie"]
        assert client.get("/coordinator").status_code == 303


def test_over_https_the_cookies_are_secure(coordinated: Coordinated) -> None:
    # uvicorn trusts X-Forwarded-Proto from 127.0.0.1, as behind a local TLS proxy.
    form = httpx.get(
        f"{coordinated.url}{SIGN_IN}", headers={"x-forwarded-proto": "https"}, timeout=60
    )
    assert form.status_code == 200
    assert "secure" in {p.strip().lower() for p in form.headers["set-cookie"].split(";")}


def test_a_refused_token_is_said_so_without_echoing_it(coordinated: Coordinated) -> None:
    good = coordinated.token("mallory", Role.COORDINATOR)
    expired = coordinated.token("old", Role.COORDINATOR, ttl=timedelta(seconds=-60))
    tampered = good[:-2] + ("AA" if not good.endswith("AA") else "BB")
    with httpx.Client(base_url=coordinated.url, timeout=60) as client:
        for token in (tampered, expired, "not-a-token"):
            nonce = CSRF_VALUE.search(client.get(SIGN_IN).text)
            assert nonce
            answer = client.post(SIGN_IN, data={"csrf": nonce.group(1), "token": token})
            assert answer.status_code == 401
            assert "The API refused this token" in answer.text
            assert token not in answer.text
            assert "ogkg_coordinator=" not in answer.headers.get("set-cookie", "")
        # A sign-in form posted from elsewhere carries no nonce cookie: refused.
        with httpx.Client(base_url=coordinated.url, timeout=60) as stranger:
            refused = stranger.post(SIGN_IN, data={"csrf": "guess", "token": good})
            assert refused.status_code == 403
            assert "ogkg_coordinator=" not in refused.headers.get("set-cookie", "")


def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(
    coordinated: Coordinated, lessons: list[str]
) -> None:
    lesson_id = lessons[0]
    before = coordinated.lesson(lesson_id)
    with signed_in_client(coordinated, coordinated.token("carol", Role.COORDINATOR)) as client:
        edit = f"/coordinator/lessons/{quote(lesson_id)}/edit"
        changed = {
            "expected_version": str(before["version"]),
            "statement": "A statement a forged form would set on the lesson.",
            "evidence_source": before["evidence"]["sourceId"],
            "evidence_location": before["evidence"]["location"],
        }
        assert client.post(edit, data=changed).status_code == 403
        assert client.post(edit, data={**changed, "csrf": "0" * 64}).status_code == 403
        other = coordinated.token("dave", Role.COORDINATOR)
        with signed_in_client(coordinated, other) as dave:  # another session's token
            assert client.post(edit, data={**changed, "csrf": csrf_of(dave)}).status_code == 403
    assert coordinated.lesson(lesson_id) == before


def test_validation_messages_stand_beside_their_fields(
    coordinated: Coordinated, lessons: list[str]
) -> None:
    with signed_in_client(coordinated, coordinated.token("carol", Role.COORDINATOR)) as client:
        csrf = csrf_of(client)
        short = client.post(
            "/coordinator/lessons/new",
            data={"csrf": csrf, "statement": "Too short", "evidence_source": "uk-nations-lessons",
                  "evidence_location": "line 2"},
        )  # fmt: skip
        assert short.status_code == 422
        field = re.search(r'<div class="field invalid">(.*?)</div>', short.text, re.S)
        assert field and 'for="statement"' in field.group(1)
        assert "at least 20 characters" in field.group(1)
        assert 'aria-describedby="statement-error"' in field.group(1)
        assert ">Too short</textarea>" in short.text  # what was typed stays
        unknown = client.post(
            "/coordinator/lessons/new",
            data={"csrf": csrf, "statement": "A lesson about a commitment nobody made.",
                  "evidence_source": "uk-nations-lessons", "evidence_location": "line 2",
                  "commitments": "no-such-commitment"},
        )  # fmt: skip
        assert unknown.status_code == 422
        field = re.search(r'<div class="field invalid">(.*?)</div>', unknown.text, re.S)
        assert field and 'for="commitments"' in field.group(1)
        assert "no-such-commitment" in field.group(1)
        version = str(coordinated.practice("contracts-finder")["version"])
        blank = client.post(
            "/coordinator/practices/contracts-finder/edit",
            data={"csrf": csrf, "name": "", "description": "", "expected_version": version},
        )
        assert blank.status_code == 422
        field = re.search(r'<div class="field invalid">(.*?)</div>', blank.text, re.S)
        assert (
            field and 'for="name"' in field.group(1) and "a practice has a name" in field.group(1)
        )


def test_duplicates_are_listed_and_merged(coordinated: Coordinated) -> None:
    pairs = coordinated.ask(
        "{ duplicateBodies(first: 5) { reason first { id name } second { id name } } }"
    )["duplicateBodies"]
    assert len(pairs) == 5
    pair = pairs[0]
    with signed_in_client(coordinated, coordinated.token("carol", Role.COORDINATOR)) as client:
        page = client.get("/coordinator/duplicates")
        assert page.status_code == 200
        assert pair["first"]["name"] in page.text and pair["reason"] in page.text
        merge = {
            "csrf": csrf_of(client),
            "first": pair["first"]["id"],
            "second": pair["second"]["id"],
            "keep": pair["second"]["id"],
        }
        unsaid = client.post("/coordinator/duplicates/merge", data={**merge, "reason": " "})
        assert unsaid.status_code == 422 and "Say why they are one organisation" in unsaid.text
        merged = client.post(
            "/coordinator/duplicates/merge", data={**merge, "reason": "one ministry, misspelt"}
        )
        assert merged.status_code == 303, merged.text
        assert "done=merged" in merged.headers["location"]
        after = client.get(merged.headers["location"])
        assert "Merged:" in after.text
        assert f'name="first" value="{pair["first"]["id"]}"' not in after.text  # no longer listed
        assert f'name="drop" value="{pair["first"]["id"]}"' in after.text  # but can be undone
    held = coordinated.ask("query($id: ID!) { body(id: $id) { id } }", id=pair["first"]["id"])
    assert held["body"]["id"] == pair["second"]["id"]
    with signed_in_client(coordinated, coordinated.token("carol", Role.COORDINATOR)) as client:
        undo = {"csrf": csrf_of(client), "keep": pair["second"]["id"], "drop": pair["first"]["id"]}
        undone = client.post("/coordinator/duplicates/unmerge", data=undo)
        assert undone.status_code == 303, undone.text
        assert "done=unmerged" in undone.headers["location"]
        assert "Merge undone" in client.get(undone.headers["location"]).text
        again = client.post("/coordinator/duplicates/unmerge", data=undo)
        assert again.status_code == 409 and "Problem:" in again.text  # nothing left to undo
    back = coordinated.ask("query($id: ID!) { body(id: $id) { id } }", id=pair["first"]["id"])
    assert back["body"]["id"] == pair["first"]["id"]


LESSON_LINKS = "query($id: ID!) { lesson(id: $id) { version themes { id } } }"


def test_a_coordinator_links_a_lesson_to_a_theme_and_removes_the_link(
    coordinated: Coordinated, lessons: list[str]
) -> None:
    lesson_id = lessons[4]
    before = coordinated.ask(LESSON_LINKS, id=lesson_id)["lesson"]
    theme = "participatory-budgeting"
    assert theme not in {t["id"] for t in before["themes"]}
    links = f"/coordinator/lessons/{quote(lesson_id)}/links"
    with signed_in_client(coordinated, coordinated.token("carol", Role.COORDINATOR)) as client:
        page = client.get(f"/coordinator/lessons/{quote(lesson_id)}/edit")
        assert page.status_code == 200 and 'action="' + links + '"' in page.text
        form = {"csrf": csrf_of(client), "action": "link", "relation": "THEME"}
        empty = client.post(links, data={**form, "target": " "})
        assert empty.status_code == 422 and "give its id" in empty.text
        unknown = client.post(links, data={**form, "target": "no-such-theme"})
        assert unknown.status_code == 422 and "no-such-theme" in unknown.text
        stale = client.post(
            links, data={**form, "target": theme, "expected_version": str(before["version"] - 1)}
        )
        assert stale.status_code == 409 and "Someone else changed it first" in stale.text
        linked = client.post(
            links, data={**form, "target": theme, "expected_version": str(before["version"])}
        )
        assert linked.status_code == 303, linked.text
        shown = client.get(linked.headers["location"])
        assert "Linked." in shown.text and f"<code>{theme}</code>" in shown.text
        now = coordinated.ask(LESSON_LINKS, id=lesson_id)["lesson"]
        assert theme in {t["id"] for t in now["themes"]}
        assert now["version"] == before["version"] + 1
        removed = client.post(
            links,
            data={
                **form,
                "action": "unlink",
                "target": theme,
                "expected_version": str(now["version"]),
            },
        )
        assert removed.status_code == 303 and "done=unlinked" in removed.headers["location"]
    after = coordinated.ask(LESSON_LINKS, id=lesson_id)["lesson"]
    assert [t["id"] for t in after["themes"]] == [t["id"] for t in before["themes"]]


def test_a_coordinator_retracts_a_lesson_saying_why(
    coordinated: Coordinated, lessons: list[str]
) -> None:
    lesson_id = lessons[5]
    version = coordinated.lesson(lesson_id)["version"]
    retract = f"/coordinator/lessons/{quote(lesson_id)}/retract"
    with signed_in_client(coordinated, coordinated.token("carol", Role.COORDINATOR)) as client:
        form = {"csrf": csrf_of(client), "expected_version": str(version)}
        unsaid = client.post(retract, data={**form, "reason": "  "})
        assert unsaid.status_code == 422 and "Say why it is retracted" in unsaid.text
        assert coordinated.lesson(lesson_id)["version"] == version  # nothing changed
        done = client.post(retract, data={**form, "reason": "the evidence was withdrawn"})
        assert done.status_code == 303, done.text
        assert "done=retracted" in done.headers["location"]
        assert "Retracted as version" in client.get(done.headers["location"]).text
    assert coordinated.ask(LESSON, id=lesson_id)["lesson"] is None


# In Chromium: the journeys


def sign_in(browser: Browser, coordinated: Coordinated, token: str) -> tuple[Page, Watched]:
    """A fresh browser signed in through the form, as a person would."""
    context = browser.new_context(viewport=DESKTOP)
    watched = watch(context)
    page = context.new_page()
    page.goto(f"{coordinated.url}/coordinator")
    assert page.url.startswith(f"{coordinated.url}{SIGN_IN}")
    page.get_by_label("Token").fill(token)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{coordinated.url}/coordinator")
    assert page.get_by_text("Signed in as").is_visible()
    return page, watched


def test_a_coordinator_edits_a_lesson_sees_it_in_history_and_reverts_it(
    browser: Browser, coordinated: Coordinated, lessons: list[str], shots: Path
) -> None:
    lesson_id = lessons[1]
    original = coordinated.lesson(lesson_id)
    page, watched = sign_in(browser, coordinated, coordinated.token("carol", Role.COORDINATOR))
    try:
        page.goto(f"{coordinated.url}/coordinator/lessons/{quote(lesson_id)}/edit")
        assert page.get_by_label("What was learned").input_value() == original["statement"]
        edited = "Councils kept publishing contracts only where one officer owned the register."
        page.get_by_label("What was learned").fill(edited)
        page.get_by_role("button", name="Save changes").click()
        page.wait_for_url(re.compile(r"/coordinator/history/.*done=applied"))
        version = original["version"] + 1
        assert coordinated.lesson(lesson_id)["statement"] == edited
        newest = page.locator(f"#version-{version}")
        assert "Update" in newest.locator("h2").inner_text()
        row = newest.locator("tr", has=page.locator("th", has_text="statement"))
        assert row.locator("td.before").inner_text() == original["statement"]
        assert row.locator("td.after").inner_text() == edited
        assert "Carol" in newest.inner_text()
        page.screenshot(path=shots / "coordinator-history.png", full_page=True)
        page.get_by_role("button", name=f"Revert to version {original['version']}").click()
        page.wait_for_url(re.compile(r"done=reverted"))
        now = coordinated.lesson(lesson_id)
        assert now["statement"] == original["statement"]
        assert now["version"] == version + 1
        assert "Revert" in page.locator(f"#version-{version + 1} h2").inner_text()
    finally:
        page.context.close()
    watched.assert_clean()


def test_a_contributor_proposes_and_a_coordinator_approves_from_the_queue(
    browser: Browser, coordinated: Coordinated, shots: Path
) -> None:
    practice_id = "contracts-finder"
    original = coordinated.practice(practice_id)
    renamed = f"{original['name']} (the UK's public contracts register)"
    page, watched = sign_in(browser, coordinated, coordinated.token("pat", Role.CONTRIBUTOR))
    try:
        page.goto(f"{coordinated.url}/coordinator/practices/{practice_id}/edit")
        page.get_by_label("Name").fill(renamed)
        page.get_by_role("button", name="Save changes").click()
        assert page.get_by_role("heading", name="Proposed for review").is_visible()
        assert coordinated.practice(practice_id)["name"] == original["name"]  # not yet
        page.get_by_role("link", name="See the review queue").click()
        mine = page.locator("li.change-set", has_text=practice_id)
        assert mine.count() == 1
        assert mine.get_by_role("button", name="Approve").count() == 0  # contributors do not review
    finally:
        page.context.close()
    watched.assert_clean()

    page, watched = sign_in(browser, coordinated, coordinated.token("carol", Role.COORDINATOR))
    try:
        page.goto(f"{coordinated.url}/coordinator/review")
        proposal = page.locator("li.change-set", has_text=practice_id)
        assert "Pat" in proposal.inner_text()
        row = proposal.locator("tr", has=page.locator("th", has_text="name"))
        assert row.locator("td.before").inner_text() == original["name"]
        assert row.locator("td.after").inner_text() == renamed
        page.screenshot(path=shots / "coordinator-review.png", full_page=True)
        proposal.get_by_label("Comment").fill("Clearer name")
        proposal.get_by_role("button", name="Approve").click()
        page.wait_for_url(re.compile(r"done=approved"))
        assert page.locator("li.change-set", has_text=practice_id).count() == 0
        assert coordinated.practice(practice_id)["name"] == renamed
    finally:
        page.context.close()
    watched.assert_clean()


def test_a_conflict_shows_both_versions_and_the_retry_applies(
    browser: Browser, coordinated: Coordinated, lessons: list[str], shots: Path
) -> None:
    lesson_id = lessons[2]
    original = coordinated.lesson(lesson_id)
    page, watched = sign_in(browser, coordinated, coordinated.token("carol", Role.COORDINATOR))
    try:
        page.goto(f"{coordinated.url}/coordinator/lessons/{quote(lesson_id)}/edit")
        # Meanwhile another coordinator changes the same lesson.
        theirs = "Another coordinator's wording of this lesson, saved a moment earlier."
        answer = coordinated.ask(
            UPDATE_LESSON, coordinated.token("erin", Role.COORDINATOR),
            id=lesson_id, v=original["version"], s=theirs,
        )  # fmt: skip
        assert answer["updateLesson"]["__typename"] == "Applied"
        yours = "Carol's wording of this lesson, written on a page opened before theirs."
        page.get_by_label("What was learned").fill(yours)
        page.get_by_role("button", name="Save changes").click()
        conflict = page.locator("section.conflict")
        assert conflict.get_by_role("heading", name="Someone else changed it first").is_visible()
        row = conflict.locator("tr", has=page.locator("th", has_text="statement"))
        assert row.locator("td.theirs").inner_text() == theirs
        assert row.locator("td.yours").inner_text() == yours
        assert coordinated.lesson(lesson_id)["statement"] == theirs  # nothing overwritten
        assert page.get_by_label("What was learned").input_value() == yours
        page.screenshot(path=shots / "coordinator-conflict.png", full_page=True)
        page.get_by_role("button", name="Save changes").click()  # retry on the current version
        page.wait_for_url(re.compile(r"done=applied"))
        now = coordinated.lesson(lesson_id)
        assert now["statement"] == yours and now["version"] == original["version"] + 2
    finally:
        page.context.close()
    # The conflict page answers 409 Conflict, which Chromium logs; nothing else may be logged.
    assert watched.errors == [CONFLICT_LOGGED]
    watched.errors.clear()
    watched.assert_clean()
