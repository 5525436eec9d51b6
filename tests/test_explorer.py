"""The explorer's pages stay on the public API: valid documents only, nothing from graph/, no inline code."""

import ast
import re

import pytest
from graphql import parse, validate

from api.explorer import documents
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
