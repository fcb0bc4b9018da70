"""Consistency lint: warnings from `aftersales check`, errors with --strict."""
from __future__ import annotations

import pytest
from conftest import HUALAN, QIHENG, YUNXUAN
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


def test_many_outlets_outside_the_sales_regions_are_one_line(tmp_path, capsys):
    """Hundreds of outlets in a province the company does not sell in: one warning naming the count and the
    first three, not one line each."""
    import re

    text = HUALAN.read_text(encoding="utf-8")
    many = "".join(f"    - {{name: 拉萨服务站{i}, province: 西藏自治区, city: 拉萨市, address: 城关区{i}号, mode: 自营, staff: 2}}\n"
                   for i in range(300))
    assert text.count("  outlets:\n") == 1
    path = tmp_path / "p.yaml"
    path.write_text(text.replace("  outlets:\n", "  outlets:\n" + many), encoding="utf-8")
    assert main(["check", str(path)]) == 0
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if "不在销售区域内" in line]
    assert len(lines) == 1, err
    assert re.search(r"\[resources\.outlets\[0\]\.province\]: 300 个服务网点不在销售区域内，如“拉萨服务站0”（西藏自治区）、", lines[0])
    assert "把西藏自治区加入 company.sales_regions" in err


def test_strict_fails_on_eligibility_notices(capsys):
    """An eligibility notice (yunxuan has no certified manager) is an error under --strict, as the README says,
    like a consistency finding; without --strict it is a located warning."""
    assert main(["check", str(YUNXUAN)]) == 0
    assert "[staff.certified_managers]" in capsys.readouterr().err
    assert main(["check", "--strict", str(YUNXUAN)]) == 2
    assert "错误：--strict 下有 1 条申请条件提示" in capsys.readouterr().err


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
    from generator.assess.lint import _departments
    assert _departments("组织内部评审") == []
    assert _departments("组织局部整改和全部复查") == []
    assert _departments("会同财务部和人力资源中心核算") == ["财务部", "人力资源中心"]
    assert _departments("营销总部统筹，报告售后部") == ["营销总部", "售后部"]
    assert _departments("负责系统部署和部件更换") == []


# --- item 8: 三包 only for the products its regulation lists -------------------------------------
def sanbao(name, description=None, rule=None, category="家用电器"):
    from generator.assess.lint import _sanbao_findings
    from generator.standard.sanbao import load_sanbao
    from generator.profile.company import Product
    product = Product(name=name, category=category, description=description, warranty="整机保修 1 年",
                      sanbao=True, sanbao_rule=rule)
    return [(".".join(map(str, path)), message, hint)
            for path, message, hint in _sanbao_findings(0, product, load_sanbao())]


PARTIAL = "《部分商品修理更换退货责任规定》"


def test_the_catalogue_is_the_regulation_s_18_products():
    from generator.standard.sanbao import load_sanbao
    data = load_sanbao()
    partial = data.regulations[0]
    assert partial.name == "部分商品修理更换退货责任规定"
    assert [p.name for p in partial.products] == [
        "自行车", "彩色电视机", "黑白电视机", "家用录像机", "摄像机", "收录机", "电子琴", "家用电冰箱", "洗衣机",
        "电风扇", "微波炉", "吸尘器", "家用空调器", "吸排油烟机", "燃气热水器", "缝纫机", "钟表", "摩托车"]
    assert {r.name for r in data.regulations[1:]} == {
        "移动电话机商品修理更换退货责任规定", "固定电话机商品修理更换退货责任规定", "微型计算机商品修理更换退货责任规定",
        "家用视听商品修理更换退货责任规定", "家用汽车产品修理更换退货责任规定"}
    assert all(r.sources and r.evidence_level in "CSI" for r in data.regulations)


def test_a_product_outside_the_catalogue_is_warned_where_it_is(tmp_path, capsys):
    path = variant(tmp_path, ("      warranty_months: 24\n      sanbao: false\n",
                              f"      warranty_months: 24\n      sanbao: true\n      sanbao_rule: {PARTIAL}\n"))
    assert main(["check", path]) == 0
    err = capsys.readouterr().err
    assert (f"[company.products[2].sanbao]: “华澜洗碗机”标为适用三包（{PARTIAL}），但{PARTIAL}的目录只列 18 种商品："
            "自行车、彩色电视机、黑白电视机、家用录像机、摄像机、收录机、电子琴、家用电冰箱、洗衣机、电风扇、微波炉、吸尘器、"
            "家用空调器、吸排油烟机、燃气热水器、缝纫机、钟表、摩托车，不包括洗碗机（如果它不适用任何国家三包规定，"
            "把 sanbao 改为 false，在 warranty 中以企业承诺写明保修和退换条款") in err
    assert "p.yaml:34:15 [company.products[2].sanbao]" in err
    assert main(["check", "--strict", path]) == 2


