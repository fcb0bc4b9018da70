"""Loading and validating company profiles: every problem located, nothing crashes."""
from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from conftest import FIXTURES, HUALAN, PROFILES
from generator.profile import creditcode
from generator.errors import ProfileError
from generator.text.literal import Duration, hours, number
from generator.profile.validation import load_profile
from generator.inputs.yamlload import load_yaml_bytes


def problems_of(tmp_path, text: str, catalogue=None) -> list:
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError) as info:
        load_profile(path, catalogue)
    return info.value.problems


def hualan_with(old: str, new: str) -> str:
    text = HUALAN.read_text(encoding="utf-8")
    assert old in text, old
    return text.replace(old, new, 1)


@pytest.mark.parametrize("path", sorted(PROFILES.glob("*.yaml")), ids=lambda p: p.stem)
def test_examples_are_valid(path, catalogue):
    profile = load_profile(path, catalogue)
    assert profile.company.legal_name
    assert creditcode.problem(profile.company.credit_code) is None


def test_three_mistakes_reported_together_with_lines(catalogue):
    with pytest.raises(ProfileError) as info:
        load_profile(FIXTURES / "three-mistakes.yaml", catalogue)
    found = {(p.key_path, p.line) for p in info.value.problems}
    assert found == {("company.credit_code", 6), ("company.employees", 11), ("resources.hotlien", 107)}
    by_path = {p.key_path: p for p in info.value.problems}
    assert "校验位" in by_path["company.credit_code"].message
    assert by_path["company.employees"].message == "应为整数"
    assert "hotline" in by_path["resources.hotlien"].hint


def test_missing_field_names_key_and_its_meaning(tmp_path):
    problems = problems_of(tmp_path, hualan_with("  hotline: 400-830-6688\n", ""))
    assert [p.key_path for p in problems] == ["resources.hotline"]
    assert problems[0].message == "缺少必填项：hotline"
    assert problems[0].hint == "服务热线"
    assert problems[0].line == 99  # the `resources:` mapping that lacks it


def test_the_same_problem_in_many_outlets_is_one_line(tmp_path):
    """Found in review: 300 outlets without `staff` gave 300 lines. The same problem in many items of
    one list is one line: how many, and the first few with their lines and names; a few stay apart."""
    outlets = "".join(f"    - {{name: 网点{n}, province: 广东省, city: 佛山市, address: 路 {n} 号, mode: 委托}}\n"
                      for n in range(300))
    text = hualan_with("  outlets:\n", "  outlets:\n" + outlets)
    problems = problems_of(tmp_path, text)
    assert len(problems) == 1
    [told] = problems
    assert told.key_path == "resources.outlets[…].staff"
    assert told.message == "300 项缺少必填项：staff"
    first = text.splitlines().index("  outlets:") + 2
    assert told.line == first
    assert told.hint == f"服务人员数；如第 {first} 行“网点0”、第 {first + 1} 行“网点1”、第 {first + 2} 行“网点2”等"
    few = problems_of(tmp_path, hualan_with("  outlets:\n", "  outlets:\n" + "".join(outlets.splitlines(True)[:3])))
    assert [p.key_path for p in few] == [f"resources.outlets[{n}].staff" for n in range(3)]


def test_literal_choice_lists_the_allowed_values(tmp_path):
    problems = problems_of(tmp_path, hualan_with("enterprise_type: 生产型", "enterprise_type: 制造型"))
    assert problems[0].key_path == "company.enterprise_type"
    assert "生产型" in problems[0].message and "销售服务型" in problems[0].message


def test_cross_field_facts(tmp_path):
    text = hualan_with("qualified_technicians: 88", "qualified_technicians: 120")
    text = text.replace("effective_date: 2026-06-01", "effective_date: 2026-05-01")
    first, second = problems_of(tmp_path, text)
    assert (first.key_path, first.message) == ("staff.qualified_technicians", "持证技术人员 120 人，多于技术人员总数 92 人")
    assert second.key_path == "document.effective_date" and "早于发布日期" in second.message
    assert first.line and second.line


def test_arrangement_needs_reason_when_not_provided(tmp_path):
    text = hualan_with("  take_back:\n    provided: true", "  take_back:\n    provided: false")
    problems = problems_of(tmp_path, text)
    assert problems[0].key_path == "arrangements.take_back"
    assert "excluded_reason" in problems[0].message


def test_unknown_clause_and_material_ids(tmp_path, catalogue):
    text = hualan_with('"5.1.6": {status: implemented', '"5.1.9": {status: implemented')
    text = text.replace("    M22: {status: provided}", "    M99: {status: provided}")
    problems = problems_of(tmp_path, text, catalogue)
    messages = {p.key_path: p.message for p in problems}
    assert messages["readiness.self_assessment.5.1.9"] == "条款 5.1.9 不存在"
    assert messages["readiness.materials.M99"] == "材料编号 M99 不存在"
    assert all(p.line for p in problems)


@pytest.mark.parametrize("code,ok", [
    ("91350100M000100Y43", True),   # published example
    ("91440606MA4UJ8X2A1", True),
    ("91440606MA4UJ8X2A2", False),  # wrong check character
    ("91440606MA4UJ8X2A", False),   # 17 characters
    ("9144060OMA4UJ8X2A1", False),  # letter O is not in the alphabet
])
def test_credit_code(code, ok):
    assert (creditcode.problem(code) is None) is ok


