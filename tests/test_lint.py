"""Consistency lint: warnings from `aftersales check`, errors with --strict."""
from __future__ import annotations

from conftest import HUALAN, QIHENG
from generator.cli import main


def variant(tmp_path, *changes) -> str:
    text = HUALAN.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_each_rule_is_located(tmp_path, capsys):
    path = variant(
        tmp_path,
        ("并提供燃气热水器安全检查。", "接到报修后 12 小时内上门，并提供燃气热水器安全检查。"),
        ("      - 管理备品备件的计划、调拨和旧件返还\n", "      - 管理备品备件的计划、调拨和旧件返还\n      - 配合财务部审核售后服务经费\n"),
        ("    - {name: 福州华澜家电服务站, province: 福建省,", "    - {name: 福州华澜家电服务站, province: 河北省,"),
    )
    assert main(["check", path]) == 0
    err = capsys.readouterr().err
    assert "[customisation.16.5.text]: 补充文字写有“12 小时”，与服务承诺的时限（2、24、48 小时）不一致" in err
    assert "[organisation.aftersales_department.duties[4]]: 职责中提到“财务部”，但组织架构中没有这个部门" in err
    assert "[resources.outlets[5].province]: 服务网点“福州华澜家电服务站”位于河北省，不在销售区域内" in err
    assert "p.yaml:96:5 [staff.certified_managers]: 持证售后服务管理师 2 名，按服务管理人员的 10% 应有 3 名" in err
    assert main(["check", "--strict", path]) == 2


def test_a_consistent_profile_has_no_findings(capsys):
    assert main(["check", "--strict", str(QIHENG)]) == 0
    assert "⚠" not in capsys.readouterr().err


# --- item 9: 内部评审 is not a department named 内部 ----------------------------------------------
def test_words_with_部_that_are_not_departments(tmp_path, capsys):
    duties = ("      - 管理备品备件的计划、调拨和旧件返还\n"
              "      - 组织内部评审和外部审核，协调各部门完成整改\n"
              "      - 负责系统部署，向总部报告部分商品的退换情况\n"
              "      - 配合法务部处理纠纷\n")
    path = variant(tmp_path, ("      - 管理备品备件的计划、调拨和旧件返还\n", duties))
    assert main(["check", path]) == 0
    err = capsys.readouterr().err
    assert "职责中提到“法务部”，但组织架构中没有这个部门" in err  # a real unknown department is still named
    assert err.count("职责中提到") == 1, err  # and nothing else: not 内部、外部、各部、系统部、总部、处理部


def test_department_names():
    from generator.lint import _departments
    assert _departments("组织内部评审") == []
    assert _departments("组织局部整改和全部复查") == []
    assert _departments("会同财务部和人力资源中心核算") == ["财务部", "人力资源中心"]
    assert _departments("营销总部统筹，报告售后部") == ["营销总部", "售后部"]
    assert _departments("负责系统部署和部件更换") == []