def test_without_a_rule_every_national_rule_is_considered():
    (where, message, hint), = sanbao("华澜洗碗机", "嵌入式和台式洗碗机")
    assert where == "company.products.0.sanbao"
    assert message.startswith("“华澜洗碗机”标为适用国家三包规定，但洗碗机不在任何一项三包规定的目录中（"
                              f"{PARTIAL}的目录只列 18 种商品：自行车、")
    assert "另有《移动电话机商品修理更换退货责任规定》《固定电话机商品修理更换退货责任规定》" in message
    assert "企业承诺" in hint
    assert sanbao("智能手机", "5G 手机") == []  # its own regulation, named or not
    assert sanbao("华澜变频空调", "壁挂式房间空气调节器") == []


def test_a_mixed_line_names_the_goods_outside_the_catalogue():
    (where, message, hint), = sanbao("小家电", "电饭煲、空气炸锅、吸尘器等小家电的网络零售", PARTIAL)
    assert message.startswith(f"“小家电”标为适用三包（{PARTIAL}），其中的电饭煲、空气炸锅不在该规定的目录中")
    assert hint.startswith("把电饭煲、空气炸锅拆成单独的一项商品，sanbao 写 false")
    (_, message, hint), = sanbao("电饭煲和吸尘器")
    assert message.startswith("“电饭煲和吸尘器”标为适用国家三包规定，其中的电饭煲不在任何一项三包规定的目录中（")
    wrong, outside = sanbao("手机和电饭煲", None, PARTIAL)
    assert wrong[0] == "company.products.0.sanbao_rule"
    assert outside[:2] == ("company.products.0.sanbao", "“手机和电饭煲”标为适用三包，其中的电饭煲不在任何一项三包规定的目录中")


@pytest.mark.parametrize("name, description", [
    ("华澜变频空调", None), ("双门冰箱", None), ("侧吸式油烟机", None), ("华澜燃气热水器", None),
    ("强排式热水器", "燃气快速热水器"), ("电动自行车", None), ("滚筒洗衣机", None), ("液晶电视", None),
    ("石英手表", None), ("落地扇", None)])
def test_catalogue_products_by_their_usual_names(name, description):
    assert sanbao(name, description, PARTIAL) == []


@pytest.mark.parametrize("name, outside", [
    ("储水式电热水器", "电热水器"), ("冷风空调扇", "空调扇"), ("嵌入式蒸烤箱", "蒸烤箱"), ("智能马桶盖", "智能马桶盖"),
    ("电视机顶盒", "机顶盒")])
def test_look_alikes_are_not_catalogue_products(name, outside):
    (_, message, _), = sanbao(name, None, PARTIAL)
    assert message.endswith(f"，不包括{outside}"), message


def test_a_product_under_another_regulation_gets_that_regulation():
    (where, message, hint), = sanbao("手机及数码配件", "品牌手机和充电配件", PARTIAL)
    assert where == "company.products.0.sanbao_rule"
    assert message == f"“手机及数码配件”的三包规定写的是{PARTIAL}，但移动电话机适用《移动电话机商品修理更换退货责任规定》"
    assert hint == "把 sanbao_rule 改为《移动电话机商品修理更换退货责任规定》"
    (_, message, hint), = sanbao("55 英寸液晶电视", None, "《家用视听商品修理更换退货责任规定》")
    assert message.endswith(f"但彩色电视机适用{PARTIAL}")
    (_, message, _), = sanbao("智能音箱", None, "《移动电话机商品修理更换退货责任规定》")
    assert message.endswith("但扬声器系统适用《家用视听商品修理更换退货责任规定》")


KNOWN = ("（已知的有：《部分商品修理更换退货责任规定》《移动电话机商品修理更换退货责任规定》《固定电话机商品修理更换退货责任规定》"
         "《微型计算机商品修理更换退货责任规定》《家用视听商品修理更换退货责任规定》《家用汽车产品修理更换退货责任规定》）"
         "；这一项按全部国家三包规定的目录核对")


