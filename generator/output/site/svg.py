"""Figures as SVG with text as text: selectable, found by the browser's search and the site's, drawn
in the reader's fonts. Coordinates are the figures' points; the SVG scales to the page width."""
from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from generator.render.figures import GREY, INK, LINE_HEIGHT, NOTE_SIZE, WIDTH, BarChart, Diagram, Figure
from generator.render.text_width import em_width

PX = 4 / 3  # CSS pixels per point
FONT = "sans-serif"


def to_svg(figure: Figure) -> str:
    """The figure as one line of SVG (a raw HTML block in Markdown must not contain blank lines)."""
    if isinstance(figure, BarChart):
        width, height, body = _chart(figure)
    else:
        width, height, body = figure.width, figure.height, _diagram(figure)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="figure" viewBox="0 0 {_n(width)} {_n(height)}" '
            f'width="{_n(width * PX)}" height="{_n(height * PX)}" font-family="{FONT}" '
            f'aria-label={quoteattr(figure.title)}><title>{escape(figure.title)}</title>{"".join(body)}</svg>')


def _n(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _text(x: float, y: float, text: str, size: float, anchor: str = "middle", fill: str = INK,
          bold: bool = False) -> str:
    """Text whose vertical middle is at y."""
    weight = ' font-weight="bold"' if bold else ""
    return (f'<text x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" text-anchor="{anchor}" '
            f'dominant-baseline="central" fill="#{fill}"{weight}>{escape(text)}</text>')


def _diagram(diagram: Diagram) -> list[str]:
    out = ['<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
           'orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#455A64"/></marker></defs>']
    for c in diagram.connectors:
        points = " ".join(f"{_n(x)},{_n(y)}" for x, y in c.points)
        marker = ' marker-end="url(#arrow)"' if c.arrow else ""
        out.append(f'<polyline points="{points}" fill="none" stroke="#{c.colour}" stroke-width="1.2"{marker}/>')
    for b in diagram.boxes:
        if b.full:  # the text was cut short: the whole of it as the box's tooltip
            out.append(f"<g><title>{escape(b.full)}</title>")
        if b.framed:
            radius = ' rx="5"' if b.rounded else ""
            out.append(f'<rect x="{_n(b.x)}" y="{_n(b.y)}" width="{_n(b.w)}" height="{_n(b.h)}"{radius} '
                       f'fill="#{b.fill}" stroke="#{b.edge}" stroke-width="1.2"/>')
        step = b.size * LINE_HEIGHT
        first = b.y + b.h / 2 - step * (len(b.lines) - 1) / 2
        out += [_text(b.x + b.w / 2, first + i * step, line, b.size, fill=b.ink, bold=b.bold)
                for i, line in enumerate(b.lines)]
        if b.full:
            out.append("</g>")
    return out


def _chart(chart: BarChart) -> tuple[float, float, list[str]]:
    size, row = 8.5, 22.0
    width, height = WIDTH, chart.height
    left = max(em_width(c) for c in chart.categories) * size + 14
    right = width - 14
    top = 30.0 if chart.title else 8.0
    bottom = top + row * len(chart.categories)
    scale = (right - left) / (chart.axis_max - chart.axis_min)

    def x(value: float) -> float:
        return left + (value - chart.axis_min) * scale

    out = [_text(width / 2, 14, chart.title, 10.5, bold=True)] if chart.title else []
    step = NOTE_SIZE * LINE_HEIGHT  # the note under the value axis' labels
    out += [_text(width / 2, bottom + 24 + step * (i + 0.5), line, NOTE_SIZE, fill=GREY)
            for i, line in enumerate(chart.note_lines)]
    for i, label in enumerate(chart.ticks):  # value axis: gridlines, ticks and labels
        at = x(chart.axis_min + chart.major_unit * i)
        out.append(f'<line x1="{_n(at)}" y1="{_n(top - 4)}" x2="{_n(at)}" y2="{_n(bottom + 3)}" '
                   f'stroke="#E0E0E0" stroke-width="0.8"/>')
        out.append(_text(at, bottom + 11, label, 7.5, fill=GREY))
    for i, category in enumerate(chart.categories):
        middle = top + row * (i + 0.5)
        out.append(_text(left - 6, middle, category, size, "end"))
        base = 0.0  # series stack from zero, as in a spreadsheet's stacked bar chart
        for series in chart.series:
            value = series.values[i]
            if value is None:
                continue
            start, base = base, base + value
            if series.colour is None:  # the undrawn offset of a floating bar
                continue
            colour = series.point_colours[i] if series.point_colours and series.point_colours[i] else series.colour
            x0, x1 = max(x(start), left), min(x(base), right)
            out.append(f'<rect x="{_n(x0)}" y="{_n(middle - row * 0.32)}" width="{_n(max(x1 - x0, 0))}" '
                       f'height="{_n(row * 0.64)}" fill="#{colour}"/>')
            label = series.labels[i] if series.labels else ""
            if label:
                out.append(_text((x0 + x1) / 2, middle, label, 7.5, fill=series.label_colour))
    out.append(f'<polyline points="{_n(left)},{_n(top - 4)} {_n(left)},{_n(bottom)} {_n(right)},{_n(bottom)}" '
               f'fill="none" stroke="#{INK}" stroke-width="0.8"/>')
    if chart.legend:
        drawn = [s for s in chart.series if s.colour]
        widths = [14 + em_width(s.name) * 8 for s in drawn]
        at = (width - sum(widths) - 16 * (len(drawn) - 1)) / 2
        for series, w in zip(drawn, widths):
            out.append(f'<rect x="{_n(at)}" y="{_n(height - 15)}" width="10" height="8" fill="#{series.colour}"/>')
            out.append(_text(at + 13, height - 11, series.name, 8, "start"))
            at += w + 16
    return width, height, out
