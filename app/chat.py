"""The Gradio chat: the same Assistant as the CLI, answers with numbered sources."""

from __future__ import annotations

import os
from typing import Any

from index.settings import Settings
from retriever.chain import Assistant
from retriever.filters import parse_filters
from retriever.types import Audience

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

EXAMPLES = [
    "How does CAR-T therapy help people with lupus?",
    "How many patients were in the German CAR-T lupus study, and how long did remission last?",
    "What are bispecific T-cell engagers?",
]


def _history_for_chain(history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Gradio messages (content may be a string or a list of parts) as plain role/content pairs."""
    plain = []
    for message in history or []:
        content = message.get("content", "")
        if isinstance(content, list):
            content = " ".join(p.get("text", "") for p in content if isinstance(p, dict))
        plain.append({"role": message.get("role", "user"), "content": str(content)})
    return plain


def build_app(assistant: Assistant) -> Any:
    """The Blocks app. Its `/ask` API returns the same JSON as `autoimmune-qa ask --json`."""
    import gradio as gr

    from app.render import answer_markdown, sources_panel

    def respond(
        message: str, history: list[dict[str, Any]], audience: str, topics: list[str], sources: list[str]
    ) -> tuple[Any, ...]:
        history = list(history or [])
        if not message or not message.strip():
            return history, gr.update(), ""
        filters = parse_filters(topic=topics, source=sources)
        result = assistant.ask(message, _history_for_chain(history), _audience(audience), filters)
        history += [
            {"role": "user", "content": message},
            {"role": "assistant", "content": answer_markdown(result)},
        ]
        return history, sources_panel(result), ""

    def ask_api(
        question: str,
        history: list[dict[str, Any]] | None = None,
        audience: str = "patient",
        filters: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The same JSON as `autoimmune-qa ask --json`; filters: {source, topic, audience, date_from, date_to}."""
        chosen = parse_filters(**(filters or {}))
        return assistant.ask(
            question, _history_for_chain(history or []), _audience(audience), chosen
        ).model_dump()

    with gr.Blocks(title="autoimmune-qa", analytics_enabled=False) as demo:
        gr.Markdown(
            "# autoimmune-qa\nAnswers about lupus, CAR-T cell therapy, bispecific T-cell engagers and B cells, "
            "only from the bundled sources, each claim with a numbered citation. Not medical advice."
        )
        with gr.Row():
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(label="Conversation", height=480, elem_id="chat")
                question = gr.Textbox(
                    label="Your question", placeholder="Ask about lupus, CAR-T, BiTEs…", lines=1
                )
                with gr.Row():
                    audience = gr.Radio(
                        ["patient", "staff"], value=assistant.settings.audience, label="Answer for"
                    )
                    send = gr.Button("Send", variant="primary")
                    clear = gr.Button("Clear conversation")
                gr.Examples(EXAMPLES, inputs=question, label="Try asking")
                facets = assistant.facets()
                with gr.Accordion("Filter the sources", open=False):
                    topics = gr.Dropdown(facets["topic"], multiselect=True, label="Topics (any of)")
                    sources = gr.Dropdown(facets["source"], multiselect=True, label="Sources (any of)")
            with gr.Column(scale=2):
                gr.Markdown("## Sources")
                panel = gr.Markdown("_Sources of the latest answer appear here._", elem_id="sources")
        outputs = [chatbot, panel, question]
        inputs = [question, chatbot, audience, topics, sources]
        question.submit(respond, inputs, outputs, api_visibility="private")
        send.click(respond, inputs, outputs, api_visibility="private")
        clear.click(
            lambda: ([], "_Sources of the latest answer appear here._", ""),
            None,
            outputs,
            api_visibility="private",
        )
        gr.api(ask_api, api_name="ask")
    return demo


def _audience(value: str) -> Audience:
    return "staff" if str(value).lower().startswith("staff") else "patient"


def launch(settings: Settings, assistant: Assistant, block: bool = True) -> Any:
    demo = build_app(assistant)
    demo.queue(default_concurrency_limit=2)
    demo.launch(
        server_name=settings.host,
        server_port=settings.port or None,
        prevent_thread_lock=not block,
        quiet=not block,
        footer_links=["api"],
    )
    return demo
