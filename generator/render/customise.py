"""Apply the profile's own text (`customisation`) to the manual's sections, before its one parse.

A section is named by its number, its title or both; the text is Markdown checked like every
profile text (`generator.text.user_text.prepared`), appended after a section or replacing the text
under its heading, so the manual's structure and the clauses it serves stay as generated.
"""
from __future__ import annotations

import difflib

from generator.errors import AftersalesError, Problem
from generator.text import clausetags
from generator.text.user_text import prepared


def customise(markdown: str, customisation: dict, sections: tuple[clausetags.Section, ...] | None = None) -> str:
    """Apply the profile's own text to manual sections: `append` after a section (its sub-sections
    included), or `replace` the text under its heading (its sub-sections, and so the clauses they
    serve, stay).

    A section is named by its number ("13.2"), its title ("备件与收费") or both ("13.2 备件与收费").
    Every name is resolved once against the manual's section tree; two names for one section, or a
    chapter together with one of its sections, are an error (which text would win is not clear).
    The text is Markdown: emphasis, lists, tables and http/https/mailto/tel links work; images,
    other links, HTML and clause tags are refused or shown literally, and headings (`#`, or a line
    underlined with `===`/`---`) become bold lines, so the manual's structure stays as generated.
    `sections` are the manual's headings when the caller has parsed it already.
    """
    if not customisation:
        return markdown
    lines = markdown.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    sections = sections if sections is not None else clausetags.sections(markdown)
    spans = [(s.line + 1, next((t.line for t in sections[i + 1:] if t.level <= s.level), len(lines)))
             for i, s in enumerate(sections)]  # a section with its sub-sections
    bodies = [(s.line + 1, sections[i + 1].line if i + 1 < len(sections) else len(lines))
              for i, s in enumerate(sections)]  # the text under a heading, before any sub-section
    names: dict[str, int] = {}
    for i, section in enumerate(sections):
        number, _, rest = section.text.partition(" ")
        for name in {section.text, number, rest} - {""}:
            names.setdefault(name, i)
    problems, targets, texts = [], {}, {}
    for key, change in customisation.items():
        texts[key], refused = prepared(change.text)  # every text is checked, whatever its name's fate
        problems += [Problem(message, key_path=f"customisation.{key}.text", hint=hint, path=("customisation", key, "text"))
                     for message, hint in refused]
        if key not in names:
            close = difflib.get_close_matches(key, [s.text for s in sections], n=3, cutoff=0.3)
            hint = "是不是 " + "、".join(f"“{c}”" for c in close) + "？" if close else "章节号或标题见手册目录"
            problems.append(Problem(f"手册中没有章节 “{key}”", key_path=f"customisation.{key}", hint=hint,
                                    path=("customisation", key)))
            continue
        index = names[key]
        clash = next((other for other, j in targets.items()
                      if j == index or _within(spans[j], sections[index].line) or _within(spans[index], sections[j].line)),
                     None)
        if clash is not None:
            mine, theirs = sections[index].text, sections[targets[clash]].text
            message = (f"“{key}” 与 “{clash}” 指向同一章节 {mine}" if targets[clash] == index else
                       f"“{key}”（{mine}）与 “{clash}”（{theirs}）一个包含另一个")
            problems.append(Problem(message, key_path=f"customisation.{key}",
                hint="每个章节只写一处：合并为一项，或分别写给互不包含的小节", path=("customisation", key)))
            continue
        targets[key] = index
    if problems:
        raise AftersalesError("企业档案的 customisation 有误", problems)
    for key in sorted(targets, key=lambda k: -targets[k]):  # from the last section up: earlier lines stay put
        text = ["", *texts[key].split("\n"), ""]
        if customisation[key].mode == "replace":  # the section's own text; its sub-sections stay
            start, end = bodies[targets[key]]
            lines[start:end] = text
        else:  # after the whole section, sub-sections included
            end = spans[targets[key]][1]
            lines[end:end] = text
    return "\n".join(lines) + "\n"


def _within(span: tuple[int, int], line: int) -> bool:
    return span[0] <= line < span[1]
