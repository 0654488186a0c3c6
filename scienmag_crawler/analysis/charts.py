"""The report's charts, drawn with matplotlib as SVG (imported by the report command only).

Figures are built through matplotlib's object API (``Figure``), never pyplot, so no GUI
backend is ever selected and nothing global is touched; the default backend is pinned to Agg
for any other code in the same process. SVG keeps text sharp at any zoom, and glyphs are
written as paths so the file looks the same without the fonts installed. Output is
deterministic (fixed hash salt, no date) so two reports of the same data are identical.
"""

from __future__ import annotations

import io

import matplotlib as mpl
from matplotlib.figure import Figure

from scienmag_crawler.analysis.report import OTHER, Chart, ReportData

mpl.use("Agg")

OTHER_COLOUR = "#b7bdc7"
STYLE = {
    "svg.hashsalt": "scienmag-report",
    "svg.fonttype": "path",
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#8a93a3",
    "axes.titlesize": 11,
}


def _colours(categories: list[str]) -> dict[str, str]:
    """Stable colours per shown category (tab10 order), grey for ``Other``."""
    palette = [mpl.colormaps["tab10"](i) for i in range(10)]
    colours = {c: mpl.colors.to_hex(palette[i % 10]) for i, c in enumerate(categories)}
    colours[OTHER] = OTHER_COLOUR
    return colours


def _svg(fig: Figure, alt: str) -> Chart:
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    return Chart(buf.getvalue(), "image/svg+xml", alt)


def months_chart(d: ReportData) -> Chart:
    """Stacked bars: articles per month, one colour per category."""
    with mpl.rc_context(STYLE):
        fig = Figure(figsize=(11, 3.6))
        ax = fig.add_subplot()
        colours = _colours(d.categories)
        stack = [*d.categories, OTHER]
        bottoms = [0] * len(d.months)
        x = list(range(len(d.months)))
        for cat in stack:
            heights = [d.per_month[m].get(cat, 0) for m in d.months]
            if not any(heights):
                continue
            # only the non-empty segments: each bar is an artist, and most months are sparse
            shown = [i for i, h in enumerate(heights) if h]
            ax.bar(
                shown,
                [heights[i] for i in shown],
                bottom=[bottoms[i] for i in shown],
                width=0.85,
                color=colours[cat],
                label=cat,
            )
            bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
        if len(d.months) <= 24:
            ticks = x
            labels = d.months
        else:
            ticks = [i for i, m in enumerate(d.months) if m.endswith("-01") or i == 0]
            labels = [d.months[i][:4] for i in ticks]
        ax.set_xticks(ticks, labels, rotation=90 if len(d.months) <= 24 else 0)
        ax.set_xlim(-0.6, max(len(d.months) - 0.4, 0.6))
        ax.set_ylabel("articles")
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.grid(axis="y", color="#e4e7ec", linewidth=0.8)
        ax.set_axisbelow(True)
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=9)
        alt = f"Articles per month by category, {d.months[0]} to {d.months[-1]}" if d.months else ""
        return _svg(fig, alt)


def categories_chart(d: ReportData, top: int = 15) -> Chart:
    """Horizontal bars: articles per category, the largest first."""
    items = list(d.per_category.items())
    rest = items[top:]
    items = items[:top]
    if rest:
        items.append((f"{len(rest)} more categories", sum(n for _, n in rest)))
    with mpl.rc_context(STYLE):
        fig = Figure(figsize=(5.6, 0.32 * len(items) + 0.8))
        ax = fig.add_subplot()
        colours = _colours(d.categories)
        names = [n for n, _ in items][::-1]
        counts = [c for _, c in items][::-1]
        bars = ax.barh(names, counts, color=[colours.get(n, OTHER_COLOUR) for n in names])
        ax.bar_label(bars, padding=3, fontsize=9)
        ax.set_xlabel("articles")
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.spines["left"].set_visible(False)
        ax.tick_params(axis="y", length=0)
        return _svg(fig, "Articles per category")
