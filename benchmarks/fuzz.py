"""Mutation fuzzing of company profiles at scale (issue #13): the mutator and the invariant of
tests/test_fuzz.py, run over many seeds in worker processes.

    python benchmarks/fuzz.py --cases 20000 [--jobs N] [--seed S] [--save-failures DIR]
    python benchmarks/fuzz.py --replay SEED [--save-failures DIR]      # one case, with its traceback

Every case is `aftersales check` on a mutated profile: it must exit 0 or 2, raise nothing, print no
traceback, and on 2 name the profile's path in a Chinese message. Every `--build-every`-th seed
(and with `--build-valid` every valid one) is also built, DOCX only, over a copy of an earlier good
build: exit 0 or 2; on 2 the earlier output is byte-identical; on 0 every DOCX opens with
python-docx and passes openxml-audit. A case that uses more than `--timeout` seconds of CPU is a
failure; a worker that hangs where the alarm cannot reach it, or dies, is replaced and its case
counted as a failure too. Prints counts by outcome, failures by class (with seeds to replay) and the
time taken. Not a test; not run in CI.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import shutil
import sys
import tempfile
import time
from multiprocessing.connection import wait
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import mutate  # noqa: E402  (tests/mutate.py)


def _worker(conn, first: int, build_every: int, build_valid: bool, timeout: float, build_timeout: float) -> None:
    import warnings

    warnings.simplefilter("error")  # as the test suite runs (pyproject: filterwarnings = error)
    work = Path(tempfile.mkdtemp(prefix="aftersales-fuzz-"))
    previous = None
    try:
        while True:
            seed = conn.recv()
            if seed is None:
                return
            case = mutate.make_case(seed)
            path = mutate.write_case(case, work / "case")
            results = [("check", mutate.run_check(path, timeout))]
            if (build_every and (seed - first) % build_every == 0
                    or build_valid and results[0][1].kind == "exit 0"):
                previous = previous or mutate.good_build(work / "good")
                results.append(("build", mutate.run_build(path, previous, work / "build", build_timeout)))
            shutil.rmtree(work / "case", ignore_errors=True)
            conn.send((seed, case.base, case.mutations, case.name, results))
    finally:
        shutil.rmtree(work, ignore_errors=True)


class Pool:
    """Worker processes, one case at a time each, so that a stuck or dead worker costs one case."""

    def __init__(self, jobs: int, args: tuple, limit: float):
        self.context = multiprocessing.get_context("fork")
        self.args, self.limit = args, limit
        self.workers: dict = {}  # conn -> [process, seed, started]
        for _ in range(jobs):
            self._start()

    def _start(self) -> None:
        parent, child = self.context.Pipe()
        process = self.context.Process(target=_worker, args=(child, *self.args), daemon=True)
        process.start()
        child.close()
        self.workers[parent] = [process, None, 0.0]

    def run(self, seeds, on_result, on_lost) -> None:
        pending = list(reversed(seeds))
        while pending or any(w[1] is not None for w in self.workers.values()):
            for conn, worker in list(self.workers.items()):
                if worker[1] is None and pending:
                    worker[1], worker[2] = pending.pop(), time.monotonic()
                    conn.send(worker[1])
            ready = wait([c for c, w in self.workers.items() if w[1] is not None], timeout=1.0)
            for conn in ready:
                worker = self.workers[conn]
                try:
                    message = conn.recv()
                except (EOFError, OSError):
                    self._lose(conn, "worker died", on_lost)
                    continue
                worker[1] = None
                on_result(*message)
            now = time.monotonic()
            for conn, worker in list(self.workers.items()):
                if worker[1] is not None and conn not in ready:
                    if not worker[0].is_alive():
                        self._lose(conn, f"worker died (exit code {worker[0].exitcode})", on_lost)
                    elif now - worker[2] > self.limit:
                        self._lose(conn, f"hang: no result after {self.limit:g} s (alarm did not stop it)", on_lost)

    def _lose(self, conn, why: str, on_lost) -> None:
        process, seed, _ = self.workers.pop(conn)
        process.kill()
        process.join()
        conn.close()
        on_lost(seed, why)
        self._start()

    def close(self) -> None:
        for conn, (process, _, _) in self.workers.items():
            try:
                conn.send(None)
            except OSError:
                pass
        for process, _, _ in self.workers.values():
            process.join(timeout=10)
            if process.is_alive():
                process.kill()


def save(folder: Path, tally: mutate.Tally) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for group, items in tally.failures.items():
        slug = re.sub(r"[^\w.-]+", "_", group)[:90].strip("_")
        where = folder / slug
        where.mkdir(exist_ok=True)
        for case, outcome, phase in items[:20]:
            data = mutate.make_case(case.seed).data
            (where / f"seed-{case.seed}.yaml").write_bytes(data)
            (where / f"seed-{case.seed}.txt").write_text(
                f"{case.describe()}\n{phase}: {outcome.group}\n{outcome.message}\n\n"
                f"{outcome.traceback or ''}\n--- stderr ---\n{outcome.stderr}\n", encoding="utf-8")
    (folder / "report.txt").write_text(tally.report(5) + "\n", encoding="utf-8")


def replay(seeds: list[int], args) -> int:
    """Run the given seeds here, in this process, printing each outcome in full."""
    import warnings

    warnings.simplefilter("error")
    folder = args.save_failures or Path(tempfile.mkdtemp(prefix="aftersales-fuzz-"))
    failed = 0
    for seed in seeds:
        case = mutate.make_case(seed)
        path = mutate.write_case(case, folder / f"seed-{seed}")
        print(case.describe())
        print(f"  profile: {path}")
        runs = [("check", mutate.run_check(path, args.timeout))]
        if args.build:
            previous = mutate.good_build(folder / "good")
            runs.append(("build", mutate.run_build(path, previous, folder / "build", args.build_timeout)))
        for phase, outcome in runs:
            print(f"  {phase}: {'FAIL ' if outcome.failed else ''}{outcome.group} ({outcome.seconds:.2f} s)")
            if outcome.failed:
                failed += 1
                print("    " + (outcome.message or ""))
                print((outcome.traceback or outcome.stderr).rstrip())
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=20000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=0, help="first seed (cases use seeds S, S+1, …)")
    parser.add_argument("--save-failures", type=Path, metavar="DIR",
                        help="write each failing profile (by class, up to 20 each) and report.txt here")
    parser.add_argument("--build-every", type=int, default=100, metavar="N",
                        help="also build every N-th seed over an earlier build (0: never)")
    parser.add_argument("--build-valid", action="store_true",
                        help="also build every case whose check exits 0 (DOCX validity of odd but valid profiles)")
    parser.add_argument("--timeout", type=float, default=10.0, help="CPU seconds for one check (4× + 30 on the clock)")
    parser.add_argument("--build-timeout", type=float, default=60.0, help="CPU seconds for one build")
    parser.add_argument("--examples", type=int, default=3, help="examples shown per failure class")
    parser.add_argument("--replay", type=int, nargs="+", metavar="SEED", help="run these seeds here and show them")
    parser.add_argument("--build", action="store_true", help="with --replay: build each seed too")
    args = parser.parse_args(argv)
    if args.replay:
        return replay(args.replay, args)

    tally = mutate.Tally()
    seconds = {"check": 0.0, "build": 0.0}
    cpu = {"check": 0.0, "build": 0.0}
    slowest: list[tuple[float, int, str]] = []
    by_kind: dict[str, list[float]] = {}
    done = [0]
    start = time.perf_counter()

    def on_result(seed: int, base: str, mutations: list[str], name: str, results) -> None:
        case = mutate.Case(seed, base, mutations, b"", name)  # the bytes are made again only to save them
        for phase, outcome in results:
            tally.add(case, outcome, phase)
            seconds[phase] += outcome.seconds
            cpu[phase] += outcome.cpu
            if phase == "check":
                slowest.append((outcome.seconds, seed, outcome.kind))
                by_kind.setdefault(outcome.kind, []).append(outcome.cpu)
        done[0] += 1
        if done[0] % 500 == 0 or done[0] == args.cases:
            rate = (time.perf_counter() - start) / done[0] * 1000
            print(f"  {done[0]}/{args.cases} cases, {sum(len(v) for v in tally.failures.values())} failures, "
                  f"{rate:.0f} s per 1,000 (wall)", file=sys.stderr, flush=True)

    def on_lost(seed: int, why: str) -> None:
        case = mutate.make_case(seed)
        tally.add(case, mutate.Outcome(why.split(":")[0], why), "check")
        done[0] += 1

    limit = (args.timeout + args.build_timeout) * 4 + 60 + 120  # beyond the case's own alarms
    pool = Pool(args.jobs, (args.seed, args.build_every, args.build_valid, args.timeout, args.build_timeout), limit)
    try:
        pool.run(range(args.seed, args.seed + args.cases), on_result, on_lost)
    finally:
        pool.close()
    elapsed = time.perf_counter() - start

    print(f"\n{args.cases} cases (seeds {args.seed}–{args.seed + args.cases - 1}), {args.jobs} worker(s), "
          f"{elapsed:.1f} s wall ({elapsed / args.cases * 1000:.0f} s per 1,000 cases)")
    builds = tally.counts.get("build exit 0", 0) + tally.counts.get("build exit 2", 0) + tally.counts.get("build FAIL", 0)
    print(f"check: {seconds['check']:.1f} s wall, {cpu['check']:.1f} s CPU in the workers "
          f"({cpu['check'] / args.cases * 1000:.0f} CPU s per 1,000 cases); "
          f"build sample: {builds} builds, {seconds['build']:.1f} s wall, {cpu['build']:.1f} s CPU")
    for key in sorted(tally.counts):
        print(f"  {key:<16} {tally.counts[key]:>7}")
    print("check CPU by outcome: " + "; ".join(
        f"{kind} {len(v)} × {sum(v) / len(v):.2f} s = {sum(v):.0f} s" for kind, v in sorted(by_kind.items())))
    slowest.sort(reverse=True)
    print("slowest checks: " + ", ".join(f"seed {s} {t:.1f} s ({k})" for t, s, k in slowest[:5]))
    if tally.failures:
        print("\n" + tally.report(args.examples))
    if args.save_failures:
        save(args.save_failures, tally)
        print(f"\nfailing profiles written to {args.save_failures}/")
    return 1 if tally.failures else 0


if __name__ == "__main__":
    sys.exit(main())
