"""The coordinators' routes: each screen asks the public GraphQL API with the session's bearer token."""

import asyncio
import functools
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import Environment
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from api.explorer.coordinator import documents, forms
from api.explorer.coordinator.forms import Form
from api.explorer.coordinator.session import (
    CSRF_FIELD,
    MAX_TOKEN_CHARS,
    SESSION_COOKIE,
    SIGN_IN_COOKIE,
    CsrfRefusedError,
    check_csrf,
    csrf_for,
    forget_cookie,
    form_of,
    keep_cookie,
    new_sign_in_nonce,
    session_token,
)
from api.explorer.public_api import FORWARDED_HEADERS, PublicApi, PublicApiError

HOME = "/coordinator"
SIGN_IN = "/coordinator/sign-in"
REVIEW_QUEUE = "/coordinator/review"
QUEUE_SHOWN = 50
DUPLICATES_SHOWN = 50
# The form fields of each kind, as curation names them (for a conflict's "yours").
CURATED_NAMES = {
    "statement": "statement",
    "evidence_source": "evidenceSource",
    "evidence_location": "evidenceLocation",
    "name": "name",
    "description": "description",
}
EDITING_ROLES = {"COORDINATOR", "ADMIN"}
# The state's name of each `CuratedRelation` a link change names.
RELATION_FIELDS = {
    "COMMITMENT": "commitments",
    "PRACTICE": "practices",
    "THEME": "themes",
    "JURISDICTION": "jurisdictions",
    "BODY": "bodies",
    "STANDARD": "standards",
}
# Fields of a conflict's current state that are bookkeeping, not the entity's content.
BOOKKEEPING = {"retracted", "retractedReason"}


@dataclass
class Session:
    """The signed-in person's view: their token (never shown), its form token, who it names."""

    token: str
    csrf: str
    viewer: Mapping[str, Any]

    @property
    def reviews(self) -> bool:
        """Whether the viewer may apply changes, review, revert and merge (else: proposes)."""
        return bool(EDITING_ROLES & set(self.viewer["roles"]))


Screen = Callable[[Request, PublicApi, Session, dict[str, str]], Awaitable[Response]]


@dataclass(frozen=True)
class CuratedScreens:
    """One curated kind's screens: the documents its forms send and the relations it may have.

    `relations` are `CuratedRelation` values, as any client sees them in the schema (the read
    document asks for each); tests check they agree with graph/curated_kinds.py.
    """

    kind: str  # the GraphQL type: Lesson, Practice
    path: str  # under /coordinator
    read: str
    link: str
    unlink: str
    retract: str
    relations: tuple[str, ...]

    @property
    def field(self) -> str:
        """The kind's name in queries and mutations (`lesson`, `linkLesson`)."""
        return self.kind[0].lower() + self.kind[1:]

    def links(self, entity: Mapping[str, Any]) -> list[tuple[str, str, list[str]]]:
        """Each relation a curator may make: its enum value, its field, the ids linked now."""
        return [
            (
                relation,
                RELATION_FIELDS[relation],
                [item["id"] for item in entity.get(RELATION_FIELDS[relation]) or []],
            )
            for relation in self.relations
        ]


LESSON_SCREENS = CuratedScreens(
    "Lesson",
    "lessons",
    documents.LESSON,
    documents.LINK_LESSON,
    documents.UNLINK_LESSON,
    documents.RETRACT_LESSON,
    ("COMMITMENT", "PRACTICE", "THEME", "JURISDICTION"),
)
PRACTICE_SCREENS = CuratedScreens(
    "Practice",
    "practices",
    documents.PRACTICE,
    documents.LINK_PRACTICE,
    documents.UNLINK_PRACTICE,
    documents.RETRACT_PRACTICE,
    ("COMMITMENT", "JURISDICTION", "STANDARD", "THEME", "BODY"),
)
CURATED_SCREENS = (LESSON_SCREENS, PRACTICE_SCREENS)


def api_with_token(request: Request, token: str) -> PublicApi:
    """The API as the session's bearer sees it."""
    client = (request.client.host, request.client.port) if request.client else ("unknown", 0)
    headers = {
        name: request.headers[name]
        for name in FORWARDED_HEADERS
        if name in request.headers and name != "authorization"
    }
    return PublicApi(request.app, client, {**headers, "authorization": f"Bearer {token}"})


