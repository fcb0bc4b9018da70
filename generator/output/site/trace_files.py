"""The traceability matrix as downloads: CSV and an Excel workbook, in plain text (the site's
page of it, with links, is content/pages/trace.md.j2)."""
from __future__ import annotations

import csv
import io

from generator.output.scorecard import caveat_row
from generator.output.xlsx.textcells import csv_cell
from generator.output.xlsx.saving import format_table, save
from generator.render.provisional import caveat, star

_HEADER = ["条款", "名称", "售后服务手册", "其他文件", "申请材料", "评分"]
_CSV_NOTE = "分值说明"


def _rows(bundle):
    """Rows of the matrix as plain text, and whether the row's score is starred."""
    for t in bundle.traces:
        c = t.clause

        def places(in_manual: bool) -> str:
            return "；".join(("" if in_manual else p.document_title + " · ") + p.section.text
                            for p in t.places if (p.document == "manual") == in_manual)
        manual = places(True) or ("删减" if t.excluded_reason else "—")
        others = places(False) or "—"
        materials = "、".join(m.material.id for m in t.materials) or "—"
        score, starred = "—", False
        if t.score is not None:
            starred = not t.score.excluded and c.provisional
            score = "删减" if t.score.excluded else f"{t.score.earned:g} / {t.score.points:g}{star(starred)}"
        yield (c.id, c.title, manual, others, materials, score), starred


def trace_csv(bundle) -> bytes:
    """The matrix as CSV: the header first, then one clause a row, all rows of the same columns, as
    every reader expects (csv.DictReader, pandas, Excel's "From Text/CSV" take the first row as the
    header, and any other row as a clause). So the caveat on provisional points is no row of its
    own: it is the last column, 分值说明, of each row whose 评分 carries "*" (empty elsewhere), and
    stays with the score when rows are filtered, sorted or copied."""
    note = caveat(bundle.catalogue)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*_HEADER, _CSV_NOTE])
    for cells, starred in _rows(bundle):
        writer.writerow([csv_cell(v) for v in (*cells, note if starred else "")])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel opens UTF-8 CSV correctly


def trace_xlsx(bundle) -> bytes:
    """The matrix as a workbook: the caveat first, then the header and a row per clause."""
    from openpyxl import Workbook  # here, not at the top: openpyxl is slow to import, and only this needs it

    book = Workbook()
    sheet = book.active
    sheet.title = "追溯矩阵"
    sheet.append([caveat(bundle.catalogue)])
    sheet.append(_HEADER)
    for cells, _ in _rows(bundle):
        sheet.append(list(cells))
    format_table(sheet, [10, 16, 50, 50, 16, 10])
    caveat_row(sheet)
    return save(book, bundle.profile.document.issue_date)
