"""`aftersales score`: the self-assessment on the terminal, as JSON, or also as an Excel workbook."""
from __future__ import annotations

import json

from rich.console import Console

from generator.commands.console import EXIT_OK
from generator.commands.arguments import is_intake_workbook
from generator.errors import AftersalesError, Problem, display
from generator.output.scorecard import as_data, print_table, scorecard, write_xlsx, xlsx_target


def run(args) -> int:
    target = None if args.xlsx is None else xlsx_target(args.xlsx)
    if target is not None and target.is_file() and is_intake_workbook(target):
        raise AftersalesError(f"{display(target)} 是企业信息采集表（企业填写的答案），不能用评分工作簿覆盖；没有写入", [Problem(
            "请用 --xlsx 另给一个文件名，例如 “评分.xlsx”", display(target))])
    card = scorecard(args.profile)
    if target:
        write_xlsx(card, target)
    if args.json:
        print(json.dumps(as_data(card), ensure_ascii=False, indent=2))
    else:
        print_table(card, _QuietConsole())
        if target:
            print(f"已写出 {display(target)}")
    return EXIT_OK


class _QuietConsole(Console):
    """rich's console, but a closed pipe reaches the error boundary (rich itself would exit 1)."""

    def on_broken_pipe(self) -> None:
        raise BrokenPipeError
