"""`aftersales init`: write the starter profile, every key commented."""
from __future__ import annotations

import shlex

from generator.commands.console import EXIT_OK
from generator.errors import AftersalesError, display
from generator.output.folder import write_file
from generator.profile.starter import starter_text


def run(args) -> int:
    if (args.path.exists() or args.path.is_symlink()) and not args.force and not args.path.is_dir():
        raise AftersalesError(f"{display(args.path)} 已存在；如需覆盖请加 --force")
    write_file(args.path, starter_text(args.industry).encode("utf-8"), replace=lambda _: args.force)
    print(f"已写出企业档案模板 {display(args.path)}。请逐项替换为贵企业的信息，然后运行：aftersales check {shlex.quote(display(args.path))}")
    return EXIT_OK
