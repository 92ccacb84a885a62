"""The Gradio chat: the same Assistant as the CLI; answers stream in, [n] markers open their source.

Each answer keeps its citations and the text of the chunks they quote, so clicking [n] in any
answer shows that source in the sources panel with the quoted sentence highlighted. This module holds
what the chat's events do and `build_app`, which wires them to the page (app/chat_page.py); all
document and user text is escaped by app/render.py.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # before gradio is imported

import gradio as gr  # noqa: E402

from app.api import parse_ask  # noqa: E402
from app.chat_page import EXAMPLES, chat_view  # noqa: E402
from app.feedback import FeedbackStore  # noqa: E402
from app.questions import check_question_length  # noqa: E402
from app.render import (  # noqa: E402
    ChunkView,
    answer_message_html,
    dev_view_html,
    pending_message_html,
    sources_panel_html,
    user_message_html,
)
from errors import UserError  # noqa: E402
from index.settings import Settings  # noqa: E402
from retriever.chain import Assistant  # noqa: E402
from retriever.filters import parse_filters  # noqa: E402
from retriever.types import Answer, Audience  # noqa: E402


@dataclass
class Turn:
    """One question and its answer, with what the sources panel and feedback need."""

    question: str
    answer: Answer
    chunks: dict[str, ChunkView]
    filters: dict[str, Any] = field(default_factory=dict)
    answer_id: str = field(default_factory=lambda: uuid.uuid4().hex)


def _history_for_chain(history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Gradio messages (content may be a string or a list of parts) as plain role/content pairs."""
    plain = []
    for message in history or []:
        content = message.get("content", "")
        if isinstance(content, list):
            content = " ".join(p.get("text", "") for p in content if isinstance(p, dict))
        plain.append({"role": message.get("role", "user"), "content": str(content)})
    return plain


def _turns_history(turns: list[Turn]) -> list[dict[str, Any]]:
    history: list[dict[str, Any]] = []
    for t in turns:
        history += [
            {"role": "user", "content": t.question},
            {"role": "assistant", "content": t.answer.answer},
        ]
    return history


def render_messages(turns: list[Turn]) -> list[dict[str, Any]]:
    """The chat as Gradio messages: two per turn (question, answer), so message i is turn i // 2."""
    messages: list[dict[str, Any]] = []
    for number, t in enumerate(turns, start=1):
        messages.append({"role": "user", "content": user_message_html(t.question)})
        messages.append(
            {"role": "assistant", "content": answer_message_html(t.answer, number, first=number == 1)}
        )
    return messages


def panel_html(turns: list[Turn]) -> str:
    return sources_panel_html([(t.answer, t.chunks) for t in turns])


def fetch_chunks(assistant: Assistant, chunk_ids: list[str]) -> dict[str, ChunkView]:
    """The text of the given chunks from the assistant's index (empty when it cannot be read)."""
    views = assistant.chunk_views(chunk_ids)
    return {i: ChunkView(text=v.text, start=v.start, headings=v.headings) for i, v in views.items()}


def stream_turn(
    assistant: Assistant,
    question: str,
    turns: list[Turn],
    audience: Audience,
    filters: dict[str, Any],
) -> Iterator[str | Turn]:
    """Pieces of the answer text so far (accumulated), then the finished Turn."""
    shown = ""
    chosen = parse_filters(**filters)
    for piece in assistant.ask_stream(question, _turns_history(turns), audience, chosen):
        if isinstance(piece, Answer):
            ids = [c.chunk_id for c in piece.citations] + [r.chunk_id for r in piece.retrieved]
            yield Turn(question=question, answer=piece, chunks=fetch_chunks(assistant, ids), filters=filters)
            return
        shown += piece
        yield shown
    raise RuntimeError("the assistant's stream ended without an answer")


def _audience(value: str) -> Audience:
    return "staff" if str(value).lower().startswith("staff") else "patient"


def _message_turn(index: Any) -> int:
    """Gradio's message index (an int, or [message, part]) → the turn it belongs to."""
    if isinstance(index, list | tuple):
        index = index[0]
    return int(index) // 2


# -- what the chat's events do; build_app wires them to the components --------------------------------


def start(message: str) -> tuple[Any, ...]:
    """Take the question from the box and switch Send for Stop while the answer streams."""
    return message, "", gr.update(visible=False), gr.update(visible=True)


def finish() -> tuple[Any, ...]:
    return gr.update(visible=True), gr.update(visible=False)


