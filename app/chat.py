"""The Gradio chat: the same Assistant as the CLI; answers stream in, [n] markers open their source.

Layout: the conversation on the left, a sources panel on the right. Each answer keeps its
citations and the text of the chunks they quote, so clicking [n] in any answer shows that source
with the quoted sentence highlighted. All document and user text is escaped by app/render.py.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # before gradio is imported

import gradio as gr  # noqa: E402

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
from index.errors import UserError  # noqa: E402
from index.settings import Settings  # noqa: E402
from retriever.chain import Assistant  # noqa: E402
from retriever.filters import parse_filters  # noqa: E402
from retriever.types import Answer, Audience  # noqa: E402

# One example per audience, shown in the empty chat; picking one also sets "Answer for".
EXAMPLES: list[tuple[Audience, str]] = [
    ("patient", "How does CAR-T therapy help people with lupus?"),
    ("staff", "How many patients were in the German CAR-T lupus study, and how long did remission last?"),
]
AUDIENCES = [("Patient", "patient"), ("Staff", "staff")]

PLACEHOLDER = (
    "### Ask about lupus, CAR-T cell therapy, bispecific T-cell engagers or B cells\n"
    "Answers come only from the bundled sources, and every sentence cites one: click a marker such "
    "as **[1]** to see the quoted sentence in its source. General information, not medical advice."
)

CSS = """
.aqa-msg p { margin: 0 0 .5em 0; }
.aqa-text ul { margin: 0 0 .5em 1.2em; padding-left: .6em; list-style: disc; }
.aqa-text li { margin: 0 0 .15em 0; }
.aqa-msg .aqa-cite, .aqa-msg .aqa-src-link { font-weight: 600; text-decoration: underline; }
.aqa-notice { border-left: 4px solid #1d4ed8; background: #eff6ff; color: #1e3a8a; padding: .5em .75em;
  border-radius: 6px; margin-bottom: .6em; }
.aqa-urgent { border: 3px solid #b91c1c; background: #fef2f2; color: #7f1d1d; padding: .6em .8em;
  border-radius: 8px; margin-bottom: .6em; }