def _next_page(target: str) -> str:
    """Where to go after sign-in: a coordinator page on this site, never elsewhere."""
    return target if target.startswith(HOME) and not target.startswith("//") else HOME


class Coordinator:
    """The coordinators' screens, sharing the explorer's template environment."""

    def __init__(self, environment: Environment) -> None:
        self.environment = environment

    def render(
        self, template: str, status: int = 200, session: Session | None = None, **values: Any
    ) -> HTMLResponse:
        page = self.environment.get_template(template).render(
            session=session, csrf_field=CSRF_FIELD, **values
        )
        return HTMLResponse(page, status_code=status, headers={"cache-control": "no-store"})

    def screen(self, build: Screen) -> Callable[[Request], Awaitable[Response]]:
        """A route for the signed-in: no session → the sign-in page; a POST needs its CSRF token."""

        async def endpoint(request: Request) -> Response:
            token = session_token(request)
            if token is None:
                return RedirectResponse(f"{SIGN_IN}?{urlencode({'next': request.url.path})}", 303)
            api = api_with_token(request, token)
            try:
                form: dict[str, str] = {}
                if request.method == "POST":
                    form = await form_of(request)
                    check_csrf(form, csrf_for(token))
                viewer = (await api.ask(documents.VIEWER))["viewer"]
                session = Session(token, csrf_for(token), viewer)
                return await build(request, api, session, form)
            except CsrfRefusedError as refused:
                return self.render("error.html", 403, title="Form refused", messages=[str(refused)])
            except PublicApiError as refusal:
                if refusal.status == 401:  # expired or no longer valid: sign in again
                    response = RedirectResponse(f"{SIGN_IN}?expired=1", 303)
                    forget_cookie(response, request, SESSION_COOKIE)
                    return response
                title = "Not found" if refusal.status == 404 else "The API refused the request"
                return self.render(
                    "error.html", refusal.status, title=title, messages=refusal.messages
                )

        return endpoint

    # Sign-in and sign-out

    async def sign_in_page(self, request: Request) -> Response:
        """The form to paste a token in; a POST checks it with the API and keeps it in a cookie."""
        if request.method == "GET":
            return self._sign_in_form(
                request,
                next_page=request.query_params.get("next", HOME),
                expired=request.query_params.get("expired") == "1",
                signed_out=request.query_params.get("signed_out") == "1",
            )
        form = await form_of(request)
        next_page = _next_page(form.get("next", HOME))
        try:
            check_csrf(form, request.cookies.get(SIGN_IN_COOKIE))
        except CsrfRefusedError as refused:
            return self._sign_in_form(request, next_page=next_page, error=str(refused), status=403)
        token = form.get("token", "").strip()
        if token.lower().startswith("bearer "):
            token = token[len("bearer ") :].strip()
        if not token or len(token) > MAX_TOKEN_CHARS:
            return self._sign_in_form(
                request, next_page=next_page, error="Paste a token from `ogkg token`.", status=400
            )
        try:
            viewer = (await api_with_token(request, token).ask(documents.VIEWER))["viewer"]
        except PublicApiError as refusal:
            if refusal.status >= 500:
                raise
            return self._sign_in_form(
                request,
                next_page=next_page,
                error="The API refused this token: " + "; ".join(refusal.messages),
                status=401,
            )
        if viewer is None:
            return self._sign_in_form(
                request, next_page=next_page, error="This token names no one.", status=401
            )
        response = RedirectResponse(next_page, 303)
        keep_cookie(response, request, SESSION_COOKIE, token)
        forget_cookie(response, request, SIGN_IN_COOKIE)
        return response

    def _sign_in_form(
        self,
        request: Request,
        *,
        next_page: str,
        error: str | None = None,
        status: int = 200,
        expired: bool = False,
        signed_out: bool = False,
    ) -> Response:
        nonce = new_sign_in_nonce()
        response = self.render(
            "coordinator/sign_in.html",
            status,
            title="Sign in",
            sign_in_csrf=nonce,
            next_page=_next_page(next_page),
            error=error,
            expired=expired,
            signed_out=signed_out,
        )
        keep_cookie(response, request, SIGN_IN_COOKIE, nonce)
        return response

    async def sign_out(
        self, request: Request, api: PublicApi, session: Session, form: dict[str, str]
    ) -> Response:
        response = RedirectResponse(f"{SIGN_IN}?signed_out=1", 303)
        forget_cookie(response, request, SESSION_COOKIE)
        return response

    # Home: who is signed in, and finding what to edit

    async def home(
        self, request: Request, api: PublicApi, session: Session, form: dict[str, str]
    ) -> Response:
        text = request.query_params.get("q", "").strip()
        found = (await api.ask(documents.FIND, {"text": text}))["search"] if text else None
        return self.render(
            "coordinator/home.html",
            session=session,
            title="Coordinators",
            text=text,
            found=[hit for hit in found or [] if hit["__typename"] in {"Lesson", "Practice"}],
            searched=found is not None,
        )

    # Lessons and practices

    async def new_lesson(
        self, request: Request, api: PublicApi, session: Session, form: dict[str, str]
    ) -> Response:
        typed = forms.lesson_form(form, creating=True)
        if request.method == "GET":
            return self._lesson_form(session, typed, entity=None)
        answer = (await api.ask(documents.CREATE_LESSON, {"input": forms.lesson_input(typed)}))[
            "createLesson"
        ]
        return self._outcome(
            session,
            answer,
            typed,
            lambda status, **more: self._lesson_form(
                session, typed, entity=None, status=status, **more
            ),
        )

    async def edit_lesson(
        self, request: Request, api: PublicApi, session: Session, form: dict[str, str]
    ) -> Response:
        entity_id = request.path_params["id"]
        lesson = (await api.ask(documents.LESSON, {"id": entity_id}))["lesson"]
        if lesson is None:
            return self._missing(session, "lesson", entity_id)
        if request.method == "GET":
            typed = Form(forms.lesson_values(lesson))
            return self._lesson_form(
                session,
                typed,
                entity=lesson,
                version=lesson["version"],
                done=request.query_params.get("done"),
            )
        typed = forms.lesson_form(form, creating=False)
        version = _int(form.get("expected_version"), lesson["version"])
        answer = (
            await api.ask(
                documents.UPDATE_LESSON,
                {
                    "id": entity_id,
                    "expectedVersion": version,
                    "input": forms.lesson_patch(typed, lesson),
                },
            )
        )["updateLesson"]
        return self._outcome(
            session,
            answer,
            typed,
            lambda status, **more: self._lesson_form(
                session, typed, entity=lesson, status=status, **{"version": version, **more}
            ),
        )

    def _lesson_form(
        self,
        session: Session,
        typed: Form,
        *,
        entity: Mapping[str, Any] | None,
        status: int = 200,
        **more: Any,
    ) -> Response:
        return self.render(
            "coordinator/lesson_form.html",
            status,
            session=session,
            title="Edit lesson" if entity else "New lesson",
            form=typed,
            entity=entity,
            links=LESSON_SCREENS.links(entity) if entity else [],
            **more,
        )

    async def new_practice(
        self, request: Request, api: PublicApi, session: Session, form: dict[str, str]
    ) -> Response:
        typed = forms.practice_form(form, creating=True)
        if request.method == "GET":
            return self._practice_form(session, typed, entity=None)
        answer = (await api.ask(documents.CREATE_PRACTICE, {"input": forms.practice_input(typed)}))[
            "createPractice"
        ]
        return self._outcome(
            session,
            answer,
            typed,
            lambda status, **more: self._practice_form(
                session, typed, entity=None, status=status, **more
            ),
        )

    async def edit_practice(
        self, request: Request, api: PublicApi, session: Session, form: dict[str, str]
    ) -> Response:
        entity_id = request.path_params["id"]
        practice = (await api.ask(documents.PRACTICE, {"id": entity_id}))["practice"]
        if practice is None:
            return self._missing(session, "practice", entity_id)
        if request.method == "GET":
            typed = Form(forms.practice_values(practice))
            return self._practice_form(
                session,
                typed,
                entity=practice,
                version=practice["version"],
                done=request.query_params.get("done"),
            )
        typed = forms.practice_form(form, creating=False)
        version = _int(form.get("expected_version"), practice["version"])
        answer = (
            await api.ask(
                documents.UPDATE_PRACTICE,
                {
                    "id": entity_id,
                    "expectedVersion": version,
                    "input": forms.practice_patch(typed, practice),
                },
            )
        )["updatePractice"]
        return self._outcome(
            session,
            answer,
            typed,
            lambda status, **more: self._practice_form(
                session, typed, entity=practice, status=status, **{"version": version, **more}
            ),
        )

    def _practice_form(
        self,
        session: Session,
        typed: Form,
        *,
        entity: Mapping[str, Any] | None,
        status: int = 200,
        **more: Any,
    ) -> Response:
        return self.render(
            "coordinator/practice_form.html",
            status,
            session=session,
            title="Edit practice" if entity else "New practice",
            form=typed,
            entity=entity,
            links=PRACTICE_SCREENS.links(entity) if entity else [],
            **more,
        )

    def _outcome(
        self,
        session: Session,
        answer: Mapping[str, Any],
        typed: Form,
        again: Callable[..., Response],
    ) -> Response:
        """What a form's mutation did: applied → its history; proposed → say so; else the form again."""
        match answer["__typename"]:
            case "Applied":
                entity_id = answer["revision"]["entityId"]
                return RedirectResponse(
                    f"{HOME}/history/{quote(entity_id, safe='')}?done=applied", 303
                )
            case "Proposed":
                return self._proposed(session, answer["changeSet"])
            case "ValidationError":
                forms.show_problem(typed, answer)
                return again(422)
            case _:  # Conflict: both versions, and the form again against the current version
                yours = {
                    CURATED_NAMES[name]: value
                    for name, value in typed.values.items()
                    if name in CURATED_NAMES and value
                }
                return again(
                    409, version=answer["currentVersion"], conflict=_conflict(answer, yours)
                )

    # Links and retraction, the same for every curated kind

    async def change_link(
        self,
        screens: CuratedScreens,
        request: Request,
        api: PublicApi,
        session: Session,
        form: dict[str, str],
    ) -> Response:
        """Add or remove one link of a lesson or practice, against the version the page showed."""
        entity_id = request.path_params["id"]
        unlinking = form.get("action") == "unlink"
        relation = form.get("relation", "")
        target = form.get("target", "").strip()
        allowed = {name for name, _, _ in screens.links({})}
        if relation not in allowed or not target:
            message = "Choose what to link to and give its id."
            return await self._edit_again(
                screens, api, session, entity_id=entity_id, problem=message, status=422
            )
        verb = "unlink" if unlinking else "link"
        answer = (
            await api.ask(
                screens.unlink if unlinking else screens.link,
                {
                    "id": entity_id,
                    "relation": relation,
                    "targetId": target,
                    "expectedVersion": _int(form.get("expected_version"), None),
                },
            )
        )[verb + screens.kind]
        return await self._change_outcome(
            screens, api, session, entity_id=entity_id, answer=answer, done=f"{verb}ed"
        )

    async def retract(
        self,
        screens: CuratedScreens,
        request: Request,
        api: PublicApi,
        session: Session,
        form: dict[str, str],
    ) -> Response:
        """Withdraw a lesson or practice, saying why; its history stays."""
        entity_id = request.path_params["id"]
        reason = form.get("reason", "").strip()
        if not reason:
            message = "Say why it is retracted."
            return await self._edit_again(
                screens, api, session, entity_id=entity_id, problem=message, status=422
            )
        answer = (
            await api.ask(
                screens.retract,
                {
                    "id": entity_id,
                    "expectedVersion": _int(form.get("expected_version"), 0),
                    "reason": reason,
                },
            )
        )["retract" + screens.kind]
        if answer["__typename"] == "Applied":
            return RedirectResponse(
                f"{HOME}/history/{quote(entity_id, safe='')}?done=retracted", 303
            )
        return await self._change_outcome(
            screens, api, session, entity_id=entity_id, answer=answer, done="retracted"
        )

    async def _change_outcome(
        self,
        screens: CuratedScreens,
        api: PublicApi,
        session: Session,
        *,
        entity_id: str,
        answer: Mapping[str, Any],
        done: str,
    ) -> Response:
        match answer["__typename"]:
            case "Applied":
                page = f"{HOME}/{screens.path}/{quote(entity_id, safe='')}/edit?done={done}"
                return RedirectResponse(page, 303)
            case "Proposed":
                return self._proposed(session, answer["changeSet"])
            case "Conflict":
                message = (
                    f"Someone else changed it first (it is at version {answer['currentVersion']}"
                    "): nothing was changed. The page now shows it as it is; try again."
                )
                return await self._edit_again(
                    screens, api, session, entity_id=entity_id, problem=message, status=409
                )
            case _:
                return await self._edit_again(
                    screens,
                    api,
                    session,
                    entity_id=entity_id,
                    problem=str(answer["message"]),
                    status=422,
                )

    async def _edit_again(
        self,
        screens: CuratedScreens,
        api: PublicApi,
        session: Session,
        *,
        entity_id: str,
        problem: str,
        status: int,
    ) -> Response:
        """The edit page as the entity is now, with what went wrong with the last change."""
        entity = (await api.ask(screens.read, {"id": entity_id}))[screens.field]
        if entity is None:
            return self._missing(session, screens.field, entity_id)
        if screens is LESSON_SCREENS:
            typed = Form(forms.lesson_values(entity))
            return self._lesson_form(
                session, typed, entity=entity, status=status, version=entity["version"],
                action_problem=problem,
            )  # fmt: skip
        typed = Form(forms.practice_values(entity))
        return self._practice_form(
            session, typed, entity=entity, status=status, version=entity["version"],
            action_problem=problem,
        )  # fmt: skip

    def _proposed(self, session: Session, change_set: Mapping[str, Any]) -> Response:
        return self.render(
            "coordinator/proposed.html",
            202,
            session=session,
            title="Proposed for review",
            change_set=change_set,
        )

    def _missing(self, session: Session, kind: str, entity_id: str) -> Response:
        return self.render(
            "error.html",
            404,
            session=session,
            title="Not found",
            messages=[f"No {kind} has the id {entity_id!r} (or it was retracted)."],
        )

    # Review queue

    async def review_queue(
        self, request: Request, api: PublicApi, session: Session, form: dict[str, str]
    ) -> Response:
        return await self._queue(request, api, session)

    async def review(
        self, request: Request, api: PublicApi, session: Session, form: dict[str, str]
    ) -> Response:
        change_set_id = request.path_params["id"]
        decision = "APPROVE" if form.get("decision") == "APPROVE" else "REJECT"
        answer = (
            await api.ask(
                documents.REVIEW,
                {
                    "id": change_set_id,
                    "decision": decision,
                    "comment": form.get("comment", "").strip() or None,
                },
            )
        )["reviewChangeSet"]
        match answer["__typename"]:
            case "Applied":
                done = urlencode({"done": "approved", "entity": answer["revision"]["entityId"]})
                return RedirectResponse(f"{REVIEW_QUEUE}?{done}", 303)
            case "Proposed":
                return RedirectResponse(f"{REVIEW_QUEUE}?done=rejected", 303)
            case "Conflict":
                problem = {"id": change_set_id, "conflict": _conflict(answer, {})}
                return await self._queue(request, api, session, problem, 409)
            case _:
                problem = {"id": change_set_id, "message": answer["message"]}
                return await self._queue(request, api, session, problem, 422)

    async def _queue(
        self,
        request: Request,
        api: PublicApi,
        session: Session,
        problem: Mapping[str, Any] | None = None,
        status: int = 200,
    ) -> Response:
        queue = (await api.ask(documents.REVIEW_QUEUE, {"first": QUEUE_SHOWN}))["changeSets"]
        states = await asyncio.gather(*(_state_now(api, change) for change in queue))
        return self.render(
            "coordinator/review.html",
            status,
            session=session,
            title="Review queue",
            queue=[
                (change, _proposed_rows(change, state))
                for change, state in zip(queue, states, strict=True)
            ],
            problem=problem,
            done=request.query_params.get("done"),
            entity=request.query_params.get("entity"),
        )

    # History and revert

    async def history(
        self, request: Request, api: PublicApi, session: Session, form: dict[str, str]
    ) -> Response:
        return await self._history(request, api, session)

    async def revert(
        self, request: Request, api: PublicApi, session: Session, form: dict[str, str]
    ) -> Response:
        entity_id = request.path_params["id"]
        to_version = _int(form.get("to_version"), 0)
        answer = (
            await api.ask(
                documents.REVERT,
                {
                    "id": entity_id,
                    "toVersion": to_version,
                    "expectedVersion": _int(form.get("expected_version"), None),
                },
            )
        )["revert"]
        match answer["__typename"]:
            case "Applied":
                return RedirectResponse(
                    f"{HOME}/history/{quote(entity_id, safe='')}?done=reverted", 303
                )
            case "Proposed":
                return self._proposed(session, answer["changeSet"])
            case "Conflict":
                yours = {"revert to version": to_version}
                return await self._history(
                    request, api, session, {"conflict": _conflict(answer, yours)}, 409
                )
            case _:
                return await self._history(
                    request, api, session, {"message": answer["message"]}, 422
                )

    async def _history(
        self,
        request: Request,
        api: PublicApi,
        session: Session,
        problem: Mapping[str, Any] | None = None,
        status: int = 200,
    ) -> Response:
        entity_id = request.path_params["id"]
        data = await api.ask(documents.HISTORY, {"id": entity_id})
        revisions = data["history"]
        entity = data["lesson"] or data["practice"]
        if not revisions and entity is None:
            return self._missing(session, "lesson or practice", entity_id)
        current = max([r["version"] for r in revisions] + [entity["version"] if entity else 0])
        kind = "Lesson" if data["lesson"] else "Practice" if data["practice"] else None
        if kind is None and revisions:
            kind = revisions[0].get("kind")
        return self.render(
            "coordinator/history.html",
            status,
            session=session,
            title="History",
            entity_id=entity_id,
            entity=entity,
            kind=kind,
            current=current,
            revisions=[
                (
                    revision,
                    [
                        (
                            change["field"],
                            forms.shown(forms.decoded(change["before"])),
                            forms.shown(forms.decoded(change["after"])),
                        )
                        for change in revision["changes"]
                    ],
                )
                for revision in reversed(revisions)
            ],
            problem=problem,
            done=request.query_params.get("done"),
        )

    # Duplicates and merge

    async def duplicates(
        self, request: Request, api: PublicApi, session: Session, form: dict[str, str]
    ) -> Response:
        return await self._duplicates(request, api, session)

    async def merge(
        self, request: Request, api: PublicApi, session: Session, form: dict[str, str]
    ) -> Response:
        first, second, keep = form.get("first", ""), form.get("second", ""), form.get("keep", "")
        drop = second if keep == first else first
        reason = form.get("reason", "").strip()
        if not reason:
            problem = {"keep": keep, "drop": drop, "message": "Say why they are one organisation."}
            return await self._duplicates(request, api, session, problem, 422)
        answer = (await api.ask(documents.MERGE, {"keep": keep, "drop": drop, "reason": reason}))[
            "mergeBodies"
        ]
        match answer["__typename"]:
            case "Applied":
                done = urlencode({"done": "merged", "keep": keep, "drop": drop})
                return RedirectResponse(f"{HOME}/duplicates?{done}", 303)
            case "Proposed":
                return self._proposed(session, answer["changeSet"])
            case _:
                problem = {"keep": keep, "drop": drop, "message": answer["message"]}
                return await self._duplicates(request, api, session, problem, 409)

    async def unmerge(
        self, request: Request, api: PublicApi, session: Session, form: dict[str, str]
    ) -> Response:
        """Undo the latest merge of `drop` into `keep`."""
        keep, drop = form.get("keep", ""), form.get("drop", "")
        answer = (await api.ask(documents.UNMERGE, {"keep": keep, "drop": drop}))["unmergeBodies"]
        match answer["__typename"]:
            case "Applied":
                done = urlencode({"done": "unmerged", "keep": keep, "drop": drop})
                return RedirectResponse(f"{HOME}/duplicates?{done}", 303)
            case "Proposed":
                return self._proposed(session, answer["changeSet"])
            case _:
                problem = {"unmerge": True, "message": answer["message"]}
                return await self._duplicates(request, api, session, problem, 409)

    async def _duplicates(
        self,
        request: Request,
        api: PublicApi,
        session: Session,
        problem: Mapping[str, Any] | None = None,
        status: int = 200,
    ) -> Response:
        pairs = (await api.ask(documents.DUPLICATES, {"first": DUPLICATES_SHOWN}))[
            "duplicateBodies"
        ]
        return self.render(
            "coordinator/duplicates.html",
            status,
            session=session,
            title="Duplicates",
            pairs=pairs,
            problem=problem,
            done=request.query_params.get("done"),
            kept=request.query_params.get("keep"),
            dropped=request.query_params.get("drop"),
        )

    def routes(self) -> list[BaseRoute]:
        """The coordinators' screens under /coordinator."""
        return [
            Route(SIGN_IN, self.sign_in_page, methods=["GET", "POST"]),
            Route(f"{HOME}/sign-out", self.screen(self.sign_out), methods=["POST"]),
            Route(HOME, self.screen(self.home)),
            Route(f"{HOME}/lessons/new", self.screen(self.new_lesson), methods=["GET", "POST"]),
            Route(
                f"{HOME}/lessons/{{id:str}}/edit",
                self.screen(self.edit_lesson),
                methods=["GET", "POST"],
            ),
            Route(f"{HOME}/practices/new", self.screen(self.new_practice), methods=["GET", "POST"]),
            Route(
                f"{HOME}/practices/{{id:str}}/edit",
                self.screen(self.edit_practice),
                methods=["GET", "POST"],
            ),
            Route(REVIEW_QUEUE, self.screen(self.review_queue)),
            Route(f"{REVIEW_QUEUE}/{{id:str}}", self.screen(self.review), methods=["POST"]),
            Route(f"{HOME}/history/{{id:str}}", self.screen(self.history)),
            Route(f"{HOME}/history/{{id:str}}/revert", self.screen(self.revert), methods=["POST"]),
            Route(f"{HOME}/duplicates", self.screen(self.duplicates)),
            Route(f"{HOME}/duplicates/merge", self.screen(self.merge), methods=["POST"]),
            Route(f"{HOME}/duplicates/unmerge", self.screen(self.unmerge), methods=["POST"]),
            *(
                route
                for screens in CURATED_SCREENS
                for route in (
                    Route(
                        f"{HOME}/{screens.path}/{{id:str}}/links",
                        self.screen(functools.partial(self.change_link, screens)),
                        methods=["POST"],
                    ),
                    Route(
                        f"{HOME}/{screens.path}/{{id:str}}/retract",
                        self.screen(functools.partial(self.retract, screens)),
                        methods=["POST"],
                    ),
                )
            ),
        ]


