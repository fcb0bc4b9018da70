"""`python -m generator.output.docx.md2docx IN.md OUT.docx`: the DOCX writer alone, on any Markdown file.

Used by the benchmark to compare with pandoc on the same input; handy for a quick look at a template.
Images are looked up beside the Markdown: `figures/NAME.svg` is drawn natively (a chart or shapes)
from the data in `figures/NAME.json`, which a build writes into its `markdown/` folder; a PNG as it is.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from generator.output.docx.writer import DocxMeta, write_docx
from generator.render.figures import from_data


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("用法：python -m generator.output.docx.md2docx IN.md OUT.docx", file=sys.stderr)
        return 2
    source, target = Path(args[0]), Path(args[1])
    meta = DocxMeta(title=source.stem, company="", short_name="", number="", version="", toc=True)
    images = {str(p.relative_to(source.parent)).replace("\\", "/"): p.read_bytes()
              for p in source.parent.glob("*/*.png")}
    figures = {str(p.relative_to(source.parent).with_suffix(".svg")).replace("\\", "/"):
               from_data(json.loads(p.read_text(encoding="utf-8"))) for p in source.parent.glob("figures/*.json")}
    target.write_bytes(write_docx(source.read_text(encoding="utf-8"), meta, images, figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
