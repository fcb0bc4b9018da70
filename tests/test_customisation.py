"""A consultant's own text and templates, kept across regeneration, and still treated as data."""
from __future__ import annotations

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
