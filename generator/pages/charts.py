"""Static, accessible SVG charts of outcome counts, as raw HTML blocks. Pure: no I/O.

A chart is a `<figure>` holding an inline SVG and the same numbers as an
HTML table (in a `<details>`), so the numbers are there for screen readers,
text browsers, search and copying. Colours come from CSS classes
(`theme/assets/stylesheets/imr.css`, which switches them with Material's
light/dark scheme); the presentation attributes are only fallbacks. Text
drawn in the chart is `currentColor`. Every piece of text passes through
:func:`generator.pages.markdown.html_text`; the output has no blank line, so
Python-Markdown keeps the block as one raw HTML block. Coordinates are
rounded to one decimal, so the same numbers always give the same bytes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from generator.pages.markdown import html_text
from generator.pages.stats import Counts, YearSeries, format_rate, rate_text, shown_rate

WIDTH = 640
# Okabe-Ito colours (safe for the common colour blindnesses): upheld vermillion, overturned
# blue; overturned bars are also hatched (a cue that needs no colour). imr.css sets the
# colours per scheme; these attributes are fallbacks.
_UPHELD_FALLBACK = "#d55e00"
_OVERTURNED_FALLBACK = "#0072b2"
_HATCH = "url(#HATCH)"  # each chart's own hatch pattern (see _figure)


# A year chart says something when the items spread over a few years and are enough for
# a rate to mean something; else the counts table says it all (a one-bar chart per year
# hub, a few items scattered over the years).
CHART_MIN_YEARS = 3
CHART_MIN_ITEMS = 20


def worth_charting(series: YearSeries) -> bool:
    """Whether a hub's year chart would show a trend: items in at least CHART_MIN_YEARS
    years and at least CHART_MIN_ITEMS of them."""
    years = [c for _y, c in series.years if c.items]
    return len(years) >= CHART_MIN_YEARS and sum(c.items for c in years) >= CHART_MIN_ITEMS


def _n(x: float) -> str:
    """A coordinate: one decimal, no trailing '.0'."""
    s = f"{x:.1f}"
    return s[:-2] if s.endswith(".0") else s


def nice_ticks(top: int, most: int = 5) -> list[int]:
    """0 and round steps (1, 2, 5 x 10^k) up to the first at or above `top` (<= `most` steps)."""
    top = max(top, 1)
    magnitude = 1
    while True:
        for base in (1, 2, 5):
            step = base * magnitude
            steps = math.ceil(top / step)
            if steps <= most:
                return [step * k for k in range(steps + 1)]
        magnitude *= 10


def short_label(text: str, limit: int = 28) -> str:
    """A label cut to `limit` characters with an ellipsis (the full text is in the table)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _table(caption: str, first: str, rows: Sequence[tuple[str, Counts]]) -> str:
    head = "".join(
        f'<th scope="col">{h}</th>'
        for h in (first, "Determinations", "Items", "Upheld", "Overturned", "Overturn rate")
    )
    body = "".join(
        f'<tr><th scope="row">{html_text(label)}</th><td>{c.determinations}</td>'
        f"<td>{c.items}</td><td>{c.upheld}</td><td>{c.overturned}</td>"
        f"<td>{rate_text(c)}</td></tr>"
        for label, c in rows
    )
    return (
        '<details class="imr-chart__data"><summary>The numbers in this chart</summary>'
        f"<table><caption>{html_text(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table></details>"
    )


def _legend(rate: bool) -> str:
    keys = [
        '<span class="imr-chart__key imr-chart__key--upheld"></span>Upheld items',
        '<span class="imr-chart__key imr-chart__key--overturned"></span>Overturned items '
        "(hatched)",
    ]
    if rate:
        keys.append(
            '<span class="imr-chart__key imr-chart__key--rate"></span>Overturn rate (right scale)'
        )
    return '<span class="imr-chart__legend">' + " ".join(keys) + "</span>"


def _bar_rate(c: Counts) -> str:
    rate = shown_rate(c)
    return f"{c.overturned} overturned" if rate is None else f"{format_rate(rate)} overturned"


def _describe(rows: Sequence[tuple[str, Counts]]) -> str:
    return "; ".join(
        f"{label}: {_plural(c.items, 'item')}, {c.overturned} overturned"
        + (f" ({rate_text(c)})" if shown_rate(c) is not None else "")
        for label, c in rows
    )


