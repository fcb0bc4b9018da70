"""Inputs a stranger tried: a profile saved as UTF-16 or UTF-32, and yes/no where a number belongs (and
the reverse). Each is exit 2 with a located message in Chinese saying what to do, never a traceback."""
from __future__ import annotations

import gzip
import io
import random
import typing
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, TypeAdapter, ValidationError

from conftest import HUALAN
from generator.cli import main
from generator.profile.model import Profile
from generator.errors import ProfileError
from generator.inputs.inputfile import wide_encoding
from generator.inputs.yamlload import load_yaml_bytes

TEXT = HUALAN.read_text(encoding="utf-8")


def check(tmp_path, capsys, data: bytes, name: str = "company.yaml") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and str(path) in err, err
    return err


# ---------------------------------------------------------------------------------------------------
# UTF-16 and UTF-32: named as such, with what to do, whether or not a byte order mark says so

WIDE = {  # (how the file is written, what it is called)
    "utf-16": "UTF-16", "utf-16-le": "UTF-16", "utf-16-be": "UTF-16",  # "utf-16": with a BOM
    "utf-32": "UTF-32", "utf-32-le": "UTF-32", "utf-32-be": "UTF-32",
}


@pytest.mark.parametrize("codec", sorted(WIDE))
@pytest.mark.parametrize("text", [TEXT, "company:\n  legal_name: 华澜\n", "公司: 华澜\n"], ids=["example", "short", "chinese"])
def test_utf16_and_utf32_are_named_and_explained(tmp_path, capsys, codec, text):
    err = check(tmp_path, capsys, text.encode(codec))
    assert f"文件是 {WIDE[codec]} 编码，不是 UTF-8" in err and "另存为 UTF-8 编码" in err, err
    assert "二进制" not in err


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_a_bom_written_by_hand(tmp_path, capsys, codec):
    """PowerShell 5's `>` and Notepad's "Unicode": a BOM, then the text."""
    data = "\ufeff".encode(codec) + TEXT.encode(codec)
    assert "UTF-16 编码" in check(tmp_path, capsys, data)


