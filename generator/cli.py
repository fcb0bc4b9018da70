"""`aftersales`: thin command line over the library. Exit codes: 0 ok, 2 bad input, 1 unexpected."""
from __future__ import annotations

import argparse
import io
import os
import re
import shlex
import sys
from pathlib import Path

from generator import __version__
from generator.errors import CLOSED_PIPE, WHOLE_OUTPUT, AftersalesError, display, from_environment, user_error

EXIT_OK, EXIT_BUG, EXIT_INPUT = 0, 1, 2


def main(argv: list[str] | None = None) -> int:
    """The one error boundary: a user's or the environment's error is a message and exit 2; only a
    bug keeps its traceback (exit 1)."""
    if not _standard_streams():
        return EXIT_INPUT
    _name_standard_output()
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
                code = args.run(args)
        sys.stdout.flush()  # a closed pipe shows here, inside the boundary, not at the interpreter's exit
        return code
    except KeyboardInterrupt:
        _tell("已中断")
        return 130
    except BrokenPipeError:  # `aftersales score --json | head`: the reader has gone before the end
        _silence_stdout()
        _tell(f"错误：{CLOSED_PIPE}。{WHOLE_OUTPUT}")
        return EXIT_INPUT
    except BaseException as exc:
        error = from_environment(exc)
        if error is None:
            raise
        if getattr(exc, "standard_output", False):
            _silence_stdout()
        _tell(error.render())
        return error.exit_code


def _tell(text: str) -> None:
    """A line on standard error; nothing if standard error is a closed pipe too (the exit status tells)."""
    try:
        print(text, file=sys.stderr, flush=True)
    except OSError:
        pass


class _StandardOutput(io.RawIOBase):
    """File descriptor 1, whose write errors say they are the standard output's (`standard_output`):
    a full disk under `> file` is then told as the standard output's, not as some file's."""

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return 1

    def isatty(self) -> bool:
        return os.isatty(1)

    def write(self, data) -> int:
        try:
            return os.write(1, data)
        except OSError as exc:
            error = OSError(exc.errno, exc.strerror)  # EPIPE makes a BrokenPipeError
            error.standard_output = True
            raise error from None


def _name_standard_output() -> None:
    """Put `_StandardOutput` under sys.stdout, when sys.stdout is the process's own (not a test's capture)."""
    stream = sys.stdout
    if stream is not sys.__stdout__ or not hasattr(stream, "buffer"):
        return
    try:
        if stream.fileno() != 1:
            return
        stream.flush()
    except (OSError, ValueError):
        return
    sys.stdout = io.TextIOWrapper(io.BufferedWriter(_StandardOutput()), encoding=stream.encoding,
                                  errors=stream.errors, line_buffering=stream.line_buffering,
                                  write_through=stream.write_through)


def _standard_streams() -> bool:
    """Standard input, output and error open (started with `>&-`, a file the tool opens would take
    the closed number and receive what is printed). A closed stream is filled with /dev/null; a
    closed output is an error, since the results would vanish."""
    closed = []
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            closed.append(fd)
            try:
                os.open(os.devnull, os.O_RDWR)  # takes the lowest free number: this one
            except OSError:
                pass
    if 2 in closed or sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")
    if 0 in closed or sys.stdin is None:
        sys.stdin = open(os.devnull, encoding="utf-8")
    if 1 in closed or sys.stdout is None:
        print("错误：标准输出已关闭（例如命令后有 >&-），结果无处显示，没有运行。"
              "请把输出重定向到文件或 /dev/null（> 结果.txt）后重试", file=sys.stderr)
        return False
    return True


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's final flush does not fail again."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        return
    try:
        os.dup2(null, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    finally:
        os.close(null)


def _path(text: str) -> Path:
    """A path as typed: `~` expanded even when the shell did not (a quoted or configured path). An
    empty one (or one of spaces only) is refused: it would mean the working folder (`-o "$OUT"` with
    OUT unset)."""
    if not text.strip():  # empty, or only spaces (a folder named " " is never what was meant)
        raise argparse.ArgumentTypeError("路径为空（也许是一个未设置的变量，如 \"$OUT\"）；请给出路径，"
                                         "当前文件夹请写 .")
    return Path(os.path.expanduser(text))


def _new_file(text: str) -> Path:
    """A file to write: `-`, which some tools read as the standard output, is refused, not written
    as a file of that name."""
    if text == "-":
        raise argparse.ArgumentTypeError("init 只写文件，不支持 -（标准输出）；请给出文件名，如 company.yaml"
                                         "（确实要用 - 作文件名请写 ./-）")
    return _path(text)


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"应为不小于 1 的整数，实际为 {text!r}")
    return value


