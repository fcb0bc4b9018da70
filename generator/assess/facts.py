"""What a profile implies, worked out once: the facts stage. Pure: no I/O beyond the bundled data.

Every later stage (score, gap plan, certification plan, materials, lint, the documents) receives a
`Facts` and reads what it needs from it; none of them derives these values again, so one fact is
never worked out two ways.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from generator.assess.numbers import exact
from generator.profile.company import Outlet, Product
from generator.profile.model import Profile
from generator.profile.readiness import ClauseAssessment, MaterialStatus
from generator.standard.catalogue import Catalogue, Clause, Form
from generator.standard.industry import Pack, pack_for
from generator.standard.scheme import Tariff, load_tariffs

NATIONWIDE = "全国"  # a sales region that is not a region of its own: every province
AT_OUTLET = "网点上门"  # how a region with an outlet is served unless the profile says otherwise
OTHER_WAYS = ("委托", "远程", "寄修")  # ways of serving a sales region without an outlet of the company's own


@dataclass(frozen=True)
class Facts:
    """Values derived from the profile that several stages and documents use the same way."""

    excluded: dict[str, str]  # clause id -> why it is excluded (删减, 6.2.2), for the excluded clauses
    region_service: dict[str, str | None]  # sales region -> how it is served (None: not served)
    nationwide: bool  # sold in every province (全国)
    covered_regions: list[str]  # sales regions served
    uncovered_regions: list[str]  # sales regions not served
    served_otherwise: dict[str, list[str]]  # 委托 / 远程 / 寄修 -> the sales regions served that way, not by an outlet
    required_managers: int  # 售后服务管理师 the company should have (5.1.2.2)
    self_run: list[Outlet]
    entrusted: list[Outlet]
    sanbao_products: list[Product]
    roles: dict[str, str]  # quality / hr / logistics / sales / rd -> the department that does it
    forms: list[Form]  # record forms whose clause applies
    pack: Pack  # industry pack: laws and wording
    default_owner: str  # who does an action or prepares a missing material unless the profile says: the after-sales lead
    default_due: dt.date  # when an action or a missing material is due unless the profile says
    tariff: Tariff  # the certification body's tariff (its fees and person-days)

    def excluded_reason(self, clause: Clause) -> str | None:
        """Why the clause is excluded for this company, or None when it applies."""
        return self.excluded.get(clause.id)

    def owner_and_due(self, entry: ClauseAssessment | MaterialStatus | None) -> tuple[str, dt.date]:
        """Who does a piece of work (a clause's action, a material to prepare) and by when: as the
        profile's entry for it says, else the after-sales lead by the default due date."""
        owner = entry.owner if entry and entry.owner else self.default_owner
        return owner, entry.due if entry and entry.due else self.default_due


_ROLE_WORDS = {"quality": ("质量", "品质", "质检"), "hr": ("人力", "人事", "综合", "行政"),
               "logistics": ("物流", "仓储", "储运", "配送"), "sales": ("营销", "销售", "市场", "商务"),
               "rd": ("研发", "技术", "开发")}


def _roles(profile: Profile) -> dict[str, str]:
    """Which department does what, from the names the company uses; its after-sales department otherwise."""
    fallback = profile.organisation.aftersales_department.name
    out = {}
    for role, words in _ROLE_WORDS.items():
        found = [d.name for d in profile.organisation.departments if any(w in d.name for w in words)]
        out[role] = found[0] if found else fallback
    return out


def _excluded_reason(profile: Profile, clause: Clause) -> str | None:
    """Why the clause is excluded for this company (where the catalogue allows it and the company says
    so, in `arrangements` or `readiness.exclusions`), or None when it applies."""
    if not clause.excludable:
        return None
    if clause.arrangements:
        arrangements = [getattr(profile.arrangements, name) for name in clause.arrangements]
        if any(a.provided for a in arrangements):
            return None
        return "；".join((a.excluded_reason or "").rstrip("。；; ") for a in arrangements)
    return profile.readiness.exclusions.get(clause.id)


def _region_service(profile: Profile) -> dict[str, str | None]:
    """How each sales region is served (5.1.1.2): as the profile says (company.region_service), else
    网点上门 where an outlet is, else None (not served). "全国" is not a region of its own."""
    provinces = {o.province for o in profile.resources.outlets}
    said = profile.company.region_service
    regions = [r for r in profile.company.sales_regions if r != NATIONWIDE]
    if NATIONWIDE in profile.company.sales_regions:  # nationwide: the regions named with outlets or a way of service
        regions += [r for r in dict.fromkeys([*sorted(provinces), *said]) if r not in regions]
    return {r: said.get(r) or (AT_OUTLET if r in provinces else None) for r in regions}


def _required_managers(profile: Profile, catalogue: Catalogue) -> int:
    """售后服务管理师 the company should have (scoring.yaml `managers`: a ratio of the service
    management staff, rounded up, at least the minimum), counted exactly: 10 % of 12 is 2."""
    rule = catalogue.scoring.managers
    return max(rule.minimum, math.ceil(exact(rule.ratio) * profile.staff.service_management_staff))


def _tariff(profile: Profile) -> Tariff:
    """The tariff of the body the profile names (tariffs.yaml `matches`), else the default one."""
    tariffs = load_tariffs()
    body = profile.certification.certification_body or ""
    return next((t for t in tariffs if any(word in body for word in t.matches)),
                next(t for t in tariffs if t.default))


def facts_of(profile: Profile, catalogue: Catalogue) -> Facts:
    """Everything the profile implies, for every later stage."""
    excluded = {clause.id: reason for clause in catalogue.leaves()
                if (reason := _excluded_reason(profile, clause)) is not None}
    modes = _region_service(profile)
    days = catalogue.scoring.plan.due_days_before_application
    return Facts(
        excluded=excluded,
        region_service=modes,
        nationwide=NATIONWIDE in profile.company.sales_regions,
        covered_regions=[r for r, m in modes.items() if m],
        uncovered_regions=[r for r, m in modes.items() if not m],
        served_otherwise={way: regions for way in OTHER_WAYS
                          if (regions := [r for r, m in modes.items() if m == way])},
        required_managers=_required_managers(profile, catalogue),
        self_run=profile.resources.self_run,
        entrusted=profile.resources.entrusted,
        sanbao_products=[p for p in profile.company.products if p.sanbao],
        roles=_roles(profile),
        forms=[form for form in catalogue.forms if form.clause not in excluded],
        pack=pack_for(profile),
        default_owner=profile.organisation.aftersales_lead.name,
        default_due=profile.certification.planned_application - dt.timedelta(days=days),
        tariff=_tariff(profile),
    )