def test_a_rule_the_data_does_not_know_is_named_and_the_product_still_checked():
    (where, message, hint), (where2, message2, _) = sanbao("华澜破壁机", None, "某某规定")
    assert where == "company.products.0.sanbao_rule"
    assert message == "“华澜破壁机”的三包规定写的是“某某规定”，不是已知的国家三包规定" + KNOWN
    assert hint.startswith("在 sanbao_rule 中写明适用的国家三包规定的全称，或删去 sanbao_rule")
    assert where2 == "company.products.0.sanbao"
    assert message2.startswith("“华澜破壁机”标为适用国家三包规定，但破壁机不在任何一项三包规定的目录中（")
    (_, message, hint), (_, message2, _) = sanbao("华澜破壁机", None, "《某省家用电器维修服务规定》")
    assert message.startswith("“华澜破壁机”的三包规定写的是《某省家用电器维修服务规定》，不是已知的国家三包规定（已知的有：")
    assert "破壁机不在任何一项三包规定的目录中" in message2


def test_a_near_miss_rule_name_gets_the_closest_one():
    (_, message, hint), (_, message2, _) = sanbao("华澜破壁机", None, "部分商品三包规定")
    assert message == ("“华澜破壁机”的三包规定写的是“部分商品三包规定”，不是已知的国家三包规定，"
                       f"是不是{PARTIAL}？" + KNOWN)
    assert hint == f"如果是，把 sanbao_rule 改为{PARTIAL}"
    assert "破壁机不在任何一项三包规定的目录中" in message2
    (_, message, _), _ = sanbao("电动滑板车", None, "汽车三包规定")
    assert "是不是《家用汽车产品修理更换退货责任规定》？" in message
    (_, message, _), _ = sanbao("电动滑板车", None, "手机三包规定")  # as near the computer rule as the phone rule
    assert "是不是" not in message
    (_, message, hint), = sanbao("手机", None, "部分商品三包规定")  # the product says which: not the near name
    assert "是不是" not in message
    assert hint == "移动电话机适用《移动电话机商品修理更换退货责任规定》：把 sanbao_rule 改为《移动电话机商品修理更换退货责任规定》"
    assert sanbao("华澜变频空调", None, "部分商品三包规定")[0][2] == f"家用空调器适用{PARTIAL}：把 sanbao_rule 改为{PARTIAL}"


def test_an_unknown_rule_is_warned_where_it_is(tmp_path, capsys):
    path = variant(tmp_path, ("      warranty_months: 24\n      sanbao: false\n",
                              "      warranty_months: 24\n      sanbao: true\n      sanbao_rule: 部分商品三包规定\n"))
    assert main(["check", path]) == 0
    err = capsys.readouterr().err
    assert ("p.yaml:35:20 [company.products[2].sanbao_rule]: “华澜洗碗机”的三包规定写的是“部分商品三包规定”，"
            f"不是已知的国家三包规定，是不是{PARTIAL}？") in err
    assert "p.yaml:34:15 [company.products[2].sanbao]: “华澜洗碗机”标为适用国家三包规定，但洗碗机不在任何一项三包规定的目录中" in err


def test_a_general_rule_name_is_checked_as_no_rule():
    assert sanbao("手机", None, "国家“三包”规定") == []
    assert sanbao("洗碗机", None, "国家三包规定")[0][1].startswith("“洗碗机”标为适用国家三包规定")


# --- the name decides; look-alikes and accessories are not the catalogue's products --------------
def test_an_accessory_is_not_the_device_it_fits():
    (where, message, hint), = sanbao("华澜手机壳", "适用各品牌手机的保护壳")
    assert where == "company.products.0.sanbao"
    assert message.startswith("“华澜手机壳”标为适用国家三包规定，但手机壳不在任何一项三包规定的目录中（")
    assert hint.startswith("如果它不适用任何国家三包规定")
    for name, what in (("手机钢化膜", "钢化膜"), ("车载手机支架", "手机支架"), ("华澜空调罩", "华澜空调罩"),
                       ("壁挂电视支架", "壁挂电视支架"), ("冰箱贴", "冰箱贴"), ("华澜手机保护套", "保护套"),
                       ("华澜手机套", "华澜手机套")):
        (_, message, _), = sanbao(name, "适用各品牌手机、空调、电视和冰箱")
        assert f"但{what}不在任何一项三包规定的目录中" in message, message
    (_, message, _), = sanbao("华澜手机壳", None, "《移动电话机商品修理更换退货责任规定》")
    assert message.endswith("，不包括手机壳")


