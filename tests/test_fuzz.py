"""Issue #13, proved by generation rather than enumeration: thousands of profiles mutated from the
examples (tests/mutate.py: keys deleted, duplicated and moved, values of the wrong type and range,
deep nesting, every kind of character and markup in strings, tagged scalars, `customisation:`
entries, damaged bytes) never crash the tool.

`aftersales check` on each must return 0 or 2 and raise nothing, print no traceback, and on 2 name
the profile's file in a message in Chinese, as the README promises (no run of three English words
outside the quoted user values). A case gets 10 s of CPU time. Every 100th case is also built over an earlier good build: exit 0 or 2; on 2 the
earlier output is byte-identical and nothing was added; on 0 every DOCX opens with python-docx and
passes openxml-audit. All failures are collected and reported together, grouped by class, each with
the seed that reproduces it:

    python benchmarks/fuzz.py --replay SEED

FUZZ_CASES and FUZZ_SEED (environment) change the number of cases and the first seed; CI runs the
default 2,000. `python benchmarks/fuzz.py --cases 20000` runs more, in parallel.

Issue #16: intake workbooks are mutated too (tests/intake_mutate.py: cells set to text, numbers,
booleans, dates, formulas, huge strings, control characters or nothing; rows deleted, inserted and
moved; columns deleted; sheets renamed and removed; headers and keys changed). `check` on each
returns 0 or 2 as above, and every problem it tells names its cell (`采集表.xlsx!Sheet!C14`).
FUZZ_WORKBOOKS (environment) changes their number, 100 by default (about 40 s).
"""
from __future__ import annotations

import faulthandler
import os
import shutil
import sys
from pathlib import Path

import pytest

from conftest import HUALAN
from intake_mutate import make_workbook_case
from mutate import BASES, Tally, emit, good_build, make_case, run_build, run_check, write_case
import mutate

CASES = int(os.environ.get("FUZZ_CASES", "2000"))
FIRST_SEED = int(os.environ.get("FUZZ_SEED", "0"))
SEEDS = range(FIRST_SEED, FIRST_SEED + CASES)
BUILD_EVERY = 100
CHECK_SECONDS = 10  # of CPU time; checking a valid profile takes about 0.4 s, so longer counts as a hang
BUILD_SECONDS = 60
WORKBOOKS = int(os.environ.get("FUZZ_WORKBOOKS", "100"))


def _watchdog(seconds: float) -> None:
    """A hang the case's alarms cannot interrupt (inside C code) ends the run with every thread's
    traceback, rather than holding CI until its time limit."""
    faulthandler.dump_traceback_later(seconds * 4 + 30 + 60, exit=True, file=sys.__stderr__)


def test_mutator_is_reproducible_and_starts_from_valid_profiles(tmp_path):
    assert make_case(7).data == make_case(7).data and make_case(7).mutations == make_case(7).mutations
    assert len({make_case(seed).data for seed in range(20)}) == 20
    assert HUALAN in BASES
    for base in BASES:  # unmutated, the mutator's YAML is the example itself: exit 0
        path = tmp_path / base.name
        path.write_text(emit(mutate._base(base), mutate.random.Random(0)), encoding="utf-8")
        outcome = run_check(path, CHECK_SECONDS)
        assert outcome.kind == "exit 0", (base.name, outcome.group, outcome.stderr)
    described = " ".join(" ".join(make_case(seed).mutations) for seed in range(300))
    for word in ("delete", "duplicate", "set", "move", "copy", "customisation", "alias", "add key", "flow nesting",
                 "deep", "truncate", "BOM"):
        assert word in described, f"no mutation described as {word!r} in 300 seeds"


def _run(seeds, run, kind: str, seconds: float, folder) -> tuple[Tally, str]:
    """Each seed's case written to `folder` and passed to `run(path)`; the tally and its counts."""
    tally = Tally()
    try:
        for seed in seeds:
            case = make_case(seed)
            path = write_case(case, folder)
            _watchdog(seconds)
            tally.add(case, run(path), kind)
            shutil.rmtree(folder, ignore_errors=True)
    finally:
        faulthandler.cancel_dump_traceback_later()
    return tally, ", ".join(f"{k}: {v}" for k, v in sorted(tally.counts.items()))


def test_mutated_profiles_are_checked_without_crashing(tmp_path):
    tally, counts = _run(SEEDS, lambda path: run_check(path, CHECK_SECONDS), "check", CHECK_SECONDS, tmp_path / "case")
    print(f"{CASES} mutated profiles checked: {counts}")
    if tally.failures:
        pytest.fail(f"{CASES} mutated profiles checked ({counts})\n" + tally.report(), pytrace=False)
    # not vacuous: the mutations leave many profiles valid and make many invalid
    assert tally.counts.get("check exit 0", 0) >= CASES // 20, counts
    assert tally.counts.get("check exit 2", 0) >= CASES // 2, counts


@pytest.mark.slow
def test_mutated_profiles_build_or_leave_the_previous_output(tmp_path):
    previous = good_build(tmp_path / "good")
    tally, counts = _run(SEEDS[::BUILD_EVERY], lambda path: run_build(path, previous, tmp_path / "build", BUILD_SECONDS),
                         "build", BUILD_SECONDS, tmp_path / "case")
    print(f"{len(SEEDS[::BUILD_EVERY])} mutated profiles built: {counts}")
    if tally.failures:
        pytest.fail(f"{len(SEEDS[::BUILD_EVERY])} mutated profiles built ({counts})\n" + tally.report(),
                    pytrace=False)


def _unlocated(stderr: str, name: str) -> list[str]:
    """The problems and warnings on stderr that name no cell of the workbook `name`."""
    told = [line.strip().removeprefix("⚠").strip() for line in stderr.splitlines() if line.startswith("  ")]
    return [line for line in told if not line.startswith(f"{name}!")]


def test_mutated_workbooks_are_checked_without_crashing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    name = "采集表.xlsx"
    counts: dict[str, int] = {}
    failures = []
    try:
        for seed in range(FIRST_SEED, FIRST_SEED + WORKBOOKS):
            case = make_workbook_case(seed)
            (tmp_path / name).write_bytes(case.data)
            _watchdog(CHECK_SECONDS)
            outcome = run_check(Path(name), CHECK_SECONDS)
            counts[outcome.kind] = counts.get(outcome.kind, 0) + 1
            unlocated = _unlocated(outcome.stderr, name)
            if outcome.failed or unlocated:
                failures.append(f"seed {seed} ({case.base}: {'; '.join(case.mutations)[:300]}): {outcome.group} "
                                f"{outcome.message[:300]} {unlocated[:2]}\n{outcome.traceback[-1500:]}")
    finally:
        faulthandler.cancel_dump_traceback_later()
    summary = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
    print(f"{WORKBOOKS} mutated workbooks checked: {summary}")
    if failures:
        pytest.fail(f"{len(failures)} of {WORKBOOKS} mutated workbooks ({summary}); replay a seed with "
                    "tests/intake_mutate.make_workbook_case(SEED)\n" + "\n".join(failures[:20]), pytrace=False)
    assert counts.get("exit 0", 0) >= WORKBOOKS // 10, summary  # not vacuous: many stay valid, many do not
    assert counts.get("exit 2", 0) >= WORKBOOKS // 3, summary