@pytest.mark.parametrize("text,message,line", [
    ("a:\n\tb: 1\n", "Tab", 2),
    ("a: 1\na: 2\n", "重复", 2),
    ('a: "open\n', "引号没有闭合", None),
    ("a: !!python/object/apply:os.system [ls]\n", "不支持 YAML 标签", 1),
    ("", "空的", None),
    ("# only a comment\n", "只有注释", None),
])
def test_yaml_level_problems(text, message, line):
    with pytest.raises(ProfileError) as info:
        load_yaml_bytes(text.encode(), "x.yaml")
    (problem,) = info.value.problems
    assert message in problem.message
    if line is not None:
        assert problem.line == line


def test_alias_expansion_is_bounded():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}]"
              for i in range(1, 9)]
    with pytest.raises(ProfileError) as info:
        load_yaml_bytes("\n".join(lines).encode(), "bomb.yaml")
    assert "别名" in info.value.problems[0].message


def test_encoding_problems():
    with pytest.raises(ProfileError, match="无法读取"):
        load_yaml_bytes("公司: 华澜".encode("gbk"), "gbk.yaml")
    with pytest.raises(ProfileError):
        load_yaml_bytes(b"\x00\x01binary", "bin.yaml")
    assert load_yaml_bytes("\ufeffa: 1".encode(), "bom.yaml").data == {"a": 1}


def test_top_level_must_be_a_mapping(tmp_path):
    problems = problems_of(tmp_path, "- just\n- a list\n")
    assert "键值映射" in problems[0].message


# --- time limits are never shown shorter than promised ------------------------------------------
@given(st.floats(min_value=1e-300, max_value=8760, allow_nan=False, exclude_min=False))
@example(0.0001)
@example(0.1)
@example(1 / 60)
@example(0.9999)
@example(1.004)
@example(2.0)
def test_a_time_limit_is_shown_rounded_up_never_to_zero(value):
    shown = hours(value)
    amount, unit = shown.split(" ")
    assert float(amount) > 0
    assert float(amount) * (1 / 60 if unit == "分钟" else 1) >= value * (1 - 1e-9), shown
    days = number(Duration(value))
    assert 0 < float(days) and float(days) >= value * (1 - 1e-9), days


def test_a_tiny_response_time_is_not_promised_as_zero(tmp_path):
    from generator.build import make_bundle

    path = tmp_path / "p.yaml"
    path.write_text(hualan_with("response_hours: 2", "response_hours: 0.0001")
                    .replace("repair_days: 3", "repair_days: 0.0001"), encoding="utf-8")
    promise = next(d for d in make_bundle(path).documents if d.key == "promise").markdown
    assert "接到您的服务请求后 1 分钟内响应" in promise and "0 分钟" not in promise
    assert "一般故障 0.01 天内修复" in promise


def test_the_scorecard_tells_time_limits_as_the_documents_do(tmp_path):
    """The scorecard's evidence line says a limit as the manual and promise say it (rounded up, in
    minutes under an hour), not the float typed (found by a stranger: "1e-09 小时响应")."""
    from generator.output.scorecard import as_data, scorecard

    path = tmp_path / "p.yaml"
    path.write_text(hualan_with("response_hours: 2", "response_hours: 1e-9")
                    .replace("repair_days: 3", "repair_days: 0.0001"), encoding="utf-8")
    basis = {line["clause"]: line["basis"] for line in as_data(scorecard(path))["lines"]}
    assert "1 分钟响应" in basis["5.2.4"] and "0.01 天修复" in basis["5.2.4"], basis["5.2.4"]
    assert "e-" not in str(basis)


def test_folded_text_is_read_as_written_and_chinese_lines_join_without_a_space(tmp_path, catalogue):
    """`>-` text was refused as "U+0007" (ruamel marks its folds with it); now it reads like the
    YAML spec says, except that a fold between two Chinese characters adds no space."""
    from conftest import HUALAN

    text = HUALAN.read_text(encoding="utf-8")
    old = "  warranty: 严格执行国家三包规定，"
    assert old in text
    path = tmp_path / "p.yaml"
    path.write_text(text.replace(old, "  warranty: >-\n    严格执行国家\n    三包规定，\n    ISO 9001\n    认证，"), encoding="utf-8")
    warranty = load_profile(path, catalogue).commitments.warranty
    assert warranty.startswith("严格执行国家三包规定， ISO 9001 认证，并在三包之外")  # a space only beside Latin


@pytest.mark.parametrize("written", ["075726668802", "0757266688", "+8675726668802", "0x1F", "0o17", "1.50", "1e3",
                                     ".5", "007"])
@pytest.mark.parametrize("fast", [True, False])
def test_a_number_written_for_text_is_kept_as_written(tmp_path, written, fast):
    """Found by a stranger: an unquoted telephone number with a leading zero (YAML reads it as the
    integer 75726668802) lost its zero in every document. A field of text takes it as written."""
    text = HUALAN.read_text(encoding="utf-8").replace("phone: 0757-2666 8802}", f"phone: {written}}}")
    assert f"phone: {written}}}" in text
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    loaded = load_yaml_bytes(path.read_bytes(), str(path), fast=fast)
    outlet = loaded.data["resources"]["outlets"][0]
    assert str(outlet["phone"]) == written
    profile = load_profile(path)
    assert profile.resources.outlets[0].phone == written
    assert profile.company.employees == 860 and type(profile.company.employees) is int  # a count stays a number


def test_a_count_written_with_leading_zeros_is_its_number(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(HUALAN.read_text(encoding="utf-8").replace("employees: 860", "employees: 0860"), encoding="utf-8")
    assert load_profile(path).company.employees == 860
