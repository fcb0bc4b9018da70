"""Speed and memory benchmark (not a test): prints a table of medians.

    python benchmarks/bench.py            # everything (about 10 minutes on 2 cores)
    python benchmarks/bench.py --quick    # fewer runs and profiles

(a) Markdown → DOCX of the home-appliance manual: this project's writer vs pandoc --reference-doc,
    as whole processes, and this writer in process with imports excluded;
(b) one profile from a cold process: DOCX bundle only, and DOCX + site; Python start-up and imports;
(c) 100 generated profiles, DOCX bundles, with 1 and 2 workers;
(d) peak resident memory of (b) and (c);
(e) how time grows from 10 to 100 to 300 profiles (2 workers);
(f) where LibreOffice is installed, the layout pass that puts page numbers into the manual's
    contents, and `--pdf`, beside the same build without them;
(g) a national brand's profile: the example with 10,000 and 30,000 service outlets, `check` and the
    DOCX bundle, each beside the example's in the same rounds (ratios), and peak memory;
(h) a batch of 20 profiles with their sites beside the same batch without sites, and the floor: the
    same 20 sites rebuilt in one process with every page's conversion kept (MkDocs and the theme alone);
(i) `aftersales serve`: from saving the profile to the refreshed home page, beside (b)'s cold DOCX bundle.
Every row but (f) runs without LibreOffice (AFTERSALES_SOFFICE=none), as the rows of earlier
versions did.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
EXAMPLE = ROOT / "company_profiles" / "hualan-appliances.yaml"
PY = sys.executable


def run(cmd: list[str], **kw) -> tuple[float, int]:
    """Wall seconds and the peak RSS (KB) of the command and its descendants."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, **kw)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(before, after)


def median(cmd, runs) -> float:
    return statistics.median(run(cmd)[0] for _ in range(runs))


