"""The workbook embedded in a chart (python-pptx's chart data, written with XlsxWriter), text kept text."""
from __future__ import annotations

from generator.output.xlsx.textcells import quoted


def chart_data_xlsx(data) -> bytes:
    """The workbook of python-pptx chart data (`data.xlsx_blob`, written with XlsxWriter in the
    layout the chart XML points at) with text kept text: XlsxWriter's write() would make a str that
    starts with "=" a formula and one that looks like a URL a hyperlink."""
    # python-pptx and XlsxWriter are imported only when a chart is written, not when the site or
    # `check` imports the spreadsheet names; the writer subclasses python-pptx's, so it is made here.
    from contextlib import contextmanager

    from pptx.chart.xlsx import CategoryWorkbookWriter
    from xlsxwriter import Workbook

    class TextWriter(CategoryWorkbookWriter):
        """python-pptx's category chart workbook, opened with XlsxWriter's text-keeping options and a
        write handler that gives a formula-like text quotePrefix."""

        @contextmanager
        def _open_worksheet(self, xlsx_file):
            book = Workbook(xlsx_file, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
            sheet = book.add_worksheet()
            prefixed = {}

            def text(worksheet, row, col, token, cell_format=None):
                if not quoted(token):
                    return None  # XlsxWriter's own handling: a string cell (or a blank for "")
                key = None if cell_format is None else cell_format.num_format
                if key not in prefixed:
                    prefixed[key] = book.add_format({"quote_prefix": True} if key is None else
                                                    {"num_format": key, "quote_prefix": True})
                return worksheet.write_string(row, col, token, prefixed[key])

            sheet.add_write_handler(str, text)
            yield book, sheet
            book.close()

    return TextWriter(data).xlsx_blob  # python-pptx's own writer for category charts, with these options
