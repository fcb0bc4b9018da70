"""A consultant's `--content` templates cannot exhaust memory, and every mistake in them is told in
Chinese at the template's file and line (generator/render/sandbox.py, template_limits.py, filter_limits.py,
template_errors.py).

Each case builds the home-appliance example over an earlier good build with a house template that
holds one mistake or one dangerous expression, and checks: exit 2, "自定义模板有误", no traceback,
the template's file and line followed by a message that starts in Chinese (Jinja's or Python's own
words only as a labelled quote "（Jinja 原文：…）"), no run of three English words outside quotes, and
the earlier output byte-identical with nothing added beside it.

Besides the cases written out, a seeded random set puts dangerous expressions (each would take
gigabytes or hours unbounded) into random places: a line of a template, a loop, a macro, a
`{% set %}` block, a `{% filter %}`, a call block, a template included or imported. CONTENT_CASES
and CONTENT_SEED (environment) change how many and the first seed.
"""
from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import HUALAN, ROOT
from generator.cli import main
from generator.paths import DOCUMENTS
from generator.render.documents import environment
from generator.render.template_limits import LimitError

CASES = int(os.environ.get("CONTENT_CASES", "40"))
FIRST_SEED = int(os.environ.get("CONTENT_SEED", "0"))

_QUOTED = re.compile(r"（(?:Jinja|Python) 原文：.*?）(?=（|$)|“[^”]*”|'[^'\n]*'|\"[^\"\n]*\"")
_WORDS = re.compile(r"[A-Za-z][A-Za-z'<>-]+(?:[ ,]+[A-Za-z<>'][A-Za-z'<>-]*){2,}")
_CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def previous(tmp_path_factory) -> Path:
    """A good build (DOCX and Markdown) to build over."""
    out = tmp_path_factory.mktemp("content") / "previous"
    assert main(["build", str(HUALAN), "-o", str(out), "--no-site"]) == 0
    return out


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def build_with(tmp_path: Path, previous: Path, files: dict[str, str], capsys) -> tuple[int, str, Path]:
    """Build over a copy of `previous` with `files` as the house templates; (exit code, stderr, house)."""
    house = tmp_path / "house"
    for name, text in files.items():
        (house / name).parent.mkdir(parents=True, exist_ok=True)
        (house / name).write_text(text, encoding="utf-8")
    room = tmp_path / "room"
    out = room / "bundle"
    shutil.copytree(previous, out)
    before = _snapshot(out)
    capsys.readouterr()
    code = main(["build", str(HUALAN), "-o", str(out), "--no-site", "--content", str(house)])
    err = capsys.readouterr().err
    if code == 2:
        assert _snapshot(out) == before, "a failed build changed the earlier output"
        assert [p.name for p in room.iterdir()] == ["bundle"], "a failed build left files beside the output"
    return code, err, house


def assert_located(err: str, house: Path, file: str, line: int) -> str:
    """The message for `file`:`line`, checked: Chinese first, no English outside the quotes."""
    assert "Traceback" not in err, err
    assert "错误：自定义模板有误" in err, err
    where = f"{house / file}:{line}: "
    assert where in err, f"expected {where!r} in:\n{err}"
    message = err.split(where, 1)[1].splitlines()[0]
    assert _CHINESE.match(message), f"the message does not start in Chinese: {message}"
    bare = _QUOTED.sub("", err.replace(str(house), ""))
    english = _WORDS.search(bare)
    assert english is None, f"English outside a quote: {english.group()!r} in:\n{err}"
    return message


# --- problem 1: what a template can allocate is bounded --------------------------------------------

