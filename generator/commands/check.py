"""`aftersales check`: validate profiles, telling every problem of each at once.

It runs the pipeline's first stage only (`generator.prepare`): no DOCX is written, so neither
python-docx nor MkDocs nor openpyxl is loaded."""
from __future__ import annotations

import sys

from generator.commands.arguments import profile_paths
from generator.commands.console import EXIT_INPUT, EXIT_OK, notices
from generator.errors import display, user_error
from generator.prepare import prepare, summary_of
from generator.render.provisional import caveat
from generator.standard.catalogue import load_catalogue


def run(args) -> int:
    failed, scored = 0, False
    for path in profile_paths(args.profiles):
        try:
            prepared = prepare(path)
        except Exception as exc:  # one profile's problem never hides the others'
            failed += 1
            print(user_error(exc).render(), file=sys.stderr)
            continue
        assessment = prepared.assessment
        summary = summary_of(prepared)
        notices(summary, blanks=False)
        if args.strict and (prepared.findings or prepared.notices):
            failed += 1
            told = [f"{len(found)} 条{what}" for found, what in ((prepared.findings, "一致性问题"),
                                                                (prepared.notices, "申请条件提示")) if found]
            print(f"错误：--strict 下有 {'、'.join(told)}", file=sys.stderr)
            continue
        # missing or expired, as the portal counts them: an expired material has to be renewed before applying
        print(f"✓ {display(path)}：有效。自评 {assessment.score:g} 分*，{assessment.level}；"
              f"删减 {len(assessment.excluded)} 项；材料缺失 / 过期 {summary.missing} 项")
        scored = True
    note = caveat(load_catalogue())
    if scored and note:
        print(note)
    return EXIT_INPUT if failed else EXIT_OK