def test_other_binary_files_are_still_binary(tmp_path, capsys):
    assert "二进制文件" in check(tmp_path, capsys, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    assert "二进制文件" in check(tmp_path, capsys, b"\x00\x01binary", "short.yaml")


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", TEXT)
        archive.writestr("empty", b"\x00" * 1000)
    return out.getvalue()


@pytest.mark.parametrize("data", [
    _zip(), gzip.compress(TEXT.encode()), bytes(range(256)) * 64, b"\x00" * 4096, TEXT.encode() + b"\x00",
    *[random.Random(seed).randbytes(random.Random(seed).randrange(8, 5000)) for seed in range(200)],
    *[bytes(random.Random(seed).choice([0, 0, 0, 65, 97, 200]) for _ in range(600)) for seed in range(50)],
], ids=lambda d: f"{len(d)}b")
def test_binary_is_not_taken_for_utf16(data):
    assert wide_encoding(data) is None


def test_a_surrogate_pair_cut_at_the_sample_end_is_still_utf16():
    text = "a: " + "\U0001F600" * 40000 + "\n"  # 6 bytes, then pairs of 4: the first 64 KB end inside one
    for codec in ("utf-16-le", "utf-16-be"):
        assert wide_encoding(text.encode(codec)) == "UTF-16"


# ---------------------------------------------------------------------------------------------------
# true where a number belongs, and a number where true or false belongs

@pytest.mark.parametrize("old, new, message", [
    ("employees: 860\n", "employees: true\n", "[company.employees]: 应为整数（实际为 true）"),
    ("employees: 860\n", "employees: false\n", "[company.employees]: 应为整数（实际为 false）"),
    ("annual_budget: ", "annual_budget: true #", "[resources.annual_budget]: 应为数字（实际为 true）"),
    ("response_hours: ", "response_hours: true #", "[commitments.response_hours]: 应为数字（实际为 true）"),
    ("coverage: 100}", "coverage: true}", "[customers.follow_up.coverage]: 应为数字（实际为 true）"),
    ("  technicians: 92", "  technicians: false", "[staff.technicians]: 应为整数（实际为 false）"),
    ("sanbao: true", "sanbao: 1", "[company.products[0].sanbao]: 应为 true 或 false（实际为 1）"),
    ("sanbao: true", "sanbao: 0", "[company.products[0].sanbao]: 应为 true 或 false（实际为 0）"),
    ("sanbao: true", "sanbao: 1.0", "[company.products[0].sanbao]: 应为 true 或 false（实际为 1.0）"),
    ("sanbao: true", "sanbao: 'true'", "[company.products[0].sanbao]: 应为 true 或 false（实际为 'true'）"),
    ("sanbao: true", "sanbao: yes", "[company.products[0].sanbao]: 应为 true 或 false（实际为 'yes'）"),
])
def test_booleans_and_numbers_are_not_each_other(tmp_path, capsys, old, new, message):
    assert old in TEXT, old
    err = check(tmp_path, capsys, TEXT.replace(old, new, 1).encode())
    assert message in err, err
    assert "多于" not in err  # "售后服务人员 … 多于员工总数 1 人": true was read as 1


def test_true_and_false_still_are_what_yes_no_fields_take(tmp_path, capsys):
    for value in ("true", "false", "True", "FALSE"):
        path = tmp_path / f"{value}.yaml"
        path.write_text(TEXT.replace("sanbao: true", f"sanbao: {value}", 1), encoding="utf-8")
        assert main(["check", str(path)]) == 0, capsys.readouterr().err


def _fields(model: type[BaseModel], path: str = ""):
    """(key path, annotation with its constraints) of every number and yes/no of the schema, wherever
    it is: in a model, a list, a dict or as X | None."""
    for name, field in model.model_fields.items():
        annotation = typing.Annotated[(field.annotation, *field.metadata)] if field.metadata else field.annotation
        yield from _leaves(f"{path}{name}", annotation)


def _leaves(path: str, annotation):
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if annotation in (int, float, bool) or origin is typing.Annotated and args[0] in (int, float, bool):
        yield path, annotation
    elif origin is typing.Annotated:
        yield from _leaves(path, args[0])
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield from _fields(annotation, path + ".")
    elif origin is list:
        yield from _leaves(path + "[0]", args[0])
    elif origin is dict:
        yield from _leaves(path + ".x", args[1])
    elif args and origin is not typing.Literal:  # X | None
        for arg in args:
            yield from _leaves(path, arg)


def _kind(annotation) -> type:
    return typing.get_args(annotation)[0] if typing.get_origin(annotation) is typing.Annotated else annotation


LEAVES = list(_fields(Profile))


def test_the_schema_has_numbers_and_yes_no_fields():
    assert {_kind(a) for _, a in LEAVES} == {int, float, bool} and len(LEAVES) > 20


@pytest.mark.parametrize("path, annotation", LEAVES, ids=[leaf[0] for leaf in LEAVES])
def test_every_number_refuses_a_boolean_and_every_boolean_a_number(path, annotation):
    kind = _kind(annotation)
    adapter = TypeAdapter(annotation)
    wrong = [True, False] if kind is not bool else [0, 1, 1.0, "yes"]
    for value in wrong:
        with pytest.raises(ValidationError) as caught:
            adapter.validate_python(value)
        assert caught.value.errors()[0]["type"] == f"{kind.__name__}_type", (path, value)
    assert adapter.validate_python(True if kind is bool else 1) is not None


# ---------------------------------------------------------------------------------------------------
# U+2028, U+2029 and U+0085: YAML takes each for a line break no editor shows; after one in a block
# scalar, text became a comment and vanished without a word. Refused, located, wherever they are.

SEPARATORS = {"\u2028": "U+2028 行分隔符", "\u2029": "U+2029 段落分隔符", "\x85": "U+0085 下一行符"}


def test_the_strangers_separator_in_a_block_scalar(tmp_path, capsys):
    text = TEXT.replace("  short_name: 华澜电器\n", "  short_name: |\n      华澜\u2029# 电器\n", 1)
    assert text != TEXT
    row = text[: text.index("\u2029")].count("\n") + 1
    err = check(tmp_path, capsys, text.encode())
    assert f"company.yaml:{row}:9: 文件中含有不可见的字符 U+2029 段落分隔符" in err, err
    assert "Word 或网页" in err and "普通的换行" in err


@given(st.sampled_from(sorted(SEPARATORS)), st.integers(0, len(TEXT)), st.sampled_from(["\n", "\r\n", "\r"]))
@settings(max_examples=200, deadline=None)
def test_a_raw_separator_anywhere_is_refused_where_it_is(separator, offset, newline):
    text = (TEXT[:offset] + separator + TEXT[offset:]).replace("\n", newline)
    before = TEXT[:offset]
    row, column = before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1
    with pytest.raises(ProfileError) as caught:
        load_yaml_bytes(text.encode(), "company.yaml")
    assert [(p.line, p.column) for p in caught.value.problems] == [(row, column)]
    assert SEPARATORS[separator] in caught.value.problems[0].message


def test_a_file_ending_its_lines_with_next_line_is_told_so_in_short(tmp_path, capsys):
    err = check(tmp_path, capsys, TEXT.replace("\n", "\x85").encode())
    assert "company.yaml:1:" in err and "U+0085 下一行符" in err and "YAML 语法错误" not in err
    assert err.count("U+0085") == 20 and "另有" in err and "查找和替换" in err, err


def test_escaped_separators_in_quotes_are_line_breaks_and_cr_files_work():
    plain = load_yaml_bytes(TEXT.encode(), "company.yaml").data
    for newline in ("\r\n", "\r"):
        assert load_yaml_bytes(TEXT.replace("\n", newline).encode(), "company.yaml").data == plain
    escaped = 'a: "x\\u2028y\\u2029z\\Nw"\nb: \'p\'\n'
    assert load_yaml_bytes(escaped.encode(), "f").data == {"a": "x\ny\nz\nw", "b": "p"}


# ---------------------------------------------------------------------------------------------------
# Bidirectional controls make a name display in another order than it is; a byte order mark inside a
# name makes two names that look alike differ. Refused like control characters, located.

INVISIBLE = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0xFEFF, 0x200E, 0x200F, 0x061C)]
NAMED_VALUES = ["  short_name: 华澜电器\n", "  legal_name: 佛山市华澜电器有限公司\n", "  hotline: 400-830-6688\n"]


