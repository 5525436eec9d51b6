"""The explorer's routes: each page asks the public GraphQL API and renders the answer as HTML."""

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from api.explorer import documents, views
from api.explorer.coordinator.pages import Coordinator
from api.explorer.public_api import PublicApi, PublicApiError

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent.parent / "static" / "explorer"
STATIC_PATH = "/static/explorer"
SEARCH_RESULTS = 100
PLACES_LISTED = 12  # the places with most results, to narrow to
COVERAGE_LEVELS = ("NATION", "COUNTRY", "LOCAL_AUTHORITY")
DEFAULT_SCHEME = "ogp-policy-areas"
# Search form fields that are passed to `search` as they are, and the variable each becomes.
TEXT_FACETS = {"jurisdiction": "jurisdiction", "theme": "theme", "plan": "plan"}
ENUM_FACETS = {
    "potential_impact": "potentialImpact",
    "specificity": "specificity",
    "completion": "completion",
}
YEAR_FACETS = {"year_from": "yearFrom", "year_to": "yearTo"}

Page = Callable[[Request], Awaitable[Response]]


class NotFoundError(Exception):
    """The page names something the graph does not hold."""


def templates() -> Environment:
    """The page templates, every value HTML-escaped unless marked safe."""
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals.update(page_of=views.page_of, kind_names=views.KIND_NAMES)
    environment.filters.update(humane=views.humane, reason=views.reason_text)
    environment.globals.update(years=views.years, default_description=views.DEFAULT_DESCRIPTION)
    return environment


