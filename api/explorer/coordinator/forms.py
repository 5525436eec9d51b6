"""The lesson and practice forms: what the user typed, as GraphQL inputs, and the API's answers as field messages."""

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# The links each kind's create form offers, as the input's field names (lists of ids).
LESSON_LINKS = ("commitments", "practices", "themes", "jurisdictions")
PRACTICE_LINKS = ("commitments", "jurisdictions", "standards", "themes", "bodies")
LESSON_FIELDS = (
    "statement",
    "evidence_source",
    "evidence_location",
    "evidence_title",
    "evidence_url",
)
PRACTICE_FIELDS = ("name", "description")
IDS = re.compile(r"[\s,]+")


@dataclass
class Form:
    """A form's values as typed, and the messages shown beside its fields (`""`: the whole form)."""

    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, sent: Mapping[str, str], names: tuple[str, ...]) -> "Form":
        return cls({name: sent.get(name, "").strip() for name in names})

    def ids(self, name: str) -> list[str]:
        """The ids typed in a link field, separated by commas or spaces."""
        return [value for value in IDS.split(self.values.get(name, "")) if value]


def lesson_form(sent: Mapping[str, str], creating: bool) -> Form:
    return Form.of(sent, LESSON_FIELDS + (LESSON_LINKS if creating else ()))


def practice_form(sent: Mapping[str, str], creating: bool) -> Form:
    return Form.of(sent, PRACTICE_FIELDS + (PRACTICE_LINKS if creating else ()))


def lesson_evidence(form: Form) -> dict[str, str]:
    """`EvidenceInput`: a source the graph holds, or a new document by title and address."""
    evidence = {"location": form.values["evidence_location"]}
    if form.values["evidence_source"] or not (
        form.values["evidence_title"] or form.values["evidence_url"]
    ):
        evidence["sourceId"] = form.values["evidence_source"]
    else:
        evidence["title"] = form.values["evidence_title"]
        evidence["url"] = form.values["evidence_url"]
    return evidence


def lesson_input(form: Form) -> dict[str, Any]:
    """`LessonInput` for `createLesson`."""
    return {
        "statement": form.values["statement"],
        "evidence": lesson_evidence(form),
        **{name: form.ids(name) for name in LESSON_LINKS},
    }


def lesson_patch(form: Form, now: Mapping[str, Any]) -> dict[str, Any]:
    """`LessonPatch` for `updateLesson`: the statement and evidence where they differ from `now`."""
    patch: dict[str, Any] = {}
    if form.values["statement"] != now["statement"]:
        patch["statement"] = form.values["statement"]
    evidence = lesson_evidence(form)
    if evidence != {
        "location": now["evidence"]["location"],
        "sourceId": now["evidence"]["sourceId"],
    }:
        patch["evidence"] = evidence
    return patch


def practice_input(form: Form) -> dict[str, Any]:
    """`PracticeInput` for `createPractice`."""
    return {
        "name": form.values["name"],
        "description": form.values["description"] or None,
        **{name: form.ids(name) for name in PRACTICE_LINKS},
    }


def practice_patch(form: Form, now: Mapping[str, Any]) -> dict[str, Any]:
    """`PracticePatch`: the name and description where they differ from `now`."""
    patch: dict[str, Any] = {}
    if form.values["name"] != now["name"]:
        patch["name"] = form.values["name"]
    if form.values["description"] != (now["description"] or ""):
        patch["description"] = form.values["description"]
    return patch


def lesson_values(lesson: Mapping[str, Any]) -> dict[str, str]:
    """A lesson as its edit form shows it."""
    return {
        "statement": lesson["statement"],
        "evidence_source": lesson["evidence"]["sourceId"],
        "evidence_location": lesson["evidence"]["location"],
        "evidence_title": "",
        "evidence_url": "",
    }


def practice_values(practice: Mapping[str, Any]) -> dict[str, str]:
    return {"name": practice["name"], "description": practice["description"] or ""}


def show_problem(form: Form, problem: Mapping[str, Any]) -> None:
    """Put a `ValidationError` beside its field, or above the form when no field of it matches."""
    name = str(problem["field"])
    if name == "evidence":
        name = "evidence_source"
    form.errors[name if name in form.values else ""] = str(problem["message"])


def state_of(entity: Mapping[str, Any] | None) -> dict[str, Any]:
    """A lesson or practice as curation names its fields (`evidenceSource`, `commitments`: ids)."""
    if not entity:
        return {}
    state: dict[str, Any] = {}
    for name, value in entity.items():
        if name in {"id", "version", "__typename"}:
            continue
        if name == "evidence":
            state["evidenceSource"] = value["sourceId"]
            state["evidenceLocation"] = value["location"]
        elif isinstance(value, list):
            state[name] = sorted(item["id"] for item in value)
        else:
            state[name] = value
    return state


def decoded(value: str | None) -> Any:
    """A value the API sends as JSON (field changes, a conflict's current state)."""
    return None if value is None else json.loads(value)


def shown(value: Any) -> str:
    """A field's value in words: lists joined, absent as a dash."""
    if value is None or value in ("", []):
        return "\u2014"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
