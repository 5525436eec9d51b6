"""The coordinators' screens stay on the public API: valid documents, no reads past it, no inline code."""

import ast
import re

import pytest
from graphql import FieldNode, OperationDefinitionNode, parse, validate

from api.explorer.coordinator import documents, forms
from api.explorer.coordinator.pages import (
    CURATED_SCREENS,
    RELATION_FIELDS,
    _conflict,
    _proposed_rows,
)
from api.explorer.coordinator.session import CsrfRefusedError, check_csrf, csrf_for
from api.schema import build_schema
from graph.curated_kinds import KINDS, CuratedKind, Relation
from ogkg.settings import PROJECT_ROOT

SCREENS = PROJECT_ROOT / "api" / "explorer" / "coordinator"
TEMPLATES = PROJECT_ROOT / "api" / "explorer" / "templates" / "coordinator"
DOCUMENTS = {name: value for name, value in vars(documents).items() if name.isupper()}


@pytest.mark.parametrize("name", sorted(set(DOCUMENTS) - {"RESULT"}))
def test_every_document_is_valid_against_the_public_schema(name: str) -> None:
    assert validate(build_schema()._schema, parse(DOCUMENTS[name])) == []


def test_the_screens_read_and_write_only_through_the_api() -> None:
    imported: set[str] = set()
    for path in SCREENS.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
            elif isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
    assert "api.explorer.public_api" in imported
    assert {
        module
        for module in imported
        if module.split(".")[0] in {"graph", "ingest", "neo4j"}
        or module in {"api.schema", "api.context", "api.mutations", "api.auth"}
        or module.startswith(("api.types", "api.queries"))
    } == set()


def test_templates_hold_no_inline_script_or_style_and_nothing_from_outside() -> None:
    templates = list(TEMPLATES.glob("*.html"))
    assert len(templates) >= 8
    for template in templates:
        text = template.read_text(encoding="utf-8")
        assert "<script" not in text and "<style" not in text, template.name
        assert not re.search(r"\sstyle=", text), template.name
        assert not re.search(r"""(?:src|href|action)=["']https?://""", text), template.name
    forms_that_change = [
        t.name
        for t in templates
        if 'method="post"' in t.read_text(encoding="utf-8") and t.name != "sign_in.html"
    ]
    for name in forms_that_change:  # every changing form carries the session's CSRF token
        text = (TEMPLATES / name).read_text(encoding="utf-8")
        assert text.count('method="post"') <= text.count("csrf"), name
    stylesheet = (PROJECT_ROOT / "api" / "static" / "explorer" / "coordinator.css").read_text()
    assert "url(" not in stylesheet and "@import" not in stylesheet


def test_the_csrf_token_belongs_to_its_session() -> None:
    mine, theirs = csrf_for("token-of-one-session"), csrf_for("token-of-another")
    assert mine != theirs and len(mine) == 64
    check_csrf({"csrf": mine}, mine)
    for sent in ({"csrf": theirs}, {"csrf": ""}, {}):
        with pytest.raises(CsrfRefusedError):
            check_csrf(sent, mine)
    with pytest.raises(CsrfRefusedError):
        check_csrf({"csrf": ""}, None)


def test_an_edit_sends_only_what_changed() -> None:
    now = {"statement": "As it was.", "evidence": {"sourceId": "s", "location": "line 1"}}
    typed = forms.lesson_form(
        {"statement": "As it is now.", "evidence_source": "s", "evidence_location": "line 1"},
        creating=False,
    )
    assert forms.lesson_patch(typed, now) == {"statement": "As it is now."}
    typed.values["evidence_location"] = "line 2"
    assert forms.lesson_patch(typed, now)["evidence"] == {"sourceId": "s", "location": "line 2"}
    new_document = forms.lesson_form(
        {"evidence_title": "A report", "evidence_url": "https://example.org/r", "evidence_location": "p. 3"},
        creating=True,
    )  # fmt: skip
    assert forms.lesson_evidence(new_document) == {
        "location": "p. 3", "title": "A report", "url": "https://example.org/r",
    }  # fmt: skip
    practice = {"name": "Open contracting", "description": None}
    typed = forms.practice_form({"name": "Open contracting", "description": ""}, creating=False)
    assert forms.practice_patch(typed, practice) == {}
    links = forms.practice_form({"name": "x", "themes": " a, b  c,,"}, creating=True)
    assert forms.practice_input(links)["themes"] == ["a", "b", "c"]


def test_a_problem_stands_beside_its_field_or_above_the_form() -> None:
    typed = forms.lesson_form({}, creating=True)
    forms.show_problem(typed, {"field": "evidence", "message": "name a source"})
    forms.show_problem(typed, {"field": "themes", "message": "no Theme has the id 'x'"})
    forms.show_problem(typed, {"field": "id", "message": "the change changes nothing"})
    assert typed.errors == {
        "evidence_source": "name a source",
        "themes": "no Theme has the id 'x'",
        "": "the change changes nothing",
    }


def test_a_conflict_sets_theirs_beside_yours_and_marks_what_differs() -> None:
    answer = {
        "message": "Lesson 'l' is at version 3, not 2",
        "currentVersion": 3,
        "current": [
            {"field": "statement", "value": '"Theirs."'},
            {"field": "themes", "value": '["a", "b"]'},
            {"field": "retracted", "value": "false"},
        ],
    }
    shown = _conflict(answer, {"statement": "Yours."})
    assert shown["version"] == 3 and shown["message"].endswith(".")
    assert shown["rows"] == [
        ("statement", "Theirs.", "Yours.", True),
        ("themes", "a, b", "(unchanged)", False),
    ]


def test_the_queue_shows_each_proposed_field_beside_its_value_now() -> None:
    update = {
        "action": "UPDATE", "relation": None, "targetId": None,
        "fields": [{"field": "name", "after": '"New name"'}],
    }  # fmt: skip
    assert _proposed_rows(update, {"name": "Old name"}) == [("name", "Old name", "New name")]
    link = {"action": "LINK", "relation": "THEME", "targetId": "c", "fields": []}
    assert _proposed_rows(link, {"themes": ["a"]}) == [("themes", "a", "a, c")]
    unlink = {"action": "UNLINK", "relation": "THEME", "targetId": "a", "fields": []}
    assert _proposed_rows(unlink, {"themes": ["a"]}) == [("themes", "a", "\u2014")]


def test_the_screens_offer_the_relations_curation_allows() -> None:
    for screens in CURATED_SCREENS:
        declared = KINDS[CuratedKind(screens.kind)].links
        assert [RELATION_FIELDS[r] for r in screens.relations] == [
            link.relation.value for link in declared
        ]
        assert set(screens.relations) <= {member.name for member in Relation}
        read = parse(screens.read)
        asked = {
            selection.name.value
            for definition in read.definitions
            if isinstance(definition, OperationDefinitionNode)
            for field in definition.selection_set.selections
            if isinstance(field, FieldNode) and field.selection_set
            for selection in field.selection_set.selections
            if isinstance(selection, FieldNode)
        }
        assert {RELATION_FIELDS[r] for r in screens.relations} <= asked
