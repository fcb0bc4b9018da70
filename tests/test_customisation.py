"""A consultant's own text and templates, kept across regeneration, and still treated as data."""
from __future__ import annotations

import re

import docx
import pytest

from conftest import HUALAN, all_text, manual_html
from generator.build import make_bundle, write_bundle
from generator.cli import main


def profile_with(tmp_path, extra: str):
    text = HUALAN.read_text(encoding="utf-8").split("\ncustomisation:")[0] + "\n" + extra
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_append_and_replace_sections(tmp_path):
    path = profile_with(tmp_path, """customisation:
  "13.3":
    mode: replace
    text: |
      返修率按月统计，目标 **≤ 1.5%**。

      - 返修单独派给高级技师
      - 返修原因纳入周例会
  备件与收费:
    text: "<script>x</script> {clauses=5.3.2} 备件价格每季度复核。"
""")
    bundle = make_bundle(path)
    manual = next(d for d in bundle.documents if d.key == "manual")
    section = manual.markdown.split("## 13.3 维修质量")[1].split("\n# ")[0]
    assert "同一故障在维修后 30 日内复发" not in section  # replaced
    assert "返修单独派给高级技师" in section
    spare = manual.markdown.split("## 13.2 备件与收费")[1].split("## 13.3")[0]
    assert "备品备件保障" in spare and "备件价格每季度复核" in spare  # appended
    write_bundle(bundle, tmp_path / "out")
    text = all_text(docx.Document(str(tmp_path / "out" / "01-售后服务手册.docx")))
    assert "<script>x</script> {clauses=5.3.2} 备件价格每季度复核。" in text
    html = manual_html(tmp_path / "out" / "site")
    assert "<script>x</script>" not in html and "<strong>≤ 1.5%</strong>" in html
    # the user's fake clause tag claims nothing
    assert all("5.3.2" not in s.clauses for s in manual.sections if "备件" in s.title)


def test_unknown_section_is_a_clear_error(tmp_path, capsys):
    path = profile_with(tmp_path, 'customisation:\n  "99.9": {text: 不存在的章节}\n')
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "p.yaml:" in err and "手册中没有章节 “99.9”" in err and "Traceback" not in err


def test_content_folder_overrides_a_template(tmp_path):
    house = tmp_path / "house"
    house.mkdir()
    (house / "promise_body.md.j2").write_text(
        "{{ p.company.legal_name }}郑重承诺：接到报修后 {{ p.commitments.response_hours | hours }}内响应。\n",
        encoding="utf-8")
    bundle = make_bundle(HUALAN, content=house)
    promise = next(d for d in bundle.documents if d.key == "promise")
    manual = next(d for d in bundle.documents if d.key == "manual")
    assert "佛山市华澜电器有限公司郑重承诺：接到报修后 2 小时内响应。" in promise.markdown
    assert "郑重承诺：接到报修后 2 小时内响应" in manual.markdown.split("# 附录 D")[1]


@pytest.mark.parametrize("template", [
    "{{ p.__class__.__mro__ }}",
    "{{ cycler.__init__.__globals__ }}",
    "{% for x in %}",
])
def test_content_folder_cannot_escape_the_sandbox(tmp_path, capsys, template):
    house = tmp_path / "house"
    house.mkdir()
    (house / "promise_body.md.j2").write_text(template, encoding="utf-8")
    assert main(["build", str(HUALAN), "-o", str(tmp_path / "out"), "--no-site", "--content", str(house)]) == 2
    err = capsys.readouterr().err
    assert "自定义模板有误" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_user_text_shows_as_typed_on_site_and_docx(tmp_path):
    """Raw HTML (with a script link the site's hook would cut from the text), code, a soft line break
    between Latin words, a backslash escape and a #word Python-Markdown alone took for a heading."""
    path = profile_with(tmp_path, r"""customisation:
  "16.5":
    mode: append
    text: "<a href=\"javascript:alert(4)\">a</a> <b>x</b>\nhello\nworld\n中文\n换行 `<c>` &amp; \\~\n\n#话题"
""")
    write_bundle(make_bundle(path), tmp_path / "out")
    text = all_text(docx.Document(str(tmp_path / "out" / "01-售后服务手册.docx")))
    assert '<a href="javascript:alert(4)">a</a> <b>x</b> hello world 中文换行 <c> &amp; ~' in text
    assert "#话题" in text
    import html
    import re

    page = html.unescape(re.sub(r"<[^>]+>", "", manual_html(tmp_path / "out" / "site")))
    # a line break between two Chinese characters leaves no gap on the site either (the wide_lines hook)
    assert '<a href="javascript:alert(4)">a</a> <b>x</b>\nhello\nworld\n中文换行 <c> &amp; ~' in page
    assert "\n#话题\n" in page
    site = manual_html(tmp_path / "out" / "site")
    assert "<b>x</b>" not in site and "<code>&lt;c&gt;</code>" in site and "<p>#话题</p>" in site


