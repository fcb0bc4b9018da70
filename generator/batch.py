"""Building many profiles: in parallel over the cores, skipping those whose inputs did not change.

Each output folder holds `manifest.json`: the hash of everything that went into it (profile,
bundled content and templates, override templates, tool version, options), a summary for the
portal, and the SHA-256 of every file written. A profile whose input hash matches is skipped,
provided every file the manifest lists is still there as written.
"""
from __future__ import annotations

import functools
import gc
import hashlib
import json
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path

from generator import __version__
from generator.build import make_bundle, write_bundle
from generator.errors import AftersalesError, display, from_environment
from generator.output.folder import intact, remove_leftovers
from generator.output.pdf import office
from generator.assess.materials import COUNT_ORDER
from generator.summary import Summary
from generator.inputs.yamlload import read_input
from generator.intake.tablefile import MAX_BYTES as LIST_BYTES
from generator.intake.reader import MAX_BYTES as WORKBOOK_BYTES
from generator.intake.source import input_files, is_workbook
from generator.paths import CONTENT, TEMPLATES
from generator.prepare import summary_of


@dataclass
class Result:
    path: str
    out: str
    status: str  # built / skipped / failed
    summary: Summary | None = None
    message: str = ""
    bug: bool = False  # failed by a defect of the tool (exit 1), not by the input or the environment
    renamed: list[tuple[str, str]] = field(default_factory=list)  # the user's files kept under a new name
    dropped: list[str] = field(default_factory=list)  # PDFs of the last build this one (without --pdf) removed
    site_dropped: bool = False  # the last build's site, which this one (--no-site) removed


@functools.lru_cache(maxsize=4)
def _tree_hash(*folders: Path) -> str:
    digest = hashlib.sha256(__version__.encode())  # the tool's version
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def input_hash(profile: Path, content: Path | None, site: bool, pdf: bool = False) -> str:
    """What a build from `profile` depends on: the profile's bytes (a workbook's may be larger than a
    YAML profile's) and those of the list files it names (`outlets_file: 网点清单.csv`), the bundled
    and override templates, the tool's version, the options, and whether LibreOffice lays the documents
    out (the contents' page numbers; a build after installing it is not skipped). A list file that cannot be read counts
    as such: the build then tells why."""
    digest = hashlib.sha256(read_input(profile, limit=WORKBOOK_BYTES) if is_workbook(profile) else read_input(profile))
    for listed in input_files(profile)[1:]:
        digest.update(b"\0" + str(listed).encode("utf-8", "surrogateescape") + b"\0")
        try:
            digest.update(hashlib.sha256(read_input(listed, limit=LIST_BYTES)).digest())
        except AftersalesError:
            digest.update(b"unreadable")
    digest.update(_tree_hash(CONTENT, TEMPLATES).encode())
    digest.update(_tree_hash(content.resolve()).encode() if content else b"-")
    digest.update(b"site" if site else b"docx")
    digest.update(b"pdf" if pdf else b"-")
    digest.update(b"laid out" if office() else b"-")
    return digest.hexdigest()


def read_manifest(out: Path) -> dict | None:
    try:
        data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None  # a manifest edited into something else: built again


def _summary(data: object) -> Summary | None:
    """The summary a previous build recorded in its manifest, or None if it is not one."""
    try:
        summary = Summary(**data)  # type: ignore[arg-type]
    except TypeError:
        return None
    kinds = {"slug": str, "legal_name": str, "enterprise_type": str, "score": (int, float), "level": str,
             "target_level": str, "missing": int, "material_counts": dict, "warnings": list, "findings": list,
             "blanks": list, "files": list, "pdfs": list, "layout_note": str}
    if not all(isinstance(getattr(summary, k), t) for k, t in kinds.items()):
        return None
    # the manifest stores its keys sorted: the statuses back in the order a build shows them
    summary.material_counts = {k: summary.material_counts[k] for k in COUNT_ORDER if k in summary.material_counts}
    return summary


