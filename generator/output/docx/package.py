"""The DOCX package, assembled by python-docx on a fresh copy of the reference template.

`Package` answers the body writer's requests (`body.Relations`): external hyperlinks, image parts,
chart parts with their embedded workbooks, and a numbering instance per ordered list. It then takes
the body's XML (put in place of the template's body, before its final w:sectPr, as text),
sets the section's header and footer (on every page but the cover), core properties dated from
the document's issue date, and Word's "update fields on opening" for the contents; and gives the
package's bytes, the same for the same input.
"""
from __future__ import annotations

import datetime as dt
import io

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.opc.pkgwriter import _ContentTypesItem
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml

from generator.output.docx.figures import CHART_TYPE, WORKBOOK_RELATIONSHIP, chart_blobs
from generator.output.docx.template import Template
from generator.output.docx.wml import DECLARATIONS
from generator.output.ooxml import zip_parts
from generator.render.figures import BarChart

APP_XML = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
           "<Application>aftersales</Application><DocSecurity>0</DocSecurity></Properties>").encode("utf-8")
# Children of w:settings that come after w:updateFields in CT_Settings' sequence.
AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids", "m:mathPr",
    "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions", "w:readModeInkLockDown", "w:smartTagType",
    "sl:schemaLibrary", "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator")


class Package:
    """One document's package on the template; `relations` for the body writer, then `finish`."""

    def __init__(self, template: Template, issued: dt.date):
        self.template = template
        self.issued = issued
        self.document = template.new_document()
        self.part = self.document.part
        self.charts = 0
        self._body = b""  # the body's blocks as XML (`body`)
        self._drop_thumbnail()

    # --- body.Relations --------------------------------------------------------------------
    def hyperlink(self, url: str) -> str:
        return self.part.relate_to(url, RT.HYPERLINK, is_external=True)

    def image(self, png: bytes) -> str:
        relationship, _ = self.part.get_or_add_image(io.BytesIO(png))
        return relationship

    def chart(self, chart: BarChart) -> str:
        self.charts += 1
        n, package = self.charts, self.part.package
        chart_xml, workbook = chart_blobs(chart, self.issued)
        chart_part = Part(PackURI(f"/word/charts/chart{n}.xml"), CHART_TYPE, chart_xml, package)
        workbook_part = Part(PackURI(f"/word/embeddings/Microsoft_Excel_Worksheet{n}.xlsx"), CT.SML_SHEET,
                             workbook, package)
        if chart_part.relate_to(workbook_part, RT.PACKAGE) != WORKBOOK_RELATIONSHIP:
            raise AssertionError("the chart XML names its workbook's relationship as " + WORKBOOK_RELATIONSHIP)
        return self.part.relate_to(chart_part, RT.CHART)

    def numbering(self, start: int) -> int:
        """A new instance of the List Number style's numbering, so that each list restarts."""
        num = self.part.numbering_part.element.add_num(self.template.list_number_abstract)
        num.add_lvlOverride(ilvl=0).add_startOverride(start)
        return num.numId

    # --- the rest of the package -----------------------------------------------------------
    def page_furniture(self, header: str, footer: str) -> None:
        """The header and footer paragraphs (XML) on every page but the first (the cover); any
        header or footer of the template's is dropped."""
        section = self.document.sections[-1]
        for story in (section.header, section.footer, section.first_page_header, section.first_page_footer,
                      section.even_page_header, section.even_page_footer):
            story.is_linked_to_previous = True  # no definition of its own: the template's goes
        section.different_first_page_header_footer = True
        for story, xml in ((section.header, header), (section.footer, footer)):
            story.is_linked_to_previous = False
            element = story.part.element
            for child in list(element):
                element.remove(child)
            element.extend(list(_fragment(xml)))

    def body(self, xml: str) -> None:
        """The body: `xml` (a sequence of block elements) in place of the template's, followed
        by the template's final section properties. The text goes into the document part's bytes as it
        is (`_parts`): a 10,000-row table is not parsed into a tree only to be written out again. It is
        written as lxml writes what it parses (tests/test_docx_package.py holds it to that)."""
        body = self.document.element.body
        for child in list(body):
            if child is not body.sectPr:
                body.remove(child)
        self._body = xml.encode("utf-8")

    def update_fields_on_open(self) -> None:
        """Word asks to update the fields (the contents) when it opens the document."""
        settings = self.document.settings.element
        if settings.find(qn("w:updateFields")) is None:
            settings.insert_element_before(OxmlElement("w:updateFields", {qn("w:val"): "true"}),
                                           *AFTER_UPDATE_FIELDS)

    def finish(self, title: str, company: str) -> bytes:
        """The package's bytes, with core properties dated from the issue date (as the zip's entries)."""
        stamp = dt.datetime.combine(self.issued, dt.time())
        properties = self.document.core_properties
        properties.title, properties.subject = title, "GB/T 27922-2011"
        properties.author = properties.last_modified_by = company
        properties.keywords = properties.comments = properties.category = ""
        properties.revision = 1
        properties.created = properties.modified = properties.last_printed = stamp
        return zip_parts(self._parts(), stamp)

    def _parts(self) -> dict[str, bytes]:
        """Every part and relationships item by its name in the zip, as python-docx's
        `Document.save` writes them (which would stamp each zip entry with the clock)."""
        package = self.part.package
        parts = list(package.iter_parts())
        for part in parts:
            part.before_marshal()
        # python-docx's own [Content_Types].xml: a Default per known extension, an Override per other part
        out = {"[Content_Types].xml": _ContentTypesItem.from_parts(parts).blob, "_rels/.rels": package.rels.xml}
        for part in parts:
            out[part.partname.membername] = self._with_body(part.blob) if part is self.part else part.blob
            if len(part.rels):
                out[part.partname.rels_uri.membername] = part.rels.xml
        # The application's properties name this tool, not the template's word processor and statistics.
        out["docProps/app.xml"] = APP_XML
        return out

    def _with_body(self, blob: bytes) -> bytes:
        """The document part's bytes with the body's blocks in front of its section properties."""
        head, found, tail = blob.partition(b"<w:body>")
        if not found or b"<w:body>" in tail:
            raise AssertionError("the reference template's document part has no plain <w:body> to fill")
        return head + found + self._body + tail

    def _drop_thumbnail(self) -> None:
        """The template's thumbnail is a picture of the template, not of the document."""
        rels = self.part.package.rels
        for relationship in [r for r in rels.values() if r.reltype == RT.THUMBNAIL]:
            rels.pop(relationship.rId)


def _fragment(xml: str):
    """A w:body of block elements given as XML text, parsed once; it declares their namespaces."""
    return parse_xml(f"<w:body {DECLARATIONS}>{xml}</w:body>")