# --- every problem at once ---------------------------------------------------------------------------
SCHEMES = ["ftp://h/x", "javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "gopher://g", "ssh://s"]


def _bad_texts(seed: int) -> tuple[str, list[tuple[str, int, int]], int]:
    """customisation entries (YAML) whose texts hold bad links and images in random places, with every
    (section, line, column) a problem must name, and how many entries have a mistake of their own."""
    import random

    rng = random.Random(seed)
    entries, expected, broken = [], [], 0
    for section in rng.sample(["13.2", "13.3", "16.5", "备件与收费", "5.1"], rng.randint(1, 4)):
        lines = []
        for row in range(rng.randint(1, 4)):
            line = rng.choice(["", "正文。", "- 项目 ", "> 引用 ", "1. 第一 "] if row else ["正文。", "- 项目 "])
            for _ in range(rng.randint(0, 3)):
                kind = rng.random()
                target = rng.choice(SCHEMES)
                if kind < 0.15:
                    line += f"![图](p{row}.png) "
                    expected.append((section, row + 1, len(line) - len(f"p{row}.png) ") + 1))
                elif kind < 0.3:
                    line += "[好](https://example.com) "
                else:
                    line += f"[链接]({target}) "
                    expected.append((section, row + 1, len(line) - len(target) - 1))
            lines.append(line)
        mode = "append"
        if rng.random() < 0.3:
            mode, broken = "bogus", broken + 1  # its own entry is wrong: its text's problems told too
        body = "\n".join("      " + line for line in lines)
        entries.append(f'  "{section}":\n    mode: {mode}\n    text: |\n{body}\n')
    return "customisation:\n" + "".join(entries), expected, broken


@pytest.mark.parametrize("seed", range(25))
def test_every_bad_link_of_every_text_is_told_with_the_schemas_problems(tmp_path, seed):
    from generator.errors import ProfileError
    from generator.profile.validation import load_profile

    extra, expected, broken = _bad_texts(seed)
    path = profile_with(tmp_path, extra)
    if broken == 0 and not expected:
        return
    if broken == 0:  # and a mistake elsewhere in the profile, which used to hide them all
        path.write_text(path.read_text(encoding="utf-8").replace("employees: 860", "employees: many", 1), encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    problems = caught.value.problems
    told = sorted((p.key_path.removeprefix("customisation.").removesuffix(".text"), *map(int, re.search(r"正文第 (\d+) 行第 (\d+) 列", p.message).groups()))
                  for p in problems if p.key_path.endswith(".text"))
    assert told == sorted(expected), "\n".join(p.render() for p in problems)
    assert sum(p.key_path.endswith(".mode") for p in problems) == broken
    assert broken or any(p.key_path == "company.employees" for p in problems)


def test_the_strangers_profile_tells_all_four(tmp_path, capsys):
    extra = """customisation:
  "16.5": {mode: bogus, text: 追加}
  "13.2": {text: "看 [a](https://ok) [b](mailto:x@y.z) [c](tel:1)"}
  "99": {text: 不存在的章节}
  "13.3": {text: "[x](ftp://h/x)"}
"""
    path = profile_with(tmp_path, extra)
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "[customisation.16.5.mode]: 应为以下之一" in err and "不支持的链接 “ftp://h/x”（正文第 1 行第 5 列）" in err, err
    # once the entries are valid, the sections are looked up too, with the texts' problems
    path.write_text(path.read_text(encoding="utf-8").replace("mode: bogus", "mode: append"), encoding="utf-8")
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "手册中没有章节 “99”" in err and "不支持的链接 “ftp://h/x”" in err and "Traceback" not in err, err
