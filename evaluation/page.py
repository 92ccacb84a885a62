"""Shared pieces of the self-contained HTML pages: inline style, escaping, tables, number formatting."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

STYLE = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px auto; max-width: 1250px;
       padding: 0 16px; color: #1d1d1f; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 18px; margin-top: 32px;
     border-bottom: 1px solid #ddd; padding-bottom: 4px; } h3 { font-size: 15px; }
table { border-collapse: collapse; margin: 8px 0; } th, td { border: 1px solid #ddd; padding: 4px 8px;
        vertical-align: top; text-align: left; } th { background: #f4f4f6; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.meta td:first-child { font-weight: 600; white-space: nowrap; }
.charts img { max-width: 100%; margin: 4px 8px 12px 0; border: 1px solid #eee; }
.questions td { font-size: 13px; } .questions td:first-child { white-space: nowrap; }
.fail { color: #a40000; } .ok { color: #1a7f37; } .muted { color: #666; font-size: 12px; }
.quote { margin: 2px 0 6px 0; padding-left: 8px; border-left: 3px solid #ccd; }
.better { background: #e6f4ea; } .worse { background: #fce8e6; }
details summary { cursor: pointer; } code { background: #f4f4f6; padding: 0 3px; }
"""


def esc(value: object) -> str:
    """HTML-escaped text of any value (None becomes an empty string)."""
    return html.escape("" if value is None else str(value), quote=True)


def fmt(value: float | None, group: str = "") -> str:
    """A metric value for display: 4 decimals (3 hid how close 0.8996 was to a 0.90 target), 1 for
    milliseconds and grades, an en dash for None."""
    if value is None:
        return "–"
    if group in ("latency", "readability"):
        return f"{value:.1f}"
    return f"{value:.4f}"


def table(header: Sequence[str], rows: Iterable[Sequence[str]], css: str = "") -> str:
    """A table of already-escaped cells; a cell starting with '<td' is used as it is."""
    head = "".join(f"<th>{esc(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(c if c.startswith("<td") else f"<td>{c}</td>" for c in row) + "</tr>" for row in rows
    )
    return f'<table class="{esc(css)}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def num(text: str, css: str = "") -> str:
    """A right-aligned numeric cell."""
    return f'<td class="num {esc(css)}">{text}</td>'


def document(title: str, body: str) -> str:
    """A complete page with the inline style; nothing is loaded from elsewhere."""
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{esc(title)}</title>'
        f"<style>{STYLE}</style></head><body>{body}</body></html>\n"
    )


def link(url: str, text: str) -> str:
    """An escaped link for http(s) URLs, plain escaped text otherwise."""
    if url.startswith(("http://", "https://")):
        return f'<a href="{esc(url)}">{esc(text)}</a>'
    return esc(text)