def rss_of(cmd) -> float:
    """Peak RSS (MB) of one run, measured in a fresh helper process so earlier runs do not count."""
    code = ("import resource,subprocess,sys;subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,"
            "stderr=subprocess.DEVNULL);print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([PY, "-c", code, *cmd], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    return int(out.strip()) / 1024


def profiles(folder: Path, count: int) -> Path:
    """`count` variants of the example, each a different company."""
    folder.mkdir(parents=True, exist_ok=True)
    text = EXAMPLE.read_text(encoding="utf-8")
    for i in range(count):
        variant = text.replace("佛山市华澜电器有限公司", f"佛山市华澜电器第{i}分公司").replace(
            "400-830-6688", f"400-830-{i:04d}").replace("employees: 860", f"employees: {200 + i * 7}")
        (folder / f"c{i:03d}.yaml").write_text(variant, encoding="utf-8")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    runs = 3 if args.quick else 5
    rows: list[tuple[str, str]] = []
    office = os.environ.get("AFTERSALES_SOFFICE") or shutil.which("soffice")
    os.environ["AFTERSALES_SOFFICE"] = "none"  # the layout pass is measured on its own, in (f)
    work = Path(tempfile.mkdtemp(prefix="aftersales-bench-"))
    try:
        from generator.build import make_bundle
        from generator.output.docx.writer import DocxMeta, write_docx
        from generator.render.figures import as_data
        from generator.output.site.svg import to_svg

        bundle = make_bundle(EXAMPLE)
        markdown = next(d for d in bundle.documents if d.key == "manual").markdown
        source = work / "manual.md"
        source.write_text(markdown, encoding="utf-8")
        for name, figure in bundle.figures.items():  # as a build's markdown/ folder holds them
            (work / name).parent.mkdir(parents=True, exist_ok=True)
            (work / name).write_text(to_svg(figure), encoding="utf-8")
            (work / name).with_suffix(".json").write_text(json.dumps(as_data(figure)), encoding="utf-8")
        rows.append(("(a) manual Markdown", f"{len(markdown.encode()) / 1024:.0f} KB"))
        ours = median([PY, "-m", "generator.output.docx.md2docx", str(source), str(work / "ours.docx")], runs)
        rows.append(("(a) this writer, whole process", f"{ours:.2f} s"))
        meta = DocxMeta(title="manual", company="", short_name="", number="", version="", toc=True)
        write_docx(markdown, meta, figures=bundle.figures)  # warm: template parsed, modules imported
        inproc = statistics.median(_timed(lambda: write_docx(markdown, meta, figures=bundle.figures))
                                   for _ in range(runs))
        rows.append(("(a) this writer, in process (no imports)", f"{inproc:.2f} s"))
        pandoc = shutil.which("pandoc")
        if pandoc:
            theirs = median([pandoc, "-f", "markdown", "-t", "docx", "--reference-doc",
                             str(ROOT / "templates/docx/reference.docx"), "--resource-path", str(work),
                             "-o", str(work / "pandoc.docx"), str(source)], runs)  # SVG figures embedded
            rows.append(("(a) pandoc --reference-doc, whole process", f"{theirs:.2f} s"))
            rows.append(("(a) ratio whole process / pandoc", f"{ours / theirs:.2f} (target ≤ 1.0)"))
            rows.append(("(a) ratio in process / pandoc", f"{inproc / theirs:.2f} (target ≤ 0.5)"))
        else:
            rows.append(("(a) pandoc", "not installed (apt-get install pandoc)"))

        imports = median([PY, "-c", "import generator.build, generator.cli"], runs)
        rows.append(("(b) Python start-up + imports", f"{imports:.2f} s"))
        cli = [PY, "-m", "generator.cli", "build", str(EXAMPLE), "--force", "-o", str(work / "one")]
        docx_only = median(cli + ["--no-site"], runs)
        rows.append(("(b) one profile, DOCX bundle, cold process", f"{docx_only:.2f} s (target ≤ 1.5)"))
        rows.append(("(b) ratio DOCX bundle / start-up + imports", f"{docx_only / imports:.2f} (goal ≤ 2)"))
        with_site = median(cli, runs)
        rows.append(("(b) one profile, DOCX + site, cold process", f"{with_site:.2f} s (target ≤ 6)"))
        rows.append(("(d) peak RSS, one profile DOCX + site", f"{rss_of(cli):.0f} MB"))

        hundred = profiles(work / "p100", 100)
        for jobs in (1, 2):
            cmd = [PY, "-m", "generator.cli", "build", str(hundred), "--no-site", "--force", "-j", str(jobs),
                   "-o", str(work / f"out{jobs}")]
            wall = run(cmd)[0]
            rows.append((f"(c) 100 profiles, DOCX, {jobs} worker{'s' if jobs > 1 else ''}",
                         f"{wall:.1f} s" + (" (target ≤ 60)" if jobs == 2 else "")))
        rows.append(("(d) peak RSS per worker, 100 profiles", f"{rss_of(cmd):.0f} MB (target ≤ 300)"))

        sizes = (10, 100) if args.quick else (10, 100, 300)
        for n in sizes:
            folder = profiles(work / f"scale{n}", n)
            wall = run([PY, "-m", "generator.cli", "build", str(folder), "--no-site", "--force", "-j", "2",
                        "-o", str(work / f"scale-out{n}")])[0]
            rows.append((f"(e) {n} profiles, 2 workers", f"{wall:.1f} s ({wall / n:.2f} s each)"))

        big_profiles(work, rows, runs)
        batch_sites(work, rows, runs)
        serve_latency(work, rows, runs, docx_only)

        if office and office != "none":
            with_office = {**os.environ, "AFTERSALES_SOFFICE": office}
            laid = statistics.median(run(cli + ["--no-site"], env=with_office)[0] for _ in range(min(runs, 3)))
            rows.append(("(f) one profile, DOCX with contents paginated", f"{laid:.2f} s "
                         f"({laid / docx_only:.1f}× the DOCX bundle without LibreOffice)"))
            pdf = statistics.median(run(cli + ["--no-site", "--pdf"], env=with_office)[0] for _ in range(min(runs, 3)))
            rows.append(("(f) one profile, DOCX paginated + 5 PDFs", f"{pdf:.2f} s ({pdf / docx_only:.1f}×)"))
        else:
            rows.append(("(f) layout pass", "LibreOffice not installed"))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.platform()}")
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


def outlets(path: Path, count: int) -> Path:
    """The example with `count` service outlets (a national brand's list), written to `path`."""
    provinces = [("广东省", "佛山市"), ("广西壮族自治区", "南宁市"), ("湖南省", "长沙市"), ("江西省", "南昌市"),
                 ("福建省", "福州市"), ("浙江省", "杭州市"), ("四川省", "成都市")]
    lines = []
    for i in range(count):
        province, city = provinces[i % len(provinces)]
        phone = f", phone: 0{i % 900 + 100}-{i % 9000 + 1000} {i % 9000 + 1000}" if i % 3 == 0 else ""
        lines.append(f"    - {{name: 华澜电器第{i + 1}服务网点, province: {province}, city: {city}, "
                     f"address: 某区某路 {i + 1} 号, mode: {'自营' if i % 5 == 0 else '委托'}, staff: {i % 30 + 1}{phone}}}")
    text = EXAMPLE.read_text(encoding="utf-8")
    start = text.index("  outlets:\n") + len("  outlets:\n")
    end = text.index("  hotline:", start)
    path.write_text(text[:start] + "\n".join(lines) + "\n" + text[end:], encoding="utf-8")
    return path