def _int(value: str | None, default: Any) -> Any:
    try:
        return int(value) if value else default
    except ValueError:
        return default


def _conflict(answer: Mapping[str, Any], yours: Mapping[str, Any]) -> dict[str, Any]:
    """A `Conflict` as the screens show it: theirs (the current state) beside yours."""
    theirs = {
        item["field"]: forms.decoded(item["value"])
        for item in answer["current"]
        if item["field"] not in BOOKKEEPING
    }
    names = list(dict.fromkeys([*yours, *theirs]))
    message = str(answer["message"]).strip()
    return {
        "message": message if message.endswith(".") else f"{message}.",
        "version": answer["currentVersion"],
        "rows": [
            (
                name,
                forms.shown(theirs.get(name)),
                forms.shown(yours.get(name)) if name in yours else "(unchanged)",
                name in yours and theirs.get(name) != yours.get(name),
            )
            for name in names
        ],
    }


async def _state_now(api: PublicApi, change: Mapping[str, Any]) -> dict[str, Any]:
    """The current state of a change set's lesson or practice (empty for a new one or a body)."""
    if change["action"] == "CREATE" or change["kind"] not in {"Lesson", "Practice"}:
        return {}
    document = documents.LESSON if change["kind"] == "Lesson" else documents.PRACTICE
    data = await api.ask(document, {"id": change["entityId"]})
    return forms.state_of(data["lesson" if change["kind"] == "Lesson" else "practice"])


def _proposed_rows(
    change: Mapping[str, Any], state: Mapping[str, Any]
) -> list[tuple[str, str, str]]:
    """Each field a change set changes: its value now and the value proposed."""
    rows = [
        (
            item["field"],
            forms.shown(state.get(item["field"])),
            forms.shown(forms.decoded(item["after"])),
        )
        for item in change["fields"]
    ]
    relation, target = change["relation"], change["targetId"]
    if change["action"] in {"LINK", "UNLINK"} and relation and target:
        relation = RELATION_FIELDS.get(relation, str(relation))
        before = list(state.get(relation) or [])
        after = (
            sorted({*before, target})
            if change["action"] == "LINK"
            else [i for i in before if i != target]
        )
        rows.append((relation, forms.shown(before), forms.shown(after)))
    if change["action"] == "RETRACT":
        rows.append(("retracted", "no", "yes"))
    if change["action"] == "MERGE":
        rows.append(("merged into", "\u2014", str(target)))
    return rows
