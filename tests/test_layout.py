"""Dependencies point one way, api → graph ← ingest: `graph/` imports none of the others, `api/` and `ingest/` not each other."""

import ast

from ogkg.settings import PROJECT_ROOT

FORBIDDEN = ("ingest", "api", "ogkg")


def imported_modules(source: str) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
    return modules


def test_graph_imports_nothing_from_the_layers_above_it() -> None:
    offending = {
        f"{path.name}: {module}"
        for path in (PROJECT_ROOT / "graph").glob("*.py")
        for module in imported_modules(path.read_text(encoding="utf-8"))
        if module.split(".")[0] in FORBIDDEN
    }
    assert offending == set()


def test_api_and_ingest_import_nothing_from_each_other() -> None:
    offending = {
        f"{path.relative_to(PROJECT_ROOT)}: {module}"
        for package, other in (("api", "ingest"), ("ingest", "api"))
        for path in (PROJECT_ROOT / package).rglob("*.py")
        for module in imported_modules(path.read_text(encoding="utf-8"))
        if module.split(".")[0] == other
    }
    assert offending == set()


def test_every_source_kind_is_registered_once() -> None:
    from ingest.kinds import SOURCE_KINDS

    names = [kind.name for kind in SOURCE_KINDS]
    assert len(names) == len(set(names))
    modules = {path.stem for path in (PROJECT_ROOT / "ingest" / "kinds").glob("*.py")} - {
        "__init__"
    }
    assert len(SOURCE_KINDS) == len(modules)
