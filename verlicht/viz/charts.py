"""Small charts as inline SVG text: no script, no fonts, no network, the same bytes for the same data.

The report draws two kinds: a line chart of one indicator against its reference series (with the
baseline year marked) and a stacked bar of how a goal's indicators stand. Each chart is an ``<svg
role="img">`` with a ``<title>`` and ``<desc>``, so a screen reader hears what it shows; the numbers
themselves are also in a table next to it.

Colours come from the Okabe–Ito palette (safe for colour-blind readers) and each has a contrast of at
least 3:1 against white, the WCAG 2.1 minimum for graphics; text in the charts uses the page's text
colour. Colour is never the only cue: lines differ by dash and marker, bar segments carry their count.

>>> svg = status_bar([("better", 2, "beter"), ("worse", 1, "slechter")], "Stand", "2 beter, 1 slechter")
>>> svg.startswith('<svg') and 'role="img"' in svg
True
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from html import escape

from verlicht.indicators.status import period_start

INK = "#1a1a1a"  # text, 17:1 on white
MUTED = "#595959"  # secondary text and the reference line, 7:1 on white
AREA = "#0072B2"  # Okabe–Ito blue, 5.2:1 on white
GRID = "#d0d0d0"
# Segments of a status bar: fill colour and the text colour written on it (each pair ≥ 4.5:1).
SEGMENTS = {
    "better": ("#0072B2", "#ffffff"),
    "level": ("#6b6b6b", "#ffffff"),
    "worse": ("#B34700", "#ffffff"),  # a darker Okabe–Ito vermillion: 5.1:1 against white text
    "not_judged": ("#e0e0e0", INK),
    "no_reference": ("#e0e0e0", INK),
    "no_data": ("#f4f4f4", INK),
}


def number(value: float | None, lang: str = "nl", signed: bool = False) -> str:
    """A figure as people read it: at most two decimals, no trailing zeros, a Dutch decimal comma.

    >>> number(9.4), number(56000.0), number(-0.25, "en", signed=True), number(0.003, signed=True), number(None)
    ('9,4', '56.000', '-0.25', '+0,003', '–')
    """
    if value is None:
        return "–"
    # Two decimals, more for small non-zero values, so a trend of 0.003 a year does not read "0".
    decimals = 2 if value == 0 or abs(value) >= 0.1 else min(4, 1 - math.floor(math.log10(abs(value))))
    text = f"{value:,.{decimals}f}".rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    if signed and value > 0:
        text = "+" + text
    if lang == "nl":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def nice_ticks(low: float, high: float, most: int = 6) -> list[float]:
    """Round axis values (steps of 1, 2 or 5 times a power of ten) from at or below ``low`` to at or above
    ``high``, at most ``most`` of them.

    >>> nice_ticks(3.5, 10.9), nice_ticks(5, 5)
    ([2.0, 4.0, 6.0, 8.0, 10.0, 12.0], [4.5, 5.0, 5.5])
    """
    span, scale = high - low, max(abs(low), abs(high))
    if span <= scale * 1e-6 or span == 0:  # flat (to float precision): centre the value in a band of ±10 %
        pad = scale * 0.1 or 1.0
        low, high = low - pad, high + pad
        span = high - low
    power = 10.0 ** math.floor(math.log10(span / (most - 1)))
    for step in (m * power for m in (1, 2, 5, 10, 20, 50)):
        first = math.floor(low / step) * step
        count = math.ceil((high - first) / step - 1e-9)
        if count + 1 <= most:
            break
    digits = max(0, 2 - math.floor(math.log10(step)))  # rounds away float noise, keeps the step's digits
    return [float(round(first + i * step, digits)) for i in range(count + 1)]


def _year(period: str) -> float | None:
    start = period_start(period)
    if start is None:
        return None
    return start.year + (start - date(start.year, 1, 1)).days / 365.25


def _f(value: float) -> str:
    """A coordinate with at most one decimal (short, and the same on every platform)."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def line_chart(series: Sequence[Sequence], reference: Sequence[Sequence], baseline: str, *, title: str,
               desc: str, area_label: str, reference_label: str, baseline_label: str, lang: str = "nl",
               ident: str = "c") -> str:
    """An indicator over time (solid line, round markers) against its reference (dashed, square markers).

    ``series`` and ``reference`` are ``[period, value]`` pairs as in ``indicator_status`` rows;
    ``baseline`` is the baseline date (``2023-01-01``), drawn as a dotted vertical line.
    """
    width, height = 360, 190
    left, right, top, bottom = 46, 12, 12, 58
    own = [(x, float(v)) for p, v in series if (x := _year(str(p))) is not None]
    ref = [(x, float(v)) for p, v in reference if (x := _year(str(p))) is not None]
    base_x = _year(baseline[:4]) if baseline else None
    xs = [x for x, _ in own + ref] + ([base_x] if base_x is not None else [])
    ys = [y for _, y in own + ref]
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="{ident}-t {ident}-d"'
             f' xmlns="http://www.w3.org/2000/svg">',
             f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>',
             f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>']
    if not own:
        parts.append(f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" fill="{INK}" font-size="13">'
                     f'{escape(desc)}</text></svg>')
        return "".join(parts)
    x0, x1 = min(xs), max(xs)
    if x1 - x0 < 1:
        x0, x1 = x0 - 0.5, x1 + 0.5
    ticks = nice_ticks(min(ys), max(ys))
    y0, y1 = ticks[0], ticks[-1]

    def px(x: float) -> float:
        return left + (x - x0) / (x1 - x0) * (width - left - right)

    def py(y: float) -> float:
        return top + (y1 - y) / (y1 - y0) * (height - top - bottom)

    for tick in ticks:
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{_f(py(tick))}" y2="{_f(py(tick))}" '
                     f'stroke="{GRID}" stroke-width="1"/>')
        parts.append(f'<text x="{left - 4}" y="{_f(py(tick) + 4)}" text-anchor="end" font-size="11" '
                     f'fill="{INK}">{escape(number(tick, lang))}</text>')
    first_year, last_year = int(x0 + 0.5), int(x1)
    for year in sorted({first_year, last_year}):
        anchor = "start" if year == first_year else "end"
        parts.append(f'<text x="{_f(px(year))}" y="{height - bottom + 16}" text-anchor="{anchor}" font-size="11" '
                     f'fill="{INK}">{year}</text>')
    if base_x is not None:
        parts.append(f'<line x1="{_f(px(base_x))}" x2="{_f(px(base_x))}" y1="{top}" y2="{height - bottom}" '
                     f'stroke="{INK}" stroke-width="1" stroke-dasharray="1 3"/>')
        parts.append(f'<text x="{_f(px(base_x))}" y="{top + 10}" text-anchor="middle" font-size="11" '
                     f'fill="{INK}" paint-order="stroke" stroke="#ffffff" stroke-width="3">'
                     f'{escape(baseline_label)}</text>')
    if ref:
        points = " ".join(f"{_f(px(x))},{_f(py(y))}" for x, y in ref)
        parts.append(f'<polyline points="{points}" fill="none" stroke="{MUTED}" stroke-width="2" '
                     f'stroke-dasharray="6 4"/>')
        parts += [f'<rect x="{_f(px(x) - 3)}" y="{_f(py(y) - 3)}" width="6" height="6" fill="{MUTED}"/>'
                  for x, y in ref]
    points = " ".join(f"{_f(px(x))},{_f(py(y))}" for x, y in own)
    parts.append(f'<polyline points="{points}" fill="none" stroke="{AREA}" stroke-width="2.5"/>')
    parts += [f'<circle cx="{_f(px(x))}" cy="{_f(py(y))}" r="3.5" fill="{AREA}"/>' for x, y in own]
    # The legend, below the axis.
    legend_y = height - 14
    parts.append(f'<line x1="{left}" x2="{left + 22}" y1="{legend_y - 4}" y2="{legend_y - 4}" stroke="{AREA}" '
                 f'stroke-width="2.5"/><circle cx="{left + 11}" cy="{legend_y - 4}" r="3.5" fill="{AREA}"/>'
                 f'<text x="{left + 28}" y="{legend_y}" font-size="11" fill="{INK}">{escape(area_label)}</text>')
    if ref:
        middle = left + 150
        parts.append(f'<line x1="{middle}" x2="{middle + 22}" y1="{legend_y - 4}" y2="{legend_y - 4}" '
                     f'stroke="{MUTED}" stroke-width="2" stroke-dasharray="6 4"/>'
                     f'<rect x="{middle + 8}" y="{legend_y - 7}" width="6" height="6" fill="{MUTED}"/>'
                     f'<text x="{middle + 28}" y="{legend_y}" font-size="11" fill="{INK}">'
                     f'{escape(reference_label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def status_bar(segments: Sequence[tuple[str, int, str]], title: str, desc: str, ident: str = "s") -> str:
    """One horizontal bar split into segments ``(kind, count, label)``; kinds are keys of :data:`SEGMENTS`.

    Segments with a count of 0 are left out; each segment shows its count when it is wide enough.
    """
    width, height = 240, 28  # narrow enough that the counts stay legible where a phone's table shrinks it
    total = sum(count for _, count, _ in segments)
    parts = [f'<svg class="bar" viewBox="0 0 {width} {height}" role="img" aria-labelledby="{ident}-t {ident}-d" '
             f'xmlns="http://www.w3.org/2000/svg">',
             f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>']
    if total == 0:
        fill, ink = SEGMENTS["no_data"]
        parts.append(f'<rect x="0" y="0" width="{width}" height="{height}" fill="{fill}" stroke="{MUTED}"/></svg>')
        return "".join(parts)
    x = 0.0
    for kind, count, _label in segments:
        if not count:
            continue
        fill, ink = SEGMENTS[kind]
        w = count / total * width
        parts.append(f'<rect x="{_f(x)}" y="0" width="{_f(w)}" height="{height}" fill="{fill}" '
                     f'stroke="#ffffff" stroke-width="1"/>')
        if w >= 16:
            parts.append(f'<text x="{_f(x + w / 2)}" y="{height / 2 + 5}" text-anchor="middle" font-size="14" '
                         f'font-weight="bold" fill="{ink}">{count}</text>')
        x += w
    parts.append("</svg>")
    return "".join(parts)
