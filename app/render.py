"""Answers as text for a terminal, as escaped Markdown, and as escaped HTML for the web chat."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from retriever.messages import PATIENT_NOTICE
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
            quoted = [line for line in c.quote.splitlines() if line.strip()]  # a list: one line per item
            lines.append("    “" + "\n     ".join(quoted) + "”")
            named, others = upstream_groups(c)
            lines += [f"    based on: {upstream_text(u)}" for u in named]
            if not named and c.doc_id not in shown:  # the article's sources, once per article
                lines += [f"    based on (article source): {upstream_text(u)}" for u in others]
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
            f"**Link:** [{escape_md(url)}]({url})"
            if url
            else f"**Link:** {escape_md(repository_path(c.url) or 'none given')}",
            f"**License:** {escape_md(c.license or 'not given')}",
            f"**Document id:** {escape_md(c.doc_id)}",
            f"> {escape_md(c.quote)}",
        ]
        named, others = upstream_groups(c)
        if named:
            rows.append("**Based on:** " + "; ".join(escape_md(upstream_text(u)) for u in named))
        if others:
            label = "Other sources of this article" if named else "Based on the article's sources"
            rows.append(f"**{label}:** " + "; ".join(escape_md(upstream_text(u)) for u in others))
        blocks.append("  \n".join(rows))
    return "\n\n".join(blocks)


# ---------------------------------------------------------------------------------------------------
# HTML for the web chat. Every piece of document or user text goes through `esc` (html.escape), and
# the only links made are the app's own "#aqa-src-…" anchors and http(s) URLs that pass `safe_url`.
# Chat messages are one HTML block without blank lines, so the chat's Markdown renderer passes them
# through as HTML (and sanitises them once more) instead of reading document text as Markdown.

NOT_ADVICE = (
    "General information from the sources, not medical advice. Talk with your care team about your own "
    "situation; in an emergency call your local emergency number."
)
_CITE_MARK = re.compile(r"\[(\d{1,3})\]")


@dataclass(frozen=True)
class ChunkView:
    """The text of a cited or retrieved chunk, and where it starts in its document."""

    text: str
    start: int = 0
    headings: str = ""


def esc(text: object) -> str:
    """Text as inert HTML (for element content and quoted attribute values)."""
    return html.escape(str(text or ""), quote=True)


def esc_lines(text: str) -> str:
    """Escaped text whose line breaks become <br>, so no raw blank line can end an HTML block."""
    lines = re.sub(r"\r\n?", "\n", text or "").strip("\n").split("\n")
    return "<br>".join(esc(line) for line in lines)


def source_anchor(turn: int, n: int) -> str:
    return f"aqa-src-{turn}-{n}"


def _link(url: str, text: str | None = None) -> str:
    good = safe_url(url)
    if not good:
        return esc(text or "")
    return f'<a href="{esc(good)}" target="_blank" rel="noopener noreferrer">{esc(text or good)}</a>'


def _cited_text(answer: Answer, turn: int | None) -> str:
    """The answer text, escaped; [n] markers of its citations become links to the sources panel."""
    known = {c.n for c in answer.citations}

    def marker(match: re.Match[str]) -> str:
        n = int(match.group(1))
        if turn is None or n not in known:
            return match.group(0)
        return (
            f'<a class="aqa-cite" href="#{source_anchor(turn, n)}" title="Show source {n}" '
            f'aria-label="Source {n}">[{n}]</a>'
        )

    return _CITE_MARK.sub(marker, blocks_html(answer.answer))


def blocks_html(text: str) -> str:
    """Answer text as escaped HTML blocks: a paragraph per blank-line-separated block, and a
    lead-in followed by "- item" lines (the extractive answerer's list units) as the lead-in and
    a bulleted list. No blank line remains, so Markdown never reads the text."""
    blocks = []
    for block in re.split(r"\n[ \t]*\n", re.sub(r"\r\n?", "\n", text or "").strip("\n")):
        lines = [line for line in block.split("\n") if line.strip()]
        first_item = next((i for i, line in enumerate(lines) if line.startswith("- ")), len(lines))
        if first_item < len(lines) and all(line.startswith("- ") for line in lines[first_item:]):
            lead = "<br>".join(esc(line) for line in lines[:first_item])
            items = "".join(f"<li>{esc(line[2:])}</li>" for line in lines[first_item:])
            blocks.append((f"<p>{lead}</p>" if lead else "") + f"<ul>{items}</ul>")
        else:
            blocks.append("<p>" + "<br>".join(esc(line) for line in lines) + "</p>")
    return "".join(blocks)


def _upstream_parts(line: str) -> tuple[list[str], str]:
    """One "publisher | title | date | url" line of a project article's sources: the fields that
    are given (title, publisher, date), empty ones left out, and the url if it is safe to link."""
    publisher, title, date, url = ([*(p.strip() for p in line.split("|")), "", "", "", ""])[:4]
    parts = [title or publisher or line.strip()]
    if publisher and title:
        parts.append(publisher)
    if date:
        parts.append(date)
    return parts, safe_url(url) or ""


def upstream_groups(c: Citation) -> tuple[list[str], list[str]]:
    """A project article's sources for one citation: those its quote names, and the rest (all of
    them when it names none; `retriever.attribution`)."""
    named = c.upstream[: c.upstream_named]
    return named, c.upstream[len(named) :]


def upstream_text(line: str) -> str:
    """An upstream source as plain text: "Title — Publisher — date — url", nothing for empty
    fields (the MedPath article in the shared corpus has no date or link)."""
    parts, url = _upstream_parts(line)
    return " — ".join([*parts, url] if url else parts)


def _upstream_item(line: str) -> str:
    """An upstream source as HTML, its url a link."""
    parts, url = _upstream_parts(line)
    return " — ".join([*(esc(p) for p in parts), _link(url)] if url else [esc(p) for p in parts])


def _based_on_line(c: Citation) -> str:
    """Under a quote in the answer: the public sources its sentence restates (an article's marked
    or named sources), each with its link; nothing when no source is singled out."""
    named, _ = upstream_groups(c)
    if not named:
        return ""
    items = "; ".join(_upstream_item(u) for u in named)
    return f'<br><span class="aqa-based-on">Based on: {items}</span>'


def repository_path(url: str) -> str:
    """A link that is a relative file path (a project article's file in the repository, shown as
    text); "" for anything else."""
    return url if re.fullmatch(r"[\w.-]+(?:/[\w.-]+)*", url or "") and ".." not in url else ""


def _repository_path(url: str) -> str:
    path = repository_path(url)
    return f"<code>{esc(path)}</code>" if path else "none given"


def user_message_html(text: str) -> str:
    return f'<div class="aqa-msg aqa-user-msg">{esc_lines(text)}</div>'


def pending_message_html(text: str) -> str:
    """A streamed answer so far, before its citations arrive."""
    shown = esc_lines(text) if text.strip() else "Searching the sources…"
    return (
        f'<div class="aqa-msg aqa-answer aqa-pending" aria-busy="true"><p class="aqa-text">{shown}'
        ' <span class="aqa-typing" aria-hidden="true">▍</span></p></div>'
    )


def answer_message_html(answer: Answer, turn: int, first: bool = False) -> str:
    """An answer in the chat: (the not-medical-advice notice once per conversation), an urgent-care
    block or the cited text, its own notice, who it was written for, and its sources with quotes."""
    rows = ['<div class="aqa-msg aqa-answer">']
    if first:
        rows.append(
            '<div class="aqa-notice" role="note"><span class="aqa-icon" aria-hidden="true"></span> '
            f"<strong>Not medical advice.</strong> {esc(NOT_ADVICE)}</div>"
        )
    if answer.refusal_reason == "emergency":
        rows.append(
            '<div class="aqa-urgent" role="alert"><p class="aqa-urgent-title"><span class="aqa-icon" '
            'aria-hidden="true"></span> '
            f'<strong>Get urgent care now</strong></p><div class="aqa-text">{_cited_text(answer, turn)}</div></div>'
        )
    else:
        refused = answer.refused and answer.refusal_reason != "small_talk"  # "hi" is answered, not refused
        css = "aqa-text aqa-refused" if refused else "aqa-text"
        rows.append(f'<div class="{css}">{_cited_text(answer, turn)}</div>')
    if answer.notice and answer.notice != PATIENT_NOTICE:  # that one is the conversation's notice
        rows.append(f'<p class="aqa-answer-notice">{esc_lines(answer.notice)}</p>')
    rows.append(f'<p class="aqa-meta">Written for: {esc(answer.audience)}</p>')
    if answer.citations:
        rows.append('<p class="aqa-sources-title"><strong>Sources</strong></p>')
        rows.append('<ul class="aqa-sources">')
        for c in answer.citations:
            url = safe_url(c.url)
            facts = [esc(x) for x in (c.publisher or c.source, c.date) if x]
            rows.append(
                f'<li><a class="aqa-src-link" href="#{source_anchor(turn, c.n)}">[{c.n}] '
                f"{esc(c.title or c.doc_id)}</a>"
                + "".join(f" — {f}" for f in facts)
                + (f" — {_link(url)}" if url else "")
                + f'<br><span class="aqa-quote">“{esc_lines(c.quote)}”</span>'
                + _based_on_line(c)
                + "</li>"
            )
        rows.append("</ul>")
    rows.append("</div>")
    return "\n".join(rows)


def highlighted_chunk(citation: Citation, chunk: ChunkView | None) -> str:
    """The chunk the quote came from, escaped, with the quote in <mark>; the quote alone when the
    chunk is unknown or does not contain it."""
    quote = citation.quote
    if chunk is None or not quote:
        return f'<blockquote class="aqa-chunk"><mark class="aqa-hl">{esc_lines(quote)}</mark></blockquote>'
    text = chunk.text
    at = citation.quote_start - chunk.start
    if not (at >= 0 and text[at : at + len(quote)] == quote):
        at = text.find(quote)
    if at < 0:
        return (
            f'<blockquote class="aqa-chunk"><mark class="aqa-hl">{esc_lines(quote)}</mark></blockquote>'
            f'<details class="aqa-context"><summary>Passage</summary><blockquote class="aqa-chunk">'
            f"{esc_lines(text)}</blockquote></details>"
        )
    before, inside, after = text[:at], text[at : at + len(quote)], text[at + len(quote) :]
    return (
        f'<blockquote class="aqa-chunk">{esc_lines(before)}<mark class="aqa-hl">{esc_lines(inside)}</mark>'
        f"{esc_lines(after)}</blockquote>"
    )


def source_card_html(citation: Citation, turn: int, chunk: ChunkView | None, open_: bool = False) -> str:
    c = citation
    url = safe_url(c.url)
    facts = [
        ("Publisher", esc(c.publisher or c.source or "unknown")),
        ("Date", esc(c.date or "not given")),
        ("Link", _link(url) if url else _repository_path(c.url)),
        ("License", esc(c.license or "not given")),
        ("Document", esc(c.doc_id) + (f" · {esc(chunk.headings)}" if chunk and chunk.headings else "")),
    ]
    rows = [
        f'<details class="aqa-source" id="{source_anchor(turn, c.n)}"{" open" if open_ else ""}>',
        f'<summary><span class="aqa-n">[{c.n}]</span> {esc(c.title or c.doc_id)}</summary>',
        '<dl class="aqa-facts">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts) + "</dl>",
    ]
    named, others = upstream_groups(c)
    if named:
        items = "".join(f"<li>{_upstream_item(u)}</li>" for u in named)
        rows.append(f'<div class="aqa-based-on"><strong>Based on</strong><ul>{items}</ul></div>')
    if others:
        label = "Other sources of this article" if named else "Based on the article's sources"
        items = "".join(f"<li>{_upstream_item(u)}</li>" for u in others)
        rows.append(
            f'<div class="aqa-based-on aqa-article-sources"><strong>{label}</strong><ul>{items}</ul></div>'
        )
    rows.append(highlighted_chunk(c, chunk))
    rows.append("</details>")
    return "\n".join(rows)


PANEL_EMPTY = (
    '<div class="aqa-panel"><p class="aqa-empty">The sources of each answer appear here. Click a '
    "citation marker such as <strong>[1]</strong> in an answer to open its source, with the quoted "
    "sentence highlighted.</p></div>"
)


def sources_panel_html(turns: list[tuple[Answer, dict[str, ChunkView]]]) -> str:
    """The side panel: the sources of every answer in the conversation, the latest one shown."""
    if not turns:
        return PANEL_EMPTY
    sections = []
    for turn, (answer, chunks) in enumerate(turns, start=1):
        hidden = "" if turn == len(turns) else " hidden"
        rows = [
            f'<section class="aqa-turn" id="aqa-turn-{turn}" aria-label="Sources of answer {turn}"{hidden}>',
            f'<p class="aqa-turn-q">Answer {turn}: “{esc(answer.question)}”</p>',
        ]
        if not answer.citations:
            rows.append('<p class="aqa-empty">No sources for this answer.</p>')
        for c in answer.citations:
            rows.append(source_card_html(c, turn, chunks.get(c.chunk_id)))
        rows.append("</section>")
        sections.append("\n".join(rows))
    return '<div class="aqa-panel">\n' + "\n".join(sections) + "\n</div>"


def dev_view_html(answer: Answer | None, chunks: dict[str, ChunkView]) -> str:
    """Developer details of an answer: standalone question, scores, timings, the retrieved chunks."""
    if answer is None:
        return '<p class="aqa-empty">Details of the latest answer appear here.</p>'
    t = answer.timings_ms
    cited: dict[str, list[int]] = {}
    for c in answer.citations:
        cited.setdefault(c.chunk_id, []).append(c.n)
    facts = [
        ("Question", esc(answer.question)),
        ("Standalone question", esc(answer.standalone_question)),
        ("Audience", esc(answer.audience)),
        ("Answerer", esc(answer.answerer or "unknown")),
        ("Evidence score", f"{answer.evidence_score:.4f}"),
        ("Refused", esc(answer.refusal_reason) if answer.refused else "no"),
        ("Timings (ms)", f"retrieve {t.retrieve:.0f} · answer {t.answer:.0f} · total {t.total:.0f}"),
    ]
    rows = ['<div class="aqa-dev">', '<dl class="aqa-facts">']
    rows += [f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts]
    rows.append("</dl>")
    rows.append(
        '<table class="aqa-retrieved"><caption>Retrieved chunks</caption><thead><tr><th>#</th><th>score</th>'
        "<th>chunk</th><th>cited</th><th>text</th></tr></thead><tbody>"
    )
    searched = [r for r in answer.retrieved if not r.context]
    beside = [r for r in answer.retrieved if r.context]  # added for answering, after the search
    for rank, r in [(str(n), r) for n, r in enumerate(searched, start=1)] + [("beside 1", r) for r in beside]:
        chunk = chunks.get(r.chunk_id)
        snippet = (chunk.text[:240] + ("…" if len(chunk.text) > 240 else "")) if chunk else ""
        marks = " ".join(f"[{n}]" for n in cited.get(r.chunk_id, []))
        rows.append(
            f"<tr><td>{rank}</td><td>{r.score:.3f}</td><td><code>{esc(r.chunk_id)}</code></td>"
            f"<td>{marks}</td><td>{esc(snippet)}</td></tr>"
        )
    rows.append("</tbody></table>")
    if answer.sentences:
        rows.append('<table class="aqa-support"><caption>Sentence support</caption><tbody>')
        for s in answer.sentences:
            rows.append(
                f"<tr><td>{esc(s.text)}</td><td>{esc(s.citations)}</td><td>{s.support:.2f}</td>"
                f"<td>{'yes' if s.supported else 'no'}</td></tr>"
            )
        rows.append("</tbody></table>")
    rows.append("</div>")
    return "\n".join(rows)
