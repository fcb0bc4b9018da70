"""`aftersales build`: every file and the site for one profile or many, with a progress bar and a
report per company, the companies' portal, and the summary of a batch."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from generator.batch import build_many
from generator.build import write_portal
from generator.commands.arguments import is_folder, profile_paths
from generator.commands.console import (EXIT_BUG, EXIT_INPUT, EXIT_OK, notices, shown, silence_stdout,
                                        tell)
from generator.commands.content import content_warnings
from generator.errors import CLOSED_PIPE, AftersalesError, Problem, display, user_error
from generator.output.pdf import absence, no_pdf_error, office, unpaged
from generator.prepare import safe_name
from generator.render.provisional import caveat
from generator.standard.catalogue import load_catalogue


def run(args) -> int:
    if args.content is not None:
        for warning in content_warnings(args.content):
            print(f"⚠ {warning}", file=sys.stderr)
    paths = profile_paths(args.profiles)
    single = len(paths) == 1 and not is_folder(args.profiles[0])
    root = args.output or Path("build")
    jobs = [(path, args.output if single and args.output else root / safe_name(path.stem)) for path in paths]
    _one_folder_each(jobs)
    if not single and any(out.name == "portal" for _, out in jobs):
        raise AftersalesError("档案不能命名为 portal.yaml：portal 是企业一览的目录")
    cpus = os.cpu_count() or 1
    workers = min(args.jobs or cpus, 4 * cpus, len(jobs))  # more would only share the same cores
    program = office()
    if args.pdf and program is None:
        raise no_pdf_error()
    show = _Progress(len(jobs), single)
    results = build_many(jobs, site=not args.no_site, content=args.content, force=args.force,
                         workers=workers, progress=show, keep_renamed=args.keep_renamed, pdf=args.pdf)
    show.close()
    built = [(r.summary, Path(r.out)) for r in results if r.summary is not None]
    portal, portal_error = None, None
    if not single and built and not args.no_site:
        try:
            portal = write_portal(built, root / "portal", load_catalogue())
        except Exception as exc:  # the companies are built: still print the summary
            portal_error = user_error(exc)
    failed = [r for r in results if r.status == "failed"]
    if program is None and any(r.status == "built" for r in results):  # once for the whole build, after it
        show.report(lambda: tell(f"提示：{unpaged(absence())}"))
    show.report(lambda: _batch_report(results, failed, portal, portal_error))
    bug = any(r.bug for r in results)
    if show.closed:  # the reader of the output left early: the builds went on, unreported
        tell(f"错误：{CLOSED_PIPE}；各档案照常生成，再运行一次即可看到全部结果（未变化的会跳过）")
        return EXIT_BUG if bug else EXIT_INPUT
    if bug:
        return EXIT_BUG
    return EXIT_INPUT if failed or portal_error else EXIT_OK


def _batch_report(results: list, failed: list, portal: Path | None, portal_error: AftersalesError | None) -> None:
    if portal is not None:
        print(f"企业一览（用浏览器打开）：{shown(portal / 'site' / 'index.html')}")
    if portal_error is not None:
        print(portal_error.render(), file=sys.stderr)
    note = caveat(load_catalogue())
    if note and any(r.summary is not None for r in results):
        print(note)
    if len(results) > 1:
        counts = {s: sum(1 for r in results if r.status == s) for s in ("built", "skipped", "failed")}
        print(f"共 {len(results)} 个档案：生成 {counts['built']}，未变化跳过 {counts['skipped']}，失败 {counts['failed']}")
        for r in failed:
            print(f"  ✗ {display(r.path)}", file=sys.stderr)
    sys.stdout.flush()


def _one_folder_each(jobs: list[tuple[Path, Path]]) -> None:
    """Stop before building if two profiles would share an output folder: the same file listed twice
    is told as such; different files are named with the folder they would share."""
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


class _Progress:
    """A progress bar for batches on a terminal; the per-company report for a single build."""

    def __init__(self, total: int, single: bool):
        self.single = single
        self.closed = False
        self.bar = None
        if not single and sys.stderr.isatty():
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
            silence_stdout()
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
        notices(s)
        if result.site_dropped:
            print("  已删除上次生成的网站（site/ 和 mkdocs/）：本次用了 --no-site，旧网站与本次的文件不再对应；需要时去掉 --no-site 重新生成")
        if result.dropped:
            print(f"  已删除上次生成的 PDF（{'、'.join(result.dropped)}）：本次生成的 DOCX 已经不同，它们不再对应；需要时加 --pdf 重新生成")
        for old, new in result.renamed:
            print(f"  已把您的文件 {display(old)} 改名为 {display(new)} 保留（它与本次生成的文件同名，且不是本工具所写或已被修改）")
        if s.layout_note:  # LibreOffice failed; no LibreOffice at all is said once, after the builds
            print(f"  ⚠ {s.layout_note}", file=sys.stderr)
        if self.single:
            print(f"  DOCX 文件（{len(s.files)} 份）在 {shown(out)}{os.sep}：" + "、".join(s.files))
            if s.pdfs:
                print(f"  PDF 文件（{len(s.pdfs)} 份）在同一目录：" + "、".join(s.pdfs))
            if (out / "site" / "index.html").is_file():
                print(f"  网站（用浏览器打开）：{shown(out / 'site' / 'index.html')}")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