def test_the_description_does_not_outweigh_the_name():
    (where, message, hint), = sanbao("华澜洗碗机", "带空调级变频电机")
    assert where == "company.products.0.sanbao"
    assert "但洗碗机不在任何一项三包规定的目录中" in message
    assert "拆成单独的一项商品" not in hint
    (_, message, hint), = sanbao("空调扇", "冷风扇")
    assert "但空调扇不在任何一项三包规定的目录中" in message
    assert "拆成单独的一项商品" not in hint
    (_, message, _), = sanbao("冷风扇", None, PARTIAL)
    assert message.endswith("，不包括冷风扇")
    (_, message, _), = sanbao("静音电机", "空调级静音")  # the description only when the name says nothing
    assert "但静音电机不在" in message
    assert sanbao("静音电机", "空调级静音，用于吸尘器") == []


@pytest.mark.parametrize("name, description", [
    ("分体式空调套机", None), ("华澜变频空调", "空调型号 KFR-35GW"), ("华澜家电", "家用空调器"), ("手机套装", None)])
def test_the_product_itself_is_still_recognised(name, description):
    assert sanbao(name, description, PARTIAL if "手机" not in name else "《移动电话机商品修理更换退货责任规定》") == []


@pytest.mark.parametrize("name", ["华澜洗碗机", "电饭煲", "空气炸锅", "储水式电热水器"])
def test_goods_outside_every_catalogue_are_still_flagged(name):
    assert [w for w, _, _ in sanbao(name)] == ["company.products.0.sanbao"]
    assert [w for w, _, _ in sanbao(name, None, PARTIAL)] == ["company.products.0.sanbao"]


@pytest.mark.parametrize("name, rule", [("智能手机", PARTIAL), ("55 英寸液晶电视", "《移动电话机商品修理更换退货责任规定》"),
                                        ("笔记本电脑", PARTIAL)])
def test_a_device_under_the_wrong_rule_is_still_flagged(name, rule):
    assert [w for w, _, _ in sanbao(name, None, rule)] == ["company.products.0.sanbao_rule"]


def test_bad_bundled_sanbao_data_is_a_clear_error(tmp_path):
    import shutil

    from generator.errors import CatalogueError
    from generator.standard.sanbao import load_sanbao
    from generator.paths import STANDARD
    shutil.copytree(STANDARD, tmp_path / "standard")
    path = tmp_path / "standard" / "sanbao.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("{name: 自行车, aliases: [单车], evidence_level: C}",
                                 "{name: 自行车, aliases: [单车], evidence_level: X}"), encoding="utf-8")
    with pytest.raises(CatalogueError) as bad:
        load_sanbao(tmp_path / "standard")
    rendered = bad.value.render()
    assert "错误：标准数据文件 sanbao.yaml 有误" in rendered
    assert "sanbao.yaml:30:52 [regulations[0].products[0].evidence_level]: 应为以下之一：C、S、I" in rendered
    path.write_text(text.replace("url: http://www.lygzb.net", "url: www.lygzb.net"), encoding="utf-8")
    with pytest.raises(CatalogueError) as bad:
        load_sanbao(tmp_path / "standard")
    assert "[regulations[0].sources[0].url]: 应为以 http:// 或 https:// 开头的网址" in bad.value.render()
    path.write_text(text.replace("aliases: [电冰箱, 冰箱, 冰柜, 冷柜]", "aliases: [电冰箱, 冰箱, 冰柜, 冷柜, 电饭煲冰箱]"),
                    encoding="utf-8")
    with pytest.raises(CatalogueError) as bad:
        load_sanbao(tmp_path / "standard")
    assert "《部分商品修理更换退货责任规定》的“电饭煲冰箱”含有 not_listed 中的“电饭煲”，永远不会被认出" in bad.value.render()


def test_bad_bundled_plausibility_data_is_a_clear_error(tmp_path):
    import shutil

    from generator.errors import CatalogueError
    from generator.standard.plausibility import load_plausibility
    from generator.paths import STANDARD
    shutil.copytree(STANDARD, tmp_path / "standard")
    path = tmp_path / "standard" / "plausibility.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("  low_factor: 0.5\n", "  low_factr: 0.5\n").replace("high_factor: 5", "high_factor: 1")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueError) as bad:
        load_plausibility(tmp_path / "standard")
    rendered = bad.value.render()
    assert "错误：标准数据文件 plausibility.yaml 有误" in rendered
    assert "[managers_per_employee.low_factor]: 缺少必填项：low_factor" in rendered
    assert "plausibility.yaml:13:3 [managers_per_employee.low_factr]: 未知的键 “low_factr”" in rendered
    assert "[managers_per_employee.high_factor]: 应大于 1" in rendered