DANGEROUS = {
    "str_repeat": ('{{ "x" * 1000000000 }}', "文字重复"),
    "list_repeat": ("{{ [0] * 1000000000 }}", "列表重复"),
    "power": ("{{ 2 ** 1000000000 }}", "数值过大"),
    "power_small": ("{{ 10 ** 5000 }}", "数值过大"),
    "product_loop": ("{% set ns = namespace(n=12345) %}{% for i in range(40) %}{% set ns.n = ns.n * ns.n %}{% endfor %}"
                     "{{ ns.n }}", "数值过大"),
    "center": ('{{ "x"|center(1000000000) }}', "center"),
    "indent": ('{{ "a\\nb"|indent(1000000000) }}', "indent"),
    "indent_prefix": ('{{ ("a\\n" * 100000)|indent("x" * 100) }}', "indent"),
    "format_filter": ('{{ "%10000000000s"|format("x") }}', "format"),
    "percent_width": ('{{ "%1000000000s" % "x" }}', "格式化（%）"),
    "percent_star": ('{{ "%.*f" % (1000000000, 1.0) }}', "格式化（%）"),
    "str_format": ('{{ "{:>1000000000}".format("x") }}', "str.format()"),
    "str_format_fields": ('{% set s = "x" * 1000000 %}{{ "{0}{0}{0}".format(s) }}', "str.format()"),
    "ljust": ('{{ "x".ljust(1000000000) }}', "ljust"),
    "zfill": ('{{ "1".zfill(1000000000) }}', "zfill"),
    "expandtabs": ('{{ ("\\t" * 100000).expandtabs(100) }}', "expandtabs"),
    "to_bytes": ('{{ (10).to_bytes(1000000000, "big")|length }}', "to_bytes"),
    "concat_loop": ('{% set ns = namespace(s="x") %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}'
                    "{{ ns.s|length }}", "文字拼接（~）"),
    "plus_loop": ('{% set ns = namespace(s="x") %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}',
                  "文字相加（+）"),
    "join_loop": ('{% set ns = namespace(s="x") %}{% for i in range(40) %}{% set ns.s = [ns.s, ns.s]|join %}{% endfor %}',
                  "join"),
    "replace_loop": ('{% set ns = namespace(s="x") %}{% for i in range(40) %}{% set ns.s = ns.s.replace("x", "xx") %}'
                     "{% endfor %}", "replace"),
    "replace_empty": ('{{ "ab"|replace("", "y" * 1000000) }}', "replace"),
    "str_join": ('{% set s = "x" * 1000000 %}{{ s.join(range(100)|map("string")) }}', "join"),
    "translate": ('{% set s = "abc" * 100000 %}{{ s.translate({97: s}) }}', "translate"),
    "nested_lists": ("{% set ns = namespace(l=[1]) %}{% for i in range(100) %}{% set ns.l = [ns.l, ns.l] %}{% endfor %}"
                     "{{ ns.l }}", "嵌套"),
    "shared_list_printed": ('{% set s = "x" * 1000000 %}{{ [s] * 1000 }}', "要输出的值"),
    "shared_list_string": ('{% set s = "x" * 1000000 %}{{ ([s] * 1000)|string|length }}', "变成文字"),
    "tojson": ('{% set s = "x" * 1000000 %}{{ ([s] * 100)|tojson }}', "tojson"),
    "wordwrap": ('{{ "x x x"|wordwrap(1, wrapstring="y" * 1000000) }}', "wordwrap"),
    "urlize": ('{% set s = "a.com " * 100000 %}{{ s|urlize(target="t" * 100000) }}', "urlize"),
    "cn_list": ('{% set s = "x" * 1000000 %}{{ [s, s, s]|cn_list }}', "拼接"),
    "batch": ("{{ [1]|batch(1000000000, 0)|list }}", "batch"),
    "slice": ("{{ [1]|slice(1000000000)|list }}", "slice"),
    "lipsum": ("{{ lipsum(100000) }}", "lipsum"),
    "map_center": ('{{ ["a"]|map("center", 1000000000)|list }}', "center"),
    "output_loop": ("{% for i in range(100000) %}{% for j in range(100000) %}xxxxxxxxxx{% endfor %}{% endfor %}",
                    "模板输出的文字"),
    "macro_loop": ("{% macro m() %}{% for i in range(100000) %}{% for j in range(100000) %}xxxxxxxxxx{% endfor %}{% endfor %}"
                   "{% endmacro %}{{ m() }}", "宏"),
    "pydantic_method": ("{{ p.model_dump_json(indent=100000000) }}", "沙箱不允许"),
    "int_filter": ('{{ ("9" * 4001)|int }}', "数值过大：数字文字转为数的结果有约 4,001 位（上限 4,000 位）"),
    "int_filter_past_python": ('{{ ("9" * 4500)|int }}', "数值过大：数字文字转为数的结果有约 4,500 位"),  # Jinja gave 0
    "float_filter": ('{{ ("9" * 4500)|float }}', "数值过大：数字文字转为数"),  # Jinja gave inf
    "int_filter_hex": ('{{ ("f" * 3400)|int(base=16) }}', "数值过大：过滤器 int"),
    "int_plus": ('{% set n = ("9" * 4000)|int %}{{ n + n }}', "数值过大：运算（+）"),
    "int_sum": ('{% set n = ("9" * 4000)|int %}{{ [n, n]|sum }}', "数值过大：过滤器 sum"),
    "control_value": ('{{ "\\x00\\x07" }}', "要输出的值含有不可见的控制字符 U+0000"),
    "control_markdown": ('{{ "a\\x07"|md }}', "要输出的值含有不可见的控制字符 U+0007（第 2 个字符）"),
}