def big_profiles(work: Path, rows: list, runs: int) -> None:
    """(g): check and DOCX bundle of 10,000 and 30,000 outlets, each run in turn with the example's
    (the same rounds, so that the machine's drift falls on both), medians of the rounds."""
    sizes = {n: outlets(work / f"outlets{n}.yaml", n) for n in (10_000, 30_000)}
    for command, goal in (("check", 2), ("build", 3)):
        def cmd(path: Path) -> list[str]:
            return [PY, "-m", "generator.cli", command, str(path)] + (
                ["--no-site", "--force", "-o", str(work / "big-out")] if command == "build" else [])

        times: dict[str, list[float]] = {"example": [], **{str(n): [] for n in sizes}}
        for _ in range(runs):
            times["example"].append(run(cmd(EXAMPLE))[0])
            for n, path in sizes.items():
                times[str(n)].append(run(cmd(path))[0])
        base = statistics.median(times["example"])
        rows.append((f"(g) {command}, the example", f"{base:.2f} s"))
        for n in sizes:
            spent = statistics.median(times[str(n)])
            rows.append((f"(g) {command}, {n:,} outlets", f"{spent:.2f} s ({spent / base:.1f}× the example's"
                         + (f", goal ≤ {goal}×)" if n == 10_000 else f"; {spent / statistics.median(times['10000']):.1f}× "
                            "10,000 outlets', linear 3.0×)")))
        rows.append((f"(d) peak RSS, {command}, 10,000 / 30,000 outlets",
                     f"{rss_of(cmd(sizes[10_000])):.0f} / {rss_of(cmd(sizes[30_000])):.0f} MB (goal ≤ 500 at 10,000)"))


def batch_sites(work: Path, rows: list, runs: int) -> None:
    """(h): 20 profiles with their sites beside the same 20 without, 2 workers, in alternating rounds."""
    folder = profiles(work / "p20", 20)
    times: dict[bool, list[float]] = {False: [], True: []}
    for _ in range(runs):
        for site in (False, True):
            times[site].append(run([PY, "-m", "generator.cli", "build", str(folder), "--force", "-j", "2",
                                    "-o", str(work / "p20-out")] + ([] if site else ["--no-site"]))[0])
    without, with_sites = statistics.median(times[False]), statistics.median(times[True])
    rows.append(("(h) 20 profiles, DOCX, 2 workers", f"{without:.1f} s"))
    rows.append(("(h) 20 profiles, DOCX + sites, 2 workers", f"{with_sites:.1f} s "
                 f"({with_sites / without:.1f}× without sites, goal ≤ 1.6×)"))
    # the floor: MkDocs and mkdocs-material alone, each page's HTML and search entries already kept
    code = ("import sys,time;from pathlib import Path;from generator.output.site.project import build_site;"
            "from generator.output.site.shared import warm;warm();"
            "projects=sorted(Path(sys.argv[1]).glob('c*/mkdocs/mkdocs.yml'));spent=[]\n"
            "for _ in range(2):\n t=time.perf_counter()\n"
            " for p in projects: build_site(p, Path(sys.argv[2])/p.parent.parent.name)\n"
            " spent.append(time.perf_counter()-t)\nprint(*spent)")
    floors = []
    for _ in range(runs):
        out = subprocess.run([PY, "-c", code, str(work / "p20-out"), str(work / "p20-floor")], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout.split()
        floors.append(float(out[1]))
    floor = statistics.median(floors)
    rows.append(("(h) floor: the 20 sites rebuilt in one process, every page's conversion kept",
                 f"{floor:.1f} s (so at best {(without + floor / 2) / without:.1f}× with 2 workers)"))


def serve_latency(work: Path, rows: list, runs: int, cold_docx: float) -> None:
    """(i): `aftersales serve` on a copy of the example; the profile is saved with a new hotline and
    the page reloaded as its live-reload script does (it asks the server for the next version, which
    answers when the rebuild is done): seconds from the save to the refreshed page."""
    import socket
    import urllib.request

    folder = work / "serve"
    folder.mkdir()
    profile = folder / "profile.yaml"
    text = EXAMPLE.read_text(encoding="utf-8")
    profile.write_text(text, encoding="utf-8")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([PY, "-m", "generator.cli", "serve", str(profile), "--port", str(port)],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def get(path: str, timeout: float = 70) -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as answer:
            return answer.read().decode("utf-8")

    start = time.perf_counter()
    while True:  # the first build
        try:
            home = get("/index.html", 5)
            break
        except OSError:
            if time.perf_counter() - start > 120:
                raise
            time.sleep(0.1)
    spent = []
    try:
        for i in range(max(runs, 5)):
            # as the page's live-reload script does: ask the server for the next version (it answers
            # when a rebuild is done), then load the page again
            epoch = re.search(r"livereload\((\d+),", home)[1]
            hotline = f"400-830-{7000 + i}"
            start = time.perf_counter()
            profile.write_text(text.replace("400-830-6688", hotline), encoding="utf-8")
            while True:
                newer = get(f"/livereload/{epoch}/{i}")
                home = get("/index.html")
                if hotline in home:
                    break
                epoch = newer
            spent.append(time.perf_counter() - start)
            time.sleep(1)
    finally:
        server.terminate()
        server.wait(timeout=30)
    latency = statistics.median(spent)
    rows.append(("(i) serve: save → refreshed page", f"{latency:.2f} s ({latency / cold_docx:.2f}× the cold DOCX "
                 "bundle of (b), goal ≤ 0.5×)"))


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