def test_every_pack_cites_the_2024_regulations():
    from generator.standard.industry import load_packs
    for pack in load_packs().values():
        assert "《中华人民共和国消费者权益保护法实施条例》" in pack.laws, pack.id
        assert not any(law.startswith("GB 18584《") for law in pack.laws), pack.id
    assert "GB 18584-2024《家具中有害物质限量》" in load_packs()["furniture"].laws


# --- item 7: numbers a certification body would question ------------------------------------------
def test_managers_far_below_one_percent_of_headcount(tmp_path, capsys):
    path = variant(tmp_path, ("service_management_staff: 24", "service_management_staff: 10"))
    assert main(["check", path]) == 0
    err = capsys.readouterr().err
    assert ("p.yaml:95:5 [staff.certified_managers]: 员工 860 人，持证售后服务管理师只有 2 名，不到按员工总数估算的一半"
            "（管理师约为员工总数的 1%（认证咨询机构的经验值），约 9 名）；申报的服务管理人员 10 人、按其 10% 只需 1 名，"
            "认证机构可能认为服务管理人员报少了（核对 staff.service_management_staff") in err
    assert "按服务管理人员的 10% 应有" not in err


def test_the_10_percent_warning_is_not_repeated(capsys):
    assert main(["check", str(HUALAN)]) == 0
    err = capsys.readouterr().err
    assert "持证售后服务管理师 2 名，按服务管理人员的 10% 应有 3 名" in err
    assert "按员工总数估算" not in err  # 2 of 9 is said once, by the standard's own rule


def plausibility(profile, **changes):
    from generator.assess.facts import facts_of
    from generator.assess.lint import _plausibility_findings
    from generator.standard.plausibility import load_plausibility
    from generator.standard.catalogue import load_catalogue
    for part, values in changes.items():
        profile = profile.model_copy(update={part: getattr(profile, part).model_copy(update=values)})
    findings = _plausibility_findings(profile, load_catalogue(), facts_of(profile, load_catalogue()), load_plausibility())
    return [(".".join(map(str, p)), m) for p, m, _ in findings]


def test_managers_far_above_one_percent_of_headcount():
    from generator.profile.validation import load_profile
    qiheng = load_profile(QIHENG)
    managers = [qiheng.staff.certified_managers[0].model_copy(update={"name": f"管理师{i}"}) for i in range(6)]
    assert plausibility(qiheng, staff={"certified_managers": managers[:5]}) == []  # 5 for 38 people: 5 × 1
    assert plausibility(qiheng, staff={"certified_managers": managers}) == [(
        "staff.certified_managers",
        "员工 38 人，持证售后服务管理师却有 6 名，超过按员工总数估算的 5 倍（管理师约为员工总数的 1%（认证咨询机构的经验值），约 1 名）")]


def test_as_many_outlets_as_people(tmp_path, capsys):
    """The certification body's own example: 300 outlets across the country, 300 people declared."""
    outlets = "".join(f"    - {{name: 华澜特约服务站{i}, province: 广东省, city: 佛山市, address: 示例路 {i} 号, mode: 委托, staff: 2}}\n"
                      for i in range(294))
    path = variant(tmp_path, ("employees: 860", "employees: 300"),
                   ("  hotline:", outlets + "  hotline:"))
    assert main(["check", path]) == 0
    err = capsys.readouterr().err
    assert ("p.yaml:11:14 [company.employees]: 共 300 个服务网点（自营 2 个、委托 298 个），员工却只有 300 人，不多于网点数："
            "认证机构受理和现场评审时都会核定人数，这样的申报明显不合理（认证咨询机构的例子：全国 300 个服务网点，上报人数只有 300 人）"
            "（核对 company.employees 是否为全部员工") in err
    assert "[staff.aftersales_staff]" not in err  # one warning for one fact


def outlets(profile, mode, n, staff=2):
    template = profile.resources.outlets[0]
    return [template.model_copy(update={"name": f"服务站{i}", "mode": mode, "staff": staff}) for i in range(n)]


