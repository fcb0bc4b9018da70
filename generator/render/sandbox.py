"""The sandbox a consultant's `--content` templates (and the site's pages) run in.

`Sandbox` is jinja2's ImmutableSandboxedEnvironment with bounds on what a template can build
(template_limits, filter_limits), checked at every step that can make something much larger than
its inputs:

- the operators `*`, `**`, `+`, `%` (through jinja2's `intercepted_binops` / `call_binop`) and `~`
  (through the code generator);
- the filters, the `str` methods that take a width, a count or a separator (`str.ljust`,
  `str.format` …);
- every value a template prints (`finalize`), and the text each template, macro and block writes
  (`concat`, a bounded buffer, imported modules): a loop cannot write without end.

What a template's error means to the consultant is `template_errors.explain()`.
"""
from __future__ import annotations

import datetime as dt
import functools
import gc
import types

import jinja2
from jinja2.compiler import CodeGenerator, optimizeconst
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup
from pydantic import BaseModel

from generator.render.filter_limits import guarded_filter, lipsum
from generator.render.template_limits import (CONTROL, MAX_OUTPUT, MAX_TEXT, EscapeFormatter, Formatter, LimitError,
                                              check_binop, check_method, check_printable, check_text,
                                              control_error, size, too_long)

_PYDANTIC_METHODS = frozenset(name for name in dir(BaseModel)
                              if not name.startswith("_") and callable(getattr(BaseModel, name, None)))


class _Buffer(list):
    """The text a macro, `{% set %}` block, `{% filter %}` or call block writes: bounded as it is
    written (it is joined only at the end, too late to stop a loop that writes without end)."""

    __slots__ = ("made",)

    def __init__(self):
        super().__init__()
        self.made = 0

    def append(self, text) -> None:
        self.made += len(text)
        if self.made > MAX_OUTPUT:
            raise LimitError(f"结果过大：宏、{{% set %}} 块或 {{% filter %}} 块输出的文字超过了上限 {MAX_OUTPUT:,} 个字符",
                             "请检查其中的循环（是否没有尽头或层层嵌套）和重复输出的长文字")
        super().append(text)

    def extend(self, texts) -> None:
        for text in texts:
            self.append(text)


class _Compiler(CodeGenerator):
    """Jinja's code generator, with `a ~ b` measured before it is joined and the text of a macro or
    block collected in a bounded buffer."""

    def buffer(self, frame) -> None:
        frame.buffer = self.temporary_identifier()
        self.writeline(f"{frame.buffer} = environment.new_buffer()")

    @optimizeconst
    def visit_Concat(self, node, frame) -> None:
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        elif frame.eval_ctx.autoescape:
            join = "markup_join"
        else:
            join = "str_join"
        self.write(f"environment.joined({join}, (")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


def _collect(parts) -> list:
    """The pieces of text a template writes, while they stay under the bound. Over the bound, the
    error is raised inside the template that wrote the last piece, so that its line is known."""
    out, made = [], 0
    for part in parts:
        made += len(part)
        if made > MAX_OUTPUT:
            error = LimitError(f"结果过大：模板输出的文字超过了上限 {MAX_OUTPUT:,} 个字符",
                               "请检查模板中的循环（是否没有尽头或层层嵌套）和重复输出的长文字")
            if isinstance(parts, types.GeneratorType):
                _innermost(parts).throw(error)
            raise error
        out.append(part)
    return out


_DATA = frozenset({str, int, float, bool, type(None), dt.date})  # values no attribute of which is reached here
_PLAIN_INT = 10 ** 15  # whole numbers well within every bound, printed as digits


class _Template(jinja2.Template):
    """A template whose text is bounded when it is imported or included without context too (jinja
    collects a module's text with list(), not with `concat`)."""

    def make_module(self, vars=None, shared=False, locals=None):
        context = self.new_context(vars, shared, locals)
        return jinja2.environment.TemplateModule(self, context, _collect(self.root_render_func(context)))


def _innermost(generator: types.GeneratorType) -> types.GeneratorType:
    """The template generator that yielded last. A template passes on what a block, a parent or an
    included template yields with `yield from`, or with `for event in …: yield event` (an include
    with context): then the included template's generator is the iterator on the loop's stack."""
    for _ in range(1000):
        inner = generator.gi_yieldfrom
        if not isinstance(inner, types.GeneratorType) and generator.gi_frame is not None:
            held = gc.get_referents(generator, generator.gi_frame)  # the stack: of the one or the other
            inner = next((g for g in held if _is_template_code(g)), None)
        if not isinstance(inner, types.GeneratorType) or inner.gi_frame is None or inner.gi_running:
            return generator
        generator = inner
    return generator


def _is_template_code(value) -> bool:
    """A suspended generator running a template's own code (`root` or a block), not a filter's."""
    return isinstance(value, types.GeneratorType) and value.gi_frame is not None and \
        (value.gi_code.co_name == "root" or value.gi_code.co_name.startswith("block_")) and \
        value.gi_frame.f_globals.get("environment") is not None and "__jinja_template__" in value.gi_frame.f_globals