@given(st.sampled_from(INVISIBLE), st.sampled_from(NAMED_VALUES), st.integers(0, 30),
       st.sampled_from(["plain", "double", "escaped"]))
@settings(max_examples=150, deadline=None)
def test_bidi_controls_and_a_bom_inside_a_value_are_refused(ch, line, at, style):
    assert line in TEXT, line
    key, value = line.rstrip("\n").split(": ", 1)
    at = at % (len(value) + 1)
    inner = ch if style != "escaped" else f"\\u{ord(ch):04x}"
    value = value[:at] + inner + value[at:]
    written = f'{key}: "{value}"\n' if style != "plain" else f"{key}: {value}\n"
    with pytest.raises(ProfileError) as caught:
        load_yaml_bytes(TEXT.replace(line, written, 1).encode(), "company.yaml")
    [problem] = caught.value.problems
    assert f"U+{ord(ch):04X}（第 {at + 1} 个字符）" in problem.message
    assert problem.line == TEXT[: TEXT.index(line)].count("\n") + 1 and problem.key_path.endswith(key.strip())


def test_a_bidi_override_in_the_cli(tmp_path, capsys):
    err = check(tmp_path, capsys, TEXT.replace("short_name: 华澜", "short_name: 华\u202e澜", 1).encode())
    assert "[company.short_name]: 文字中含有不可见的双向文字控制字符 U+202E" in err and "顺序" in err, err


@pytest.mark.parametrize("lines, hinted", [
    (["slogan: it's ours", 'address: "3 #楼', "staff: 1"], 2),  # an apostrophe in plain text opens nothing
    (['note: "见 #3 号"', "size: 3\" 屏", "name: 'a''b", "x: 1"], 3),  # '#' inside quotes is no comment; '' is a quote
    (['list: [a, "b]', "x: 1"], 1),
])
def test_the_unclosed_quote_hint_names_the_line_that_opens_one(lines, hinted):
    """Found by a stranger: the hint cut lines at " #" even inside quotes and counted apostrophes in
    plain text, so it named the wrong line."""
    with pytest.raises(ProfileError) as caught:
        load_yaml_bytes("\n".join(lines).encode("utf-8") + b"\n", "p.yaml")
    assert f"第 {hinted} 行的引号似乎没有闭合" in caught.value.render()


def test_a_stray_nul_in_a_text_profile_is_located(tmp_path, capsys):
    """Found by a stranger: one NUL character in a profile was "a binary file", with no place to look."""
    text = HUALAN.read_text(encoding="utf-8")
    line = text[: text.index("顺德区北滘镇")].count("\n") + 1
    column = text[: text.index("顺德区北滘镇")].rsplit("\n", 1)[-1].__len__() + 4
    path = tmp_path / "p.yaml"
    path.write_text(text.replace("顺德区北滘镇", "顺德区\x00北滘镇", 1), encoding="utf-8")
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"p.yaml:{line}:{column}: 这里有一个空字符（NUL" in err and "二进制" not in err
    path.write_bytes(b"\x00\x01\x02" * 400)  # a binary file is still one
    assert main(["check", str(path)]) == 2
    assert "这是二进制文件" in capsys.readouterr().err


def test_a_tab_inside_braces_is_named(tmp_path, capsys):
    """Found by a stranger: a Tab inside a value in { } was reported as a missing comma only."""
    text = HUALAN.read_text(encoding="utf-8")
    old = "address: 顺德区北滘镇兴业路 18 号, mode"
    line = text[: text.index(old)].count("\n") + 1
    path = tmp_path / "p.yaml"
    path.write_text(text.replace(old, old.replace("兴业路 ", "兴业路\t"), 1), encoding="utf-8")
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"第 {line} 行第" in err and "有 Tab 字符：花括号或方括号中的值不能含 Tab，请改为空格" in err