def test_fewer_after_sales_staff_than_own_outlets():
    from generator.profile.validation import load_profile
    hualan = load_profile(HUALAN)
    assert plausibility(hualan) == []
    assert plausibility(hualan, resources={"outlets": outlets(hualan, "自营", 140, 1) + outlets(hualan, "委托", 10)}) == []
    assert plausibility(hualan, resources={"outlets": outlets(hualan, "自营", 150, 0) + outlets(hualan, "委托", 10)}) == [(
        "staff.aftersales_staff",
        "共 160 个服务网点（自营 150 个、委托 10 个），售后服务人员却只有 146 人，平均每个自营网点不到 1 人：认证机构会核定人数，"
        "评审时也会抽查网点的服务人员（委托网点的人员是合作方的，不计在内）")]


def test_partner_outlets_staff_are_not_the_company_s():
    """300 outlets run by partners: their people are the partners', not the company's 146 after-sales staff."""
    from generator.profile.validation import load_profile
    hualan = load_profile(HUALAN)
    assert plausibility(hualan, resources={"outlets": outlets(hualan, "委托", 300)}) == []


def test_own_outlets_staff_more_than_the_after_sales_staff():
    from generator.profile.validation import load_profile
    hualan = load_profile(HUALAN)
    assert plausibility(hualan, resources={"outlets": outlets(hualan, "自营", 1, 500)}) == [(
        "staff.aftersales_staff",
        "自营服务网点申报的服务人员合计 500 人（resources.outlets 中 1 个自营网点的 staff），多于本公司的售后服务人员总数 146 人："
        "自营网点的服务人员是本公司的售后服务人员，不会比全部售后服务人员还多")]
    assert plausibility(hualan, resources={"outlets": outlets(hualan, "自营", 1, 146)}) == []
    assert plausibility(hualan, resources={"outlets": outlets(hualan, "委托", 1, 500)}) == []


def test_counts_have_thousands_separators():
    from generator.profile.validation import load_profile
    hualan = load_profile(HUALAN)
    (where, message), = plausibility(hualan, resources={"outlets": outlets(hualan, "自营", 2) + outlets(hualan, "委托", 2998)})
    assert where == "company.employees"
    assert message.startswith("共 3,000 个服务网点（自营 2 个、委托 2,998 个），员工却只有 860 人，不多于网点数")
    managers = [hualan.staff.certified_managers[0].model_copy(update={"name": f"管理师{i}"}) for i in range(100)]
    assert plausibility(hualan, company={"employees": 25000},
                        staff={"certified_managers": managers, "service_management_staff": 1000}) == [(
        "staff.certified_managers",
        "员工 25,000 人，持证售后服务管理师只有 100 名，不到按员工总数估算的一半（管理师约为员工总数的 1%（认证咨询机构的经验值），"
        "约 250 名）；申报的服务管理人员 1,000 人、按其 10% 只需 100 名，认证机构可能认为服务管理人员报少了")]


@pytest.mark.parametrize("profile", [HUALAN, YUNXUAN, QIHENG])
def test_the_examples_are_plausible_and_their_sanbao_products_listed(profile, capsys):
    main(["check", str(profile)])
    err = capsys.readouterr().err
    assert "三包" not in err and "网点" not in err and "按员工总数" not in err, err


def test_an_outlet_listed_twice(tmp_path, capsys):
    """Found by a stranger: a row pasted twice into the outlet list was counted twice in the manual's
    appendix, the multi-site list and the fee estimate, without a word."""
    line = "    - {name: 福州华澜家电服务站, province: 福建省,"
    text = HUALAN.read_text(encoding="utf-8")
    start = text.index(line)
    row = text[start:text.index("\n", start) + 1]
    path = variant(tmp_path, (row, row + row.replace("福州华澜家电服务站", " 福州华澜家电服务站 ")))
    assert main(["check", path]) == 0
    err = capsys.readouterr().err
    assert "[resources.outlets[6]]: 服务网点“福州华澜家电服务站”与第 6 个网点的名称和地址都相同" in err, err
    assert main(["check", "--strict", path]) == 2


def test_many_outlets_listed_twice_are_one_line(tmp_path, capsys):
    line = "    - {name: 福州华澜家电服务站, province: 福建省,"
    text = HUALAN.read_text(encoding="utf-8")
    start = text.index(line)
    row = text[start:text.index("\n", start) + 1]
    path = variant(tmp_path, (row, row * 6))
    assert main(["check", path]) == 0
    err = capsys.readouterr().err
    assert "[resources.outlets[6]]: 5 个服务网点与前面的网点名称和地址都相同，如“福州华澜家电服务站”等（" in err, err
    assert err.count("名称和地址都相同") == 1
