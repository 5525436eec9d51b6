"""The explorer's pages stay on the public API: valid documents only, nothing from graph/, no inline code."""

import ast
import re
from typing import Any

import pytest
from graphql import parse, validate

from api.explorer import documents, views
from api.schema import build_schema
from ogkg.settings import PROJECT_ROOT

EXPLORER = PROJECT_ROOT / "api" / "explorer"
DOCUMENTS = {name: value for name, value in vars(documents).items() if name.isupper()}


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_every_document_is_valid_against_the_public_schema(name: str) -> None:
    schema = build_schema()._schema
    assert validate(schema, parse(DOCUMENTS[name])) == []


def test_the_explorer_reads_only_through_the_api() -> None:
    imported = set()
    for path in EXPLORER.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
            elif isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
    assert imported
    reaching_past_the_api = {
        module
        for module in imported
        if module.split(".")[0] in {"graph", "ingest", "neo4j"}
        or module in {"api.schema", "api.context", "api.types"}
        or module.startswith("api.types.")
    }
    assert reaching_past_the_api == set()


def test_templates_hold_no_inline_script_or_style_and_nothing_from_outside() -> None:
    templates = list((EXPLORER / "templates").glob("*.html"))
    assert templates
    for template in templates:
        text = template.read_text(encoding="utf-8")
        assert "<script" not in text and "<style" not in text, template.name
        assert not re.search(r"\sstyle=", text), template.name
        assert not re.search(r"""(?:src|href)=["']https?://""", text), template.name
    stylesheet = (PROJECT_ROOT / "api" / "static" / "explorer" / "explorer.css").read_text()
    assert "url(" not in stylesheet and "@import" not in stylesheet


def test_options_form_a_tree_in_name_order_and_orphans_stand_at_the_top() -> None:
    items: list[dict[str, Any]] = [
        {"id": "scotland", "name": "Scotland", "parent": {"id": "uk"}},
        {"id": "uk", "name": "United Kingdom", "parent": None},
        {"id": "la-fif", "name": "Fife", "parent": {"id": "scotland"}},
        {"id": "england", "name": "England", "parent": {"id": "uk"}},
        {"id": "lost", "name": "Atlantis", "parent": {"id": "nowhere"}},
    ]
    options = views.tree_options(items, "parent")
    assert [(o.value, o.depth) for o in options] == [
        ("lost", 0),
        ("uk", 0),
        ("england", 1),
        ("scotland", 1),
        ("la-fif", 2),
    ]
    assert views.descendants(items, "uk", "parent") == ["scotland", "england", "la-fif"]


def test_heat_classes_split_the_counts_into_five_steps_above_none() -> None:
    assert views.heat_class(0, 42) == "heat-0"
    assert views.heat_class(1, 42) == "heat-1"
    assert views.heat_class(33, 42) == "heat-4"
    assert views.heat_class(34, 42) == "heat-5"
    assert views.heat_class(42, 42) == "heat-5"


def test_years_and_reasons_read_as_words() -> None:
    assert views.years(2016, 2018) == "2016\u20132018"
    assert views.years(2011, None) == "2011"
    assert views.years(2016, 2016) == "2016"
    assert views.years(None, None) == ""
    reason = {"kind": "SHARED_THEME", "label": "Open data", "weight": 1.0}
    assert views.reason_text(reason) == "same theme: Open data (+1.00)"
    assert views.page_of("Jurisdiction", "la/x y") == "/places/la%2Fx%20y"


def test_the_partner_network_draws_the_closest_partner_largest() -> None:
    partners = [
        {"body": {"id": "a", "name": "A"}, "sharedCommitments": 4},
        {"body": {"id": "b", "name": "B"}, "sharedCommitments": 1},
    ]
    nodes = views.network_layout(partners)
    assert [n.id for n in nodes] == ["a", "b"]
    assert nodes[0].radius > nodes[1].radius and nodes[0].stroke > nodes[1].stroke
    centre = views.NETWORK_SIZE / 2
    distances = {round(((n.x - centre) ** 2 + (n.y - centre) ** 2) ** 0.5) for n in nodes}
    assert len(distances) == 1  # one circle
    assert views.network_layout([]) == []
