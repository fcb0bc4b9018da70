"""The spreadsheet names the site and the DOCX charts use, where they import them from.

Formatting and reproducible saving are generator.output.xlsx.saving; the rule that keeps text text
is textcells; a chart's embedded workbook is chartdata; whose a workbook is, ownership.
"""
from __future__ import annotations

from generator.output.xlsx.chartdata import chart_data_xlsx
from generator.output.xlsx.saving import format_table, save
from generator.output.xlsx.textcells import csv_cell

__all__ = ["chart_data_xlsx", "csv_cell", "format_table", "save"]
