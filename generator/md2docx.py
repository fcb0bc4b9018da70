"""`python -m generator.md2docx IN.md OUT.docx`: the DOCX writer alone, on any Markdown file.

Used by the benchmark to compare with pandoc on the same input; handy for a quick look at a template.
"""
from __future__ import annotations

import sys
from pathlib import Path

from .docx_writer import DocxMeta, write_docx


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("用法：python -m generator.md2docx IN.md OUT.docx", file=sys.stderr)
        return 2
    source, target = Path(args[0]), Path(args[1])
    meta = DocxMeta(title=source.stem, company="", short_name="", number="", version="", toc=True)
    images = {str(p.relative_to(source.parent)).replace("\\", "/"): p.read_bytes()
              for p in source.parent.glob("images/*")}  # images the Markdown refers to, beside it
    target.write_bytes(write_docx(source.read_text(encoding="utf-8"), meta, images))
    return 0


if __name__ == "__main__":
    sys.exit(main())