@pytest.mark.parametrize("name", DANGEROUS)
def test_dangerous_expression_is_a_located_error(tmp_path, previous, capsys, name):
    expression, said = DANGEROUS[name]
    code, err, house = build_with(tmp_path, previous,
                                  {"promise.md.j2": "# 服务承诺书\n\n" + expression + "\n"}, capsys)
    assert code == 2, err
    message = assert_located(err, house, "promise.md.j2", 3)
    assert said in message, message
    assert "内存不足" not in message and "-j" not in err  # refused before the memory was taken


@pytest.mark.parametrize("code", [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0xFFFE, 0xFFFF, 0xD800,
                                  *range(0x202A, 0x202F), *range(0x2066, 0x206A)])  # and the bidirectional controls
def test_no_control_character_reaches_a_document(code):
    """However a template writes one (an escape in a value, marked Markdown, a filter's result), a
    control character is refused, never written into the Markdown (the DOCX dropped it, the Markdown
    and the site kept it)."""
    env = environment(DOCUMENTS, ROOT / "tests")
    escape = f"\\u{code:04x}"
    for template in (f'{{{{ "a{escape}" }}}}', f'{{{{ "a{escape}"|md }}}}', f'{{{{ "ab"|replace("b", "{escape}") }}}}',
                     f'{{{{ "a%s" % "{escape}" }}}}'):
        try:
            shown = env.from_string(template).render()
        except LimitError as caught:
            assert f"控制字符 U+{code:04X}" in caught.message, template
        else:  # a line break to literal() (U+000B, U+000C, U+001C–U+001E) in a value: shown as a space
            assert shown == "a " and "|md" not in template and code in (0x0B, 0x0C, 0x1C, 0x1D, 0x1E), template


@pytest.mark.parametrize("digits", [1, 300, 3999, 4000, 4001, 4100, 4300, 4301, 4500, 10000])
def test_whole_numbers_stop_at_4000_digits(digits):
    env = environment(DOCUMENTS, ROOT / "tests")
    for template in ('{{ ("9" * n)|int }}', '{{ ("9" * (n - 1))|int + 1 }}', '{{ 0 - ("9" * (n - 1))|int - 1 }}'):
        if digits <= 4000:
            assert len(env.from_string(template).render(n=digits).lstrip("-")) == digits
        else:
            with pytest.raises(LimitError, match="数值过大"):
                env.from_string(template).render(n=digits)


def test_a_raw_control_character_in_a_template_file_is_located(tmp_path, previous, capsys):
    code, err, house = build_with(tmp_path, previous, {"promise_body.md.j2": "第一行\n正文\x07 \x1b[1m\n"}, capsys)
    assert code == 2 and "Traceback" not in err
    assert f"{house / 'promise_body.md.j2'}:2:3: 含有不可见的控制字符 U+0007" in err, err
    assert f"{house / 'promise_body.md.j2'}:2:5: 含有不可见的控制字符 U+001B" in err, err


def test_a_control_character_made_by_a_filter_block_names_the_template(tmp_path, previous, capsys):
    template = '第一行\n{% filter replace("a", "\\x07") %}a{% endfilter %}\n'
    code, err, house = build_with(tmp_path, previous, {"promise_body.md.j2": template}, capsys)
    assert code == 2 and "Traceback" not in err
    # the first document that includes it is the manual: the file it is in cannot be told from the output
    assert "manual.md.j2: 模板 manual.md.j2 或它包含的模板输出了不可见的控制字符 U+0007" in err, err