def stop(turns: list[Turn], asked: str) -> tuple[Any, ...]:
    """After Stop: the conversation as it was, the question back in the box to edit or resend."""
    return render_messages(turns or []), asked, gr.update(visible=True), gr.update(visible=False)


def regenerate(turns: list[Turn]) -> tuple[Any, ...]:
    turns = list(turns or [])
    if not turns:
        return "", turns, render_messages(turns), gr.update(), gr.update()
    last = turns.pop()
    return last.question, turns, render_messages(turns), gr.update(visible=False), gr.update(visible=True)


def retry(turns: list[Turn], data: gr.RetryData) -> tuple[Any, ...]:
    turns = list(turns or [])
    k = _message_turn(data.index)
    if k >= len(turns):
        return "", turns, render_messages(turns), gr.update(), gr.update()
    question = turns[k].question
    turns = turns[:k]
    return question, turns, render_messages(turns), gr.update(visible=False), gr.update(visible=True)


def clear() -> tuple[Any, ...]:
    return [], [], sources_panel_html([]), dev_view_html(None, {}), "", None, gr.update(visible=False), ""


def pick_example(data: gr.SelectData) -> tuple[Any, ...]:
    index = data.index if isinstance(data.index, int) else 0
    audience, question = EXAMPLES[min(max(index, 0), len(EXAMPLES) - 1)]
    return question, audience, gr.update(visible=False), gr.update(visible=True)


def show(on: bool) -> Any:
    return gr.update(visible=on)


