"""Figures in Word: a `BarChart` as a native chart part with its data in an embedded workbook, a
`Diagram` as a group of drawing shapes (text boxes and connectors). Both are editable in Word and
WPS, rendered by LibreOffice, and drawn in the document's fonts (宋体 / 黑体 on the East Asian slot).

The chart XML comes from python-pptx's chart XML writer (the same `c:chartSpace` as in PowerPoint),
formatted through its chart object model; the embedded workbook comes from its workbook writer.
"""
from __future__ import annotations

import datetime as dt

from generator.render.figures import GREY, INK, LINE, LINE_HEIGHT, NOTE_SIZE, PAD, BarChart, Box, Diagram
from generator.output.ooxml import BODY_CJK, BODY_LATIN, HEAD_CJK, HEAD_LATIN, esc, repack

EMU_PER_PT = 12700
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WORKBOOK_RELATIONSHIP = "rId1"  # the chart part's relationship to its embedded workbook
CHART_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"


def chart_blobs(chart: BarChart, issued: dt.date) -> tuple[bytes, bytes]:
    """A chart part (content type `CHART_TYPE`) and its embedded workbook, which the chart part
    must relate to as `WORKBOOK_RELATIONSHIP`."""
    data = _chart_data(chart)
    return chart_xml(chart, data), chart_workbook(chart, issued, data)


# --- charts ------------------------------------------------------------------------------------
def chart_xml(chart: BarChart, data=None) -> bytes:
    """The `c:chartSpace` part of a chart whose data (python-pptx chart data) is in the embedded workbook."""
    from lxml import etree
    from pptx.chart.chart import Chart
    from pptx.chart.xmlwriter import ChartXmlWriter
    from pptx.dml.color import RGBColor
    from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
    from pptx.oxml import parse_xml
    from pptx.util import Pt

    data = data or _chart_data(chart)
    space = parse_xml(ChartXmlWriter(XL_CHART_TYPE.BAR_STACKED, data).xml.encode("utf-8"))
    view = Chart(space, None)
    view.font.size = Pt(8.5)
    view.has_title = bool(chart.title)
    if chart.title:
        view.chart_title.text_frame.text = chart.title
        title_font = view.chart_title.text_frame.paragraphs[0].runs[0].font
        title_font.size, title_font.bold = Pt(10.5), True
    else:
        space.find(f"{{{C}}}chart/{{{C}}}autoTitleDeleted").set("val", "1")
    plot = view.plots[0]
    plot.gap_width, plot.overlap = 45, 100
    for series, data in zip(plot.series, chart.series):
        if data.colour is None:
            series.format.fill.background()
        else:
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = RGBColor.from_string(data.colour)
        for index, colour in enumerate(data.point_colours):
            if colour:
                point = series.points[index].format.fill
                point.solid()
                point.fore_color.rgb = RGBColor.from_string(colour)
        if data.labels:
            labels = series.data_labels
            labels.show_value = True
            labels.number_format, labels.number_format_is_linked = data.label_format, False
            labels.position = XL_LABEL_POSITION.CENTER
            labels.font.size = Pt(7.5)
            labels.font.color.rgb = RGBColor.from_string(data.label_colour)
    categories = view.category_axis
    categories.reverse_order = True  # the first category at the top, as in the table below it
    categories.format.line.color.rgb = RGBColor.from_string(INK)
    values = view.value_axis
    values.minimum_scale, values.maximum_scale, values.major_unit = chart.axis_min, chart.axis_max, chart.major_unit
    values.tick_labels.number_format, values.tick_labels.number_format_is_linked = chart.axis_format, False
    values.tick_labels.font.size = Pt(7.5)
    values.has_major_gridlines = True
    values.major_gridlines.format.line.color.rgb = RGBColor.from_string("E0E0E0")
    values.format.line.fill.background()
    if chart.note:  # the value axis' title, under its labels as in the SVG: a line per paragraph, all
        # in one format (LibreOffice draws a title in the format of its first run)
        values.has_title = True
        frame = values.axis_title.text_frame
        for i, line in enumerate(chart.note_lines):
            run = (frame.paragraphs[0] if i == 0 else frame.add_paragraph()).add_run()
            run.text = line
            run.font.size, run.font.bold = Pt(NOTE_SIZE), False
            run.font.color.rgb = RGBColor.from_string(GREY)
    view.has_legend = chart.legend
    if chart.legend:
        view.legend.position, view.legend.include_in_layout = XL_LEGEND_POSITION.BOTTOM, False
    for props in space.iter(f"{{{A}}}defRPr", f"{{{A}}}rPr"):
        heading = props.get("b") == "1"
        _east_asian_font(props, HEAD_LATIN if heading else BODY_LATIN, HEAD_CJK if heading else BODY_CJK)
    _finish(space)
    return etree.tostring(space, xml_declaration=True, encoding="UTF-8", standalone=True)