def _heading_case(seed: int) -> tuple[dict[str, str], str, int, int, str, str]:
    """House templates with one heading tagged with a clause that does not exist, somewhere in what
    the promise includes: (files, the file holding it, its line, column, title, clause)."""
    rng = random.Random(seed)
    title = rng.choice(["新标题", "服务 承诺", "Service", "附加说明（试行）"])
    bad = rng.choice(["99.9", "5.9", "5.1.1.9", "7", "5.2.4.1.1"])
    ids = rng.sample(["5.1.1", "5.2.4", bad], rng.randint(1, 3)) if rng.random() < 0.5 else [bad]
    if bad not in ids:
        ids.append(bad)
    before = "".join(rng.choice(["正文\n", "\n", "{# 注释 #}\n", "{% if true %}\n是\n{% endif %}\n"])
                     for _ in range(rng.randint(0, 5)))
    heading = f"{'#' * rng.randint(1, 3)} {title} {{clauses={','.join(ids)}}}"
    holder = rng.choice(["promise_body.md.j2", "part.md.j2", "sub/part.md.j2"])
    files = {holder: before + heading + "\n\n正文\n"}
    if holder != "promise_body.md.j2":
        files["promise_body.md.j2"] = f"第一行\n{{% include '{holder}' %}}\n"
    return files, holder, before.count("\n") + 1, heading.index("{") + 1, title, bad


@pytest.mark.parametrize("seed", range(FIRST_SEED, FIRST_SEED + 4))
def test_a_bad_clause_in_an_included_heading_names_its_file_and_line(tmp_path, previous, capsys, seed):
    files, holder, line, column, title, bad = _heading_case(seed)
    code, err, house = build_with(tmp_path, previous, files, capsys)
    assert code == 2 and "Traceback" not in err, err
    assert f"{house / holder}:{line}:{column}: 标题 “{title}” 引用了不存在的条款 {bad}" in err, (files, err)
    assert "manual.md.j2" not in err and "promise.md.j2" not in err, err


def test_a_bad_clause_made_by_an_expression_names_the_includer_as_such(tmp_path, previous, capsys):
    files = {"promise_body.md.j2": '正文\n\n# 新标题 {clauses={{ ["99", "9"]|join(".")|clause_ids }}}\n'}
    code, err, house = build_with(tmp_path, previous, files, capsys)
    assert code == 2 and "Traceback" not in err, err
    assert "模板 manual.md.j2 或它包含的模板中的标题 “新标题” 引用了不存在的条款 99.9（找不到写有它的模板行）" in err, err


def test_the_strangers_case_in_a_small_address_space(tmp_path):
    """The report: `{{ "x" * 1000000000 }}` in promise.md.j2 took 3 GB and ended in "内存不足 /
    <input>". Run as a user runs it, in 1.5 GB of address space (unbounded, the text and its escaped
    copy would not fit): refused at once, located."""
    resource = pytest.importorskip("resource")
    house = tmp_path / "house"
    house.mkdir()
    (house / "promise.md.j2").write_text('{{ "x" * 1000000000 }}\n', encoding="utf-8")

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (3 << 29, 3 << 29))

    done = subprocess.run([sys.executable, "-m", "generator.cli", "build", str(HUALAN), "-o", str(tmp_path / "out"),
                           "--no-site", "--content", str(house)], cwd=ROOT, capture_output=True, text=True,
                          encoding="utf-8", timeout=120, preexec_fn=limit)
    assert done.returncode == 2, done.stderr
    assert f"{house / 'promise.md.j2'}:1: 结果过大：文字重复（*）" in done.stderr, done.stderr
    assert "<input>" not in done.stderr and "并行进程" not in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


