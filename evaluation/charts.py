"""Matplotlib charts rendered to PNG bytes and embedded as base64 data URIs (no files, no network)."""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping, Sequence

import matplotlib

matplotlib.use("Agg")  # no display; must precede pyplot
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

COLOURS = ("#4c72b0", "#dd8452", "#55a868", "#c44e52")


def data_uri(figure: Figure) -> str:
    """The figure as a data:image/png;base64 URI; the figure is closed."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(figure)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def grouped_bars(
    title: str, labels: Sequence[str], series: Mapping[str, Sequence[float | None]], ylim: float | None = 1.0
) -> str:
    """Bars per metric, one colour per series (e.g. all / patient / staff); None is drawn as "n/a"."""
    figure, axes = plt.subplots(figsize=(max(5.0, 1.1 * len(labels) + 1.5), 3.2))
    width = 0.8 / max(1, len(series))
    for s, (name, values) in enumerate(series.items()):
        for i, value in enumerate(values):
            x = i + (s - (len(series) - 1) / 2) * width
            height = value if value is not None else 0.0
            axes.bar(x, height, width, color=COLOURS[s % len(COLOURS)], label=name if i == 0 else None)
            text = "n/a" if value is None else f"{value:.2f}"
            axes.text(x, height, text, ha="center", va="bottom", fontsize=7)
    axes.set_xticks(range(len(labels)), labels, fontsize=8)
    if ylim is not None:
        axes.set_ylim(0, ylim * 1.12)
    axes.set_title(title, fontsize=10)
    axes.spines[["top", "right"]].set_visible(False)
    if len(series) > 1:
        axes.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return data_uri(figure)


def histogram(title: str, series: Mapping[str, Sequence[float]], xlabel: str, bins: int = 20) -> str:
    """Overlaid histograms of one or more value lists."""
    figure, axes = plt.subplots(figsize=(6.0, 3.0))
    values = [v for vs in series.values() for v in vs]
    if values:
        low, high = min(values), max(values)
        edges = [low + (high - low) * i / bins for i in range(bins + 1)] if high > low else bins
        for s, (name, vs) in enumerate(series.items()):
            if vs:
                axes.hist(vs, bins=edges, alpha=0.6, color=COLOURS[s % len(COLOURS)], label=name)
    else:
        axes.text(0.5, 0.5, "no values", ha="center", va="center", transform=axes.transAxes)
    axes.set_xlabel(xlabel, fontsize=8)
    axes.set_ylabel("questions", fontsize=8)
    axes.set_title(title, fontsize=10)
    axes.spines[["top", "right"]].set_visible(False)
    if len(series) > 1 and values:
        axes.legend(fontsize=7, frameon=False)
    return data_uri(figure)


def lines(
    title: str,
    x: Sequence[float],
    series: Mapping[str, Sequence[float | None]],
    xlabel: str,
    mark: float | None = None,
) -> str:
    """One line per series over `x` (None leaves a gap), with a dashed vertical line at `mark`."""
    figure, axes = plt.subplots(figsize=(6.0, 3.0))
    for s, (name, values) in enumerate(series.items()):
        ys = [float("nan") if v is None else v for v in values]
        axes.plot(x, ys, marker=".", color=COLOURS[s % len(COLOURS)], label=name)
    if mark is not None:
        axes.axvline(mark, color="#888888", linestyle="--", linewidth=1)
    axes.set_ylim(-0.02, 1.05)
    axes.set_xlabel(xlabel, fontsize=8)
    axes.set_title(title, fontsize=10)
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(fontsize=7, frameon=False)
    return data_uri(figure)