def _figure(chart_id: str, title: str, desc: str, svg_body: str, height: int, tail: str) -> str:
    hatch = (
        f'<defs><pattern id="{chart_id}-hatch" patternUnits="userSpaceOnUse" width="6" '
        'height="6" patternTransform="rotate(45)"><rect class="imr-chart__hatch-line" '
        'fill="#fff" width="2" height="6"/></pattern></defs>'
    )
    svg_body = svg_body.replace(_HATCH, f"url(#{chart_id}-hatch)")
    svg = (
        f'<svg class="imr-chart__svg" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{html_text(title)}</title>'
        f'<desc id="{chart_id}-desc">{html_text(desc)}</desc>{hatch}\n{svg_body}\n</svg>'
    )
    return (
        f'<figure class="imr-chart" id="{chart_id}" data-search-exclude>\n{svg}\n{tail}\n</figure>'
    )


def _bar(cls: str, fallback: str, x: float, y: float, w: float, h: float, tip: str) -> str:
    if h <= 0 or w <= 0:
        return ""
    bar = (
        f'<rect class="imr-chart__{cls}" fill="{fallback}" x="{_n(x)}" y="{_n(y)}" '
        f'width="{_n(w)}" height="{_n(h)}"><title>{html_text(tip)}</title></rect>'
    )
    if cls == "overturned":  # hatched: told apart without colour
        bar += (
            f'<rect class="imr-chart__hatch" fill="{_HATCH}" pointer-events="none" '
            f'x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}"/>'
        )
    return bar


@dataclass(frozen=True)
class _YearPlot:
    """The year chart's geometry: plot area, item scale (left), rate scale (right)."""

    rows: int
    y_max: int
    height: int = 250
    left: int = 48
    right: int = 52
    top: int = 14
    bottom: int = 34

    @property
    def plot_w(self) -> int:
        return WIDTH - self.left - self.right

    @property
    def plot_h(self) -> int:
        return self.height - self.top - self.bottom

    @property
    def band(self) -> float:
        return self.plot_w / self.rows

    @property
    def bar_w(self) -> float:
        return min(56.0, self.band * 0.62)

    def y_items(self, v: float) -> float:
        return self.top + self.plot_h - self.plot_h * v / self.y_max

    def y_rate(self, r: float) -> float:
        return self.top + self.plot_h - self.plot_h * r


def year_chart(series: YearSeries, subject: str, chart_id: str = "imr-chart-years") -> str:
    """Items per year (upheld and overturned, stacked) and the overturn rate per year.

    `subject` names what is counted ("all determinations", a hub title); plain text.
    """
    rows = [(str(y), c) for y, c in series.years]
    if not rows:
        return '<p class="imr-chart__empty">No dated determinations to chart.</p>'
    title = f"Disputed items and overturn rate by year: {subject}"
    ticks = nice_ticks(max(c.items for _l, c in rows))
    plot = _YearPlot(rows=len(rows), y_max=ticks[-1])
    parts = _year_scales(plot, ticks)
    bars, points = _year_bars(plot, rows)
    parts += bars
    parts.append(
        f'<line class="imr-chart__axis" stroke="#666" x1="{plot.left}" '
        f'x2="{plot.left + plot.plot_w}" '
        f'y1="{plot.top + plot.plot_h}" y2="{plot.top + plot.plot_h}"/>'
    )
    parts += _rate_line(points)
    note = ""
    if series.undated.items:
        note = (
            f" {_plural(series.undated.items, 'item')} of "
            f"{_plural(series.undated.determinations, 'undated determination')} not shown."
        )
    caption = (
        f"<figcaption>{html_text(title)}. Bars: items (left scale); line: overturn rate "
        f"(right scale).{html_text(note)} {_legend(True)}</figcaption>"
    )
    tail = caption + "\n" + _table(f"{title}.{note}", "Year", rows)
    return _figure(
        chart_id,
        title,
        _describe(rows) + "." + note,
        "\n".join(p for p in parts if p),
        plot.height,
        tail,
    )


def _year_scales(plot: _YearPlot, ticks: list[int]) -> list[str]:
    """Grid lines with the item scale (left) and the overturn-rate labels (right)."""
    left, plot_w = plot.left, plot.plot_w
    parts = []
    for t in ticks:  # left scale: items
        y = plot.y_items(t)
        parts.append(
            f'<line class="imr-chart__grid" stroke="#999" x1="{left}" x2="{left + plot_w}" '
            f'y1="{_n(y)}" y2="{_n(y)}"/>'
            f'<text class="imr-chart__label" x="{left - 6}" y="{_n(y + 4)}" '
            f'text-anchor="end">{t}</text>'
        )
    for pct in (0, 50, 100):  # right scale: overturn rate
        parts.append(
            f'<text class="imr-chart__label" x="{left + plot_w + 6}" '
            f'y="{_n(plot.y_rate(pct / 100) + 4)}">{pct}%</text>'
        )
    return parts