def _chart_data(chart: BarChart):
    from pptx.chart.data import CategoryChartData

    data = CategoryChartData(number_format="General")
    data.categories = chart.categories
    for series in chart.series:
        dates = chart.dates and series.colour is None
        data.add_series(series.name, series.values, number_format="yyyy-mm-dd" if dates else "General")
    return data


def _east_asian_font(props, latin: str, east_asian: str) -> None:
    """a:latin and a:ea on a run's properties, in schema order (after any fill)."""
    for old in props.findall(f"{{{A}}}latin") + props.findall(f"{{{A}}}ea"):
        props.remove(old)
    before = [props.find(f"{{{A}}}{name}") for name in ("cs", "sym", "hlinkClick", "hlinkMouseOver", "rtl",
                                                         "extLst")]
    anchor = next((element for element in before if element is not None), None)
    latin_element = props.makeelement(f"{{{A}}}latin", {"typeface": latin})
    ea_element = props.makeelement(f"{{{A}}}ea", {"typeface": east_asian})
    if anchor is None:
        props.extend([latin_element, ea_element])
    else:
        anchor.addprevious(latin_element)
        anchor.addprevious(ea_element)


def _finish(space) -> None:
    """Square corners, no frame around the chart, the link to the embedded workbook, and axis ids
    the schema allows (python-pptx writes negative ones; the schema's type is unsigned)."""
    from pptx.oxml import parse_xml

    # The value axis crosses the (reversed) category axis at its last category: at the bottom.
    space.find(f".//{{{C}}}valAx/{{{C}}}crosses").set("val", "max")
    ids: dict[str, str] = {}
    for element in space.iter(f"{{{C}}}axId", f"{{{C}}}crossAx"):
        element.set("val", ids.setdefault(element.get("val"), str(50_000_001 + len(ids))))
    ns = f'xmlns:c="{C}" xmlns:a="{A}" xmlns:r="{R}"'
    space.find(f"{{{C}}}date1904").addnext(parse_xml(f'<c:roundedCorners {ns} val="0"/>'))
    space.find(f"{{{C}}}txPr").addprevious(parse_xml(
        f'<c:spPr {ns}><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>'))
    space.find(f"{{{C}}}txPr").addnext(parse_xml(
        f'<c:externalData {ns} r:id="{WORKBOOK_RELATIONSHIP}"><c:autoUpdate val="0"/></c:externalData>'))


def chart_workbook(chart: BarChart, issued: dt.date, data=None) -> bytes:
    """The chart's data as the workbook Word opens with "edit data", written by python-pptx's own
    workbook writer (XlsxWriter), so its cells are exactly where the chart XML's formulas point:
    categories in column A, one series per column from B, names in row 1; dates shown as dates;
    text kept text (`chartdata.chart_data_xlsx`)."""
    from generator.output.xlsx.chartdata import chart_data_xlsx

    return repack(chart_data_xlsx(data or _chart_data(chart)), dt.datetime.combine(issued, dt.time()))


def chart_run(relationship: str, drawing_id: int, name: str, width_pt: float, height_pt: float) -> str:
    """The run that shows a chart part inline, `width_pt` × `height_pt`."""
    cx, cy = round(width_pt * EMU_PER_PT), round(height_pt * EMU_PER_PT)
    return (f'<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/>'
            f'<wp:effectExtent l="0" t="0" r="0" b="0"/><wp:docPr id="{drawing_id}" name="{esc(name)}"/>'
            f'<wp:cNvGraphicFramePr/><a:graphic xmlns:a="{A}"><a:graphicData uri="{C}">'
            f'<c:chart xmlns:c="{C}" r:id="{relationship}"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>')


# --- diagrams ----------------------------------------------------------------------------------
def diagram_run(diagram: Diagram, first_id: int, paragraph_style: str) -> tuple[str, int]:
    """The run that shows a diagram inline as a group of shapes, and the next free drawing id.
    `paragraph_style` is the style id of the paragraphs inside the text boxes."""
    ids = iter(range(first_id, first_id + 10_000))
    cx, cy = _emu(diagram.width), _emu(diagram.height)
    shapes = [_segment(a, b, arrow and i == len(c.points) - 2, c.colour, next(ids))
              for c in diagram.connectors for i, (a, b) in enumerate(zip(c.points, c.points[1:]))
              for arrow in (c.arrow,)]
    shapes += [_box(box, next(ids), paragraph_style) for box in diagram.boxes]
    group_id = next(ids)
    xml = (f'<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/>'
           f'<wp:effectExtent l="0" t="0" r="0" b="0"/><wp:docPr id="{group_id}" name="{esc(diagram.title)}"/>'
           f'<wp:cNvGraphicFramePr/><a:graphic xmlns:a="{A}">'
           f'<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingGroup"><wpg:wgp>'
           f'<wpg:cNvGrpSpPr/><wpg:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/>'
           f'<a:chOff x="0" y="0"/><a:chExt cx="{cx}" cy="{cy}"/></a:xfrm></wpg:grpSpPr>'
           + "".join(shapes) + "</wpg:wgp></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>")
    return xml, group_id + 1


