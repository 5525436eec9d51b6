"""Dependencies point one way: `graph/` imports nothing from `ingest/`, `api/` or `ogkg/`."""

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


def test_every_source_kind_is_registered_once() -> None:
    from ingest.kinds import SOURCE_KINDS

    names = [kind.name for kind in SOURCE_KINDS]
    assert len(names) == len(set(names))
    modules = {path.stem for path in (PROJECT_ROOT / "ingest" / "kinds").glob("*.py")} - {
        "__init__"
    }
    assert len(SOURCE_KINDS) == len(modules)