class Explorer:
    """The pages, sharing one template environment."""

    def __init__(self) -> None:
        self.environment = templates()

    def render(self, template: str, status: int = 200, **values: Any) -> HTMLResponse:
        """One page, rendered from `template` with `values`."""
        page = self.environment.get_template(template).render(**values)
        return HTMLResponse(page, status_code=status)

    def page(self, build: Callable[[Request, PublicApi], Awaitable[Response]]) -> Page:
        """A route answering with `build`'s page, or with an error page saying what went wrong."""

        async def endpoint(request: Request) -> Response:
            try:
                return await build(request, PublicApi.for_request(request))
            except NotFoundError as missing:
                return self.render("error.html", 404, title="Not found", messages=[str(missing)])
            except PublicApiError as refusal:
                title = "Not found" if refusal.status == 404 else "The API refused the request"
                return self.render(
                    "error.html", refusal.status, title=title, messages=refusal.messages
                )

        return endpoint

    async def search(self, request: Request, api: PublicApi) -> Response:
        """The home page: the search form with its facets and, given words, the results."""
        params = request.query_params
        text = params.get("q", "").strip()
        variables: dict[str, Any] = {"text": text, "first": SEARCH_RESULTS}
        chosen: dict[str, str] = {}
        for field, variable in {**TEXT_FACETS, **ENUM_FACETS}.items():
            if value := params.get(field, "").strip():
                variables[variable] = value
                chosen[field] = value
        problems: list[str] = []
        for field, variable in YEAR_FACETS.items():
            if value := params.get(field, "").strip():
                chosen[field] = value
                if value.isdigit():
                    variables[variable] = int(value)
                else:
                    problems.append(f"{field.replace('_', ' ')} must be a year, e.g. 2016")
        if params.get("starred"):
            variables["starred"] = True
            chosen["starred"] = "1"
        facets, ratings, found = await asyncio.gather(
            api.ask(documents.FACETS),
            api.ask(documents.RATINGS),
            _search(api, variables) if text and not problems else _nothing(),
        )
        results = found if isinstance(found, list) else None
        status = 400 if problems else 200
        if isinstance(found, PublicApiError):
            problems.extend(found.messages)
            status = found.status
        kinds = Counter(result["__typename"] for result in results or [])
        kind = params.get("kind", "")
        shown = [r for r in results or [] if not kind or r["__typename"] == kind]
        return self.render(
            "search.html",
            status=status,
            title=f"{text} — search" if text else "Search",
            description=views.description(
                f"What the UK's open-government plans, practices and lessons say about {text}."
                if text
                else "Search the UK's open-government commitments, practices, lessons and "
                "public bodies: who elsewhere tried something like this, and what it achieved."
            ),
            text=text,
            chosen=chosen,
            kind=kind,
            problems=problems,
            results=shown,
            searched=results is not None,
            total=len(results or []),
            capped=len(results or []) >= SEARCH_RESULTS,
            kinds=sorted(kinds.items(), key=lambda item: -item[1]),
            result_places=views.counted_places(results or [])[:PLACES_LISTED],
            result_ratings=views.counted_ratings(results or []),
            query_without_kind=[(k, v) for k, v in params.multi_items() if k != "kind"],
            jurisdictions=views.tree_options(facets["jurisdictions"], "parent"),
            theme_groups=_theme_groups(facets["themes"]),
            plan_groups=_plan_groups(facets["actionPlans"]),
            ratings={
                "potential_impact": _enum_names(ratings["potentialImpact"]),
                "specificity": _enum_names(ratings["specificity"]),
                "completion": _enum_names(ratings["completion"]),
            },
        )

    async def commitment(self, request: Request, api: PublicApi) -> Response:
        entity_id = request.path_params["id"]
        data = await api.ask(documents.COMMITMENT, {"id": entity_id})
        commitment = _found(data["commitment"], "commitment", entity_id)
        if commitment["id"] != entity_id:  # the id has moved (a merge): the page moves with it
            return RedirectResponse(views.page_of("Commitment", commitment["id"]), 301)
        return self.render(
            "commitment.html",
            title=commitment["title"],
            description=views.description(
                f"A commitment of {(commitment['actionPlan'] or {}).get('title') or 'an action plan'}:",
                commitment["summary"] or commitment["title"],
            ),
            commitment=commitment,
            similar=data["similar"],
        )

    async def practice(self, request: Request, api: PublicApi) -> Response:
        entity_id = request.path_params["id"]
        data = await api.ask(documents.PRACTICE, {"id": entity_id})
        practice = _found(data["practice"], "practice", entity_id)
        return self.render(
            "practice.html",
            title=practice["name"],
            description=views.description(
                f"{practice['name']}:", practice["description"] or "an open-government practice."
            ),
            practice=practice,
            similar=data["similar"],
        )

    async def lesson(self, request: Request, api: PublicApi) -> Response:
        entity_id = request.path_params["id"]
        data = await api.ask(documents.LESSON, {"id": entity_id})
        lesson = _found(data["lesson"], "lesson", entity_id)
        return self.render(
            "lesson.html",
            title="Lesson",
            description=views.description(
                "A lesson from open-government practice:", lesson["statement"]
            ),
            lesson=lesson,
        )

    async def body(self, request: Request, api: PublicApi) -> Response:
        entity_id = request.path_params["id"]
        data = await api.ask(documents.BODY, {"id": entity_id})
        body = _found(data["body"], "body", entity_id)
        if body["id"] != entity_id:
            return RedirectResponse(views.page_of("Body", body["id"]), 301)
        return self.render(
            "body.html",
            title=body["name"],
            description=views.description(
                f"{body['name']}: the open-government commitments it leads and partners in, and "
                "the bodies it works with."
            ),
            body=body,
            network=views.network_layout(body["partnerNetwork"]),
            network_size=views.NETWORK_SIZE,
        )

    async def place(self, request: Request, api: PublicApi) -> Response:
        entity_id = request.path_params["id"]
        listed, contents, findings = await asyncio.gather(
            api.ask(documents.PLACES, {"id": entity_id}),
            api.ask(documents.PLACE_CONTENTS, {"id": entity_id}),
            api.ask(documents.PLACE_FINDINGS, {"id": entity_id}),
        )
        data = {**listed, **contents, **findings}
        places = {place["id"]: place for place in data["jurisdictions"]}
        place = _found(places.get(entity_id), "place", entity_id)
        ancestors: list[Mapping[str, Any]] = []
        parent = place["parent"]
        while parent and parent["id"] in places and len(ancestors) < len(places):
            ancestors.insert(0, places[parent["id"]])
            parent = places[parent["id"]]["parent"]
        within = views.descendants(data["jurisdictions"], entity_id, "parent")
        parts = sorted(
            (p for p in data["jurisdictions"] if (p["parent"] or {}).get("id") == entity_id),
            key=lambda p: str(p["name"]).casefold(),
        )
        sub_parts = Counter((p["parent"] or {}).get("id") for p in data["jurisdictions"])
        return self.render(
            "place.html",
            title=place["name"],
            description=views.description(
                f"Open government in {place['name']}: its action plans, commitments, the IRM's "
                "ratings and the lessons recorded there."
            ),
            place=place,
            ancestors=ancestors,
            parts=[(p, sub_parts[p["id"]]) for p in parts],
            within=len(within),
            commitments=data["commitmentsConnection"],
            plans=data["actionPlansConnection"],
            irm=data["irmSummary"],
            lessons=data["lessons"],
            sources=(data["jurisdiction"] or {}).get("sources", []),
        )

    async def plan(self, request: Request, api: PublicApi) -> Response:
        entity_id = request.path_params["id"]
        record, contents, findings = await asyncio.gather(
            api.ask(documents.PLAN, {"id": entity_id}),
            api.ask(documents.PLAN_CONTENTS, {"id": entity_id}),
            api.ask(documents.PLAN_FINDINGS, {"id": entity_id}),
        )
        data = {**record, **contents, **findings}
        plan = _found(data["actionPlan"], "action plan", entity_id)
        return self.render(
            "plan.html",
            title=plan["title"],
            description=views.description(
                f"{plan['title']}: its commitments and how the IRM rated them."
            ),
            plan=plan,
            commitments=data["commitmentsConnection"],
            irm=data["irmSummary"],
        )

    async def theme(self, request: Request, api: PublicApi) -> Response:
        entity_id = request.path_params["id"]
        data = await api.ask(documents.THEME, {"id": entity_id})
        theme = _found(data["theme"], "theme", entity_id)
        narrower = sorted(theme["narrower"], key=lambda t: str(t["name"]).casefold())
        return self.render(
            "theme.html",
            title=theme["name"],
            description=views.description(
                f"Open-government commitments and lessons on {theme['name']} across the UK."
            ),
            theme=theme,
            narrower=narrower,
            commitments=data["commitmentsConnection"],
            lessons=data["lessons"],
        )

    async def coverage(self, request: Request, api: PublicApi) -> Response:
        """The coverage matrix as a heat map, and the gaps as a list."""
        level = request.query_params.get("level", "NATION")
        if level not in COVERAGE_LEVELS:
            level = "NATION"
        scheme = request.query_params.get("scheme", DEFAULT_SCHEME)
        data = await api.ask(documents.COVERAGE, {"level": level, "scheme": scheme})
        matrix = data["coverage"]
        schemes = {t["scheme"]["id"]: t["scheme"]["name"] for t in data["themes"] if t["scheme"]}
        if scheme not in schemes:
            raise NotFoundError(f"No theme scheme has the id {scheme!r}.")
        totals = [
            sum(row["counts"][i] for row in matrix["rows"]) for i in range(len(matrix["themes"]))
        ]
        shown = [i for i, total in enumerate(totals) if total > 0]
        most = max((count for row in matrix["rows"] for count in row["counts"]), default=0)
        rows = [
            {
                "jurisdiction": row["jurisdiction"],
                "cells": [
                    (
                        matrix["themes"][i],
                        row["counts"][i],
                        views.heat_class(row["counts"][i], most),
                    )
                    for i in shown
                ],
                "total": sum(row["counts"]),
            }
            for row in matrix["rows"]
        ]
        gaps: dict[str, list[Mapping[str, Any]]] = {}
        places: dict[str, Mapping[str, Any]] = {}
        for gap in matrix["gaps"]:
            places[gap["jurisdiction"]["id"]] = gap["jurisdiction"]
            gaps.setdefault(gap["jurisdiction"]["id"], []).append(gap)
        return self.render(
            "coverage.html",
            title="Coverage",
            description=views.description(
                "Which places have open-government commitments on which themes, and where the "
                "gaps are, across the UK's nations, countries and councils."
            ),
            level=level,
            levels=COVERAGE_LEVELS,
            scheme=scheme,
            schemes=sorted(schemes.items(), key=lambda item: item[1]),
            themes=[matrix["themes"][i] for i in shown],
            hidden_themes=[t for i, t in enumerate(matrix["themes"]) if i not in shown],
            rows=rows,
            most=most,
            heat_steps=range(views.HEAT_STEPS + 1),
            gaps=[(places[key], found) for key, found in gaps.items()],
            gap_count=len(matrix["gaps"]),
        )

    def routes(self) -> list[BaseRoute]:
        """Every page at its stable address, and the explorer's own stylesheet."""
        return [
            Route("/", self.page(self.search)),
            Route("/commitments/{id:str}", self.page(self.commitment)),
            Route("/practices/{id:str}", self.page(self.practice)),
            Route("/lessons/{id:str}", self.page(self.lesson)),
            Route("/bodies/{id:str}", self.page(self.body)),
            Route("/places/{id:str}", self.page(self.place)),
            Route("/plans/{id:str}", self.page(self.plan)),
            Route("/themes/{id:str}", self.page(self.theme)),
            Route("/coverage", self.page(self.coverage)),
            Mount(STATIC_PATH, StaticFiles(directory=STATIC_DIR), name="explorer-assets"),
        ]


