"""A local HTTP service, so a CMS can check a post before it publishes it.

Starlette routes served by uvicorn. The model loads once, at start-up; every request is
judged by the same library calls as the CLI, and answers with the same fields as
`check --format jsonl`. Bad requests get 400, 401, 413 or 422 with a message, and the service
keeps serving.
"""

from __future__ import annotations

import hmac
import json
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from voicecheck import MODEL_FORMAT, __version__, api
from voicecheck.i18n import active
from voicecheck.messages import result_dict, tone_dict
from voicecheck.readers.base import Post, clean_text
from voicecheck.store import SavedModel

DEFAULT_MAX_BODY = 1024 * 1024


class RequestError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


async def _read_json(request: Request, max_body: int) -> Any:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > max_body:
        raise RequestError(413, f"request body over {max_body} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > max_body:
            raise RequestError(413, f"request body over {max_body} bytes")
    try:
        return json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise RequestError(400, f"the body is not valid JSON ({exc})") from exc


def posts_from(document: Any) -> list[Post]:
    """`{"posts": [{"id", "text", "channel"?, "lang"?}]}` as Post records, or a 422 that says why."""
    if not isinstance(document, dict) or not isinstance(document.get("posts"), list):
        raise RequestError(422, 'expected {"posts": [{"id": ..., "text": ..., "channel": ...}]}')
    posts = []
    for number, item in enumerate(document["posts"]):
        if not isinstance(item, dict):
            raise RequestError(422, f"posts[{number}] is not an object")
        text = item.get("text")
        if not isinstance(text, str) or not clean_text(text):
            raise RequestError(422, f"posts[{number}] has no text")
        for key in ("id", "channel", "lang"):
            if item.get(key) is not None and not isinstance(item[key], str | int):
                raise RequestError(422, f"posts[{number}].{key} must be a string")
        channel, lang = item.get("channel"), item.get("lang")
        posts.append(
            Post(
                id=str(item.get("id", f"post-{number + 1}")),
                text=clean_text(text),
                channel=str(channel).lower() if channel else None,
                lang=str(lang).lower()[:2] if lang else None,
                where=f"request#{number + 1}",
            )
        )
    return posts


def create_app(saved: SavedModel, token: str | None = None, max_body: int = DEFAULT_MAX_BODY) -> Starlette:
    """The service for one loaded model."""
    pipeline_mode = saved.pipeline_mode

    def authorised(request: Request) -> bool:
        if token is None:
            return True
        given = request.headers.get("authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())

    async def judge(request: Request, work: str) -> Response:
        if not authorised(request):
            return _error(401, "missing or wrong Authorization: Bearer token")
        try:
            posts = posts_from(await _read_json(request, max_body))
        except RequestError as exc:
            return _error(exc.status, str(exc))
        if work == "check":
            results = [result_dict(result, active()) for result in api.check(saved, posts)]
        else:
            results = [tone_dict(result) for result in api.tone(posts, pipeline_mode)]
        return JSONResponse({"results": results})

    async def check(request: Request) -> Response:
        return await judge(request, "check")

    async def tone(request: Request) -> Response:
        return await judge(request, "tone")

    async def health(request: Request) -> Response:
        del request
        return JSONResponse({
            "status": "ok", "voicecheck": __version__, "model_format": MODEL_FORMAT,
            "brand": saved.profile.name or None, "posts": len(saved.table),
        })  # fmt: skip

    async def openapi(request: Request) -> Response:
        if not authorised(request):
            return _error(401, "missing or wrong Authorization: Bearer token")
        return JSONResponse(openapi_document())

    return Starlette(
        routes=[
            Route("/health", health, methods=["GET"]),
            Route("/v1/check", check, methods=["POST"]),
            Route("/v1/tone", tone, methods=["POST"]),
            Route("/openapi.json", openapi, methods=["GET"]),
        ]
    )


def openapi_document() -> dict[str, Any]:
    post = {
        "type": "object",
        "required": ["text"],
        "properties": {
            "id": {"type": "string"},
            "text": {"type": "string", "minLength": 1},
            "channel": {"type": "string", "description": "facebook, instagram, linkedin, ..."},
            "lang": {"type": "string", "enum": ["en", "fr"], "description": "detected when absent"},
        },
    }
    request_body = {
        "required": True,
        "content": {"application/json": {"schema": {
            "type": "object", "required": ["posts"],
            "properties": {"posts": {"type": "array", "items": post}},
        }}},
    }  # fmt: skip
    errors = {
        code: {"description": text, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        for code, text in (("400", "malformed JSON"), ("401", "missing or wrong bearer token"),
                           ("413", "body over the size limit"), ("422", "a post without text, or a bad field"))
    }  # fmt: skip

    def answer(description: str) -> dict[str, Any]:
        return {"200": {"description": description, "content": {"application/json": {"schema": {
            "type": "object", "properties": {"results": {"type": "array", "items": {"type": "object"}}},
        }}}}, **errors}  # fmt: skip

    return {
        "openapi": "3.1.0",
        "info": {"title": "voicecheck", "version": __version__,
                 "description": "Checks posts against a brand's voice before they are published."},
        "paths": {
            "/health": {"get": {"summary": "Is the service up, and which model does it serve",
                                "responses": {"200": {"description": "up"}}}},
            "/v1/check": {"post": {
                "summary": "Judge posts against the brand voice (same fields as check --format jsonl)",
                "requestBody": request_body, "responses": answer("one result per post, in order"),
            }},
            "/v1/tone": {"post": {
                "summary": "Formality, humor, irreverence and enthusiasm of each post, 0-100",
                "requestBody": request_body, "responses": answer("one tone reading per post, in order"),
            }},
        },
        "components": {
            "schemas": {"Error": {"type": "object", "properties": {"error": {"type": "string"}}}},
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }  # fmt: skip


def serve(saved: SavedModel, host: str, port: int, token: str | None, max_body: int) -> None:
    import uvicorn

    uvicorn.run(create_app(saved, token, max_body), host=host, port=port, log_level="warning", access_log=False)