def _port(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为整数（1–65535），实际为 {text!r}") from None


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


# argparse's own messages (Python's, in English), each with its Chinese; {0}… are the parts kept
_ARGPARSE = [
    (r"the following arguments are required: (.*)", "缺少参数：{0}"),
    (r"unrecognized arguments: (.*)", "无法识别的参数：{0}（参数以 - 开头的文件名请写在 -- 之后）"),
    (r"argument (\S+): invalid choice: (.*?) \(choose from (.*)\)", "没有 {1} 这个{0}，可用的有：{2}"),
    (r"argument (\S+): invalid (\w+) value: (.*)", "参数 {0} 的值 {2} 无效：应为{1}"),
    (r"argument (\S+): expected one argument", "参数 {0} 后面需要一个值"),
    (r"argument (\S+): expected at least one argument", "参数 {0} 后面需要至少一个值"),
    (r"argument (\S+): not allowed with argument (\S+)", "参数 {0} 不能和 {1} 同时使用"),
    (r"ambiguous option: (\S+) could match (.*)", "选项 {0} 有歧义，可能是：{1}"),
    (r"argument (\S+): (.*)", "参数 {0}：{1}"),  # our own type checks' messages, already in Chinese
]
_KINDS = {"int": "整数", "float": "数字"}


def _chinese(message: str) -> str:
    for pattern, text in _ARGPARSE:
        match = re.fullmatch(pattern, message, flags=re.S)
        if match:
            parts = [_KINDS.get(part, part) for part in match.groups()]
            return text.format(*parts)
    return message


class _Parser(argparse.ArgumentParser):
    """argparse speaking Chinese: usage, help and errors."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出")

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(EXIT_INPUT, f"错误：{_chinese(message)}\n运行 {self.prog} -h 查看用法\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="aftersales",
        description="按 GB/T 27922-2011 为企业生成售后服务手册、认证申请书、申请材料清单、自评打分表和网站。")
    parser.add_argument("--version", action="version", version=f"aftersales {__version__}", help="显示版本并退出")
    sub = parser.add_subparsers(dest="command", metavar="命令")

    init = sub.add_parser("init", help="写出带注释的企业档案模板")
    init.add_argument("path", nargs="?", default="company.yaml", type=_new_file, help="写到哪里（默认 company.yaml）")
    init.add_argument("--force", action="store_true", help="覆盖已有文件")
    init.add_argument("--industry", metavar="PACK",
                      help="按行业包预填服务时限：home-appliances、automobiles、online-retail、furniture、software-it、general")
    init.set_defaults(run=_init)

    check = sub.add_parser("check", help="校验企业档案，一次列出全部问题")
    check.add_argument("profiles", nargs="+", type=_path, metavar="PROFILE")
    check.add_argument("--strict", action="store_true", help="把一致性警告当作错误（退出码 2）")
    check.set_defaults(run=_check)

    score = sub.add_parser("score", help="在终端显示自评打分和整改路径")
    score.add_argument("profile", type=_path, metavar="PROFILE")
    score.add_argument("--json", action="store_true", help="以 JSON 输出全部数字，供脚本使用")
    score.add_argument("--xlsx", metavar="FILE", help="同时把评分和整改计划写成 Excel 工作簿")  # as typed: "dir/" is a folder
    score.set_defaults(run=_score)

    build = sub.add_parser("build", help="生成全部文件和网站")
    build.add_argument("profiles", nargs="+", type=_path, metavar="PROFILE",
                       help="企业档案（.yaml），或包含多个档案的文件夹")
    build.add_argument("-o", "--output", type=_path, default=None,
                       help="输出目录；一个档案时即该企业的目录，多个档案时每个企业一个子目录（默认 build/）")
    build.add_argument("--no-site", action="store_true", help="只生成 DOCX，不构建网站")
    build.add_argument("--force", action="store_true", help="即使档案和模板都没有变化也重新生成")
    build.add_argument("--keep-renamed", action="store_true",
                       help="输出目录中本工具要写的位置上有您的文件（如在 Word 中修改过的手册）时，把它们改名保留后继续")
    build.add_argument("-j", "--jobs", type=_jobs, default=0, metavar="N",
                       help="并行进程数（默认为 CPU 核数；不超过档案数，也不超过 CPU 核数的 4 倍）")
    build.add_argument("--content", type=_path, metavar="DIR",
                       help="自定义模板文件夹：其中与 content/documents/ 同名的模板优先使用（咨询机构的版式和表述）")
    build.set_defaults(run=_build)

    serve = sub.add_parser("serve", help="实时预览企业网站：修改档案后页面自动更新")
    serve.add_argument("profile", type=_path, metavar="PROFILE")
    serve.add_argument("--port", type=_port, default=8000, help="端口（默认 8000）")
    serve.set_defaults(run=_serve)
    return parser


def _profiles(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        if _is_dir(path):
            found = sorted(p for p in path.iterdir() if p.suffix.lower() in (".yaml", ".yml") and _is_file(p))
            if not found:
                raise AftersalesError(f"文件夹 {display(path)} 中没有 .yaml 企业档案")
            out += found
        else:
            out.append(path)
    return out


def _is_dir(path: Path) -> bool:
    """A folder? A path that cannot even be looked at (a name too long) is not: reading it as a
    profile then reports why, for that profile alone."""
    try:
        return path.is_dir()
    except OSError:
        return False


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:
        return True  # listed, so that its build reports the problem


def _init(args) -> int:
    from generator.profile.starter import starter_text

    from generator.output.folder import write_file

    if (args.path.exists() or args.path.is_symlink()) and not args.force and not args.path.is_dir():
        raise AftersalesError(f"{display(args.path)} 已存在；如需覆盖请加 --force")
    write_file(args.path, starter_text(args.industry).encode("utf-8"), replace=lambda _: args.force)
    print(f"已写出企业档案模板 {display(args.path)}。请逐项替换为贵企业的信息，然后运行：aftersales check {shlex.quote(display(args.path))}")
    return EXIT_OK


def _check(args) -> int:
    from generator.build import make_bundle, summary_of
    from generator.standard.catalogue import load_catalogue

    failed, scored = 0, False
    for path in _profiles(args.profiles):
        try:
            bundle = make_bundle(path)
        except Exception as exc:  # one profile's problem never hides the others'
            failed += 1
            print(user_error(exc).render(), file=sys.stderr)
            continue
        a = bundle.assessment
        _notices(summary_of(bundle), blanks=False)
        if args.strict and bundle.findings:
            failed += 1
            print(f"错误：--strict 下有 {len(bundle.findings)} 条一致性问题", file=sys.stderr)
            continue
        print(f"✓ {display(path)}：有效。自评 {a.score:g} 分*，{a.level}；删减 {len(a.excluded)} 项；"
              f"材料缺失 {bundle.material_counts.get('缺失', 0)} 项")
        scored = True
    if scored:
        print(load_catalogue().weights_note)
    return EXIT_INPUT if failed else EXIT_OK


def _notices(summary, blanks: bool = True) -> None:
    """A company's consistency findings, eligibility warnings and (for a build) fields left blank."""
    for finding in summary.findings:
        print(f"  ⚠ {finding}", file=sys.stderr)
    for warning in summary.notices or summary.warnings:
        print(f"  ⚠ {warning}", file=sys.stderr)
    if blanks and summary.blanks:
        print("  需手工填写：" + "、".join(summary.blanks))


def _serve(args) -> int:
    from generator.output.site.preview import serve_profile

    serve_profile(args.profile, args.port)  # answers only this computer's names; a busy port is a message
    return EXIT_OK


def _score(args) -> int:
    import json

    from generator.output.scorecard import as_data, print_table, scorecard, write_xlsx, xlsx_target

    target = None if args.xlsx is None else xlsx_target(args.xlsx)
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


def _build(args) -> int:
    from generator.batch import build_many
    from generator.build import safe_name, write_portal

    if args.content is not None:
        for warning in _content_warnings(args.content):
            print(f"⚠ {warning}", file=sys.stderr)
    paths = _profiles(args.profiles)
    single = len(paths) == 1 and not _is_dir(args.profiles[0])
    root = args.output or Path("build")
    jobs = [(path, args.output if single and args.output else root / safe_name(path.stem)) for path in paths]
    _one_folder_each(jobs)
    if not single and any(out.name == "portal" for _, out in jobs):
        raise AftersalesError("档案不能命名为 portal.yaml：portal 是企业一览的目录")
    cpus = os.cpu_count() or 1
    workers = min(args.jobs or cpus, 4 * cpus, len(jobs))  # more would only share the same cores
    show = _Progress(len(jobs), single)
    results = build_many(jobs, site=not args.no_site, content=args.content, force=args.force,
                         workers=workers, progress=show, keep_renamed=args.keep_renamed)
    show.close()
    built = [(r.summary, Path(r.out)) for r in results if r.summary is not None]
    portal, portal_error = None, None
    if not single and built and not args.no_site:
        try:
            portal = write_portal(built, root / "portal")
        except Exception as exc:  # the companies are built: still print the summary
            portal_error = user_error(exc)
    failed = [r for r in results if r.status == "failed"]
    show.report(lambda: _batch_report(results, failed, portal, portal_error))
    bug = any(r.bug for r in results)
    if show.closed:  # the reader of the output left early: the builds went on, unreported
        _tell(f"错误：{CLOSED_PIPE}；各档案照常生成，再运行一次即可看到全部结果（未变化的会跳过）")
        return EXIT_BUG if bug else EXIT_INPUT
    if bug:
        return EXIT_BUG
    return EXIT_INPUT if failed or portal_error else EXIT_OK


def _batch_report(results: list, failed: list, portal: Path | None, portal_error: AftersalesError | None) -> None:
    from generator.standard.catalogue import load_catalogue

    if portal is not None:
        print(f"企业一览（用浏览器打开）：{shown(portal / 'site' / 'index.html')}")
    if portal_error is not None:
        print(portal_error.render(), file=sys.stderr)
    if any(r.summary is not None for r in results):
        print(load_catalogue().weights_note)
    if len(results) > 1:
        counts = {s: sum(1 for r in results if r.status == s) for s in ("built", "skipped", "failed")}
        print(f"共 {len(results)} 个档案：生成 {counts['built']}，未变化跳过 {counts['skipped']}，失败 {counts['failed']}")
        for r in failed:
            print(f"  ✗ {display(r.path)}", file=sys.stderr)
    sys.stdout.flush()


def _one_folder_each(jobs: list[tuple[Path, Path]]) -> None:
    """Stop before building if two profiles would share an output folder: the same file listed twice
    is told as such; different files are named with the folder they would share."""
    from generator.errors import Problem

    sharing: dict[Path, list[Path]] = {}
    for path, out in jobs:
        sharing.setdefault(out, []).append(path)
    problems = []
    for out, paths in sharing.items():
        if len(paths) < 2:
            continue
        if all(_same_file(paths[0], other) for other in paths[1:]):
            spelt = sorted({display(p) for p in paths})
            written = f"（写作 {'、'.join(spelt)}）" if len(spelt) > 1 else ""
            problems.append(Problem(f"同一个档案列出了 {len(paths)} 次{written}", display(paths[0]), hint="请只列一次"))
        else:
            problems.append(Problem(f"{'、'.join(display(p) for p in paths)} 都会生成到这个文件夹：文件夹名取自档案的"
                                    "文件名，去掉扩展名和特殊字符", display(out), hint="请把档案改名，或分开构建并用 -o 各指定一个目录"))
    if problems:
        twice = all(p.message.startswith("同一个档案") for p in problems)
        what = "有档案列出了不止一次" if twice else "有档案的输出目录相同，会互相覆盖"
        raise AftersalesError(f"{what}；没有生成任何文件", problems)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # missing or unreadable: the same if spelt to the same place
        return os.path.abspath(a) == os.path.abspath(b)


def _content_warnings(folder: Path) -> list[str]:
    """Check a `--content` folder before building: it must be a folder, and a template named as one of
    ours must be a file (else the build would silently use ours). Returns a warning for each
    file (a template *.j2 named as none of ours, or any other file, such as "manual.md" or
    "manual.md.j2 " with a space) included by none of the folder's templates: it is never used (a
    misspelt name). Hidden files (".DS_Store") are passed over."""
    import difflib

    import jinja2
    from jinja2 import meta

    from generator.errors import Problem
    from generator.paths import DOCUMENTS

    if not folder.exists():
        raise AftersalesError(f"--content 指定的文件夹 {display(folder)} 不存在",
                              [Problem("请检查路径；内置模板在 " + display(DOCUMENTS), display(folder))])
    if not folder.is_dir():
        raise AftersalesError(f"--content 应为文件夹，{display(folder)} 是一个文件",
                              [Problem("请给出存放模板（*.md.j2）的文件夹", display(folder))])
    ours = sorted(p.relative_to(DOCUMENTS).as_posix() for p in DOCUMENTS.rglob("*.j2"))
    for name in ours:
        theirs = folder / name
        if (theirs.exists() or theirs.is_symlink()) and not theirs.is_file():
            kind = "是一个文件夹" if theirs.is_dir() else "不是可读的文件（例如指向不存在位置的符号链接）"
            raise AftersalesError(f"--content 中的 {display(theirs)} {kind}，不是模板文件", [Problem(
                f"与内置模板 {name} 同名的应是模板文件，否则构建会用内置模板；请改正或移走它", display(theirs))])
    templates = sorted(p for p in folder.rglob("*.j2") if p.is_file())
    included: set[str] = set()
    for path in templates:
        try:
            found = meta.find_referenced_templates(jinja2.Environment().parse(path.read_text("utf-8", "replace")))
            included |= set(found)
        except jinja2.TemplateSyntaxError:  # told by the build if it is used
            continue
    if None in included:  # a name computed while rendering: which templates are used cannot be told
        return []
    warnings = []
    others = sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.endswith(".j2")
                    and not any(part.startswith(".") for part in p.relative_to(folder).parts))
    for path in templates + others:
        name = path.relative_to(folder).as_posix()
        if name not in ours and name not in included:
            close = difflib.get_close_matches(name.strip(), ours, n=1)
            guess = f"是不是 {close[0]}？" if close else ""
            what = "与内置模板都不同名" if name.endswith(".j2") else "不是模板文件（模板的名字以 .j2 结尾）"
            warnings.append(f"--content 中的 {display(path)} {what}，也没有被其中的模板包含，不会被使用"
                            f"（{guess}内置模板的名字见 {display(DOCUMENTS)}）")
    return warnings