def _emu(points: float) -> int:
    return round(points * EMU_PER_PT)


def _solid(colour: str) -> str:
    return f'<a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>'


def _segment(a: tuple[float, float], b: tuple[float, float], arrow: bool, colour: str, shape_id: int) -> str:
    """A straight connector from a to b; flips put its end (and arrow head) at b."""
    (x1, y1), (x2, y2) = a, b
    flips = (' flipH="1"' if x2 < x1 else "") + (' flipV="1"' if y2 < y1 else "")
    head = '<a:tailEnd type="triangle" w="med" len="med"/>' if arrow else ""
    return (f'<wps:wsp><wps:cNvPr id="{shape_id}" name="连线 {shape_id}"/><wps:cNvCnPr/><wps:spPr>'
            f'<a:xfrm{flips}><a:off x="{_emu(min(x1, x2))}" y="{_emu(min(y1, y2))}"/>'
            f'<a:ext cx="{_emu(abs(x2 - x1))}" cy="{_emu(abs(y2 - y1))}"/></a:xfrm>'
            f'<a:prstGeom prst="straightConnector1"><a:avLst/></a:prstGeom>'
            f'<a:ln w="{_emu(1.2)}">{_solid(colour or LINE)}{head}</a:ln></wps:spPr><wps:bodyPr/></wps:wsp>')


def _box(box: Box, shape_id: int, paragraph_style: str) -> str:
    """A text box: its paragraphs centred, in exactly the line height laid out; Word wraps them
    (at the width they were wrapped to here, or wider), so edited text flows. A box whose text
    was cut carries the whole of it as its description (alt text)."""
    geometry = "roundRect" if box.rounded and box.framed else "rect"
    fill = _solid(box.fill) if box.framed else "<a:noFill/>"
    line = f'<a:ln w="{_emu(1.2)}">{_solid(box.edge)}</a:ln>' if box.framed else "<a:ln><a:noFill/></a:ln>"
    fonts = f'<w:rFonts w:ascii="{HEAD_LATIN}" w:hAnsi="{HEAD_LATIN}" w:eastAsia="{HEAD_CJK}"/><w:b/>' if box.bold else ""
    size = round(box.size * 2)
    props = (f'<w:rPr>{fonts}<w:color w:val="{box.ink}"/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>')
    paragraph = (f'<w:pPr><w:pStyle w:val="{paragraph_style}"/><w:spacing w:before="0" w:after="0" '
                 f'w:line="{round(box.size * LINE_HEIGHT * 20)}" w:lineRule="exact"/>'
                 f'<w:ind w:left="0" w:right="0" w:firstLine="0"/><w:jc w:val="center"/></w:pPr>')
    text = "".join(f'<w:p>{paragraph}<w:r>{props}<w:t xml:space="preserve">{esc(t)}</w:t></w:r></w:p>'
                   for t in box.paragraphs or box.lines)
    description = f' descr="{esc(box.full)}"' if box.full else ""
    inset = _emu(PAD)
    return (f'<wps:wsp><wps:cNvPr id="{shape_id}" name="框 {shape_id}"{description}/><wps:cNvSpPr/><wps:spPr>'
            f'<a:xfrm><a:off x="{_emu(box.x)}" y="{_emu(box.y)}"/><a:ext cx="{_emu(box.w)}" cy="{_emu(box.h)}"/></a:xfrm>'
            f'<a:prstGeom prst="{geometry}"><a:avLst/></a:prstGeom>{fill}{line}</wps:spPr>'
            f'<wps:txbx><w:txbxContent>{text}</w:txbxContent></wps:txbx>'
            f'<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="{inset}" tIns="0" rIns="{inset}" bIns="0" '
            f'anchor="ctr" anchorCtr="0"><a:noAutofit/></wps:bodyPr></wps:wsp>')


__all__ = ["CHART_TYPE", "WORKBOOK_RELATIONSHIP", "chart_blobs", "chart_run", "chart_workbook", "chart_xml", "diagram_run"]