def build_one(path: str, out: str, site: bool = True, content: str | None = None, force: bool = False,
              keep_renamed: bool = False, pdf: bool = False) -> Result:
    """Build one profile into `out` (a worker process runs this); never raises for bad input."""
    profile, folder = Path(path), Path(out)
    try:
        key = input_hash(profile, Path(content) if content else None, site, pdf)
        manifest = read_manifest(folder)
        if not force and manifest and manifest.get("input_hash") == key and intact(folder):
            previous = _summary(manifest.get("summary"))
            if previous is not None:  # else a manifest edited by hand: built again
                remove_leftovers(folder)  # a killed build's staging folder, which a rebuild would remove
                return Result(path, out, "skipped", previous)
        had_site = not site and (folder / "site" / "index.html").is_file()
        bundle = make_bundle(profile, content=Path(content) if content else None, pdf=pdf)
        earlier = _earlier_pdfs(manifest, folder, bundle)  # before the summary: the PDFs kept are listed
        summary = summary_of(bundle)
        summary.pdfs, summary.layout_note = sorted(bundle.pdf), bundle.layout_note
        renamed: list[tuple[str, str]] = []
        if bundle.layout_note:  # LibreOffice failed this time: the next build tries again rather than skip
            key += ":unpaged"
        write_bundle(bundle, folder, site=site, manifest={"input_hash": key, "summary": asdict(summary)},
                     keep_renamed=keep_renamed, renamed=renamed)
        return Result(path, out, "built", summary, renamed=renamed,
                      dropped=sorted(name for name in earlier if not (folder / name).exists()),
                      site_dropped=had_site and not (folder / "site").exists())
    except Exception as exc:  # isolated: one profile's failure never stops the others
        error = from_environment(exc)
        if error is not None:
            return Result(path, out, "failed", message=error.render())
        return Result(path, out, "failed", message=_bug_report(path, exc), bug=True)


def _earlier_pdfs(manifest: dict | None, folder: Path, bundle) -> list[str]:
    """The PDFs an earlier `--pdf` build wrote that this build (without it) does not: one whose DOCX
    this build writes again byte for byte, and which is as the tool wrote it, is kept (put back into
    `bundle.pdf`); the others are returned, to be told as removed."""
    listed = manifest.get("files") if isinstance(manifest, dict) else None
    gone = []
    for name, digest in (listed if isinstance(listed, dict) else {}).items():
        if not (isinstance(name, str) and name.endswith(".pdf") and "/" not in name and name not in bundle.pdf):
            continue
        pdf, source = folder / name, folder / (name[:-4] + ".docx")
        try:
            data = pdf.read_bytes()
            same = hashlib.sha256(data).hexdigest() == digest and source.read_bytes() == bundle.docx.get(source.name)
        except OSError:
            continue
        if same:
            bundle.pdf[name] = data  # still the PDF of the DOCX written now
        else:
            gone.append(name)
    return gone


def _bug_report(path: str, exc: BaseException) -> str:
    trace = "".join(traceback.format_exception(exc))
    return f"错误：处理 {display(path)} 时遇到程序缺陷（请报告，并附上下面的信息和该档案）\n{trace}"


def build_many(jobs: list[tuple[Path, Path]], *, site: bool, content: Path | None, force: bool,
               workers: int, progress=None, keep_renamed: bool = False, pdf: bool = False) -> list[Result]:
    """Build every (profile, output folder) pair; `progress(result)` is called as each finishes."""
    args = [(str(p), str(o), site, str(content) if content else None, force, keep_renamed, pdf) for p, o in jobs]
    results: list[Result | None] = [None] * len(args)

    def done(i: int, result: Result) -> None:
        results[i] = result
        if progress:
            progress(result)

    if site:
        from generator.output.site.shared import warm
        warm()
    if workers <= 1 or len(jobs) <= 1:
        for i, a in enumerate(args):
            done(i, build_one(*a))
        return results
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), initializer=gc.set_threshold,
                             initargs=gc.get_threshold()) as pool:  # a spawned worker as this process
        futures = {pool.submit(build_one, *a): i for i, a in enumerate(args)}
        for future in as_completed(futures):
            i = futures[future]
            try:
                result = future.result()
            except Exception as exc:  # the worker process died (killed, out of memory)
                error = from_environment(exc)
                result = Result(args[i][0], args[i][1], "failed", bug=error is None, message=(
                    error.render() if error else f"错误：处理 {display(args[i][0])} 的进程意外结束：{exc}"))
            done(i, result)
    return results  # in the order of `jobs`