def test_memory_error_is_located_without_the_jobs_advice(tmp_path, previous, capsys, monkeypatch):
    """A MemoryError no bound foresaw still names the template and line, and does not advise -j."""
    import generator.render.sandbox as sandbox

    def greedy(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(sandbox, "lipsum", greedy)
    code, err, house = build_with(tmp_path, previous, {"promise_body.md.j2": "正文\n{{ lipsum() }}\n"}, capsys)
    assert code == 2
    message = assert_located(err, house, "promise_body.md.j2", 2)
    assert message.startswith("内存不足：模板要生成的内容过大") and "-j" not in err


def test_ordinary_templates_still_work(tmp_path, previous, capsys):
    """The bounds leave room for what a house template does: widths, formats, joins, loops."""
    template = """{{ p.company.legal_name|center(40)|trim }} {{ "%5s|%-5s" % ("a", "b") }} {{ "{:,}".format(1234567) }}
{{ "a,b".split(",")|join("、") }} {{ ("ab" * 3)|replace("a", "A") }} {{ "x".ljust(3) }}| {{ ["甲", "乙"]|cn_list }}
{% set ns = namespace(s="") %}{% for i in range(200) %}{% set ns.s = ns.s ~ "字" %}{% endfor %}{{ ns.s|length }}
{{ 2 ** 64 }} {{ (2 ** 1000) % 997 }} {{ [1, 2] * 3 }} {{ "本"|indent(2, first=true) }}
{% macro row(n) %}{% if n > 0 %}{{ n }}{{ row(n - 1) }}{% endif %}{% endmacro %}{{ row(30) }}
"""
    code, err, _ = build_with(tmp_path, previous, {"promise_body.md.j2": template}, capsys)
    assert code == 0, err
    text = (tmp_path / "room" / "bundle" / "markdown" / "promise.md").read_text(encoding="utf-8")
    for shown in ("佛山市华澜电器有限公司", "a\\|b", "1,234,567", "a、b", "AbAbAb", "甲、乙", "200",
                  "18446744073709551616", str(2 ** 1000 % 997), "302928272625"):
        assert shown in text, shown


# --- problem 2: every message is Chinese first ---------------------------------------------------

MISTAKES = {
    "syntax": ("{% for x in %}", "模板语法错误：此处应有一个表达式", "Jinja"),
    "unclosed": ("{% if true %}\n未闭合", "模板语法错误：模板意外结束", "Jinja", 4),  # found at the end
    "unknown_tag": ("{% endfor %}", "模板语法错误：不认识的标签 “endfor”", "Jinja"),
    "unknown_filter": ('{{ "a"|no_such_filter }}', "模板语法错误：没有名为 “no_such_filter” 的过滤器", "Jinja"),
    "undefined": ("{{ nope }}", "用到了不存在的值：名称 “nope” 没有定义", "Jinja"),
    "no_attribute": ("{{ p.company.nope }}", "用到了不存在的值：Company 对象没有属性 “nope”", "Jinja"),
    "internals": ("{{ p.__class__.__mro__ }}", "沙箱不允许这项操作：不允许访问 Profile 对象的属性 “__class__”", "Jinja"),
    "globals": ("{{ cycler.__init__.__globals__ }}", "沙箱不允许这项操作", "Jinja"),
    "mutation": ("{{ [1, 2].append(3) }}", "沙箱不允许这项操作：不允许访问 list 对象的属性 “append”", "Jinja"),
    "range": ("{% for i in range(1000000) %}{% endfor %}", "范围过大：沙箱中一个 range() 最多 100,000 项", "Jinja"),
    "division": ("{{ 1 // 0 }}", "除数为零", "Python"),
    "modulo": ("{{ 5 % 0 }}", "除数为零", "Python"),
    "float_overflow": ("{{ 10.0 ** 400 }}", "数值超出可以表示的范围", "Python"),
    "type": ('{{ 1 + "a" }}', "值的类型不对", "Python"),
    "value": ('{{ "x"|clause_ids }}', "值不合适", "Python"),
}


@pytest.mark.parametrize("name", MISTAKES)
def test_mistake_is_explained_in_chinese(tmp_path, previous, capsys, name):
    template, said, quoted, *line = MISTAKES[name]
    code, err, house = build_with(tmp_path, previous, {"promise_body.md.j2": "第一行\n\n" + template + "\n"}, capsys)
    assert code == 2, err
    message = assert_located(err, house, "promise_body.md.j2", line[0] if line else 3)
    assert message.startswith(said), message
    assert f"（{quoted} 原文：" in message, message  # the original words, labelled, after the Chinese


def test_an_undefined_name_is_answered_with_the_context_names(tmp_path, previous, capsys):
    code, err, _ = build_with(tmp_path, previous, {"promise_body.md.j2": "{{ nope }}\n"}, capsys)
    assert code == 2
    assert "模板只能使用文档上下文中的数据（profile、catalogue、assessment、facts …；旧名 p、cat、a、f … 仍可用）" in err, err


def test_a_missing_include_names_the_template(tmp_path, previous, capsys):
    code, err, house = build_with(tmp_path, previous, {"promise_body.md.j2": "a\n{% include 'nowhere.md.j2' %}\n"}, capsys)
    assert code == 2
    assert assert_located(err, house, "promise_body.md.j2", 2).startswith("找不到被包含的模板 “nowhere.md.j2”")


# --- problem 3: recursion told apart from an include cycle ---------------------------------------

def test_recursive_macro_is_not_called_an_include_cycle(tmp_path, previous, capsys):
    template = "正文\n{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}\n"
    code, err, house = build_with(tmp_path, previous, {"promise_body.md.j2": template}, capsys)
    assert code == 2
    message = assert_located(err, house, "promise_body.md.j2", 2)
    assert message.startswith("宏（macro）或递归循环") and "包含" not in message


def test_recursive_loop_is_not_called_an_include_cycle(tmp_path, previous, capsys):
    template = "正文\n{% for x in [1] recursive %}{{ loop([1]) }}{% endfor %}\n"
    code, err, house = build_with(tmp_path, previous, {"promise_body.md.j2": template}, capsys)
    assert code == 2
    assert assert_located(err, house, "promise_body.md.j2", 2).startswith("宏（macro）或递归循环")


@pytest.mark.parametrize("files, where, cycle", [
    ({"promise_body.md.j2": "a\n{% include 'b.md.j2' %}\n", "b.md.j2": "{% include 'promise_body.md.j2' %}\n"},
     ("promise_body.md.j2", 2), "promise_body.md.j2 → b.md.j2 → promise_body.md.j2"),
    ({"promise_body.md.j2": "{% extends 'promise_body.md.j2' %}\n"},
     ("promise_body.md.j2", 1), "promise_body.md.j2 → promise_body.md.j2"),
    ({"promise_body.md.j2": "{% import 'b.md.j2' as b %}\n", "b.md.j2": "\n{% import 'promise_body.md.j2' as a %}\n"},
     ("promise_body.md.j2", 1), "promise_body.md.j2 → b.md.j2 → promise_body.md.j2"),
    ({"promise_body.md.j2": "{% include 'promise.md.j2' %}\n"},  # through one of ours
     ("promise_body.md.j2", 1), "promise_body.md.j2 → promise.md.j2（内置） → promise_body.md.j2"),
], ids=["include", "extends", "import", "through-ours"])
def test_include_cycle_is_named(tmp_path, previous, capsys, files, where, cycle):
    code, err, house = build_with(tmp_path, previous, files, capsys)
    assert code == 2
    message = assert_located(err, house, *where)
    assert message == f"模板互相包含（include / extends / import 形成循环），没有尽头：{cycle}（去掉形成循环的 include、extends 或 import）"


def test_macro_and_include_calling_each_other(tmp_path, previous, capsys):
    files = {"promise_body.md.j2": "{% macro m() %}{% include 'b.md.j2' %}{% endmacro %}{{ m() }}\n",
             "b.md.j2": "{{ m() }}\n"}
    code, err, house = build_with(tmp_path, previous, files, capsys)
    assert code == 2
    message = assert_located(err, house, "promise_body.md.j2", 1)
    assert message.startswith("宏与被包含的模板互相调用，没有尽头：promise_body.md.j2（宏） → b.md.j2 → promise_body.md.j2（宏）")


# --- the generated set -----------------------------------------------------------------------------

# One line each; every one would take gigabytes (or hours) unbounded.
ATOMS = [
    '{{ "ab" * 900000000 }}',
    "{{ [None] * 500000000 }}",
    "{{ 7 ** 123456789 }}",
    "{{ 3 ** 30000 }}",
    '{{ "x"|center(3000000000) }}',
    '{{ "a\\nb\\nc"|indent(999999999) }}',
    '{{ "%99999999s"|format("y") }}',
    '{{ "%.99999999f" % 1.5 }}',
    '{{ "{:^99999999}".format("z") }}',
    '{{ "{:{w}}".format("z", w=99999999) }}',
    '{{ "q".rjust(99999999) }}',
    '{{ ("\\t" * 1000).expandtabs(99999) }}',
    '{% set ns = namespace(s="ab") %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}',
    "{% set ns = namespace(s=[1]) %}{% for i in range(60) %}{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s|length }}",
    '{% set ns = namespace(s="ab") %}{% for i in range(60) %}{% set ns.s = "%s%s" % (ns.s, ns.s) %}{% endfor %}',
    '{% set ns = namespace(s="ab") %}{% for i in range(60) %}{% set ns.s = "{}{}".format(ns.s, ns.s) %}{% endfor %}',
    '{% set ns = namespace(s="ab") %}{% for i in range(60) %}{% set ns.s = ns.s|replace("a", "aa") %}{% endfor %}',
    "{% set ns = namespace(n=99) %}{% for i in range(60) %}{% set ns.n = ns.n * ns.n %}{% endfor %}{{ ns.n }}",
    "{% set ns = namespace(l=0) %}{% for i in range(200) %}{% set ns.l = (ns.l, ns.l) %}{% endfor %}{{ ns.l }}",
    "{% for i in range(100000) %}{% for j in range(100000) %}xyz{% endfor %}{% endfor %}",
    '{{ ("ab" * 1000)|replace("", "c" * 100000) }}',
    '{{ ("x" * 100000).join(range(1000)|map("string")) }}',
    '{{ (["w" * 100000] * 1000)|join(", ") }}',
    '{{ (["w" * 100000] * 1000)|tojson }}',
    '{{ (["w" * 100000] * 1000)|pprint }}',
    '{{ (["w" * 100000] * 1000)|e }}',
    "{{ lipsum(5000) }}",
    "{{ range(1000)|batch(999999999, 0)|list }}",
    "{{ range(100000000)|list }}",
]


@dataclass
class Case:
    files: dict[str, str]
    file: str
    line: int


def _place(rng: random.Random, atom: str) -> Case:
    """`atom` on a line of its own, somewhere in a house template, inside a random construct."""
    before = "\n".join(rng.choice(["前言", '{{ "甲" ~ "乙" }}', "{# 注释 #}", "", "{% if true %}是{% endif %}"])
                       for _ in range(rng.randrange(4)))
    head = before + "\n" if before else ""
    wrappers = [
        ("{atom}", None),
        ("{{% for k in range(2) %}}\n{atom}\n{{% endfor %}}", 1),
        ("{{% macro m() %}}\n{atom}\n{{% endmacro %}}\n{{{{ m() }}}}", 1),
        ("{{% set captured %}}\n{atom}\n{{% endset %}}\n{{{{ captured|length }}}}", 1),
        ("{{% filter upper %}}\n{atom}\n{{% endfilter %}}", 1),
        ("{{% macro box() %}}[{{{{ caller() }}}}]{{% endmacro %}}{{% call box() %}}\n{atom}\n{{% endcall %}}", 1),
    ]
    wrapper, offset = rng.choice(wrappers)
    body = head + wrapper.format(atom=atom) + "\n"
    line = head.count("\n") + 1 + (offset or 0)
    target = rng.choice(["promise_body.md.j2", "promise.md.j2", "manual/front.md.j2"])
    way = rng.choice(["inline", "include", "include without context", "import"])
    if way == "inline":
        return Case({target: body}, target, line)
    inner = rng.choice(["part.md.j2", "parts/deep.md.j2"])
    if way == "import":
        body = "{% macro show() %}\n" + body + "{% endmacro %}\n"
        line += 1
        outer = f"引言\n{{% import '{inner}' as part %}}\n{{{{ part.show() }}}}\n"
    elif way == "include":
        outer = f"引言\n{{% include '{inner}' %}}\n"
    else:
        outer = f"引言\n{{% include '{inner}' without context %}}\n"
    return Case({target: outer, inner: body}, inner, line)


@pytest.mark.parametrize("seed", range(FIRST_SEED, FIRST_SEED + CASES))
def test_generated_dangerous_templates(tmp_path, previous, capsys, seed):
    rng = random.Random(seed)
    case = _place(rng, rng.choice(ATOMS))
    code, err, house = build_with(tmp_path, previous, case.files, capsys)
    assert code == 2, f"seed {seed}: {case.files}\n{err}"
    message = assert_located(err, house, case.file, case.line)
    assert "内存不足" not in message, f"seed {seed}: {message}"
