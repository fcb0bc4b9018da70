"""A user's own text in the manual (`customisation`): accepted as Markdown only when it cannot change
the document's structure, link anywhere but the web, mail and phone, or insert an image. The profile's
validation asks `text_problems` (every reason at once, with line and column in the text); rendering
asks `prepared` for the text as the manual's Markdown.
"""
from __future__ import annotations

import bisect
import re
import urllib.parse

from generator.text import clausetags
from generator.text.html_safety import ALLOWED_SCHEMES
from generator.text.read_alike import links_read_alike
from generator.text.user_markdown import user_markdown


def _contained(text: str) -> bool:
    """Whether Markdown after `text` is read as it would be without it (a heading after it stays one)."""
    probe = clausetags.sections(f"# 前\n\n{text}\n\n# 后 {{clauses=1}}\n\n## 后 2\n")
    return [(s.level, s.text) for s in probe] == [(1, "前"), (1, "后"), (2, "后 2")]


class _Refused(ValueError):
    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__(problems[0][0])
        self.problems = problems  # (message, hint) of each


def text_problems(text: str) -> list[tuple[str, str]]:
    """Everything refused in a user's customisation text, as (message, hint): empty when it is accepted."""
    return prepared(text)[1]


def prepared(text: str) -> tuple[str | None, list[tuple[str, str]]]:
    """A user's text as the manual's Markdown, or None and every reason it is refused."""
    try:
        made = _user_markdown(text)
    except _Refused as refused:
        return None, refused.problems
    if not links_read_alike(made):
        return None, [("其中的链接在网站上和 Word 文件中会被读成不同的网址或文字",
                       "请写成 [文字](https://…) 的简单形式：网址中不要有空格、引号、尖括号 <> 或括号，不要加链接标题")]
    if not _contained(made):  # the guard: a user's text never changes the manual's structure
        return None, [("这段文字会改变手册的结构（其后的章节会被吞掉）", "请去掉其中的代码块标记（```）和过深的嵌套")]
    return made, []


_MAX_NESTING = 8  # lists and quotes in a user's text (the parser stops reading a document nested deeper)
_IMAGE_HINT = "手册正文只收文字；图片请在 Word 中插入，或作为附件提供"
_LINK_HINT = "链接只能以 http://、https://、mailto: 或 tel: 开头"


def _refusals(text: str, tokens) -> list[tuple[str, str]]:
    """Every image and every link of a scheme not allowed in `text`, each with its line and column in
    the text where it can be found there (markdown-it tells only the lines of a block), and nesting too deep."""
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    found: list[tuple[str, str]] = []
    for block in (t for t in tokens if t.type == "inline"):
        first, last = block.map if block.map else (0, len(lines))
        cursor = starts[first]
        children = block.children or []
        for k, token in enumerate(children):
            if token.type == "image":
                what, target, hint = "正文中不能插入图片", str(token.attrs.get("src", "")), _IMAGE_HINT
            elif token.type == "link_open":
                target = str(token.attrs.get("href", ""))
                scheme = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", target)
                if not (scheme and scheme.group(1).lower() in ALLOWED_SCHEMES):
                    what, hint = f"不支持的链接 “{target[:60]}”", _LINK_HINT
                elif k + 1 < len(children) and children[k + 1].type == "link_close":  # [](…): nothing to click
                    what, hint = f"链接 “{target[:60]}” 没有文字", "请在方括号中写上显示的文字：[文字](网址)"
                else:
                    continue
            else:
                continue
            at = -1
            for needle in dict.fromkeys((target, urllib.parse.unquote(target))):
                if needle:
                    at = text.find(needle, cursor, starts[last])
                    at = at if at >= 0 else text.find(needle, starts[first], starts[last])
                if at >= 0:
                    break
            if at >= 0:
                row = bisect.bisect_right(starts, at) - 1
                cursor = at + 1
                where = f"（正文第 {row + 1} 行第 {at - starts[row] + 1} 列）"
            else:
                where = f"（正文第 {first + 1} 行）"
            if (what + where, hint) not in found:
                found.append((what + where, hint))
    if max((t.level for t in tokens), default=0) > _MAX_NESTING:
        found.append(("正文中的列表或引用嵌套过深", f"嵌套不超过 {_MAX_NESTING} 层"))
    return found


def _user_markdown(text: str) -> str:
    """A user's Markdown, made safe: no images, links only to http/https/mailto/tel, no raw HTML,
    no clause tags, no headings of any kind."""
    text = text.strip("\n")
    for _ in range(3):  # a heading made into a bold line cannot make another; checked all the same
        tokens = clausetags.parser(every_link=True).parse(text)
        refused = _refusals(text, tokens)  # all of the user's at once: the first time, the text is theirs
        if refused:
            raise _Refused(refused)
        fences = [t for t in tokens if t.type == "fence" and t.level > 0 and t.map]  # see markdown_text._fenced
        headings = [(t, tokens[i + 1]) for i, t in enumerate(tokens) if t.type == "heading_open" and t.map]
        if not headings and not fences:
            break
        lines = text.split("\n")
        for fence in fences:  # inside a list or quote a fence shows as typed (the site reads none there)
            for row in {fence.map[0], fence.map[1] - 1}:
                marker = fence.markup[0]
                if marker * 3 in lines[row]:
                    lines[row] = lines[row].replace(marker, "\\" + marker, 1)
        for heading, inline in reversed(headings):
            first, last = heading.map
            if heading.level == 0:  # at the top: the whole heading becomes one bold line
                content = " ".join(inline.content.split())
                lines[first:last] = [f"**{content}**" if content else ""]
            else:  # inside a list or quote: its marker is escaped and shows as typed
                marker = heading.markup[0]
                row = last - 1 if marker in "=-" else first
                lines[row] = lines[row].replace(marker, "\\" + marker, 1)
        text = "\n".join(lines)
    else:
        raise _Refused([("正文的标题格式无法处理", "请去掉正文中的 # 标题和 === / --- 下划线")])
    return user_markdown(text)
