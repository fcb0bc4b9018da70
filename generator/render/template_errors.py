"""What went wrong in a consultant's template, in Chinese: `explain()` turns any exception a
template raised into a message and a hint (Jinja's or Python's own words only as a labelled quote),
and `template_cycle()` finds the templates that include one another without end.
"""
from __future__ import annotations

import re
import traceback
from pathlib import Path

import jinja2
from jinja2.sandbox import MAX_RANGE, SecurityError

from generator.errors import display
from generator.paths import DOCUMENTS
from generator.render.template_limits import LimitError

_SYNTAX_HINT = "检查 {{ }}、{% %} 是否成对，标签是否拼写正确、是否有对应的 end 标签"
_FILTER_HINT = "请检查名字的拼写；可用的过滤器见 Jinja 文档，本工具另有 num、hours、date、or_blank、cn_list、cells、bare"
# Jinja's words (a regular expression) -> the Chinese explanation and, when it needs its own, a hint
_JINJA = [
    (r"Expected an expression, got '(.+)'", r"此处应有一个表达式，却是 “\1”", None),
    (r"[Uu]nexpected end of template", "模板意外结束：有未闭合的标签（如缺少 {% endfor %}、{% endif %}）或未闭合的 {{ }}", None),
    (r"Encountered unknown tag '(.+?)'", r"不认识的标签 “\1”（或它出现在了不该出现的位置）", None),
    (r"[Uu]nexpected char '(.+?)'", r"不认识的字符 “\1”", None),
    (r"expected token '(.+?)', got '(.+?)'", r"此处应为 “\1”，却是 “\2”", None),
    (r"[Uu]nexpected '(.+?)', expected '(.+?)'", r"此处应为 “\2”，却是 “\1”", None),
    (r"[Uu]nexpected '(.+?)'", r"此处不应出现 “\1”", None),
    (r"No filter named '(.+?)'", r"没有名为 “\1” 的过滤器", _FILTER_HINT),
    (r"No test named '(.+?)'", r"没有名为 “\1” 的测试（is 之后的名字）", "请检查名字的拼写；可用的测试见 Jinja 文档"),
    (r"[Bb]lock '(.+?)' defined twice", r"块 “\1” 定义了两次", "同一模板中每个 block 名只能用一次"),
    (r"tag name expected", "{% 之后应是标签名", None),
    (r"[Mm]issing end of (raw|comment)", r"\1 块没有结束标记", None),
    (r"can't assign to '(.+?)'", r"不能给 “\1” 赋值", None),
    (r"cannot assign attribute on non-namespace object", "只能给 namespace() 的属性赋值", "请用 {% set ns = namespace(…) %} 和 {% set ns.x = … %}"),
    (r"'(?:[\w.]+\.)?(\w+) object' has no attribute '(.+?)'", r"\1 对象没有属性 “\2”", None),
    (r"'(.+?)' is undefined", r"名称 “\1” 没有定义", None),
    (r"(.+?) has no attribute '(.+?)'", r"\1 没有属性 “\2”", None),
    (r"'(?:[\w.]+\.)?(\w+) object' has no element (.+)", r"\1 对象没有元素 \2", None),
    (r"(.+?) has no element (.+)", r"\1 没有元素 \2", None),
    (r"access to attribute '(.+?)' of '(.+?)' object is unsafe", r"不允许访问 \2 对象的属性 “\1”", None),
    (r"(.+) is not safely callable", r"不允许调用 \1", None),
]


def _translate(text: str) -> tuple[str | None, str | None]:
    for pattern, chinese, hint in _JINJA:
        found = re.search(pattern, text)
        if found:
            return found.expand(chinese), hint
    return None, None


def _quote(exc: BaseException, label: str = "Jinja") -> str:
    """The exception's own words, labelled, after the Chinese explanation."""
    text = " ".join(str(getattr(exc, "message", None) or exc).split())
    if label == "Python":
        text = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    if len(text) > 200:
        text = text[:200] + "…"
    return f"（{label} 原文：{text}）" if text else ""


def _has_chinese(text: str) -> bool:
    return re.search(r"[\u4e00-\u9fff]", text) is not None


_TOP = "top-level template code"  # how jinja names a template's own code in a traceback (a macro's is "template")


def _cycle(exc: RecursionError) -> tuple[int, list[tuple[str, bool]]] | None:
    """Where a template came to run inside itself without end, when it did: the index in the
    traceback of the frame that entered the cycle, and the cycle's steps as (file, is a macro)."""
    frames = [(i, f.filename, f.name) for i, f in enumerate(traceback.extract_tb(exc.__traceback__))
              if f.name in (_TOP, "template")]
    if not frames:
        return None
    last = next((file for _, file, name in reversed(frames) if name == _TOP), None)
    again = [k for k, (_, file, name) in enumerate(frames) if file == last and name == _TOP]
    if len(again) < 3:
        return None  # no template runs inside itself: a macro (or a recursive loop) calls itself
    steps = []
    for _, file, name in frames[again[-2]:again[-1]]:
        step = (file, name != _TOP)
        if not steps or steps[-1] != step:  # a macro calling a macro of the same file: one step
            steps.append(step)
    # told from where the cycle was entered: where the recursion limit struck varies
    first = {}
    for index, file, name in frames:
        first.setdefault((file, name != _TOP), index)
    entry = min(range(len(steps)), key=lambda k: first[steps[k]])
    return first[steps[entry]], steps[entry:] + steps[:entry]


