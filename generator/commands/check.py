"""`aftersales check`: validate profiles, telling every problem of each at once."""
from __future__ import annotations

import sys

from generator.build import make_bundle, summary_of
from generator.commands.arguments import profile_paths
from generator.commands.console import EXIT_INPUT, EXIT_OK, notices
from generator.errors import display, user_error
from generator.standard.catalogue import load_catalogue


def run(args) -> int:
    failed, scored = 0, False
    for path in profile_paths(args.profiles):
        try:
            bundle = make_bundle(path)
        except Exception as exc:  # one profile's problem never hides the others'
            failed += 1
            print(user_error(exc).render(), file=sys.stderr)
            continue
        a = bundle.assessment
        notices(summary_of(bundle), blanks=False)
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