def _year_bars(
    plot: _YearPlot, rows: Sequence[tuple[str, Counts]]
) -> tuple[list[str], list[list[tuple[float, float]]]]:
    """The stacked bars and year labels; the rate points, in runs broken by a year
    without a rate."""
    every = max(1, math.ceil(len(rows) / 12))
    parts = []
    points: list[list[tuple[float, float]]] = [[]]
    bar_w, y_max, base = plot.bar_w, plot.y_max, plot.top + plot.plot_h
    for k, (label, c) in enumerate(rows):
        cx = plot.left + plot.band * (k + 0.5)
        x = cx - bar_w / 2
        h_up, h_over = plot.plot_h * c.upheld / y_max, plot.plot_h * c.overturned / y_max
        tip_up, tip_over = f"{label}: {c.upheld} upheld", f"{label}: {c.overturned} overturned"
        parts.append(_bar("upheld", _UPHELD_FALLBACK, x, base - h_up, bar_w, h_up, tip_up))
        parts.append(
            _bar(
                "overturned", _OVERTURNED_FALLBACK, x, base - h_up - h_over, bar_w, h_over, tip_over
            )
        )
        if k % every == 0 or k == len(rows) - 1:
            parts.append(
                f'<text class="imr-chart__label" x="{_n(cx)}" '
                f'y="{plot.height - plot.bottom + 18}" '
                f'text-anchor="middle">{html_text(label)}</text>'
            )
        rate = shown_rate(c)  # no point from fewer than MIN_RATE_ITEMS items
        if rate is None:
            points.append([])
        else:
            points[-1].append((cx, plot.y_rate(rate)))
    return parts, points


def _rate_line(points: list[list[tuple[float, float]]]) -> list[str]:
    """The overturn-rate line (one polyline per run of points) and its dots."""
    parts = []
    for run in points:
        if len(run) > 1:
            coords = " ".join(f"{_n(x)},{_n(y)}" for x, y in run)
            parts.append(
                f'<polyline class="imr-chart__rate" fill="none" stroke="#333" points="{coords}"/>'
            )
        for x, y in run:
            parts.append(
                f'<circle class="imr-chart__rate-dot" fill="#333" cx="{_n(x)}" cy="{_n(y)}" r="4"/>'
            )
    return parts


def bar_chart(
    rows: Sequence[tuple[str, Counts]], subject: str, chart_id: str, first_column: str
) -> str:
    """Horizontal bars, one per row label: upheld and overturned items, with the rate as text."""
    rows = [(label, c) for label, c in rows if c.items]
    if not rows:
        return '<p class="imr-chart__empty">Nothing to chart.</p>'
    title = f"Disputed items by {first_column.lower()}: {subject}"
    row_h, top, left, right = 26, 6, 190, 150
    height = top * 2 + row_h * len(rows)
    plot_w = WIDTH - left - right
    x_max = max(c.items for _l, c in rows)
    parts = []
    for k, (label, c) in enumerate(rows):
        y = top + k * row_h
        w_up, w_over = plot_w * c.upheld / x_max, plot_w * c.overturned / x_max
        parts.append(
            f'<text class="imr-chart__label" x="{left - 8}" y="{_n(y + row_h / 2 + 4)}" '
            f'text-anchor="end">{html_text(short_label(label))}</text>'
        )
        parts.append(
            _bar(
                "upheld",
                _UPHELD_FALLBACK,
                left,
                y + 4,
                w_up,
                row_h - 8,
                f"{label}: {c.upheld} upheld",
            )
        )
        parts.append(
            _bar(
                "overturned",
                _OVERTURNED_FALLBACK,
                left + w_up,
                y + 4,
                w_over,
                row_h - 8,
                f"{label}: {c.overturned} overturned",
            )
        )
        parts.append(
            f'<text class="imr-chart__label" x="{_n(left + w_up + w_over + 6)}" '
            f'y="{_n(y + row_h / 2 + 4)}">{c.items} · {_bar_rate(c)}</text>'
        )
    caption = (
        f"<figcaption>{html_text(title)}. Bar length: items; the figure after each bar: items "
        f"and overturn rate. {_legend(False)}</figcaption>"
    )
    tail = caption + "\n" + _table(title, first_column, rows)
    return _figure(
        chart_id, title, _describe(rows) + ".", "\n".join(p for p in parts if p), height, tail
    )