.aqa-urgent a { color: #7f1d1d; }
.aqa-notice strong { font-size: inherit; }
.aqa-urgent-title { font-size: 1.1em; }
#aqa-controls { align-items: center; }
.aqa-icon { display: inline-block; width: 1.35em; height: 1.35em; line-height: 1.35em; border-radius: 50%;
  text-align: center; font-weight: 700; font-style: normal; color: #fff; background: #1d4ed8;
  margin-right: .25em; }
.aqa-icon::before { content: "i"; }
.aqa-urgent .aqa-icon { background: #b91c1c; }
.aqa-urgent .aqa-icon::before { content: "!"; }
.aqa-refused { font-style: italic; }
.aqa-answer-notice, .aqa-meta { font-size: .9em; opacity: .85; }
.aqa-sources-title { margin-top: .6em !important; }
.aqa-sources { list-style: none; padding-left: 0; margin: 0; }
.aqa-sources li { margin: 0 0 .5em 0; }
.aqa-quote { font-style: italic; }
.aqa-typing { animation: aqa-blink 1s steps(2, start) infinite; }
@keyframes aqa-blink { to { visibility: hidden; } }
#aqa-sources .aqa-panel { max-height: 720px; overflow-y: auto; }
.aqa-turn-q { font-weight: 600; margin: 0 0 .5em 0; }
.aqa-source { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: .4em .75em;
  margin: 0 0 .6em 0; }
.aqa-source > summary { cursor: pointer; font-weight: 600; padding: .2em 0; }
.aqa-source > summary:focus-visible { outline: 3px solid #1d4ed8; outline-offset: 2px; }
.aqa-source.aqa-active { border-color: #1d4ed8; box-shadow: 0 0 0 2px #1d4ed8; }
.aqa-facts { display: grid; grid-template-columns: max-content 1fr; gap: .15em .75em; margin: .4em 0;
  font-size: .9em; }
.aqa-facts dt { font-weight: 600; }
.aqa-facts dd { margin: 0; overflow-wrap: anywhere; }
.aqa-based-on { font-size: .9em; }
.aqa-based-on ul { margin: .2em 0 .4em 1.2em; }
.aqa-article-sources { opacity: .85; }
.aqa-chunk { border-left: 3px solid var(--border-color-primary); margin: .5em 0; padding: .2em .75em;
  line-height: 1.5; }
mark.aqa-hl { background: #fde047; color: #111827; padding: 0 .1em; border-radius: 2px; }
.aqa-empty { opacity: .85; }
.aqa-dev table { width: 100%; font-size: .85em; border-collapse: collapse; }
.aqa-dev td, .aqa-dev th { border: 1px solid var(--border-color-primary); padding: .2em .4em;
  vertical-align: top; text-align: left; }
.aqa-dev caption { text-align: left; font-weight: 600; padding: .4em 0; }
"""

# Runs once per page: [n] links open their source in the panel; the chat's copy buttons copy the
# answer as plain text (sources and quotes included) instead of the message's HTML.
HEAD = """
<script>
(() => {
  if (window.aqaInstalled) return;
  window.aqaInstalled = true;
  // A click that comes before the panel shows its card, or just before the panel is drawn again
  // (the answer's last update), is kept for a moment and carried out on the new card.
  let wanted = null;
  function openSource(id) {
    const card = document.getElementById(id);
    if (!card || !card.classList.contains("aqa-source")) {
      wanted = { id: id, node: null, until: Date.now() + 5000 };
      return false;
    }
    wanted = { id: id, node: card, until: Date.now() + 2000 };
    const turn = card.closest(".aqa-turn");
    document.querySelectorAll(".aqa-turn").forEach((t) => { t.hidden = t !== turn; });
    document.querySelectorAll(".aqa-source").forEach((s) => {
      if (s !== card) { s.open = false; s.classList.remove("aqa-active"); }
    });
    card.open = true;
    card.classList.add("aqa-active");
    card.scrollIntoView({ block: "nearest" });
    const summary = card.querySelector("summary");
    if (summary) summary.focus({ preventScroll: true });
    return true;
  }
  window.aqaOpenSource = openSource;
  document.addEventListener("click", (event) => {
    const link = event.target instanceof Element && event.target.closest('a[href^="#aqa-src-"]');
    if (!link) return;
    event.preventDefault();
    event.stopPropagation();
    openSource(link.getAttribute("href").slice(1));
  }, true);
  function plain(text) {
    if (typeof text !== "string" || !text.includes('class="aqa-msg')) return text;
    const doc = new DOMParser().parseFromString(text, "text/html");  // inert: nothing runs or loads
    doc.querySelectorAll("br").forEach((br) => br.replaceWith("\\n"));
    doc.querySelectorAll("p, li, div, ul").forEach((el) => el.append("\\n"));
    return (doc.body.textContent || "").split("\\n").map((l) => l.trim()).join("\\n")
      .replace(/\\n{3,}/g, "\\n\\n").trim();
  }
  window.aqaPlainText = plain;
  // The chat labels each message with its raw content; give screen readers the plain text instead.
  function relabel(el) {
    const label = el.getAttribute("aria-label") || "";
    const at = label.indexOf('<div class="aqa-msg');
    if (at >= 0) el.setAttribute("aria-label", label.slice(0, at) + plain(label.slice(at)));
  }
  new MutationObserver((records) => {
    if (wanted && Date.now() < wanted.until) {
      const card = document.getElementById(wanted.id);
      if (card && card !== wanted.node && !card.open) openSource(wanted.id);
    }
    for (const r of records) {
      if (r.type === "attributes") relabel(r.target);
      else for (const n of r.addedNodes) {
        if (n.nodeType !== 1) continue;
        if (n.hasAttribute("aria-label")) relabel(n);
        n.querySelectorAll("[aria-label]").forEach(relabel);
      }
    }
  }).observe(document.documentElement, { subtree: true, childList: true, attributes: true,
                                         attributeFilter: ["aria-label"] });
  const clipboard = navigator.clipboard;
  if (clipboard && clipboard.writeText) {
    const write = clipboard.writeText.bind(clipboard);
    clipboard.writeText = (text) => write(plain(text));
  }
})();
</script>
"""


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
    if feedback is None and settings.feedback:
        feedback = FeedbackStore(settings.feedback_db)
    show_dev = settings.dev_view if dev_view is None else dev_view

    def start(message: str) -> tuple[Any, ...]:
        """Take the question from the box and switch Send for Stop while the answer streams."""
        return message, "", gr.update(visible=False), gr.update(visible=True)

    def finish() -> tuple[Any, ...]:
        return gr.update(visible=True), gr.update(visible=False)

    def respond(
        message: str, turns: list[Turn], audience: str, topics: list[str], sources: list[str]
    ) -> Iterator[tuple[Any, ...]]:
        turns = list(turns or [])
        if not message or not message.strip():
            yield render_messages(turns), turns, gr.skip(), gr.skip()
            return
        message = message.strip()
        try:
            check_question_length(message, settings.max_question_chars)
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
            for item in stream_turn(assistant, message, turns, _audience(audience), filters):
                if isinstance(item, Turn):
                    turns = turns + [item]
                    latest = dev_view_html(item.answer, item.chunks)
                    yield render_messages(turns), turns, panel_html(turns), latest
                else:
                    yield (
                        before + [{"role": "assistant", "content": pending_message_html(item)}],
                        turns,
                        gr.skip(),
                        gr.skip(),
                    )
        except Exception as exc:  # the conversation as it was, then the error as a message
            yield render_messages(turns), turns, gr.skip(), gr.skip()
            if isinstance(exc, UserError):
                raise gr.Error(str(exc)) from None
            raise

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

    def _record(turn: Turn, rating: int | None, comment: str = "") -> None:
        assert feedback is not None
        answer = turn.answer
        feedback.record(
            answer_id=turn.answer_id,
            question=turn.question,
            answer=answer.answer,
            citations=[c.model_dump() for c in answer.citations],
            settings={
                "audience": answer.audience,
                "answerer": answer.answerer or settings.answerer,
                "retrieval": settings.retrieval,
                "filters": turn.filters,
            },
            rating=rating,
            comment=comment,
        )

    def on_like(turns: list[Turn], data: gr.LikeData) -> tuple[Any, ...]:
        turns = turns or []
        k = _message_turn(data.index)
        if k >= len(turns):
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()
        liked = data.liked  # True, False, or "" when the thumb is clicked again to take it back
        rating = 1 if liked is True else -1 if liked is False else 0
        try:
            _record(turns[k], rating)
        except UserError as exc:
            raise gr.Error(str(exc)) from None
        status = {
            1: "Thanks, noted.",
            -1: "Thanks, noted. What was wrong or missing?",
            0: "Rating taken back.",
        }
        label = f"Comment on answer {k + 1} (optional)"
        return k, gr.update(visible=True), gr.update(label=label), status[rating]

    def on_comment(comment: str, target: int | None, turns: list[Turn]) -> tuple[Any, ...]:
        turns = turns or []
        if not comment or not comment.strip():
            return gr.skip(), "Type a comment first."
        if not turns:
            return gr.skip(), "There is no answer to comment on yet."
        k = target if isinstance(target, int) and 0 <= target < len(turns) else len(turns) - 1
        try:
            _record(turns[k], None, comment)
        except UserError as exc:
            raise gr.Error(str(exc)) from None
        return "", f"Comment on answer {k + 1} saved. Thank you."

    def ask_api(
        question: str,
        history: list[dict[str, Any]] | None = None,
        audience: str = "patient",
        filters: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The same JSON as `autoimmune-qa ask --json`; filters: {source, topic, audience, date_from, date_to}."""
        earlier = _history_for_chain(history or [])
        try:
            check_question_length(question or "", settings.max_question_chars)
            for m in earlier:
                if m["role"] == "user":
                    check_question_length(
                        m["content"], settings.max_question_chars, "a question in the history"
                    )
            chosen = parse_filters(**(filters or {}))
        except UserError as exc:
            raise gr.Error(str(exc)) from None
        return assistant.ask(question, earlier, _audience(audience), chosen).model_dump()

    with gr.Blocks(title="autoimmune-qa", analytics_enabled=False) as demo:
        turns_state = gr.State([])
        asked = gr.State("")
        comment_target = gr.State(None)
        saved_audience = gr.BrowserState(settings.audience, storage_key="aqa-audience")
        gr.Markdown(
            "# autoimmune-qa\nCited answers about lupus, CAR-T cell therapy, bispecific T-cell engagers "
            "and B cells, only from the bundled sources. REST API: [/docs](/docs).",
            elem_id="aqa-header",
        )
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=420):
                with gr.Row(equal_height=False, elem_id="aqa-controls"):
                    audience = gr.Radio(
                        AUDIENCES,
                        value=settings.audience,
                        label="Answer for",
                        elem_id="aqa-audience",
                        scale=2,
                    )
                    regen = gr.Button("Regenerate", size="sm", scale=1, elem_id="aqa-regenerate")
                    clear_button = gr.Button("Clear conversation", size="sm", scale=1, elem_id="aqa-clear")
                chatbot = gr.Chatbot(
                    label="Conversation",
                    height=540,
                    elem_id="aqa-chat",
                    buttons=["copy", "copy_all"],
                    placeholder=PLACEHOLDER,
                    examples=[
                        {"text": q, "display_text": f"{label}: {q}"}
                        for (label, q) in ((a.capitalize(), q) for a, q in EXAMPLES)
                    ],
                    latex_delimiters=[],
                    feedback_options=("Like", "Dislike") if feedback else None,
                    autoscroll=True,
                )
                with gr.Row(equal_height=True):
                    question = gr.Textbox(
                        label="Your question",
                        placeholder="Ask about lupus, CAR-T, BiTEs… (Enter sends)",
                        lines=1,
                        max_lines=4,
                        max_length=settings.max_question_chars,
                        scale=6,
                        autofocus=True,
                        elem_id="aqa-question",
                    )
                    send = gr.Button("Send", variant="primary", scale=1, min_width=90, elem_id="aqa-send")
                    stop_button = gr.Button(
                        "Stop", variant="stop", scale=1, min_width=90, visible=False, elem_id="aqa-stop"
                    )
                with gr.Row(visible=False, elem_id="aqa-feedback") as feedback_row:
                    comment = gr.Textbox(
                        label="Comment on this answer (optional)",
                        placeholder="What was good, wrong or missing? Please no personal details.",
                        lines=1,
                        scale=5,
                        elem_id="aqa-comment",
                    )
                    send_comment = gr.Button("Send comment", scale=1, elem_id="aqa-send-comment")
                feedback_status = gr.Markdown("", elem_id="aqa-feedback-status")
                facets = assistant.facets()
                with gr.Accordion("Filter the sources", open=False):
                    topics = gr.Dropdown(facets["topic"], multiselect=True, label="Topics (any of)")
                    sources = gr.Dropdown(facets["source"], multiselect=True, label="Sources (any of)")
                dev_toggle = gr.Checkbox(value=show_dev, label="Developer view", elem_id="aqa-dev-toggle")
                with gr.Accordion("Details of the latest answer", open=True, visible=show_dev) as dev_box:
                    dev = gr.HTML(dev_view_html(None, {}), elem_id="aqa-dev", js_on_load=None)
            with gr.Column(scale=2, min_width=320):
                gr.Markdown("## Sources")
                panel = gr.HTML(sources_panel_html([]), elem_id="aqa-sources", js_on_load=None)

        answer_inputs = [asked, turns_state, audience, topics, sources]
        answer_outputs = [chatbot, turns_state, panel, dev]
        buttons = [send, stop_button]
        private: dict[str, Any] = {"api_visibility": "private"}

        def answer_after(trigger: Any) -> Any:
            streaming = trigger.then(
                respond, answer_inputs, answer_outputs, show_progress="hidden", **private
            )
            streaming.then(finish, None, buttons, **private)
            return streaming

        streams = [
            answer_after(question.submit(start, [question], [asked, question, *buttons], **private)),
            answer_after(send.click(start, [question], [asked, question, *buttons], **private)),
            answer_after(
                regen.click(regenerate, [turns_state], [asked, turns_state, chatbot, *buttons], **private)
            ),
            answer_after(
                chatbot.retry(retry, [turns_state], [asked, turns_state, chatbot, *buttons], **private)
            ),
            answer_after(chatbot.example_select(pick_example, None, [asked, audience, *buttons], **private)),
        ]
        stop_button.click(
            stop, [turns_state, asked], [chatbot, question, *buttons], cancels=streams, **private
        )
        cleared = [chatbot, turns_state, panel, dev, question, comment_target, feedback_row, feedback_status]
        clear_button.click(clear, None, cleared, cancels=streams, **private)
        chatbot.clear(clear, None, cleared, cancels=streams, **private)
        if feedback:
            liked_outputs = [comment_target, feedback_row, comment, feedback_status]
            chatbot.like(on_like, [turns_state], liked_outputs, **private)
            comment_outputs = [comment, feedback_status]
            send_comment.click(on_comment, [comment, comment_target, turns_state], comment_outputs, **private)
            comment.submit(on_comment, [comment, comment_target, turns_state], comment_outputs, **private)
        dev_toggle.change(lambda on: gr.update(visible=on), dev_toggle, dev_box, **private)
        # "Answer for" is remembered in the browser, so it holds across reloads of the page
        audience.change(lambda value: _audience(value), audience, saved_audience, **private)
        demo.load(lambda value: _audience(value or settings.audience), saved_audience, audience, **private)
        gr.api(ask_api, api_name="ask")
    return demo


def theme() -> Any:
    """Gradio's default theme with darker buttons, so their white text is easy to read (≥ 4.5:1)."""
    return gr.themes.Default(primary_hue="blue").set(
        button_primary_background_fill="#1d4ed8",
        button_primary_background_fill_hover="#1e40af",
        button_primary_text_color="#ffffff",
        button_cancel_background_fill="#b91c1c",
        button_cancel_background_fill_hover="#991b1b",
        button_cancel_text_color="#ffffff",
    )


def ui_options() -> dict[str, Any]:
    """What Gradio 6 takes at launch or mount time rather than in Blocks(): theme, styling, page script."""
    return {"css": CSS, "head": HEAD, "theme": theme(), "footer_links": ["api"]}
