"""How each sales region is served (5.1.1.2 按需要覆盖): the profile says it, the score counts it,
the manual says it, and a region the profile cannot mean is a located error."""
from __future__ import annotations

import docx
import pytest

from assessed import scored
from conftest import HUALAN
from generator.cli import main
from generator.errors import ProfileError
from generator.profile.validation import load_profile

REGIONS = "  sales_regions: [广东省, 广西壮族自治区, 湖南省, 江西省, 福建省, 浙江省]\n"


def with_regions(tmp_path, regions: str, service: str | None) -> object:
    text = HUALAN.read_text(encoding="utf-8")
    assert REGIONS in text
    new = f"  sales_regions: [{regions}]\n" + (f"  region_service: {service}\n" if service else "")
    path = tmp_path / "p.yaml"
    path.write_text(text.replace(REGIONS, new), encoding="utf-8")
    return path


def test_regions_served_by_partner_or_mail_count_and_are_written_in_the_manual(tmp_path, catalogue):
    path = with_regions(tmp_path, "广东省, 广西壮族自治区, 湖南省, 江西省, 福建省, 浙江省, 海南省", "{浙江省: 委托, 海南省: 寄修}")
    line = scored(load_profile(path, catalogue), catalogue).line("5.1.1.2")
    assert line.earned == 3 and line.status.id == "implemented"
    assert "委托：浙江省" in line.basis and "寄修：海南省" in line.basis
    assert main(["build", str(path), "-o", str(tmp_path / "out"), "--no-site"]) == 0
    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "out" / "01-售后服务手册.docx")).paragraphs)
    assert "浙江省未设固定服务网点，由签约的委托服务商上门服务。" in text
    assert "海南省未设固定服务网点，由顾客将商品寄送至本公司维修中心修理，修复后寄回。" in text
    assert "尚无服务网点" not in text


def test_a_region_with_no_service_loses_its_share(tmp_path, catalogue):
    # 7 regions, 5 with outlets, 浙江 remote, 海南 nothing: 3 × 6/7
    path = with_regions(tmp_path, "广东省, 广西壮族自治区, 湖南省, 江西省, 福建省, 浙江省, 海南省", "{浙江省: 远程}")
    line = scored(load_profile(path, catalogue), catalogue).line("5.1.1.2")
    assert line.earned == round(3 * 6 / 7, 2) and line.status.id == "partial"
    assert "未覆盖海南省，按覆盖比例得该项分值的 85.71%" in line.basis


@pytest.mark.parametrize("service,key,words", [
    ("{上海市: 远程}", "company.region_service.上海市", "不是销售区域之一"),
    ("{全国: 远程}", "company.region_service.全国", "不能写“全国”"),
    ("{浙江省: 网点上门}", "company.region_service.浙江省", "没有该地区的网点"),
])
def test_a_region_the_profile_cannot_mean_is_located(tmp_path, catalogue, service, key, words):
    path = with_regions(tmp_path, "广东省, 广西壮族自治区, 湖南省, 江西省, 福建省, 浙江省", service)
    with pytest.raises(ProfileError) as info:
        load_profile(path, catalogue)
    (problem,) = info.value.problems
    line = path.read_text(encoding="utf-8").splitlines().index(f"  region_service: {service}") + 1
    assert problem.key_path == key and words in problem.message and problem.line == line


def test_an_unknown_way_of_service_is_refused(tmp_path, catalogue):
    path = with_regions(tmp_path, "广东省, 浙江省", "{浙江省: 快递}")
    with pytest.raises(ProfileError) as info:
        load_profile(path, catalogue)
    assert "网点上门" in info.value.problems[0].message and "寄修" in info.value.problems[0].message


def test_a_region_with_outlets_needs_no_way_of_service(tmp_path, catalogue):
    path = with_regions(tmp_path, "广东省, 广西壮族自治区, 湖南省, 江西省, 福建省, 浙江省", "{浙江省: 寄修, 广东省: 远程}")
    with pytest.raises(ProfileError) as info:
        load_profile(path, catalogue)
    (problem,) = info.value.problems
    assert problem.key_path == "company.region_service.广东省" and "广东省有服务网点" in problem.message


def test_a_nationwide_seller_names_how_provinces_without_outlets_are_served(tmp_path, catalogue):
    path = with_regions(tmp_path, "全国", "{浙江省: 委托, 西藏自治区: 寄修}")
    line = scored(load_profile(path, catalogue), catalogue).line("5.1.1.2")
    assert line.earned == 3  # nationwide: the self-assessment decides, the facts explain
    assert "全国销售，5 个省级地区设有服务网点，委托：浙江省；寄修：西藏自治区" in line.basis
    assert main(["build", str(path), "-o", str(tmp_path / "out"), "--no-site"]) == 0
    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "out" / "01-售后服务手册.docx")).paragraphs)
    assert "浙江省未设固定服务网点，由签约的委托服务商上门服务。" in text
    assert "西藏自治区未设固定服务网点，由顾客将商品寄送至本公司维修中心修理，修复后寄回。" in text
    assert "本公司在全国销售，其他未设固定服务网点的地区，由客户服务部统一受理顾客的服务需求并安排服务。" in text


def test_the_application_form_says_how_regions_without_outlets_are_served(tmp_path):
    from conftest import QIHENG

    assert main(["build", str(QIHENG), "-o", str(tmp_path / "out"), "--no-site"]) == 0
    lines = [p.text for p in docx.Document(str(tmp_path / "out" / "02-认证申请书.docx")).paragraphs]
    assert "未设服务网点地区的服务方式：上海市、安徽省（远程服务）" in lines


@pytest.mark.parametrize("service,words", [
    ("{火星: 远程}", "“火星”不是省级行政区的名称"),
    ("{浙江: 远程}", "是不是“浙江省”？"),
    ("{全国: 寄修}", "不能写“全国”"),
])
def test_a_nationwide_sellers_regions_are_provinces(tmp_path, catalogue, service, words):
    path = with_regions(tmp_path, "全国", service)
    with pytest.raises(ProfileError) as info:
        load_profile(path, catalogue)
    (problem,) = info.value.problems
    assert words in problem.message and problem.key_path.startswith("company.region_service.")


@pytest.mark.parametrize("regions", ["广东省, 广西壮族自治区, 湖南省, 江西省, 福建省, 浙江省", "全国"])
def test_any_region_service_is_accepted_or_explained(tmp_path, regions):
    """Generated region_service values (names, modes, types): check exits 0 or 2, never a traceback."""
    import json as _json

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    names = st.sampled_from(["浙江省", "广东省", "海南省", "全国", "浙江", "火星", "", " ", "1", "null", "上海市"])
    modes = st.one_of(st.sampled_from(["网点上门", "委托", "远程", "寄修", "快递", "", "null", "true", "3"]),
                      st.lists(st.sampled_from(["委托", "远程"]), max_size=2))
    values = st.one_of(st.dictionaries(names, modes, max_size=4), st.sampled_from(["[]", "null", "远程", "{}"]))

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(values)
    def run(value):
        service = value if isinstance(value, str) else _json.dumps(value, ensure_ascii=False)
        path = with_regions(tmp_path, regions, service)
        code = check_exit(path)
        assert code in (0, 2)

    run()


def check_exit(path) -> int:
    """`aftersales check` in process: a bug would be exit 1 (the CLI turns an unexpected exception into it)."""
    return main(["check", str(path)])
