"""`aftersales`: thin command line over the library. Exit codes: 0 ok, 2 bad input, 1 unexpected.

Each command is a module of generator.commands; this is the parser, the dispatch and the one
error boundary.
"""
from __future__ import annotations

import argparse
import gc
import importlib
import sys

from generator import __version__
from generator.commands import arguments
from generator.commands.arguments import ChineseParser
from generator.commands.console import (EXIT_INPUT, name_standard_output, silence_stdout, standard_streams,
                                        tell)
from generator.errors import CLOSED_PIPE, WHOLE_OUTPUT, from_environment


def main(argv: list[str] | None = None) -> int:
    """The one error boundary: a user's or the environment's error is a message and exit 2; only a
    bug keeps its traceback (exit 1)."""
    if not standard_streams():
        return EXIT_INPUT
    fewer_collections()
    name_standard_output()
    for stream in (sys.stdout, sys.stderr):  # a terminal that cannot show a character never fails a build
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    parser = _parser()
    try:
        try:
            args = parser.parse_args(argv)
        except SystemExit as stop:  # help, version, or a mistake on the command line (already told)
            code = stop.code if isinstance(stop.code, int) else EXIT_INPUT
        else:
            if not getattr(args, "command", None):
                parser.print_help()
                code = EXIT_INPUT
            else:
                code = _run(args)
        sys.stdout.flush()  # a closed pipe shows here, inside the boundary, not at the interpreter's exit
        return code
    except KeyboardInterrupt:
        tell("已中断")
        return 130
    except BrokenPipeError:  # `aftersales score --json | head`: the reader has gone before the end
        silence_stdout()
        tell(f"错误：{CLOSED_PIPE}。{WHOLE_OUTPUT}")
        return EXIT_INPUT
    except BaseException as exc:
        error = from_environment(exc)
        if error is None:
            raise
        if getattr(exc, "standard_output", False):
            silence_stdout()
        tell(error.render())
        return error.exit_code


def _run(args: argparse.Namespace) -> int:
    """Run the command's module. It is imported only now, so that start-up (`--version`, a mistake on the
    command line) does not load what the other commands need (the renderer, mkdocs, openpyxl)."""
    command = importlib.import_module(f"generator.commands.{args.command}")
    if not gc.get_freeze_count():  # what the imports made lives as long as the process: no collection
        gc.freeze()  # looks at it again (once: a process calling main() again keeps its later garbage collectable)
    return command.run(args)


def fewer_collections() -> None:
    """A build makes millions of objects that live until it ends (a profile's nodes, tokens, XML text)
    and hardly any cycles; with Python's default thresholds the collector walks them again and again
    (a third of the time of a 10,000-outlet build, a fifth of the example's). It still runs, less often."""
    gc.set_threshold(10_000, 20, 20)


def _parser() -> argparse.ArgumentParser:
    parser = ChineseParser(
        prog="aftersales",
        description="按 GB/T 27922-2011 为企业生成售后服务手册、认证申请书、申请材料清单、自评打分表和网站。")
    parser.add_argument("--version", action="version", version=f"aftersales {__version__}", help="显示版本并退出")
    sub = parser.add_subparsers(dest="command", metavar="命令")

    init = sub.add_parser("init", help="写出带注释的企业档案模板")
    init.add_argument("path", nargs="?", default="company.yaml", type=arguments.new_file, help="写到哪里（默认 company.yaml）")
    init.add_argument("--force", action="store_true", help="覆盖已有文件")
    init.add_argument("--industry", metavar="PACK",
                      help="按行业包预填服务时限：home-appliances、automobiles、online-retail、furniture、software-it、general")

    intake = sub.add_parser(
        "intake", help="写出 Excel 企业信息采集表（空白或由档案填入），或把填好的采集表转换为 YAML 档案",
        description="按文件名后缀决定方向：不给来源写出空白采集表；PROFILE.yaml -o 采集表.xlsx 把档案写成采集表；"
                    "采集表.xlsx -o 档案.yaml 把填好的采集表转换为带注释的 YAML 档案。")
    intake.add_argument("source", nargs="?", type=arguments.path, metavar="SOURCE",
                        help="来源：.yaml 企业档案或 .xlsx 企业信息采集表；不给则写出空白采集表")
    intake.add_argument("-o", "--output", required=True, type=arguments.output_file, metavar="FILE",
                        help="写到哪里：采集表 .xlsx，或（来源是采集表时）档案 .yaml")
    intake.add_argument("--industry", metavar="PACK",
                        help="空白采集表按行业包预填服务时限（同 init --industry）：home-appliances、automobiles、"
                             "online-retail、furniture、software-it、general")
    intake.add_argument("--force", action="store_true", help="覆盖已有的 YAML 档案")

    check = sub.add_parser("check", help="校验企业档案，一次列出全部问题")
    check.add_argument("profiles", nargs="+", type=arguments.path, metavar="PROFILE")
    check.add_argument("--strict", action="store_true", help="把一致性警告当作错误（退出码 2）")

    score = sub.add_parser("score", help="在终端显示自评打分和整改路径")
    score.add_argument("profile", type=arguments.path, metavar="PROFILE")
    score.add_argument("--json", action="store_true", help="以 JSON 输出全部数字，供脚本使用")
    score.add_argument("--xlsx", metavar="FILE", help="同时把评分和整改计划写成 Excel 工作簿")  # as typed: "dir/" is a folder

    build = sub.add_parser("build", help="生成全部文件和网站")
    build.add_argument("profiles", nargs="+", type=arguments.path, metavar="PROFILE",
                       help="企业档案（.yaml）或企业信息采集表（.xlsx），或包含多个档案的文件夹")
    build.add_argument("-o", "--output", type=arguments.path, default=None,
                       help="输出目录；一个档案时即该企业的目录，多个档案时每个企业一个子目录（默认 build/）")
    build.add_argument("--no-site", action="store_true", help="只生成 DOCX，不构建网站")
    build.add_argument("--pdf", action="store_true",
                       help="同时在每份 DOCX 旁生成 PDF（带标题书签），需要 LibreOffice")
    build.add_argument("--force", action="store_true", help="即使档案和模板都没有变化也重新生成")
    build.add_argument("--keep-renamed", action="store_true",
                       help="输出目录中本工具要写的位置上有您的文件（如在 Word 中修改过的手册）时，把它们改名保留后继续")
    build.add_argument("-j", "--jobs", type=arguments.jobs, default=0, metavar="N",
                       help="并行进程数（默认为 CPU 核数；不超过档案数，也不超过 CPU 核数的 4 倍）")
    build.add_argument("--content", type=arguments.path, metavar="DIR",
                       help="自定义模板文件夹：其中与 content/documents/ 同名的模板优先使用（咨询机构的版式和表述）")

    serve = sub.add_parser("serve", help="实时预览企业网站：修改档案后页面自动更新")
    serve.add_argument("profile", type=arguments.path, metavar="PROFILE")
    serve.add_argument("--port", type=arguments.port, default=8000, help="端口（默认 8000）")
    return parser


if __name__ == "__main__":
    sys.exit(main())