def _QuietConsole():
    """rich's console, but a closed pipe reaches the error boundary (rich itself would exit 1)."""
    from rich.console import Console

    class Quiet(Console):
        def on_broken_pipe(self) -> None:
            raise BrokenPipeError

    return Quiet()


def shown(path: Path) -> str:
    """A path as the user can type it: relative to the working folder when inside it, else absolute."""
    from generator.output.folder import absolute

    full = absolute(path)
    try:
        return str(full.relative_to(Path.cwd()))
    except ValueError:
        return str(full)


class _Progress:
    """A progress bar for batches on a terminal; the per-company report for a single build."""

    def __init__(self, total: int, single: bool):
        self.single = single
        self.closed = False
        self.bar = None
        if not single and sys.stderr.isatty():
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

            self.bar = Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                                TimeElapsedColumn(), transient=True)
            self.task = self.bar.add_task("生成中", total=total)
            self.bar.start()

    def __call__(self, result) -> None:
        if self.bar is not None:
            self.bar.advance(self.task)
        self.report(lambda: self._company(result))

    def report(self, say) -> None:
        """Run `say`, which prints; once the reader of the output has gone (`| head`), the builds go on
        unreported and `closed` says so."""
        try:
            say()
        except BrokenPipeError:
            _silence_stdout()
            self.closed = True

    def _company(self, result) -> None:
        if result.status == "failed":
            print(result.message, file=sys.stderr)
            return
        s = result.summary
        mark = "✓" if result.status == "built" else "＝"
        note = "" if result.status == "built" else "（未变化，跳过；--force 重新生成）"
        out = Path(result.out)
        print(f"{mark} {s.legal_name} → {shown(out)}{os.sep}{note}")
        print(f"  自评 {s.score:g} 分*，{s.level}；材料：" + "，".join(f"{k} {v}" for k, v in s.material_counts.items() if v))
        _notices(s)
        for old, new in result.renamed:
            print(f"  已把您的文件 {display(old)} 改名为 {display(new)} 保留（它与本次生成的文件同名，且不是本工具所写或已被修改）")
        if self.single:
            print(f"  DOCX 文件（{len(s.files)} 份）在 {shown(out)}{os.sep}：" + "、".join(s.files))
            if (out / "site" / "index.html").is_file():
                print(f"  网站（用浏览器打开）：{shown(out / 'site' / 'index.html')}")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


if __name__ == "__main__":
    sys.exit(main())
