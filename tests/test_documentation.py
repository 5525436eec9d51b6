"""The README, CI script and compose file stay true to the code: settings, commands, fields."""

import re

from ogkg.cli import build_parser
from ogkg.settings import PROJECT_ROOT, LocalNeo4jSettings, Neo4jSettings, Settings

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
ENV_VARIABLE = re.compile(r"`((?:OGKG|NEO4J)_[A-Z0-9_]+)`")


def setting_variables() -> set[str]:
    """Every environment variable the settings classes read."""
    nested = {"neo4j", "local_neo4j"}  # Settings' sub-settings, each with its own prefix
    return {
        (str(settings.model_config.get("env_prefix", "")) + name).upper()
        for settings in (Settings, Neo4jSettings, LocalNeo4jSettings)
        for name in settings.model_fields
        if not (settings is Settings and name in nested)
    }


def test_every_setting_is_documented_and_every_documented_setting_exists() -> None:
    documented = set(ENV_VARIABLE.findall(README))
    assert setting_variables() == documented


def test_readme_starts_with_the_two_commands() -> None:
    first_block = README.split("```")[1]
    assert "make run" in first_block and "make test" in first_block


def test_every_command_is_documented_and_every_documented_command_exists() -> None:
    parser = build_parser()
    subcommands = next(action for action in parser._actions if action.dest == "command").choices
    assert subcommands is not None
    documented = set(re.findall(r"`ogkg ([\w-]+)", README))
    assert documented == set(subcommands)


def test_ci_runs_the_readme_test_command() -> None:
    ci = (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, re.MULTILINE)


def test_compose_uses_the_settings_ogkg_reads() -> None:
    compose = (PROJECT_ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    api_service = compose.split("\n  api:\n", 1)[1]
    used = set(re.findall(r"^\s+((?:OGKG|NEO4J)_[A-Z_]+):", api_service, re.MULTILINE))
    assert used and used <= setting_variables()
    assert f"neo4j:{LocalNeo4jSettings().version}-community" in compose


def test_readme_names_the_graphql_fields_dashboards_rely_on() -> None:
    from api.schema import build_schema

    sdl = build_schema().as_str()
    for field in (
        "actionPlans",
        "commitments",
        "commitment(",
        "bodies(",
        "body(",
        "jurisdictions",
        "search(",
    ):
        assert field in sdl
        assert f"`{field.rstrip('(')}" in README