class Sandbox(ImmutableSandboxedEnvironment):
    """ImmutableSandboxedEnvironment with bounds on what a template can build. Call `seal()` once
    its filters and globals are all set."""

    code_generator_class = _Compiler
    template_class = _Template
    intercepted_binops = frozenset({"*", "**", "+", "-", "%"})  # "+" and "-": a number's digits, checked after

    def __init__(self, *args, finalize=None, unchanged=None, **kwargs):
        """`unchanged(text)`: whether `finalize` returns a text as it is (most values of a long list are
        plain names and numbers): such a text without a control character is printed as it is."""
        if finalize is not None:
            inner = finalize

            @functools.wraps(inner)
            def finalize(value):
                if value.__class__ is str and unchanged is not None and unchanged(value) and not CONTROL.search(value):
                    return value
                if value.__class__ is int and -_PLAIN_INT < value < _PLAIN_INT and unchanged is not None:
                    return str(value)  # a count, a number of staff: as `finalize` writes a whole number
                text = inner(check_printable(value, "要输出的值"))
                error = control_error(text, "要输出的值") if isinstance(text, str) else None
                if error is not None:
                    raise error
                return text
        super().__init__(*args, finalize=finalize, **kwargs)
        self._safe: dict[tuple[type, str], bool] = {}

    def seal(self) -> "Sandbox":
        """Guard every filter and the globals that can make large values."""
        for name, func in list(self.filters.items()):
            if not getattr(func, "__wrapped_by_sandbox__", False):
                self.filters[name] = guarded_filter(name, func)
        self.globals["lipsum"] = lipsum
        return self

    def call_binop(self, context, operator, left, right):
        check_binop(operator, left, right)
        return check_text(super().call_binop(context, operator, left, right), f"运算（{operator}）")

    new_buffer = staticmethod(_Buffer)

    def joined(self, join, parts):
        """`a ~ b ~ c`"""
        estimate = 0
        for part in parts:
            estimate += size(part)
            if estimate > MAX_TEXT:
                raise too_long("文字拼接（~）", estimate)
        return join(parts)

    def concat(self, parts) -> str:
        """The text of a template (or of a macro or block), joined: bounded as it is made."""
        return "".join(_collect(parts))

    def is_safe_attribute(self, obj, attr, value) -> bool:
        """Decided by the object's type and the attribute's name alone (jinja's rules and ours), so
        decided once per pair: a table of 10,000 outlets asks 70,000 times."""
        key = (type(obj), attr)
        safe = self._safe.get(key)
        if safe is None:
            safe = self._safe[key] = self._decide(obj, attr, value)
        return safe

    def getattr(self, obj, attribute):
        """jinja's, taking the short way for a value that is data (text, a number, a date, None) of an
        attribute already found safe: no str.format to wrap, the same answer."""
        if self._safe.get((type(obj), attribute)):
            try:
                value = getattr(obj, attribute)
            except AttributeError:
                pass
            else:
                if value.__class__ in _DATA:
                    return value
        return super().getattr(obj, attribute)

    def _decide(self, obj, attr, value) -> bool:
        if attr in _PYDANTIC_METHODS and isinstance(obj, BaseModel) and attr not in type(obj).model_fields:
            return False  # pydantic's own methods (model_dump_json(indent=…), model_copy …): not data
        return super().is_safe_attribute(obj, attr, value)

    def wrap_str_format(self, value):
        if not isinstance(value, (types.MethodType, types.BuiltinMethodType)) or \
                value.__name__ not in ("format", "format_map") or not isinstance(value.__self__, str):
            return None
        owner = value.__self__
        formatter = EscapeFormatter(self, escape=owner.escape) if isinstance(owner, Markup) else Formatter(self)
        is_map = value.__name__ == "format_map"

        def wrapper(*args, **kwargs):
            if is_map:
                if kwargs or len(args) != 1:
                    raise TypeError("format_map() takes exactly one argument")
                args, kwargs = (), args[0]
            return type(owner)(formatter.vformat(owner, args, kwargs))

        return functools.update_wrapper(wrapper, value)

    def format_string(self, s, args, kwargs, format_func=None):
        """`str.format` before jinja2 3.1.5 (later versions call `wrap_str_format`)."""
        formatter = EscapeFormatter(self, escape=s.escape) if isinstance(s, Markup) else Formatter(self)
        if format_func is not None and format_func.__name__ == "format_map":
            if len(args) != 1 or kwargs:
                raise TypeError("format_map() takes exactly one argument")
            args, kwargs = (), args[0]
        return type(s)(formatter.vformat(s, args, kwargs))

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (jinja's own signature)
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, (str, bytes, int, float, list, tuple, dict, set, frozenset)) and \
                isinstance(getattr(__obj, "__name__", None), str):
            args = check_method(owner, __obj.__name__, args, kwargs)
        return check_text(super().call(__context, __obj, *args, **kwargs), "这次调用")
