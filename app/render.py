"""Answers as text for a terminal and as escaped Markdown for the chat."""

from __future__ import annotations

import html
import re

from retriever.types import Answer, Citation

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~])")


def escape_md(text: str) -> str:
    """Document text shown as inert Markdown: no HTML, no links, no emphasis."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def safe_url(url: str) -> str:
    """Only http(s) links are shown as links."""
    return url if re.match(r"^https?://[^\s<>\"')]+$", url or "") else ""


def source_line(c: Citation) -> str:
    parts = [c.title or c.doc_id]
    if c.publisher or c.source:
        parts.append(c.publisher or c.source)
    if c.date:
        parts.append(c.date)
    return " — ".join(parts)


def answer_text(answer: Answer) -> str:
    """The answer for a terminal: text, notice, then numbered sources with their quotes."""
    lines = [answer.answer]
    if answer.notice:
        lines += ["", answer.notice]
    if answer.citations:
        lines += ["", "Sources:"]
        shown: set[str] = set()
        for c in answer.citations:
            link = f" <{c.url}>" if c.url else ""
            lines.append(f"[{c.n}] {source_line(c)}{link} (id: {c.doc_id})")
            lines.append(f"    “{c.quote}”")
            if c.doc_id not in shown:  # a project article's upstream sources, once per article
                lines += [f"    based on: {u}" for u in c.upstream]
                shown.add(c.doc_id)
    return "\n".join(lines)


def answer_markdown(answer: Answer) -> str:
    """The answer for the chat: escaped answer text, notice, and a source list with quotes."""
    body = escape_md(answer.answer)
    body = re.sub(r"\\\[(\d+)\\\]", r"**[\1]**", body)  # citation markers stay visible and bold
    parts = [body]
    if answer.notice:
        parts.append(f"_{escape_md(answer.notice)}_")
    if answer.citations:
        parts.append("**Sources**")
        parts.append("\n".join(_source_item(c) for c in answer.citations))
    return "\n\n".join(parts)


def _source_item(c: Citation) -> str:
    title = escape_md(source_line(c))
    url = safe_url(c.url)
    link = f" — [{escape_md(url)}]({url})" if url else ""
    return f"{c.n}. {title}{link}  \n   “{escape_md(c.quote)}”"


def sources_panel(answer: Answer) -> str:
    """The side panel: every citation with its full provenance."""
    if not answer.citations:
        return "_No sources for this answer._"
    blocks = []
    for c in answer.citations:
        url = safe_url(c.url)
        rows = [
            f"### [{c.n}] {escape_md(c.title or c.doc_id)}",
            f"**Publisher:** {escape_md(c.publisher or c.source or 'unknown')}",
            f"**Date:** {escape_md(c.date or 'not given')}",
            f"**Link:** [{escape_md(url)}]({url})" if url else "**Link:** none given",
            f"**License:** {escape_md(c.license or 'not given')}",
            f"**Document id:** {escape_md(c.doc_id)}",
            f"> {escape_md(c.quote)}",
        ]
        if c.upstream:
            rows.append("**Based on:** " + "; ".join(escape_md(u) for u in c.upstream))
        blocks.append("  \n".join(rows))
    return "\n\n".join(blocks)
