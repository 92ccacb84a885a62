"""One server for the chat and a REST API: FastAPI routes under /api, OpenAPI docs at /docs, and the
Gradio UI mounted at "/". Optional HTTP basic or bearer-token auth guards every route (AQA_AUTH)."""

from __future__ import annotations

import base64
import binascii
import hmac
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.questions import check_question_length
from errors import UserError
from index.settings import Settings
from retriever.chain import Assistant
from retriever.filters import Filters
from retriever.types import Answer

REALM = "autoimmune-qa"


class Message(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Literal["user", "assistant"]
    content: str


class AskRequest(BaseModel):
    """A question, optionally with the conversation so far, the audience and filters."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"question": "How does CAR-T therapy help people with lupus?", "audience": "patient"},
                {
                    "question": "how much does it cost?",
                    "history": [
                        {"role": "user", "content": "What is CAR-T therapy for lupus?"},
                        {"role": "assistant", "content": "CAR-T cells destroy B cells. [1]"},
                    ],
                    "audience": "staff",
                    "filters": {"topic": ["CAR-T cell therapy"]},
                },
            ]
        },
    )

    question: str = Field(
        min_length=1,
        description="The question: not blank, at most AQA_MAX_QUESTION_CHARS (2,000) characters.",
    )
    history: list[Message] = Field(default_factory=list, description="Earlier turns, oldest first.")
    audience: Literal["patient", "staff"] | None = Field(None, description="Default: AQA_AUDIENCE.")
    filters: Filters | None = Field(None, description="Which documents the evidence may come from.")


class Health(BaseModel):
    status: Literal["ok"]
    documents: int
    chunks: int
    answerer: str
    prefill_state: str = Field(
        description='Evidence sentences embedded ahead: "off", "idle", "running", "done"'
    )
    prefill_ready: int
    prefill_total: int
    prefill_saved: int = Field(
        description="Of prefill_ready, how many came from the saved file of a previous start"
    )


class ErrorBody(BaseModel):
    detail: str
    errors: list[dict[str, Any]] = Field(default_factory=list)


def parse_auth(value: str | None) -> tuple[str, str] | str | None:
    """AQA_AUTH: 'user:password' (basic) → (user, password); anything else is a bearer token."""
    if not value or not value.strip():
        return None
    value = value.strip()
    if ":" in value:
        user, password = value.split(":", 1)
        if not user or not password:
            raise UserError("AQA_AUTH must be 'user:password' or a bearer token; one side is empty")
        return user, password
    return value


class AuthMiddleware:
    """Every HTTP request needs the credentials: HTTP basic for 'user:password'; for a token, either
    `Authorization: Bearer TOKEN` or basic auth with any user name and the token as password (so a
    browser's login prompt works too)."""

    def __init__(self, app: Any, credentials: tuple[str, str] | str) -> None:
        self.app = app
        self.credentials = credentials

    def allowed(self, header: str) -> bool:
        scheme, _, value = header.partition(" ")
        scheme, value = scheme.lower(), value.strip()
        if scheme == "bearer" and isinstance(self.credentials, str):
            return hmac.compare_digest(value.encode(), self.credentials.encode())
        if scheme != "basic":
            return False
        try:
            user, _, password = base64.b64decode(value, validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return False
        if isinstance(self.credentials, str):
            return hmac.compare_digest(password.encode(), self.credentials.encode())
        want_user, want_password = self.credentials
        same_user = hmac.compare_digest(user.encode(), want_user.encode())
        return hmac.compare_digest(password.encode(), want_password.encode()) and same_user

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        header = headers.get(b"authorization", b"").decode("latin-1")
        if header and self.allowed(header):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        challenge = f'Basic realm="{REALM}", charset="UTF-8"'
        if isinstance(self.credentials, str):
            challenge += f', Bearer realm="{REALM}"'
        body = b'{"detail":"authentication required: send the credentials set in AQA_AUTH"}'
        await send(
            {
                "type": "http.response.start",
                "status": 401,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"www-authenticate", challenge.encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _location(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc if p != "body"]
    return ".".join(parts) or "body"


class InvalidRequest(UserError):
    """An ask request refused before anything is embedded, naming each field (a 422 in the REST API)."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        self.errors = [
            {"field": _location(e.get("loc", ())), "message": str(e.get("msg", "invalid"))} for e in errors
        ]
        super().__init__(
            "invalid request: " + "; ".join(f"{e['field']}: {e['message']}" for e in self.errors)
        )


def check_ask(request: AskRequest, limit: int) -> None:
    """What the body's types cannot say: the question is not blank, and neither it nor an earlier
    question in the history is longer than `limit` (AQA_MAX_QUESTION_CHARS)."""
    if not request.question.strip():
        raise InvalidRequest([{"loc": ("question",), "msg": "must not be blank"}])
    texts: list[tuple[tuple[str | int, ...], str, str]] = [(("question",), request.question, "the question")]
    texts += [
        (("history", i, "content"), m.content, "this earlier question")
        for i, m in enumerate(request.history)
        if m.role == "user"
    ]
    for loc, text, what in texts:
        try:
            check_question_length(text, limit, what)
        except UserError as exc:
            raise InvalidRequest([{"loc": loc, "msg": str(exc)}]) from None


def parse_ask(body: dict[str, Any], limit: int) -> AskRequest:
    """The one validation of both ask endpoints (REST `/api/ask` and the chat's Gradio `/ask`): the
    body's shape (AskRequest), then `check_ask`."""
    try:
        request = AskRequest.model_validate(body)
    except ValidationError as exc:
        raise InvalidRequest([dict(e) for e in exc.errors()]) from None
    check_ask(request, limit)
    return request


def create_app(assistant: Assistant, settings: Settings | None = None, *, ui: bool = True) -> Any:
    """The FastAPI app: /api/ask, /api/health, /docs, and (with ui) the Gradio chat at "/"."""
    import gradio as gr
    from fastapi import FastAPI, Request
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse

    from app.chat import build_app
    from app.chat_page import ui_options

    settings = settings or assistant.settings
    answering = threading.BoundedSemaphore(2)  # two answers at a time: this machine has two cores

    app = FastAPI(
        title="autoimmune-qa",
        version="0.1.0",
        summary="Cited answers about autoimmune therapies, only from the indexed sources.",
        docs_url="/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
    )

    @app.exception_handler(RequestValidationError)
    async def invalid_body(request: Request, exc: RequestValidationError) -> JSONResponse:
        return await invalid(request, InvalidRequest(list(exc.errors())))

    @app.exception_handler(InvalidRequest)
    async def invalid(request: Request, exc: InvalidRequest) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": str(exc), "errors": exc.errors})

    @app.exception_handler(UserError)
    async def user_error(request: Request, exc: UserError) -> JSONResponse:
        return JSONResponse(status_code=400, content={"detail": str(exc)})

    problems: dict[int | str, dict[str, Any]] = {
        400: {"model": ErrorBody, "description": "A mistake the message explains (bad filter, no index)."},
        401: {"model": ErrorBody, "description": "AQA_AUTH is set and the credentials are missing or wrong."},
        422: {"model": ErrorBody, "description": "The request body is not valid."},
    }

    @app.post("/api/ask", response_model=Answer, responses=problems, tags=["answers"])
    def ask(request: AskRequest) -> dict[str, Any]:
        """Answer a question with numbered citations: the same JSON as `autoimmune-qa ask --json`."""
        check_ask(request, settings.max_question_chars)
        history = [m.model_dump() for m in request.history]
        with answering:
            answer = assistant.ask(request.question, history, request.audience, request.filters)
        return answer.model_dump()

    @app.get("/api/health", response_model=Health, responses=problems, tags=["service"])
    def health() -> Health:
        """Whether the index is readable, how big it is, and which answerer writes the answers."""
        return Health.model_validate({"status": "ok", **assistant.health()})

    if ui:
        demo = build_app(assistant, settings=settings)
        demo.queue(default_concurrency_limit=2)
        options = ui_options()
        gr.mount_gradio_app(
            app,
            demo,
            path="/",
            server_name=settings.chat.host,
            server_port=settings.chat.port,
            footer_links=options["footer_links"],
            css=options["css"],
            head=options["head"],
            theme=options["theme"],
            ssr_mode=False,
            show_error=True,
        )
    auth = settings.chat.auth
    credentials = parse_auth(auth.get_secret_value() if auth else None)
    if credentials is not None:
        app.add_middleware(AuthMiddleware, credentials=credentials)
    return app


def serve(settings: Settings, assistant: Assistant) -> None:
    """Run the app with uvicorn until Ctrl+C (binds settings.host, 127.0.0.1 by default)."""
    import uvicorn

    app = create_app(assistant, settings)
    assistant.start_prefill()  # warm answers skip the model once it is done (GET /api/health says)
    chat = settings.chat
    uvicorn.run(app, host=chat.host, port=chat.port, log_level="warning", access_log=False)


@contextmanager
def running(app: Any, host: str = "127.0.0.1", port: int = 0, timeout: float = 60) -> Iterator[str]:
    """Serve `app` with uvicorn in a background thread (tests, notebooks); yields its base URL.
    Port 0 takes a free one."""
    import uvicorn

    config = uvicorn.Config(
        app, host=host, port=port, log_level="warning", access_log=False, timeout_graceful_shutdown=2
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="aqa-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError(f"the server did not start on {host}:{port}")
        time.sleep(0.05)
    bound = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://{host}:{bound}/"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
