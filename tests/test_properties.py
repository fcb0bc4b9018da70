"""Property-based: random valid profiles always build, and the results obey the standard's rules."""
from __future__ import annotations

import copy
import io
import os
import tempfile
from pathlib import Path

import docx
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import HUALAN
from generator.build import make_bundle
from generator.standard.catalogue import load_catalogue
from generator.inputs.yamlload import load_yaml_file

BASE = load_yaml_file(HUALAN).data
LEAVES = [c.id for c in load_catalogue().leaves()]
PROVINCES = ["广东省", "湖南省", "浙江省", "江苏省", "四川省", "北京市", "上海市", "福建省"]
# names mixing Chinese, Latin and the characters Markdown, HTML and Jinja give meaning to
NAME = st.text(alphabet=st.sampled_from(list("华澜电器服务有限公司科技ABCxyz 0123*_[]<>{}|#&!`~-+.()'\"%") + ["é", "😀"]),
               min_size=1, max_size=30).map(str.strip).filter(bool)
HOURS = st.sampled_from([0.5, 1, 2, 4, 8, 24, 48, 72])


@st.composite
def profiles(draw) -> dict:
    data = copy.deepcopy(BASE)
    c = data["company"]
    c["legal_name"], c["short_name"] = draw(NAME), draw(NAME)
    if draw(st.booleans()):
        c.pop("english_name")
    if draw(st.booleans()):
        c["certificates"] = []
    employees = draw(st.integers(1, 20000))
    c["employees"] = employees
    s = data["staff"]
    s["aftersales_staff"] = draw(st.integers(1, employees))
    s["technicians"] = draw(st.integers(0, s["aftersales_staff"]))
    s["qualified_technicians"] = draw(st.integers(0, s["technicians"]))
    s["service_management_staff"] = draw(st.integers(1, 60))
    managers = draw(st.integers(0, min(6, s["service_management_staff"])))
    s["certified_managers"] = [{"name": draw(NAME), "certificate_no": f"C-{i}"} for i in range(managers)]
    if draw(st.booleans()):
        s.pop("training_hours_per_year")
    c["sales_regions"] = draw(st.lists(st.sampled_from(PROVINCES), min_size=1, max_size=5, unique=True))
    data["resources"]["outlets"] = [
        {"name": draw(NAME), "province": draw(st.sampled_from(PROVINCES)), "city": "市区", "address": draw(NAME),
         "mode": draw(st.sampled_from(["自营", "委托"])), "staff": draw(st.integers(0, 50))}
        for _ in range(draw(st.integers(1, 5)))]
    if draw(st.booleans()):
        data["resources"].pop("information_system")
    for name in ("delivery", "installation", "repair", "technical_support", "take_back"):
        if draw(st.booleans()):
            data["arrangements"][name] = {"provided": False, "excluded_reason": draw(NAME)}
    k = data["commitments"]
    for key in ("response_hours", "onsite_hours_urban", "complaint_response_hours"):
        k[key] = draw(HOURS)
    r = data["readiness"]
    r["self_assessment"] = {cid: {"status": draw(st.sampled_from(["implemented", "partial", "missing"]))}
                            for cid in draw(st.lists(st.sampled_from(LEAVES), unique=True))}
    r["special_deductions"] = [{"kind": "企业制度", "finding": draw(NAME)} for _ in range(draw(st.integers(0, 6)))]
    r["bonuses"] = [{"strength": draw(NAME), "evidence": "证据"} for _ in range(draw(st.integers(0, 2)))]
    data.pop("customisation", None)
    return data


@settings(max_examples=200 if os.environ.get("CI") == "true" else 20, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(profiles())
def test_random_valid_profiles_build(data):
    catalogue = load_catalogue()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "p.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        bundle = make_bundle(path)  # includes the coverage check: raises if a clause is covered nowhere
    for name, data_bytes in bundle.docx.items():
        document = docx.Document(io.BytesIO(data_bytes))
        assert document.paragraphs, name
    manual = docx.Document(io.BytesIO(bundle.docx["01-售后服务手册.docx"]))
    assert bundle.profile.company.legal_name in "\n".join(p.text for p in manual.paragraphs)
    a = bundle.assessment
    assert 0 <= a.score <= 100
    rules = catalogue.scoring
    if a.deductions >= rules.special_deduction.fail_at:
        assert a.level == rules.fail_name
    else:
        expected = next((l.name for l in rules.levels if a.score >= l.min), rules.fail_name)
        assert a.level == expected
    assert a.applicable_total == 100 - sum(l.points for l in a.lines if l.excluded)