@dataclass
class ChatHandlers:
    """The events that need the assistant, the settings or the feedback store (None: feedback off)."""

    assistant: Assistant
    settings: Settings
    feedback: FeedbackStore | None = None

    def respond(
        self, message: str, turns: list[Turn], audience: str, topics: list[str], sources: list[str]
    ) -> Iterator[tuple[Any, ...]]:
        """The conversation with the question, then the answer as it streams, then the sources panel."""
        turns = list(turns or [])
        if not message or not message.strip():
            yield render_messages(turns), turns, gr.skip(), gr.skip()
            return
        message = message.strip()
        try:
            check_question_length(message, self.settings.max_question_chars)
        except UserError as exc:
            raise gr.Error(str(exc)) from None
        filters = {k: v for k, v in {"topic": topics or [], "source": sources or []}.items() if v}
        before = render_messages(turns) + [{"role": "user", "content": user_message_html(message)}]
        yield (
            before + [{"role": "assistant", "content": pending_message_html("")}],
            turns,
            gr.skip(),
            gr.skip(),
        )
        try:
            for item in stream_turn(self.assistant, message, turns, _audience(audience), filters):
                if isinstance(item, Turn):
                    turns = turns + [item]
                    latest = dev_view_html(item.answer, item.chunks)
                    yield render_messages(turns), turns, panel_html(turns), latest
                else:
                    pending = [{"role": "assistant", "content": pending_message_html(item)}]
                    yield before + pending, turns, gr.skip(), gr.skip()
        except Exception as exc:  # the conversation as it was, then the error as a message
            yield render_messages(turns), turns, gr.skip(), gr.skip()
            if isinstance(exc, UserError):
                raise gr.Error(str(exc)) from None
            raise

    def record(self, turn: Turn, rating: int | None, comment: str = "") -> None:
        """One feedback row: the rating or comment with the answer and the settings that made it."""
        assert self.feedback is not None
        answer = turn.answer
        try:
            self.feedback.record(
                answer_id=turn.answer_id,
                question=turn.question,
                answer=answer.answer,
                citations=[c.model_dump() for c in answer.citations],
                settings={
                    "audience": answer.audience,
                    "answerer": answer.answerer or self.settings.answerer,
                    "retrieval": self.settings.retrieval,
                    "filters": turn.filters,
                },
                rating=rating,
                comment=comment,
            )
        except UserError as exc:
            raise gr.Error(str(exc)) from None

    def on_like(self, turns: list[Turn], data: gr.LikeData) -> tuple[Any, ...]:
        turns = turns or []
        k = _message_turn(data.index)
        if k >= len(turns):
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()
        liked = data.liked  # True, False, or "" when the thumb is clicked again to take it back
        rating = 1 if liked is True else -1 if liked is False else 0
        self.record(turns[k], rating)
        status = {
            1: "Thanks, noted.",
            -1: "Thanks, noted. What was wrong or missing?",
            0: "Rating taken back.",
        }
        label = f"Comment on answer {k + 1} (optional)"
        return k, gr.update(visible=True), gr.update(label=label), status[rating]

    def on_comment(self, comment: str, target: int | None, turns: list[Turn]) -> tuple[Any, ...]:
        turns = turns or []
        if not comment or not comment.strip():
            return gr.skip(), "Type a comment first."
        if not turns:
            return gr.skip(), "There is no answer to comment on yet."
        k = target if isinstance(target, int) and 0 <= target < len(turns) else len(turns) - 1
        self.record(turns[k], None, comment)
        return "", f"Comment on answer {k + 1} saved. Thank you."

    def ask_api(
        self,
        question: str,
        history: list[dict[str, Any]] | None = None,
        audience: str = "patient",
        filters: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The same JSON as `autoimmune-qa ask --json`; filters: {source, topic, audience, date_from, date_to}."""
        body = {
            "question": question or "",
            "history": _history_for_chain(history or []),
            "audience": _audience(audience),
            "filters": filters or None,
        }
        try:
            request = parse_ask(body, self.settings.max_question_chars)
        except UserError as exc:
            raise gr.Error(str(exc)) from None
        earlier = [m.model_dump() for m in request.history]
        return self.assistant.ask(request.question, earlier, request.audience, request.filters).model_dump()

    def restore_audience(self, saved: str | None) -> Audience:
        """The audience the browser remembered, else the default."""
        return _audience(saved or self.settings.audience)


def build_app(
    assistant: Assistant,
    *,
    settings: Settings | None = None,
    feedback: FeedbackStore | None = None,
    dev_view: bool | None = None,
) -> Any:
    """The Blocks app. Its `/ask` API returns the same JSON as `autoimmune-qa ask --json`.

    `settings` (default: the assistant's) say whether feedback is on, where it goes (or pass a
    FeedbackStore as `feedback`) and whether the developer view shows from the start."""
    settings = settings or assistant.settings
    chat = settings.chat
    if feedback is None and chat.feedback:
        feedback = FeedbackStore(chat.feedback_db)
    show_dev = chat.dev_view if dev_view is None else dev_view
    on = ChatHandlers(assistant, settings, feedback)
    private: dict[str, Any] = {"api_visibility": "private"}
    with gr.Blocks(title="autoimmune-qa", analytics_enabled=False) as demo:
        v = chat_view(settings, assistant.facets(), feedback is not None, show_dev)
        buttons = [v.send, v.stop]

        def answer_after(trigger: Any) -> Any:
            inputs = [v.asked, v.turns, v.audience, v.topics, v.sources]
            streaming = trigger.then(
                on.respond, inputs, [v.chatbot, v.turns, v.panel, v.dev], show_progress="hidden", **private
            )
            streaming.then(finish, None, buttons, **private)
            return streaming

        taken = [v.asked, v.question, *buttons]
        replayed = [v.asked, v.turns, v.chatbot, *buttons]
        streams = [
            answer_after(v.question.submit(start, [v.question], taken, **private)),
            answer_after(v.send.click(start, [v.question], taken, **private)),
            answer_after(v.regenerate.click(regenerate, [v.turns], replayed, **private)),
            answer_after(v.chatbot.retry(retry, [v.turns], replayed, **private)),
            answer_after(
                v.chatbot.example_select(pick_example, None, [v.asked, v.audience, *buttons], **private)
            ),
        ]
        v.stop.click(stop, [v.turns, v.asked], [v.chatbot, v.question, *buttons], cancels=streams, **private)
        cleared = [
            v.chatbot,
            v.turns,
            v.panel,
            v.dev,
            v.question,
            v.comment_target,
            v.feedback_row,
            v.feedback_status,
        ]
        v.clear.click(clear, None, cleared, cancels=streams, **private)
        v.chatbot.clear(clear, None, cleared, cancels=streams, **private)
        if feedback:
            liked = [v.comment_target, v.feedback_row, v.comment, v.feedback_status]
            v.chatbot.like(on.on_like, [v.turns], liked, **private)
            commented = ([v.comment, v.comment_target, v.turns], [v.comment, v.feedback_status])
            v.send_comment.click(on.on_comment, *commented, **private)
            v.comment.submit(on.on_comment, *commented, **private)
        v.dev_toggle.change(show, v.dev_toggle, v.dev_box, **private)
        # "Answer for" is remembered in the browser, so it holds across reloads of the page
        v.audience.change(_audience, v.audience, v.saved_audience, **private)
        demo.load(on.restore_audience, v.saved_audience, v.audience, **private)
        gr.api(on.ask_api, api_name="ask")
    return demo