def explorer_routes() -> list[BaseRoute]:
    """The explorer's routes, to mount in the app, and the coordinators' screens beside them."""
    explorer = Explorer()
    return [*explorer.routes(), *Coordinator(explorer.environment).routes()]


async def _search(
    api: PublicApi, variables: dict[str, Any]
) -> list[dict[str, Any]] | PublicApiError:
    """The search's results, or the API's refusal of the user's input to show beside the form."""
    try:
        results: list[dict[str, Any]] = (await api.ask(documents.SEARCH, variables))["search"]
    except PublicApiError as refusal:
        if refusal.status >= 500:
            raise
        return refusal
    return results


async def _nothing() -> None:
    return None


def _found(item: Mapping[str, Any] | None, kind: str, entity_id: str) -> Mapping[str, Any]:
    if item is None:
        raise NotFoundError(f"No {kind} has the id {entity_id!r}.")
    return item


def _enum_names(found: Mapping[str, Any] | None) -> list[str]:
    return [value["name"] for value in (found or {}).get("enumValues", [])]


def _theme_groups(themes: list[Mapping[str, Any]]) -> list[tuple[str, list[views.Option]]]:
    """Themes as one tree per scheme, schemes by name."""
    by_scheme: dict[str, list[Mapping[str, Any]]] = {}
    for theme in themes:
        by_scheme.setdefault(theme["scheme"]["name"] if theme["scheme"] else "", []).append(theme)
    return [
        (name, views.tree_options(found, "broader")) for name, found in sorted(by_scheme.items())
    ]


def _plan_groups(plans: list[Mapping[str, Any]]) -> list[tuple[str, list[views.Option]]]:
    """Plans by jurisdiction, each labelled with its years."""
    by_place: dict[str, list[views.Option]] = {}
    for plan in sorted(plans, key=lambda p: (p["periodStart"] or 0, p["title"])):
        years = views.years(plan["periodStart"], plan["periodEnd"])
        place = plan["jurisdiction"]["name"] if plan["jurisdiction"] else ""
        by_place.setdefault(place, []).append(
            views.Option(plan["id"], f"{plan['title']} ({years})" if years else plan["title"])
        )
    return sorted(by_place.items())