def template_cycle(exc: RecursionError) -> list[tuple[str, bool]] | None:
    """The steps of an include / extends / import cycle (a macro among them, perhaps) as (file, is a
    macro), the first repeated at the end; None when a macro or a recursive loop calls itself."""
    found = _cycle(exc)
    return None if found is None else [*found[1], found[1][0]]


def template_cycle_entry(exc: RecursionError) -> int | None:
    """The index in `exc`'s traceback of the frame that entered a template cycle (None: no cycle)."""
    found = _cycle(exc)
    return None if found is None else found[0]


def _template_name(path: str, folder: Path) -> str:
    """A template file as the consultant knows it: relative to their folder, or one of ours."""
    for root, mark in ((folder, ""), (DOCUMENTS.resolve(), "（内置）")):
        try:
            return display(Path(path).resolve().relative_to(root).as_posix()) + mark
        except ValueError:
            continue
    return display(path)


def explain(exc: BaseException, folder: Path) -> tuple[str, str]:
    """A Chinese message and hint for an exception raised by a consultant's template (in `folder`):
    Chinese first, Jinja's or Python's own words only as a labelled quote."""
    hint = "改好后重新构建"
    if isinstance(exc, LimitError):
        return exc.message, exc.hint
    if isinstance(exc, MemoryError):
        return "内存不足：模板要生成的内容过大", "请检查模板中的重复（*）、乘方（**）和循环"
    if isinstance(exc, RecursionError):
        cycle = template_cycle(exc)
        if cycle is None:
            return ("宏（macro）或递归循环（for … recursive）不停地调用自身，没有尽头",
                    "给递归加上终止条件（如用 {% if %} 判断层数），或改为不递归的写法")
        path = " → ".join(_template_name(file, folder) + ("（宏）" if macro else "") for file, macro in cycle)
        if any(macro for _, macro in cycle):
            return (f"宏与被包含的模板互相调用，没有尽头：{path}",
                    "去掉形成循环的宏调用或 include / import")
        return (f"模板互相包含（include / extends / import 形成循环），没有尽头：{path}",
                "去掉形成循环的 include、extends 或 import")
    if isinstance(exc, OverflowError) and "Range too big" in str(exc):
        return (f"范围过大：沙箱中一个 range() 最多 {MAX_RANGE:,} 项" + _quote(exc), "缩小 range 的范围")
    if isinstance(exc, jinja2.TemplateError):
        words = str(getattr(exc, "message", None) or exc)
        if _has_chinese(words):  # ours (a filter's message)
            return words, hint
        text, own_hint = _translate(words)
        if isinstance(exc, jinja2.TemplateSyntaxError):
            head, hint = "模板语法错误", _SYNTAX_HINT
        elif isinstance(exc, jinja2.UndefinedError):
            head, hint = "用到了不存在的值", ("模板只能使用文档上下文中的数据"
                                             "（profile、catalogue、assessment、facts …；旧名 p、cat、a、f … 仍可用）")
        elif isinstance(exc, SecurityError):
            head, hint = "沙箱不允许这项操作", "模板只能读取文档数据，不能访问 Python 内部属性、调用档案对象自身的方法或修改数据"
        elif isinstance(exc, jinja2.exceptions.FilterArgumentError):
            head, hint = "过滤器的参数不对", "请对照 Jinja 文档检查过滤器的参数"
        else:
            head = "模板运行出错"
        return (f"{head}：{text}" if text else head) + _quote(exc), own_hint or hint
    message = str(exc)
    if _has_chinese(message):  # our own filters' messages
        return message, hint
    for kind, chinese, todo in (
            (ZeroDivisionError, "除数为零", "除法（/、//、%）的除数不能为 0，请先用 {% if %} 判断"),
            (OverflowError, "数值超出可以表示的范围", "请检查乘方（**）等运算"),
            (TypeError, "值的类型不对，或调用时的参数不对（例如把文字和数字相加）", "请检查这一行的运算和参数"),
            (ValueError, "值不合适", "请检查这一行用到的值和参数"),
            (UnicodeError, "文字编码出错", "模板文件请使用 UTF-8 编码"),
            (LookupError, "找不到要取的项（下标或键不存在）", "请检查下标和键"),
            (AttributeError, "没有这个属性", "请检查属性名"),
    ):
        if isinstance(exc, kind):
            return chinese + _quote(exc, "Python"), todo
    return "模板运行出错" + _quote(exc, "Python"), hint
