"""The chat page: its components and where they sit, the theme, and the styles and script from
app/static/ (app/chat.py wires the components to what the events do)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # before gradio is imported

import gradio as gr  # noqa: E402

from app.render import dev_view_html, sources_panel_html  # noqa: E402
from index.settings import Settings  # noqa: E402
from retriever.types import Audience  # noqa: E402

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


def static_text(name: str) -> str:
    """A file of app/static/, read from the installed package."""
    return files("app").joinpath("static", name).read_text(encoding="utf-8")


CSS = static_text("chat.css")
HEAD = f"<script>\n{static_text('chat.js')}</script>\n"


@dataclass
class ChatView:
    """The components the events read and write."""

    turns: gr.State
    asked: gr.State
    comment_target: gr.State
    saved_audience: gr.BrowserState
    audience: gr.Radio
    regenerate: gr.Button
    clear: gr.Button
    chatbot: gr.Chatbot
    question: gr.Textbox
    send: gr.Button
    stop: gr.Button
    feedback_row: gr.Row
    comment: gr.Textbox
    send_comment: gr.Button
    feedback_status: gr.Markdown
    topics: gr.Dropdown
    sources: gr.Dropdown
    dev_toggle: gr.Checkbox
    dev_box: gr.Accordion
    dev: gr.HTML
    panel: gr.HTML


def chat_view(settings: Settings, facets: dict[str, list[str]], feedback: bool, show_dev: bool) -> ChatView:
    """The page's components, laid out inside the current Blocks: the conversation, then the sources."""
    turns, asked, comment_target = gr.State([]), gr.State(""), gr.State(None)
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
                    AUDIENCES, value=settings.audience, label="Answer for", elem_id="aqa-audience", scale=2
                )
                regen = gr.Button("Regenerate", size="sm", scale=1, elem_id="aqa-regenerate")
                clear_button = gr.Button("Clear conversation", size="sm", scale=1, elem_id="aqa-clear")
            chatbot = gr.Chatbot(
                label="Conversation",
                height=540,
                elem_id="aqa-chat",
                buttons=["copy", "copy_all"],
                placeholder=PLACEHOLDER,
                examples=[{"text": q, "display_text": f"{a.capitalize()}: {q}"} for a, q in EXAMPLES],
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
            with gr.Accordion("Filter the sources", open=False):
                topics = gr.Dropdown(facets["topic"], multiselect=True, label="Topics (any of)")
                sources = gr.Dropdown(facets["source"], multiselect=True, label="Sources (any of)")
            dev_toggle = gr.Checkbox(value=show_dev, label="Developer view", elem_id="aqa-dev-toggle")
            with gr.Accordion("Details of the latest answer", open=True, visible=show_dev) as dev_box:
                dev = gr.HTML(dev_view_html(None, {}), elem_id="aqa-dev", js_on_load=None)
        with gr.Column(scale=2, min_width=320):
            gr.Markdown("## Sources")
            panel = gr.HTML(sources_panel_html([]), elem_id="aqa-sources", js_on_load=None)
    return ChatView(
        turns=turns,
        asked=asked,
        comment_target=comment_target,
        saved_audience=saved_audience,
        audience=audience,
        regenerate=regen,
        clear=clear_button,
        chatbot=chatbot,
        question=question,
        send=send,
        stop=stop_button,
        feedback_row=feedback_row,
        comment=comment,
        send_comment=send_comment,
        feedback_status=feedback_status,
        topics=topics,
        sources=sources,
        dev_toggle=dev_toggle,
        dev_box=dev_box,
        dev=dev,
        panel=panel,
    )


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
